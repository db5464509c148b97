"""Stage 1, mentions: who and what the article names, where, and in which role.

Names become entities (one per canonical key, the gazetteer first), "Russian troops" becomes the
armed forces of that country, and what later stages need to resolve a pronoun or a role noun is
kept: which mentions are subjects, the titles written before a name, the gender a text marks,
and the unnamed people introduced by a role ("Dolgaria's deputy minister said …").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.entities import (
    Entity,
    PersonIndex,
    fold,
    from_gazetteer,
    gazetteer,
    make_entity,
    person_entity,
    strip_determiner,
    unnamed_source,
)
from kg.extract.article import Article
from kg.extract.frames import according_to, first_child, noun_phrase
from kg.lexicon import (
    FEMALE_WORDS,
    MALE_A_NAMES,
    MALE_WORDS,
    PERSON_ROLES,
    PERSON_TITLES,
    REPORTING_VERBS,
    SETTLEMENT_WORDS,
    TITLES,
)
from kg.model import Mention, merge_entity
from kg.places import is_well_known_place

_NE_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Place", "LOC": "Place"}
_NOT_PLACES = frozenset(
    "avenue street road square lane west east north south centre center city town region".split()
)


@dataclass(frozen=True)
class Person:
    """A person a later pronoun may mean, at one place in the text."""

    at: int
    entity: Entity
    sentence: int  # the start of its sentence
    subject: bool  # the subject of its clause
    passing: bool = False  # named in what someone else is reported to say


@dataclass(frozen=True)
class Mentions:
    """What stage 1 found; read-only for the stages after it."""

    entities: dict[str, Entity]
    mentions: list[Mention]
    spans: dict[tuple[int, int], Entity]  # (start, end) of each mention
    people: list[Person]  # named and role-introduced people outside quotations, in order
    roles: dict[str, list[tuple[int, Entity]]]  # "mayor" → people titled so, where
    gender: dict[str, str]  # entity key → "f" / "m"; "f?" a guess from the name alone
    bodies: list[tuple[int, Entity]]  # organisations and armed forces, by start then length

    def covering(self, pos: int) -> Entity | None:
        """The entity a mention at `pos` names."""
        for (start, end), entity in self.spans.items():
            if start <= pos < end:
                return entity
        return None


def find_mentions(article: Article) -> Mentions:
    # In a Title Case headline the tagger takes capitalised words for names ("Shelling Hits
    # Depot"): a person there must be named in the running text too, or be in the gazetteer.
    in_prose = {
        fold(e.text)
        for _, sdoc in article.parsed
        if id(sdoc) not in article.titled
        for e in article.ents(sdoc)
        if e.label_ == "PERSON"
    }
    # "Smoke rises over the square": a common noun opening a sentence, taken for a name. Names
    # are not written in lower case, so a word the article also writes in lower case is none.
    lower_words: set[str] | None = None

    def common_word(ent: Span) -> bool:
        nonlocal lower_words
        if len(ent) != 1 or not ent[0].is_sent_start:
            return False
        if lower_words is None:
            lower_words = {t.text for _, sdoc in article.parsed for t in sdoc if t.is_lower}
        return ent.text.lower() in lower_words

    def doubtful(ent: Span) -> bool:
        if ent.label_ != "PERSON":
            return False
        if common_word(ent):
            return True
        return (
            id(ent.doc) in article.titled
            and fold(ent.text) not in in_prose
            and gazetteer().lookup(ent.text) is None
        )

    index = PersonIndex()
    for _, sdoc in article.parsed:
        for ent in article.ents(sdoc):
            if ent.label_ == "PERSON" and not doubtful(ent):
                words = ent.text.strip().split()
                while len(words) > 1 and fold(words[0]) in TITLES:
                    words.pop(0)
                index.register(" ".join(words))

    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    spans: dict[tuple[int, int], Entity] = {}
    subjects: set[int] = set()
    passing: set[int] = set()
    roles: dict[str, list[tuple[int, Entity]]] = {}
    gender: dict[str, str] = {}

    def add(entity: Entity, start: int, end: int, text: str, sent: Span) -> Entity:
        entity = merge_entity(entities, entity)
        spans[(start, end)] = entity
        mentions.append(Mention(entity.key, start, end, text, article.sentence(sent)))
        return entity

    named = [
        [
            (ent, None if doubtful(ent) else entity_for_name(ent, index))
            for ent in article.ents(sdoc)
        ]
        for _, sdoc in article.parsed
    ]
    places = {fold(e.label) for ents in named for _, e in ents if e and e.type == "Place"}
    for (block, sdoc), ents in zip(article.parsed, named, strict=True):
        for ent, entity in ents:
            if entity is not None and entity.type == "Person":
                entity = _written_as_place(ent, places) or entity
            if entity is None:
                continue
            start, end = block.start + ent.start_char, block.start + ent.end_char
            entity = add(entity, start, end, ent.text, ent.sent)
            if is_subject(ent.root):
                subjects.add(start)
            if _in_what_is_reported(ent.root):
                passing.add(start)
            if entity.type == "Person":
                for role in _roles_before(ent):
                    roles.setdefault(role, []).append((start, entity))
                if entity.key not in gender and (g := _gender(ent, entity)):
                    gender[entity.key] = g
        covered = {i for ent, _ in ents for i in range(ent.start, ent.end)}
        for tok in sdoc:
            if tok.i not in covered and tok.pos_ == "PROPN" and index.is_surname(tok.text):
                # "Varnak confirmed …" after "spokesperson TK Varnak": a surname the tagger
                # left untagged still names the person
                start = block.start + tok.idx
                entity = add(
                    person_entity(tok.text, index), start, start + len(tok), tok.text, tok.sent
                )
                if is_subject(tok):
                    subjects.add(start)
                continue
            found = armed_force(tok)
            if found:
                entity, char = found
                start, end = block.start + char, block.start + tok.idx + len(tok)
                add(entity, start, end, article.doc.text[start:end], tok.sent)
    people = sorted(
        [
            Person(
                m.start,
                entities[m.entity],
                m.sentence.start,
                subject=m.start in subjects,
                passing=m.start in passing,
            )
            for m in mentions
            if entities[m.entity].type == "Person" and not article.in_quote(m.start)
        ]
        + _role_subjects(article),
        key=lambda p: p.at,
    )
    # By start, and the longest of mentions starting together last ("U.N." then "U.N. aid
    # office"), so "the last body named" is the whole name.
    bodies = [
        (m.start, entities[m.entity])
        for m in sorted(mentions, key=lambda m: (m.start, m.end))
        if entities[m.entity].type in ("Organisation", "ArmedForce")
    ]
    return Mentions(entities, mentions, spans, people, roles, gender, bodies)


def entity_for_name(ent: Span, index: PersonIndex) -> Entity | None:
    """The entity a name span stands for, or None for what is not a name after all."""
    text = ent.text.strip()
    if not text or any(c.isdigit() for c in text) or len(text) > 80:
        return None
    gaz = gazetteer()
    entry = gaz.lookup(text) or gaz.lookup(text.removesuffix("'s").removesuffix("’s"))
    if entry is not None:
        return from_gazetteer(entry, text)
    kind = _NE_TYPES.get(ent.label_)
    if kind is None:
        return None
    if (
        kind == "Organisation"
        and ent.start > 0
        and fold(ent.doc[ent.start - 1].text) in PERSON_TITLES
    ):
        kind = "Person"  # "Gen. Dolgan" tagged as an organisation
    if kind == "Organisation" and _named_role(ent):
        kind = "Person"  # "the director of the group, Ilse Varga, said"
    if kind in ("Organisation", "Place") and " " not in text and index.is_surname(text):
        kind = "Person"  # "Varnik said" after "Ilko Varnik": the tagger took it for a body
    if kind == "Person" and len(text.split()) <= 2 and is_well_known_place(text):
        kind = "Place"  # the small model tags some cities as people ("Kyiv")
    if kind == "Person" and fold(text.split()[-1]) in SETTLEMENT_WORDS | {"state"}:
        kind = "Place"  # "Varna State", "Dolgo District": no one's name ends so
    if kind in ("Person", "Organisation") and _placed(ent, after_in=kind == "Person"):
        kind = "Place"  # "the village of Varnovo", "in Dolgino": a place the tagger called a name
    if kind == "Person":
        if len(text.split()) == 1 and fold(text) in TITLES:
            return None
        return person_entity(text, index)
    label = strip_determiner(text).removesuffix("'s").removesuffix("’s")
    if kind == "Place" and (fold(label) in gaz.demonyms or fold(label) in _NOT_PLACES):
        return None  # "Ukrainian" tagged as a place; "Avenue" cut from "Varnak Avenue"
    if label.islower():
        return None  # "city council", "the ministry": not a name; roles resolve them
    if kind == "Organisation" and label.split()[-1].lower() in gaz.force_nouns:
        kind = "ArmedForce"
    return make_entity(kind, label, text)


def _written_as_place(ent: Span, places: set[str]) -> Entity | None:
    """A one-word "person" ("Varnik", "Dolgaria's Varnik") that the article writes as a place
    elsewhere ("in Varnik"): the place, wherever the tagger took it for someone."""
    word = ent.text.strip().replace("’", "'").split("'s ")[-1]
    if " " in word or fold(word) not in places:
        return None
    return make_entity("Place", word, ent.text)


def _named_role(ent: Span) -> bool:
    """A name set in commas after a person's role ("the director of the group, Ilse Varga,"):
    a person, whatever the tagger called it."""
    root = ent.root
    return (
        root.dep_ == "appos"
        and fold(root.head.text) in PERSON_ROLES
        and all(t.pos_ == "PROPN" for t in ent)
    )


# Words for a place without a settlement: "an area called X".
_AREAS = frozenset({"area", "neighbourhood", "neighborhood", "locality", "place", "quarter"})


def _placed(ent: Span, after_in: bool) -> bool:
    """A name written where places are: "the village of X", "X town" or, with `after_in`,
    "in X"."""
    doc = ent.doc
    if ent.end < len(doc) and doc[ent.end].lower_ in SETTLEMENT_WORDS:
        return True  # "in nearby Tomas Varga town", "Marko Belo village"
    head = ent.root
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head
        if head.lemma_.lower() in SETTLEMENT_WORDS:
            return True  # "the Varnik refugee camp"
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is None or fold(doc[ent.start].text) in TITLES:
        return False
    if before.lower_ in ("in", "near"):
        return after_in
    if before.lower_ in ("called", "named", "known") and ent.start > 1:
        # "an area called X", "a village named X", "the town known as X"
        head = doc[ent.start - 2] if before.lower_ != "known" else doc[ent.start - 3]
        return head.lemma_.lower() in SETTLEMENT_WORDS | _AREAS
    return (
        before.lower_ == "of"
        and ent.start > 1
        and doc[ent.start - 2].lemma_.lower() in SETTLEMENT_WORDS | {"camp", "district", "province"}
    )


def armed_force(tok: Token) -> tuple[Entity, int] | None:
    """'Russian troops', "Moscow's forces" → the armed forces of that country."""
    gaz = gazetteer()
    if tok.lower_ not in gaz.force_nouns or tok.pos_ != "NOUN":
        return None
    for child in tok.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod") and child.i < tok.i:
            word = fold(child.text + ("'s" if child.dep_ == "poss" else ""))
            country = gaz.demonyms.get(word) or gaz.demonyms.get(fold(child.text))
            if country:
                entry = gaz.armed_forces_of.get(country)
                if entry is not None:
                    return from_gazetteer(entry, f"{child.text} {tok.text}"), child.idx
                label = f"Armed forces of {country}"
                return make_entity("ArmedForce", label, f"{child.text} {tok.text}"), child.idx
    return None


def _gender(ent: Span, entity: Entity) -> str | None:
    """What the gazetteer knows, or what the text marks: a gendered title or noun before the
    name, or a feminine given name."""
    entry = gazetteer().lookup(entity.label)
    if entry is not None and entry.gender:
        return entry.gender
    doc = ent.doc
    before = {fold(t.text) for t in doc[max(0, ent.start - 3) : ent.start]}
    if before & FEMALE_WORDS:
        return "f"
    if before & MALE_WORDS:
        return "m"
    first = fold(entity.label.split()[0])
    if first.endswith("a") and first not in MALE_A_NAMES:
        return "f?"  # many given names in -a are women's, not all ("Nikita")
    return None


def _role_subjects(article: Article) -> list[Person]:
    """Unnamed people a later pronoun can mean: "Dolgaria's deputy minister called …"."""
    found: list[Person] = []
    for block, sdoc in article.parsed:
        for tok in sdoc:
            nxt = sdoc[tok.i + 1] if tok.i + 1 < len(sdoc) else None
            finite_next = nxt is not None and nxt.tag_ in ("VBD", "VBZ", "VBP", "MD")
            if tok.pos_ != "NOUN" or not (tok.dep_ in ("nsubj", "nsubjpass") or finite_next):
                continue
            if fold(tok.text) not in PERSON_ROLES or article.in_quote(block.start + tok.idx):
                continue
            phrase = noun_phrase(tok)
            if any(t.ent_type_ == "PERSON" for t in phrase):
                continue
            closing = [t for t in tok.subtree if not t.is_punct][-1]
            if closing.dep_ == "appos" and closing.ent_type_ == "PERSON":
                continue  # "the head of the mission, Tomas Brekel, said": he is named
            # The parse may hang "the" elsewhere: look at the phrase and the word just before it.
            words = sdoc[max(0, phrase.start - 1) : phrase.end]
            definite = any(t.lower_ in ("the", "this") for t in words) and not any(
                t.dep_ == "poss" for t in phrase
            )
            if definite:
                continue  # "the mayor", "the veteran leader": the resolver links it to a person
            if any(t.like_num for t in phrase):
                continue  # "one commander also died": a count, not someone who speaks
            entity = unnamed_source(article.doc.id, phrase.text)
            found.append(
                Person(block.start + phrase.start_char, entity, block.start + tok.sent.start_char,
                       True)
            )  # fmt: skip
    return found


def is_subject(tok: Token) -> bool:
    """The subject of its clause, or the one a sentence is "according to": either is who the
    sentence is about, whom a later "he" or "she" most likely means."""
    while tok.dep_ in ("compound", "appos", "flat") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and (according := according_to(tok.head.head)) is not None:
        return according.i == tok.i
    return tok.dep_ in ("nsubj", "nsubjpass")


def _in_what_is_reported(tok: Token) -> bool:
    """'The colonel said the band hides near Velka, where Ivan Dorn was born': a name
    inside the clause someone is reported to say is most likely named in passing, not the
    speaker a later "he" means (`Resolver.last_person` ranks it last, not out)."""
    for above in tok.ancestors:
        if (
            above.dep_ == "ccomp"
            and above.head.lemma_.lower() in REPORTING_VERBS
            and first_child(above.head, "nsubj") is not None
        ):
            return True
    return False


def _roles_before(ent: Span) -> list[str]:
    """Titles written before a name ('Dolgino mayor Tomas Brekel' → mayor)."""
    roles = []
    for tok in ent:
        if fold(tok.text) in PERSON_ROLES:
            roles.append(fold(tok.text))
    i = ent.start - 1
    while i >= 0 and i >= ent.start - 4:
        tok = ent.doc[i]
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ") or tok.ent_type_ == "PERSON":
            break
        if fold(tok.text) in PERSON_ROLES:
            roles.append(fold(tok.text))
        i -= 1
    return roles
