"""From Documents to Extractions: entities, quotes, figures and who gave them.

Data flows one way: blocks of text go through `nlp.pipe` in batches, then the rules of
figures.py, quotes.py and attribution.py run over each parsed document.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from kg.attribution import Cue, cue_for, find_cues, noun_phrase, reporting_above, subject_of
from kg.blocks import Block, blocks
from kg.certainty import certainty
from kg.dates import resolve as resolve_date
from kg.document import Document
from kg.entities import (
    Entity,
    GazetteerEntry,
    PersonIndex,
    fold,
    from_gazetteer,
    gazetteer,
    make_entity,
    person_entity,
    strip_determiner,
    unnamed_source,
)
from kg.events import triggers
from kg.figures import counts_on, figures_in_sentence
from kg.lexicon import (
    FEMALE_WORDS,
    INFO_NOUNS,
    MALE_A_NAMES,
    MALE_WORDS,
    ORG_ROLES,
    PEOPLE_NOUNS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PERSON_TITLES,
    PLURAL_PRONOUNS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    TITLES,
)
from kg.model import Event, Extraction, Figure, Mention, Quote, Sentence
from kg.places import is_well_known_place
from kg.quotes import QuoteSpan, find_quotes

_NE_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Place", "LOC": "Place"}
_NOT_PLACES = frozenset(
    "avenue street road square lane west east north south centre center city town region".split()
)


@dataclass
class _Context:
    """Per-document state the rules share: who was mentioned where, in which role."""

    doc: Document
    out: Extraction
    parsed: list[tuple[Block, Doc]]
    block_of: dict[int, int] = field(default_factory=dict)  # id(spaCy Doc) → block start
    block_starts: list[int] = field(default_factory=list)  # of `parsed`, in document order
    quotes: list[QuoteSpan] = field(default_factory=list)  # in document order, not overlapping
    quote_starts: list[int] = field(default_factory=list)
    # Per spaCy Doc (by id): its entity spans and speech cues, computed once, used by many rules.
    spans: dict[int, list[Span]] = field(default_factory=dict)
    speech: dict[int, list[Cue]] = field(default_factory=dict)
    by_span: dict[tuple[int, int], Entity] = field(default_factory=dict)
    person_positions: list[int] = field(default_factory=list)
    person_at: list[Entity] = field(default_factory=list)
    person_info: list[tuple[int, bool]] = field(default_factory=list)  # (sentence start, subject?)
    gender: dict[str, str] = field(default_factory=dict)  # entity key → "f" / "m"
    subjects: set[int] = field(default_factory=set)  # start offsets of mentions that are subjects
    roles: dict[str, list[tuple[int, Entity]]] = field(default_factory=dict)
    orgs: list[tuple[int, Entity]] = field(default_factory=list)
    # Noun subjects of reporting verbs: (verb offset, subject offset, phrase, a person noun?).
    reporters: list[tuple[int, int, Span, bool]] | None = None

    def in_quote(self, pos: int) -> QuoteSpan | None:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return self.quotes[i] if i >= 0 and pos < self.quotes[i].end else None

    def quotes_in(self, block: Block) -> bool:
        """Whether a quotation opens inside `block`."""
        i = bisect.bisect_left(self.quote_starts, block.start)
        return i < len(self.quote_starts) and self.quote_starts[i] < block.end

    def block_at(self, pos: int) -> int | None:
        """The place in `parsed` of the block holding `pos`."""
        i = bisect.bisect_right(self.block_starts, pos) - 1
        return i if i >= 0 and pos < self.parsed[i][0].end else None

    def ents(self, sdoc: Doc) -> list[Span]:
        found = self.spans.get(id(sdoc))
        if found is None:
            found = self.spans[id(sdoc)] = _entities(sdoc)
        return found

    def last_person(self, pos: int, pronoun: str = "") -> Entity | None:
        """The person a pronoun at `pos` refers to: the latest one its gender allows."""
        found = self.last_person_at(pos, pronoun)
        return self.out.add_entity(found[1]) if found is not None else None

    def last_person_at(self, pos: int, pronoun: str = "") -> tuple[int, Entity] | None:
        """That person and where they were last mentioned before `pos`."""
        i = bisect.bisect_left(self.person_positions, pos)
        # Latest sentence first; within a sentence its subject before its objects.
        order = sorted(
            range(i), key=lambda j: (-self.person_info[j][0], not self.person_info[j][1], -j)
        )
        candidates = [(self.person_positions[j], self.person_at[j]) for j in order]
        wanted = {"she": "f", "her": "f", "he": "m", "him": "m"}.get(pronoun.lower())
        if wanted == "f":
            # Women are marked in text more often than men: a marked woman nearby wins.
            exact = next((c for c in candidates[:4] if self.gender.get(c[1].key) == "f"), None)
            if exact is not None:
                return exact
        if wanted:
            candidates = [c for c in candidates if self.gender.get(c[1].key) in (None, wanted)]
        return candidates[0] if candidates else None


def _entity_for_ent(ent: Span, index: PersonIndex) -> Entity | None:
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
        kind = "Person"  # "Gen. Zaluzhnyi" tagged as an organisation
    if kind == "Person" and len(text.split()) <= 2 and is_well_known_place(text):
        kind = "Place"  # the small model tags some cities as people ("Kyiv")
    if kind == "Person":
        if len(text.split()) == 1 and fold(text) in TITLES:
            return None
        return person_entity(text, index)
    label = strip_determiner(text).removesuffix("'s").removesuffix("’s")
    if kind == "Place" and (fold(label) in gaz.demonyms or fold(label) in _NOT_PLACES):
        return None  # "Ukrainian" tagged as a place; "Avenue" cut from "Mira Avenue"
    if label.islower():
        return None  # "city council", "the ministry": not a name; roles resolve them
    if kind == "Organisation" and label.split()[-1].lower() in gaz.force_nouns:
        kind = "ArmedForce"
    return make_entity(kind, label, text)


def _armed_force(tok: Token) -> tuple[Entity, int] | None:
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


def _widen_person(ent: Span) -> Span:
    """The small model often tags only the surname: take in the given names before it."""
    start = ent.start
    while start > 0:
        tok = ent.doc[start - 1]
        if tok.pos_ != "PROPN" or tok.dep_ != "compound" or fold(tok.text) in TITLES:
            break
        if not tok.text[:1].isupper() or tok.ent_type_ not in ("", "PERSON"):
            break
        start -= 1
    return ent.doc[start : ent.end] if start != ent.start else ent


_GAZ_LABELS = {"Person": "PERSON", "Organisation": "ORG", "ArmedForce": "ORG", "Place": "GPE"}


@lru_cache(maxsize=4)
def _gazetteer_matcher(vocab: Vocab) -> PhraseMatcher:
    """Exact, case-sensitive names from the curated gazetteer, for what the NER misses."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    tokenizer = Tokenizer(vocab)
    for alias, entry in gazetteer().by_alias_raw.items():
        if alias[:1].isupper() and len(alias) > 2:
            matcher.add(_GAZ_LABELS[entry.type], [tokenizer(alias)])
    return matcher


def _is_place(text: str) -> bool:
    entry = gazetteer().lookup(text)
    return is_well_known_place(text) or (entry is not None and entry.type == "Place")


def _place_then_name(ent: Span) -> list[Span] | None:
    """'Mayor of Kyiv Vitali Klitschko': the tagger runs the place into the name after it (as a
    person, or as an organisation); a titled "X of" before them says which is which."""
    doc = ent.doc
    if ent.label_ not in ("PERSON", "ORG") or len(ent) < 3 or ent.start < 2:
        return None
    if doc[ent.start - 1].lower_ != "of" or fold(doc[ent.start - 2].text) not in TITLES:
        return None
    for cut in (2, 1):
        place, name = ent[:cut], ent[cut:]
        if len(name) < 2 or not all(t.pos_ == "PROPN" and t.text.istitle() for t in name):
            continue
        if _is_place(place.text):
            return [
                Span(doc, place.start, place.end, label="GPE"),
                Span(doc, name.start, name.end, label="PERSON"),
            ]
    return None


def _aged(ent: Span) -> bool:
    """'Oksana, 29, was sheltering …': a name with an age in commas after it is a person's,
    whatever the tagger said (it had taken 'Oksana' for a place)."""
    doc = ent.doc
    if ent.end + 2 >= len(doc) or not all(t.text[:1].isupper() for t in ent):
        return False
    comma, age, after = doc[ent.end], doc[ent.end + 1], doc[ent.end + 2]
    return (
        comma.text == ","
        and age.text.isdigit()
        and 0 < int(age.text) < 110
        and after.text == ","
        and not is_well_known_place(ent.text)
        and gazetteer().lookup(ent.text) is None
    )


def _entities(sdoc: Doc) -> list[Span]:
    found: list[Span] = []
    for e in sdoc.ents:
        split = _place_then_name(e)
        if split is not None:
            found.extend(split)
        elif e.label_ != "PERSON" and _aged(e):
            found.append(Span(sdoc, e.start, e.end, label="PERSON"))
        else:
            found.append(_widen_person(e) if e.label_ == "PERSON" else e)
    taken = {i for e in found for i in range(e.start, e.end)}
    for match_id, start, end in _gazetteer_matcher(sdoc.vocab)(sdoc):
        if not taken & set(range(start, end)):
            found.append(Span(sdoc, start, end, label=match_id))
            taken |= set(range(start, end))
    return sorted(found, key=lambda e: e.start)


_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


def _title_case(sdoc: Doc) -> bool:
    """A headline in Title Case: no closing full stop, and its longer words capitalised."""
    text = sdoc.text.rstrip()
    if text.endswith((".", "!", "?", '"', "”", "’", "'")):
        return False
    words = _LONG_WORD.findall(text)  # on the text: a walk over the tokens costs more
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _collect_entities(ctx: _Context) -> None:
    # In a Title Case headline the tagger takes capitalised words for names ("Drone Strike
    # Kills"): a person there must be named in the running text too, or be in the gazetteer.
    titled = {id(sdoc) for _, sdoc in ctx.parsed if _title_case(sdoc)}
    in_prose = {
        fold(e.text)
        for _, sdoc in ctx.parsed
        if id(sdoc) not in titled
        for e in ctx.ents(sdoc)
        if e.label_ == "PERSON"
    }

    # "Debris burns on the street": a common noun opening a sentence, taken for a name. Names
    # are not written in lower case, so a word the article also writes in lower case is none.
    lower_words: set[str] | None = None

    def common_word(ent: Span) -> bool:
        nonlocal lower_words
        if len(ent) != 1 or not ent[0].is_sent_start:
            return False
        if lower_words is None:
            lower_words = {t.text for _, sdoc in ctx.parsed for t in sdoc if t.is_lower}
        return ent.text.lower() in lower_words

    def doubtful(ent: Span) -> bool:
        if ent.label_ != "PERSON":
            return False
        if common_word(ent):
            return True
        return (
            id(ent.doc) in titled
            and fold(ent.text) not in in_prose
            and gazetteer().lookup(ent.text) is None
        )

    index = PersonIndex()
    for _, sdoc in ctx.parsed:
        for ent in ctx.ents(sdoc):
            if ent.label_ == "PERSON" and not doubtful(ent):
                name = ent.text.strip()
                words = name.split()
                while len(words) > 1 and fold(words[0]) in TITLES:
                    words.pop(0)
                index.register(" ".join(words))
    for block, sdoc in ctx.parsed:
        for ent in ctx.ents(sdoc):
            entity = None if doubtful(ent) else _entity_for_ent(ent, index)
            if entity is None:
                continue
            start, end = block.start + ent.start_char, block.start + ent.end_char
            _add_mention(ctx, entity, start, end, ent.text, _sentence(block, ent.sent))
            if _is_subject(ent.root):
                ctx.subjects.add(start)
            if entity.type == "Person":
                for role in _roles_before(ent):
                    ctx.roles.setdefault(role, []).append((start, ctx.out.entities[entity.key]))
                if entity.key not in ctx.gender and (g := _gender(ent, entity)):
                    ctx.gender[entity.key] = g
        for tok in sdoc:
            found = _armed_force(tok)
            if found:
                entity, char = found
                start = block.start + char
                end = block.start + tok.idx + len(tok)
                text = ctx.doc.text[start:end]
                _add_mention(ctx, entity, start, end, text, _sentence(block, tok.sent))
    people = sorted(
        [
            (m.start, ctx.out.entities[m.entity], m.sentence.start, m.start in ctx.subjects)
            for m in ctx.out.mentions
            if ctx.out.entities[m.entity].type == "Person" and not ctx.in_quote(m.start)
        ]
        + _role_subjects(ctx),
        key=lambda item: item[0],
    )
    ctx.person_positions = [p[0] for p in people]
    ctx.person_at = [p[1] for p in people]
    ctx.person_info = [(p[2], p[3]) for p in people]
    # By start, and the longest of mentions starting together last ("U.N." then "U.N. human
    # rights office"), so "the last body named" is the whole name.
    ctx.orgs = [
        (m.start, ctx.out.entities[m.entity])
        for m in sorted(ctx.out.mentions, key=lambda m: (m.start, m.end))
        if ctx.out.entities[m.entity].type in ("Organisation", "ArmedForce")
    ]


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
        return "f"
    return None


def _role_subjects(ctx: _Context) -> list[tuple[int, Entity, int, bool]]:
    """Unnamed people a later pronoun can mean: "Ukraine's deputy prime minister called …"."""
    found: list[tuple[int, Entity, int, bool]] = []
    for block, sdoc in ctx.parsed:
        for tok in sdoc:
            nxt = sdoc[tok.i + 1] if tok.i + 1 < len(sdoc) else None
            finite_next = nxt is not None and nxt.tag_ in ("VBD", "VBZ", "VBP", "MD")
            if tok.pos_ != "NOUN" or not (tok.dep_ in ("nsubj", "nsubjpass") or finite_next):
                continue
            if fold(tok.text) not in PERSON_ROLES or ctx.in_quote(block.start + tok.idx):
                continue
            phrase = noun_phrase(tok)
            start = block.start + phrase.start_char
            if any(t.ent_type_ == "PERSON" for t in phrase):
                continue
            closing = [t for t in tok.subtree if not t.is_punct][-1]
            if closing.dep_ == "appos" and closing.ent_type_ == "PERSON":
                continue  # "the head of the operation, Mamadou Balde, said": he is named
            # The parse may hang "the" elsewhere: look at the phrase and the word just before it.
            words = sdoc[max(0, phrase.start - 1) : phrase.end]
            definite = any(t.lower_ in ("the", "this") for t in words) and not any(
                t.dep_ == "poss" for t in phrase
            )
            if definite:
                continue  # "the mayor", "the defiant leader": resolve_actor links it to a person
            sentence = block.start + tok.sent.start_char
            found.append((start, unnamed_source(ctx.doc.id, phrase.text), sentence, True))
    return found


def _is_subject(tok: Token) -> bool:
    while tok.dep_ in ("compound", "appos", "flat") and tok.head is not tok:
        tok = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass")


def _add_mention(
    ctx: _Context, entity: Entity, start: int, end: int, text: str, sentence: Sentence
) -> None:
    entity = ctx.out.add_entity(entity)
    ctx.by_span[(start, end)] = entity
    ctx.out.mentions.append(Mention(entity.key, start, end, text, sentence))


def _roles_before(ent: Span) -> list[str]:
    """Titles written before a name ('Mariupol mayor Vadym Boychenko' → mayor)."""
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


def _speaking_for(entry: GazetteerEntry, text: str) -> Entity | None:
    """A capital or an institution cited as a source stands for its country ("Kyiv said")."""
    country = gazetteer().lookup(entry.speaks_for) if entry.speaks_for else None
    return from_gazetteer(country, text) if country is not None else None


def resolve_actor(ctx: _Context, phrase: Span) -> Entity | None:
    """The entity a source or speaker phrase names; None when it names nobody."""
    pos = ctx.block_of[id(phrase.doc)] + phrase.start_char
    text = phrase.text.strip()
    low = text.lower()
    if low in PERSON_PRONOUNS:
        named = ctx.last_person_at(pos, low)
        # "A resident … said …" since the last person named: the pronoun means the resident.
        earlier = _last_reporter(ctx, pos, person=True, singular=True)
        if earlier is not None and (named is None or earlier[0] > named[0]):
            return resolve_actor(ctx, earlier[1])
        return ctx.out.add_entity(named[1]) if named is not None else None
    if low == "it":
        # "X said it had confirmed …": the subject of the clause above; "…, it added.": the
        # body named or heard from last before it.
        verb = phrase.root.head
        if verb.dep_ in ("ccomp", "xcomp", "conj") and verb.head is not verb:
            outer = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
            if outer is not None and outer.lower_ != "it":
                return resolve_actor(ctx, noun_phrase(outer))
        named = [(p, e) for p, e in ctx.orgs if p < pos]
        earlier = _last_reporter(ctx, pos, person=False)
        # "…, the agency said." after "The World Health Organization …": the name, not "agency".
        proper = earlier is not None and any(t.pos_ == "PROPN" for t in earlier[1])
        if earlier is not None and (not named or (proper and earlier[0] > named[-1][0])):
            return resolve_actor(ctx, earlier[1])
        return named[-1][1] if named else None
    if low in PLURAL_PRONOUNS or low in ("i", "this", "that", "there"):
        return None
    gaz = gazetteer()
    entry = gaz.lookup(text)
    if entry is not None:
        return ctx.out.add_entity(_speaking_for(entry, text) or from_gazetteer(entry, text))
    # A mention names the source only when it covers the phrase's head ("Ukrainian officials"
    # are not Ukraine; "the city's Mayor Oleksandr Markushin" is Markushin).
    offset = ctx.block_of[id(phrase.doc)]
    # "Gen. Valerii Zaluzhnyi", "Deputy Mayor Taras Koval": a titled name is a person, even
    # where the tagger missed it or called it an organisation.
    titled = fold(phrase[0].text) in PERSON_TITLES or fold(phrase[0].text) in TITLES
    name = _name_after_titles(phrase)
    if name is not None and titled:
        return ctx.out.add_entity(person_entity(name, PersonIndex()))
    heads = [phrase.root, *(c for c in phrase.root.children if c.dep_ == "appos" and c in phrase)]
    found = next(
        (e for t in heads if (e := _entity_covering(ctx, offset + t.idx)) is not None), None
    )
    if found is not None:
        place = gaz.lookup(found.label) if found.type == "Place" else None
        country = _speaking_for(place, text) if place is not None else None
        return ctx.out.add_entity(country) if country is not None else found

    if name is not None:
        return ctx.out.add_entity(person_entity(name, PersonIndex()))
    head = phrase.root
    has_proper = any(t.pos_ == "PROPN" for t in phrase)
    definite = phrase[0].lower_ in ("the", "this", "that")
    if definite and not has_proper and not any(t.dep_ == "poss" for t in phrase):
        role = fold(head.text)
        doc = phrase.doc
        if role in PERSON_ROLES and phrase.end + 1 < len(doc) and doc[phrase.end].text == ",":
            # "the regional governor, Dmytro Lunin, …": the name in commas is the person.
            named = _entity_covering(ctx, offset + doc[phrase.end + 1].idx)
            if named is not None and named.type == "Person":
                return named
        if role in PERSON_ROLES:
            candidates = [e for p, e in ctx.roles.get(role, []) if p < pos]
            found = candidates[-1] if candidates else ctx.last_person(pos)
            if found is not None:
                return found  # else "the doctor", never named: an unnamed source below
        if role in ORG_ROLES:
            # "the ministry" is the last ministry named; "the energy ministry" only one whose
            # name has "energy" in it.
            modifiers = {
                fold(t.text) for t in phrase if t.dep_ in ("amod", "compound") and t.i < head.i
            }
            for p, e in reversed(ctx.orgs):
                label = fold(e.label)
                if p < pos and role in label and all(m in label for m in modifiers):
                    return e
    return ctx.out.add_entity(unnamed_source(ctx.doc.id, text))


def _last_reporter(
    ctx: _Context, pos: int, person: bool, singular: bool = False
) -> tuple[int, Span] | None:
    """The last subject before `pos` of a reporting verb that is a noun phrase: a body ("The
    White Helmets civil defence group said …") or, with `person`, someone unnamed ("A resident
    … said"); with `singular`, one that "he" or "she" can stand for ("officials" cannot)."""
    if ctx.reporters is None:  # found once per document, in document order
        ctx.reporters = []
        for block, sdoc in ctx.parsed:
            for tok in sdoc:
                if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in REPORTING_VERBS:
                    continue
                subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
                if subject is None or subject.pos_ != "NOUN" or subject.ent_type_:
                    continue  # pronouns, and names (those are mentions already)
                is_person = subject.lemma_.lower() in PEOPLE_NOUNS | PERSON_ROLES
                ctx.reporters.append((block.start + tok.idx, block.start + subject.idx,
                                      noun_phrase(subject), is_person))  # fmt: skip
    found = [
        (at, phrase)
        for verb, at, phrase, who in ctx.reporters
        if verb < pos and who == person and not (singular and phrase.root.tag_ in _PLURAL_TAGS)
    ]
    return found[-1] if found else None


_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


def _name_after_titles(phrase: Span) -> str | None:
    """'Deputy Mayor Taras Koval' → 'Taras Koval' when the tagger missed the name."""
    words = [t for t in phrase if t.pos_ != "DET"]
    while words and fold(words[0].text) in TITLES:
        words.pop(0)
    if words and words[0].lower_ == "of":  # "Mayor of Odesa Ivan Marchenko"
        for cut in (3, 2):
            if len(words) > cut and _is_place(" ".join(t.text for t in words[1:cut])):
                words = words[cut:]
                break
    if not 2 <= len(words) <= 3:
        return None
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.text.isalpha() for t in words):
        return None
    name = " ".join(t.text for t in words)
    return None if gazetteer().lookup(name) else name


def _entity_covering(ctx: _Context, pos: int) -> Entity | None:
    for (start, end), entity in ctx.by_span.items():
        if start <= pos < end:
            return entity
    return None


def _sentence(block: Block, sent: Span) -> Sentence:
    return Sentence(block.start + sent.start_char, block.start + sent.end_char, sent.text)


def _quotes(ctx: _Context) -> None:
    previous: Quote | None = None
    left_open: tuple[int, Quote] | None = None  # the last quotation its paragraph left open
    for q in ctx.quotes:
        at = ctx.block_at(q.start)
        if at is None:
            continue
        block, sdoc = ctx.parsed[at]
        rel = q.start - block.start
        sent = next((s for s in sdoc.sents if s.start_char <= rel < s.end_char), None)
        if sent is None:
            continue
        quote = Quote(q.start, q.end, ctx.doc.text[q.start : q.end], _sentence(block, sent))
        if q.continues and previous is not None:
            _same_speaker(quote, previous)
        else:
            cue = _speech_cue(ctx, q, at)
            if cue is not None and cue.subject is not None:
                quote.speaker_text = cue.subject.text
                quote.speaker = resolve_actor(ctx, cue.subject)
                quote.cue = cue.text
            elif left_open is not None and _resumes(ctx, q, at, *left_open):
                _same_speaker(quote, left_open[1])
        ctx.out.quotes.append(quote)
        previous = quote
        left_open = None if q.closed else (at, quote)


def _same_speaker(quote: Quote, before: Quote) -> None:
    quote.speaker, quote.speaker_text, quote.cue = before.speaker, before.speaker_text, before.cue


# How many paragraphs a page may put inside a quotation: a photo's caption, an appeal, a box of
# links, a paragraph of narration.
_RESUME_WITHIN = 5


def _resumes(ctx: _Context, q: QuoteSpan, at: int, opened_at: int, opened: Quote) -> bool:
    """A quotation left open at the end of its paragraph (the mark for "the speaker goes on"),
    then paragraphs a page inserted, then a quotation standing alone: the speaker goes on,
    unless someone else is named, quoted or reported speaking in between."""
    block = ctx.parsed[at][0]
    if (
        opened.speaker is None
        or not 1 < at - opened_at <= _RESUME_WITHIN + 1
        or not _stands_alone(ctx, q, block)
    ):
        return False
    for between, sdoc in ctx.parsed[opened_at + 1 : at]:
        if ctx.quotes_in(between):
            return False
        if any(c.subject is not None for c in _speech_cues(ctx, between, sdoc)):
            return False
        for ent in ctx.ents(sdoc):
            named = _entity_covering(ctx, between.start + ent.start_char)
            if named is not None and named.type == "Person" and named.key != opened.speaker.key:
                return False
    return True


def _stands_alone(ctx: _Context, q: QuoteSpan, block: Block) -> bool:
    """Whether the quotation opens its paragraph (nothing but quotation marks before it)."""
    return not ctx.doc.text[block.start : q.start].strip(" \"“‘'")


def _speech_cues(ctx: _Context, block: Block, sdoc: Doc) -> list[Cue]:
    """The block's speech verbs outside quotations, found once for all the rules that ask."""
    found = ctx.speech.get(id(sdoc))
    if found is None:

        def inside(tok: Token) -> bool:
            return ctx.in_quote(block.start + tok.idx) is not None

        found = [c for s in sdoc.sents for c in find_cues(s, SPEECH_VERBS, inside)]
        ctx.speech[id(sdoc)] = found
    return found


def _speech_cue(ctx: _Context, q: QuoteSpan, at: int) -> Cue | None:
    """The speech verb nearest the quote, outside any quotation, in its block (`ctx.parsed[at]`)
    or the one before."""
    block, sdoc = ctx.parsed[at]
    found = _speech_cues(ctx, block, sdoc)
    cues = [c for c in found if c.subject is not None and c.text != "according to"]
    if not cues:
        # 'According to Kaja Kallas, "Russia will not stop …"': only before the quotation.
        cues = [
            c
            for c in found
            if c.text == "according to"
            and c.subject is not None
            and block.start + c.token.idx < q.start
        ]
    if cues:

        def distance(c: Cue) -> int:
            pos = block.start + c.token.idx
            return q.start - pos if pos < q.start else pos - q.end + 1

        best = min(cues, key=distance)
        return reporting_above(best, cues) or best
    if (headline := _headline_speaker(ctx, q, block, sdoc)) is not None:
        return headline
    # "He said:" as a paragraph of its own, the quotation in the next.
    if at > 0 and _stands_alone(ctx, q, block):
        prev_block, prev_doc = ctx.parsed[at - 1]
        if ctx.doc.text[prev_block.start : prev_block.end].rstrip().endswith(":"):
            sents = list(prev_doc.sents)
            found = [c for c in find_cues(sents[-1], SPEECH_VERBS) if c.subject is not None]
            return found[-1] if found else None
        return _introduced(ctx, prev_block, prev_doc)
    return None


def _introduced(ctx: _Context, block: Block, sdoc: Doc) -> Cue | None:
    """A paragraph that introduces someone ("Olena Petrenko, 58, was asleep when …") and then a
    quotation standing alone in the next one: the quotation is the person's. Only when the
    introducing paragraph quotes no one, and its last sentence has the person as its subject."""
    if ctx.quotes_in(block):
        return None
    last = list(sdoc.sents)[-1]
    subject = next((c for c in last.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    for ent in ctx.ents(sdoc):
        if ent.label_ == "PERSON" and ent.start <= subject.i < ent.end:
            entity = _entity_covering(ctx, block.start + subject.idx)
            if entity is not None and entity.type == "Person":
                return Cue(last.root, "introduced before", ent)
    return None


_AFTER_QUOTE = re.compile(r"^[’'\"”]?\s*:\s*")
_BYLINE_END = re.compile(r"\s[-–—]\s*([^-–—]+?)\s*$")


def _headline_speaker(ctx: _Context, q: QuoteSpan, block: Block, sdoc: Doc) -> Cue | None:
    """Headline forms: "'Quote': Name on …" and "… 'quote' … - Name"."""
    people = [e for e in ctx.ents(sdoc) if e.label_ == "PERSON"]
    after = ctx.doc.text[q.end : block.end]
    m = _AFTER_QUOTE.match(after)
    if m:
        at = q.end + m.end() - block.start
        for ent in people:
            if ent.start_char == at:
                return Cue(ent.root, "headline", ent)
    before = ctx.doc.text[block.start : q.start - 1]
    if before.rstrip().endswith(":"):
        # 'Zelensky: "We will win"': a name and a colon before the quotation.
        name_end = len(before.rstrip()) - 1  # the colon's offset in the block
        for ent in people:
            if ent.end_char == name_end and not before[: ent.start_char].strip():
                return Cue(ent.root, "headline", ent)
    m = _BYLINE_END.search(ctx.doc.text[block.start : block.end])
    if m and m.start(1) >= q.end - block.start:
        for ent in people:
            if ent.start_char == m.start(1) and ent.end_char == m.end(1):
                return Cue(ent.root, "headline", ent)
        words = m.group(1).split()
        if 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words):
            span = sdoc.char_span(m.start(1), m.end(1))
            if span is not None:
                return Cue(span.root, "headline", span)
    return None


_SPEAKER_LABEL = re.compile(r"([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*:\s+\S")


def _speaker_label(ctx: _Context, text: str) -> tuple[str, Entity] | None:
    """'Balde: More than one million people have crossed …': an interview's answer, said by the
    person the paragraph's label names (someone the article has named; "Q:" or "Kharkiv:" is
    no one)."""
    m = _SPEAKER_LABEL.match(text)
    if m is None:
        return None
    name = fold(m.group(1))
    for e in ctx.out.entities.values():
        if e.type == "Person" and (name == fold(e.label) or name in {fold(a) for a in e.aliases}):
            return m.group(1), e
    return None


def _figures(ctx: _Context) -> None:
    previous_sentence: Span | None = None
    previous_figures: list[Figure] = []
    previous: str | None = None
    for block, sdoc in ctx.parsed:
        if not counts_on(sdoc.text):
            previous = None
        label = _speaker_label(ctx, sdoc.text)
        for sent in sdoc.sents:
            candidates = figures_in_sentence(sent, previous)
            if not candidates:
                previous_sentence, previous_figures = sent, []
                continue
            previous = candidates[-1].category
            cues = find_cues(sent)
            sentence = _sentence(block, sent)
            as_of = _as_of(sent, ctx.doc.date)
            made: list[Figure] = []
            for cand in candidates:
                n = cand.number
                start = sentence.start + n.hedge_start
                end = sentence.start + n.end
                fig = Figure(
                    start=start,
                    end=end,
                    text=ctx.doc.text[start:end],
                    value=n.value,
                    qualifier=n.qualifier,
                    category=cand.category,
                    measure=cand.measure,
                    sentence=sentence,
                )
                _attribute(ctx, fig, cand.token, cues, block)
                if fig.source is None and fig.cue is None:
                    _attribute_from_context(ctx, fig, sent, previous_sentence, previous_figures)
                if fig.source is None and fig.cue is None and label is not None:
                    fig.source_text, fig.source = label
                    fig.cue = ":"
                fig.as_of = as_of
                made.append(fig)
            ctx.out.figures.extend(made)
            previous_sentence, previous_figures = sent, made
    _hedge_certainty(ctx)


def _as_of(sent: Span, published: date | None) -> date | None:
    """The date a figure is given for: a date the sentence names, else the publication date."""
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if (
            before in ("since", "from", "after", "before", "until", "till")
            or ent[0].lower_ == "since"
        ):
            continue  # the start or end of a period, not the date the figure is for
        if when := resolve_date(ent.text, published):
            return when
    return published


def _hedge_certainty(ctx: _Context) -> None:
    sentences = sorted(
        {(b.start + s.start_char, b.start + s.end_char) for b, d in ctx.parsed for s in d.sents}
    )
    starts = [s for s, _ in sentences]
    for fig in ctx.out.figures:
        i = bisect.bisect_right(starts, fig.sentence.start)
        following = ctx.doc.text[sentences[i][0] : sentences[i][1]] if i < len(sentences) else ""
        fig.certainty = certainty(fig.sentence.text, following, fig.cue)


def _attribute_from_context(
    ctx: _Context, fig: Figure, sent: Span, before: Span | None, before_figures: list[Figure]
) -> None:
    """Sources a sentence leaves implicit, found in the sentence before it.

    A verbless fragment continues the list before it ("… 500 tanks. 2,000 armoured vehicles and
    1,000 drones."); "It includes/lists/shows …" refers to a list or report named just before,
    whose author is the source ("X's office delivered a list of weapons. It includes …").
    """
    if before is None:
        return
    if not any(t.pos_ in ("VERB", "AUX") for t in sent) and before_figures:
        last = before_figures[-1]
        fig.source, fig.source_text, fig.cue = last.source, last.source_text, last.cue
        return
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ not in ("it", "this", "they"):
        return
    if root.lemma_ not in ("include", "list", "show", "contain", "comprise", "say", "put", "give"):
        return
    for noun in before:
        if noun.lemma_.lower() not in INFO_NOUNS or noun.pos_ != "NOUN":
            continue
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if owner is None and verb is not None:
            owner = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if owner is None:
            continue
        phrase = noun_phrase(owner)
        source = resolve_actor(ctx, phrase)
        if source is not None:
            fig.source, fig.source_text = source, phrase.text
            fig.cue = f"{verb.text} {noun.text}" if verb is not None else noun.text
            return


def _attribute(ctx: _Context, fig: Figure, tok: Token, cues: list[Cue], block: Block) -> None:
    quoted = ctx.in_quote(fig.start)
    if quoted is not None:
        quote = next((q for q in ctx.out.quotes if q.start == quoted.start), None)
        if quote is not None and quote.speaker is not None:
            fig.source, fig.source_text, fig.cue = quote.speaker, quote.speaker_text, quote.cue
        return
    cue = cue_for(tok, [c for c in cues if not ctx.in_quote(block.start + c.token.idx)])
    if cue is None:
        return
    if cue.token.text == ":":  # "General Staff: …" names a source; "Kharkiv: …" a place
        source = resolve_actor(ctx, cue.subject) if cue.subject is not None else None
        if source is None or source.type == "Place":
            return
    fig.cue = cue.text
    if cue.subject is not None and not cue.impersonal:
        fig.source_text = cue.subject.text
        fig.source = resolve_actor(ctx, cue.subject)


def _events(ctx: _Context) -> None:
    """Events from trigger words, with actor, target, place and date from the same sentence."""
    places = [m for m in ctx.out.mentions if ctx.out.entities[m.entity].type == "Place"]
    for block, sdoc in ctx.parsed:
        for sent in sdoc.sents:
            found = triggers(sent)
            if not found:
                continue
            sentence = _sentence(block, sent)
            when = _as_of(sent, ctx.doc.date)
            for trig in found:
                tok = trig.token
                start = block.start + tok.idx
                event = Event(start, start + len(tok), tok.text, trig.type, sentence, date=when)
                actor, target = _event_roles(tok)
                if actor is not None:
                    event.actor_text = actor.text
                    who = resolve_actor(ctx, actor)
                    # Only named actors become nodes; "her unit" stays text.
                    event.actor = who if who is not None and who.type != "Source" else None
                if target is not None:
                    event.target_text = target.text
                    event.target = _entity_covering(ctx, block.start + target.root.idx)
                in_sentence = [m for m in places if sentence.start <= m.start < sentence.end]
                others = [m for m in in_sentence if ctx.out.entities[m.entity] is not event.actor]
                if others:
                    after = [m for m in others if m.start >= start]
                    event.place = ctx.out.entities[(after or others)[0].entity]
                ctx.out.events.append(event)


def _event_roles(tok: Token) -> tuple[Span | None, Span | None]:
    """(who acted, what was hit) for a trigger: subject and object of a verb; for a noun, a
    demonym or possessive before it ("Russian strikes", "Moscow's assault") and its 'on' object."""
    if tok.pos_ == "VERB":
        subject, passive = subject_of(tok)
        target = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if passive:
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            return (noun_phrase(by) if by else None), subject
        return subject, noun_phrase(target) if target is not None else None
    actor = next(
        (c for c in tok.children if c.dep_ in ("poss", "amod", "compound") and
         (c.ent_type_ in ("NORP", "GPE", "ORG") or fold(c.text) in gazetteer().demonyms)),
        None,
    )  # fmt: skip
    on = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("on", "against")), None)
    target = next((c for c in on.children if c.dep_ == "pobj"), None) if on else None
    return (noun_phrase(actor) if actor is not None else None), (
        noun_phrase(target) if target is not None else None
    )


def extract_parsed(doc: Document, parsed: list[tuple[Block, Doc]]) -> Extraction:
    """Run every rule over one parsed document."""
    ctx = _Context(doc, Extraction(doc), parsed)
    ctx.block_of = {id(sdoc): block.start for block, sdoc in parsed}
    ctx.block_starts = [block.start for block, _ in parsed]
    ctx.quotes = find_quotes(doc.text, [(b.start, b.end) for b, _ in parsed])
    ctx.quote_starts = [q.start for q in ctx.quotes]
    _collect_entities(ctx)
    _quotes(ctx)
    _figures(ctx)
    _events(ctx)
    return ctx.out


def too_long(doc_blocks: list[Block], limit: int) -> str | None:
    """Why a document cannot be parsed, if it cannot: a paragraph over the pipeline's max_length.

    spaCy refuses such a text (E088), which stopped the whole stream and every document after it;
    parsing it anyway would take about 3 GiB of memory per million characters (measured), so the
    document is refused alone, before it is parsed. No real article has such a paragraph."""
    for block in doc_blocks:
        if block.end - block.start > limit:
            return (
                f"not built: a paragraph of {block.end - block.start:,} characters (at character "
                f"{block.start:,}) is longer than the {limit:,} the spaCy pipeline parses at once"
            )
    return None


def extract(
    docs: Iterable[Document],
    nlp: Language,
    batch_size: int = 32,
    n_process: int = 1,
    on_refused: Callable[[Document, str], None] | None = None,
) -> Iterator[Extraction]:
    """Parse the blocks of all documents in one `nlp.pipe` stream, then apply the rules per document.

    Only block texts cross to spaCy's worker processes (n_process > 1); the documents wait here,
    in order, since `nlp.pipe` answers in the order it was fed. A document that cannot be parsed
    (`too_long`) is left out and given to `on_refused` with the reason, and the stream goes on;
    with no `on_refused` it raises ValueError."""
    waiting: deque[tuple[Document, list[Block]]] = deque()

    def texts() -> Iterator[str]:
        for doc in docs:
            doc_blocks = blocks(doc)
            reason = too_long(doc_blocks, nlp.max_length)
            if reason is not None:
                if on_refused is None:
                    raise ValueError(f"{doc.id}: {reason}")
                on_refused(doc, reason)
                continue
            waiting.append((doc, doc_blocks))
            if not doc_blocks:
                yield ""  # keeps the document's place in the stream
            for block in doc_blocks:
                yield doc.text[block.start : block.end]

    parsed: list[tuple[Block, Doc]] = []
    for sdoc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        doc, doc_blocks = waiting[0]
        if doc_blocks:
            parsed.append((doc_blocks[len(parsed)], sdoc))
        if len(parsed) == len(doc_blocks):
            waiting.popleft()
            yield extract_parsed(doc, parsed)
            parsed = []
