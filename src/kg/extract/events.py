"""Stage 5, events: the words that say an attack, evacuation, ceasefire, negotiation, capture or
surrender happened, with actor, target, place and date from the same sentence. Types are the
notations of ontology/event-types.ttl (SKOS)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.dates import sentence_date
from kg.entities import fold, gazetteer
from kg.extract.article import Article
from kg.extract.coref import Resolver
from kg.extract.frames import first_child, noun_phrase, subject_of
from kg.model import Event

# Notation → local name of the SKOS concept in ontology/event-types.ttl.
CONCEPTS = {
    "attack": "Attack", "shelling": "Shelling", "missile-strike": "MissileStrike",
    "air-strike": "AirStrike", "drone-strike": "DroneStrike", "bombing": "Bombing",
    "armed-clash": "ArmedClash", "evacuation": "Evacuation",
    "humanitarian-corridor": "HumanitarianCorridor", "ceasefire": "Ceasefire",
    "negotiation": "Negotiation", "capture": "Capture", "surrender": "Surrender",
}  # fmt: skip
# Most specific type first within each top concept.
TOP = {
    "shelling": "attack", "missile-strike": "attack", "air-strike": "attack",
    "drone-strike": "attack", "bombing": "attack", "armed-clash": "attack", "attack": "attack",
    "humanitarian-corridor": "evacuation", "evacuation": "evacuation", "ceasefire": "ceasefire",
    "negotiation": "negotiation", "surrender": "capture", "capture": "capture",
}  # fmt: skip
_LEMMAS = {
    "shell": "shelling", "shelling": "shelling", "bombard": "shelling", "bombardment": "shelling",
    "artillery": "shelling", "pound": "shelling", "missile": "missile-strike",
    "rocket": "missile-strike", "airstrike": "air-strike", "bomb": "bombing", "bombing": "bombing",
    "attack": "attack", "strike": "attack", "assault": "attack", "blast": "attack",
    "explosion": "attack", "fighting": "armed-clash", "clash": "armed-clash",
    "battle": "armed-clash", "evacuate": "evacuation", "evacuation": "evacuation",
    "ceasefire": "ceasefire", "cease-fire": "ceasefire", "truce": "ceasefire",
    "talk": "negotiation", "negotiation": "negotiation", "negotiate": "negotiation",
    "negotiator": "negotiation", "capture": "capture", "seize": "capture", "takeover": "capture",
    "surrender": "surrender", "detonate": "bombing", "explode": "bombing", "bomber": "bombing",
    "massacre": "attack", "shooting": "attack", "ambush": "attack", "airstrikes": "air-strike",
}  # fmt: skip
_SPECIFICITY = [
    "missile-strike", "air-strike", "drone-strike", "shelling", "bombing", "armed-clash", "attack",
    "humanitarian-corridor", "evacuation", "ceasefire", "negotiation", "surrender", "capture",
]  # fmt: skip


@dataclass(frozen=True)
class Trigger:
    token: Token
    type: str  # a notation of the event-type scheme

    @property
    def top(self) -> str:
        return TOP[self.type]


def type_of(tok: Token) -> str | None:
    """The event type a word names, if it names one."""
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if lower == "talks" or (lemma == "talk" and tok.pos_ == "NOUN" and tok.tag_ == "NNS"):
        return "negotiation"
    if lemma == "talk":
        return None  # "to talk" is speech, not negotiation
    if lemma in ("corridor", "route") and any(
        c.lower_ in ("humanitarian", "green", "escape", "safe", "evacuation") for c in tok.children
    ):
        return "humanitarian-corridor"
    if lemma in ("strike", "attack", "raid"):
        mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
        if mods & {"air", "aerial"} or lemma == "raid":
            return "air-strike"
        if mods & {"drone", "drones", "kamikaze"}:
            return "drone-strike"
        if mods & {"missile", "missiles", "rocket", "rockets", "cruise", "ballistic"}:
            return "missile-strike"
    if lemma in ("drone",) and any(
        w.lemma_ in ("strike", "attack", "hit") for w in tok.head.subtree
    ):
        return "drone-strike"
    if lemma in ("missile", "rocket", "artillery") and tok.pos_ == "NOUN":
        # Hardware words name an attack only when something is hit or fired.
        verbs = {t.lemma_ for t in tok.sent if t.pos_ == "VERB"}
        return (
            _LEMMAS[lemma]
            if verbs
            & {
                "hit",
                "strike",
                "fire",
                "land",
                "rain",
                "pound",
                "launch",
                "fall",
                "destroy",
                "kill",
            }
            else None
        )
    if lemma == "take" and any(c.dep_ == "prt" and c.lower_ == "over" for c in tok.children):
        return "capture"  # "took over the camp"
    if lemma == "strike" and tok.pos_ == "VERB":
        return "attack"
    return _LEMMAS.get(lemma)


def triggers(sent: Span) -> list[Trigger]:
    """At most one trigger per top concept, the most specific one, first in the sentence."""
    best: dict[str, Trigger] = {}
    for tok in sent:
        if tok.pos_ not in ("NOUN", "VERB", "PROPN"):
            continue
        kind = type_of(tok)
        if kind is None:
            continue
        found = Trigger(tok, kind)
        known = best.get(found.top)
        if known is None or _SPECIFICITY.index(kind) < _SPECIFICITY.index(known.type):
            best[found.top] = found
    return sorted(best.values(), key=lambda t: t.token.i)


def find_events(article: Article, resolver: Resolver) -> list[Event]:
    mentions = resolver.mentions
    places = [m for m in mentions.mentions if mentions.entities[m.entity].type == "Place"]
    out: list[Event] = []
    for block, sdoc in article.parsed:
        for sent in sdoc.sents:
            found = triggers(sent)
            if not found:
                continue
            sentence = article.sentence(sent)
            when = sentence_date(sent, article.doc.date)
            for trig in found:
                tok = trig.token
                start = block.start + tok.idx
                event = Event(start, start + len(tok), tok.text, trig.type, sentence, date=when)
                actor, target = _roles(tok)
                if actor is not None:
                    event.actor_text = actor.text
                    who = resolver.resolve(actor)
                    # Only named actors become nodes; "her unit" stays text.
                    event.actor = who if who is not None and who.type != "Source" else None
                if target is not None:
                    event.target_text = target.text
                    event.target = mentions.covering(block.start + target.root.idx)
                in_sentence = [m for m in places if sentence.start <= m.start < sentence.end]
                actor_key = event.actor.key if event.actor is not None else None
                others = [m for m in in_sentence if m.entity != actor_key]
                if others:
                    after = [m for m in others if m.start >= start]
                    event.place = mentions.entities[(after or others)[0].entity]
                out.append(event)
    return out


def _roles(tok: Token) -> tuple[Span | None, Span | None]:
    """(who acted, what was hit) for a trigger: subject and object of a verb; for a noun, a
    demonym or possessive before it ("Russian strikes", "Moscow's assault") and its 'on' object."""
    if tok.pos_ == "VERB":
        subject, passive = subject_of(tok)
        target = first_child(tok, "dobj")
        if passive:
            agent = first_child(tok, "agent")
            by = first_child(agent, "pobj") if agent else None
            return (noun_phrase(by) if by else None), subject
        return subject, noun_phrase(target) if target is not None else None
    actor = next(
        (c for c in tok.children if c.dep_ in ("poss", "amod", "compound") and
         (c.ent_type_ in ("NORP", "GPE", "ORG") or fold(c.text) in gazetteer().demonyms)),
        None,
    )  # fmt: skip
    on = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "against")), None)
    target = first_child(on, "pobj") if on else None
    return (noun_phrase(actor) if actor is not None else None), (
        noun_phrase(target) if target is not None else None
    )
