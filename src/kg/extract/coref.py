"""Stage 2, coreference: the person or body a source phrase means.

"she" → the latest person her gender allows; "it" → the body named or heard from last; "the
governor" → the person the article titled so; "the ministry" → the last ministry named; "a
resident … said" and then "he said" → that resident. A phrase that names no one the article
introduced becomes an unnamed source ("officials", "a doctor").
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Span, Token

from kg.entities import (
    Entity,
    GazetteerEntry,
    PersonIndex,
    fold,
    from_gazetteer,
    gazetteer,
    person_entity,
    unnamed_source,
)
from kg.extract.article import Article
from kg.extract.frames import (
    according_to,
    author,
    faceless,
    first_child,
    noun_phrase,
    of_object,
    outlet,
)
from kg.extract.mentions import Mentions, Person
from kg.lexicon import (
    ATTACK_NOUNS,
    ORG_ROLES,
    PEOPLE_NOUNS,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PERSON_TITLES,
    PERSON_WORDS,
    PLURAL_PRONOUNS,
    REPORTING_VERBS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    TITLES,
    TROOP_NOUNS,
    WAR_NOUNS,
)
from kg.places import is_place

_PLURAL_TAGS = frozenset({"NNS", "NNPS"})
_DEFINITE = ("the", "this", "that")
_SALIENT_BLOCKS = 2  # how many paragraphs back a body heard from is still "it"
_FORCE_ROLES = frozenset({"army", "military"})  # role words for an armed force only
_PRONOUN_GENDER = {"she": "f", "her": "f", "he": "m", "him": "m"}


@dataclass(frozen=True)
class Reporter:
    """A noun-phrase subject of a reporting verb: "The volunteer rescue group said", "A resident
    told …", "a statement from the council said" (the council). Pronoun subjects are not kept:
    those are what is resolved."""

    verb: int
    at: int
    phrase: Span
    person: bool
    named: bool  # a name the tagger found ("The Health Ministry said")
    outlet: bool = False  # a news outlet ("news agency Dolgino reported")


class Resolver:
    """Resolves source phrases against one article's mentions. Holds nothing it changes;
    the reporters are found once, when first asked."""

    def __init__(self, article: Article, mentions: Mentions) -> None:
        self.article = article
        self.mentions = mentions
        self._people_at = [p.at for p in mentions.people]

    @cached_property
    def reporters(self) -> list[Reporter]:
        """Found on the first "it", "he" or role noun to resolve: many articles have none."""
        return _reporters(self.article)

    def refers_back(self, phrase: Span, resolved: Entity | None = None) -> bool:
        """Whether the phrase means someone named elsewhere: a pronoun, or a definite
        description without a name ("the ministry", "the governor") that `resolved` (what the
        phrase resolved to, if known) shows was linked to someone, not kept as it stands."""
        low = phrase.text.strip().lower()
        if low in PERSON_PRONOUNS or low in ("it", "they"):
            return True
        if resolved is not None and resolved.type == "Source":
            return False
        return (
            phrase[0].lower_ in _DEFINITE
            and not any(t.pos_ == "PROPN" for t in phrase)
            and fold(phrase.root.text) in PERSON_ROLES | ORG_ROLES
        )

    def resolve(self, phrase: Span) -> Entity | None:
        """The entity a source or speaker phrase names; None when it names nobody."""
        article, mentions = self.article, self.mentions
        pos = article.offset(phrase.doc) + phrase.start_char
        text = phrase.text.strip()
        low = text.lower()
        if low in PERSON_PRONOUNS:
            named = self.last_person(pos, low)
            # "A resident … said …" since the last person named: the pronoun means the resident.
            earlier = self._last_reporter(pos, person=True, singular=True, named=False)
            if earlier is not None and (named is None or earlier.at > named.at):
                return self.resolve(earlier.phrase)
            if named is None:
                # Translated news calls a body "he" or "she" (French "il", "elle"): with no
                # person before it, the pronoun means a body heard from lately, if described
                # as one ("the general staff announced … he said").
                speaking = self._last_reporter(pos - 1, person=False)
                if speaking is not None and fold(speaking.phrase.root.text) in _BODY_WORDS:
                    return self._body_lately(pos, speaking)
                return None
            return named.entity
        if low == "it":
            # "X said it had confirmed …": the subject of the clause above; "…, it added.": the
            # body named or heard from last before it.
            verb = phrase.root.head
            if verb.dep_ in ("ccomp", "xcomp", "conj") and verb.head.i != verb.i:
                outer = first_child(verb.head, "nsubj")
                if outer is not None and outer.lower_ != "it":
                    return self.resolve(noun_phrase(outer))
            # "…, it said.": the body heard from last, if lately, else the body named last.
            found = self._body_lately(pos)
            if found is not None:
                return found
            named = [(p, e) for p, e in mentions.bodies if p < pos]
            return named[-1][1] if named else None
        if low == "they":
            # "One of the survivors recounted …. '…,' they told reporters": the people the
            # sentence before was about.
            people = self._people_before(phrase)
            if people is not None:
                return unnamed_source(article.doc.id, people.text)
            # "…, according to the police. They said …": the body heard from lately; not
            # the outlet that carried its words.
            return self._body_lately(pos, plural=True)
        if low in PLURAL_PRONOUNS or low in ("i", "this", "that", "there"):
            return None
        if (
            phrase.root.lemma_.lower() in STATEMENT_NOUNS
            and phrase.root.tag_ != "NNS"  # "reports said": unnamed reports
            and not any(c.dep_ in ("poss", "prep") for c in phrase.root.children)
        ):
            # "'…,' a statement read.": a statement of the body heard from lately.
            speaking = self._last_reporter(pos, person=False)
            if speaking is not None and self._lately(speaking.at, pos):
                found = self.resolve(speaking.phrase)
                if found is not None:
                    return found
        gaz = gazetteer()
        entry = gaz.lookup(text)
        if entry is not None:
            return _speaking_for(entry, text) or from_gazetteer(entry, text)
        # A mention names the source only when it covers the phrase's head ("Ukrainian
        # officials" are not Ukraine; "the town's Mayor Tomas Brekel" is Brekel).
        offset = article.offset(phrase.doc)
        # "Gen. Mirko Dolgan", "Deputy Mayor Ilko Varnik": a titled name is a person, even
        # where the tagger missed it or called it an organisation.
        titled = fold(phrase[0].text) in PERSON_TITLES or fold(phrase[0].text) in TITLES
        name = _name_after_titles(phrase)
        if name is not None and titled:
            return person_entity(name, PersonIndex())
        root = phrase.root
        heads = [root, *(c for c in root.children if c.dep_ == "appos" and c in phrase)]
        found = next(
            (e for t in heads if (e := mentions.covering(offset + t.idx)) is not None), None
        )
        if found is not None:
            place = gaz.lookup(found.label) if found.type == "Place" else None
            country = _speaking_for(place, text) if place is not None else None
            return country if country is not None else found
        if name is not None:
            return person_entity(name, PersonIndex())
        has_proper = any(t.pos_ == "PROPN" for t in phrase)
        if not has_proper and root.lemma_.lower() in _VOICELESS:
            return None  # "an uprising, thought to have cost …", "the incident": no one speaks
        definite = phrase[0].lower_ in _DEFINITE
        if definite and not has_proper and not any(t.dep_ == "poss" for t in phrase):
            described = self._described(phrase, pos, offset)
            if described is not None:
                return described
        return unnamed_source(article.doc.id, text)

    def _body_lately(
        self, pos: int, speaking: Reporter | None = None, plural: bool = False
    ) -> Entity | None:
        """The body heard from last before `pos`, if lately: "A statement from the council said
        … where the militia holds the roads. Another 9 were hurt, it said." A body or a
        country, never a town. With `plural` (for "they"), also people heard from as a body
        ("officials", "police") but no news outlet."""
        if speaking is None:
            speaking = self._last_reporter(pos - 1, person=False, plural=plural)
        if speaking is None or not self._lately(speaking.at, pos):
            return None
        found = self.resolve(speaking.phrase)
        return found if found is not None and found.type != "Person" and not _town(found) else None

    def _people_before(self, phrase: Span, depth: int = 0) -> Span | None:
        """The people a "they" means: the subject of the sentence before it, when that is
        people written as a noun ("Residents …", "One of the survivors …"), or what its own
        "they" meant ("Another local said …. They also said …. …, they added.")."""
        sent = phrase.sent
        doc = phrase.doc
        if sent.start == 0:
            at = self.article.block_at(self.article.offset(doc))
            if not at:
                return None
            before = list(self.article.parsed[at - 1][1].sents)[-1]
        else:
            before = doc[sent.start - 1].sent
        subject = first_child(before.root, "nsubj")
        if subject is None:
            return None
        if subject.lower_ == "they" and depth < 3:
            return self._people_before(subject.doc[subject.i : subject.i + 1], depth + 1)
        if subject.lower_ == "one":  # "One of the survivors"
            noun = of_object(subject)
            if noun is not None and noun.pos_ == "NOUN":
                return subject.doc[subject.i : noun.i + 1]
            return None
        # "Another local said": an adjective for people the tagger leaves as one, as a subject.
        if subject.pos_ not in ("NOUN", "ADJ") or subject.ent_type_ != "":
            return None
        lemma = subject.lemma_.lower()
        if not (lemma in PERSON_WORDS or subject.lower_ in PEOPLE_NOUNS):
            return None
        indefinite = any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in subject.children
        )
        # "Residents …", and a singular "they": "A villager described the night. '…,' they said."
        return noun_phrase(subject) if subject.tag_ == "NNS" or indefinite else None

    def _described(self, phrase: Span, pos: int, offset: int) -> Entity | None:
        """'the governor' → the person titled so before; 'the ministry' → the last ministry
        named ('the energy ministry' only one whose name has 'energy' in it)."""
        head = phrase.root
        role = fold(head.text)
        doc = phrase.doc
        if role in PERSON_ROLES and phrase.end + 1 < len(doc) and doc[phrase.end].text == ",":
            # "the regional governor, Oleh Varnak, …": the name in commas is the person.
            named = self.mentions.covering(offset + doc[phrase.end + 1].idx)
            if named is not None and named.type == "Person":
                return named
        if role in PERSON_ROLES:
            candidates = [e for p, e in self.mentions.roles.get(role, []) if p < pos]
            if candidates:
                return candidates[-1]
            last = self.last_person(pos)
            if last is not None:
                return last.entity  # else "the doctor", never named: an unnamed source
        if role in ORG_ROLES:
            modifiers = {
                fold(t.text) for t in phrase if t.dep_ in ("amod", "compound") and t.i < head.i
            }
            for p, e in reversed(self.mentions.bodies):
                label = fold(e.label)
                if p < pos and role in label and all(m in label for m in modifiers):
                    return e
            # "The Dolgaria Relief Council has recorded …, the agency said": the body that
            # has lately been reporting, when no name has the role's word in it ("the energy
            # ministry" is none but one named so).
            named = self._last_reporter(pos, person=False, named=True)
            if not modifiers and named is not None and self._lately(named.at, pos):
                found = self.resolve(named.phrase)
                # "the army" is an armed force, never the militia or agency heard from last
                if found is not None and (role not in _FORCE_ROLES or found.type == "ArmedForce"):
                    return found
        return None

    def may_mean(self, key: str, pronoun: str) -> bool:
        """Whether 'he' or 'she' may stand for the person `key`: an unknown gender, or one only
        guessed from a name's ending, fits either."""
        known = self.mentions.gender.get(key, "")
        return not known or known.endswith("?") or known == _PRONOUN_GENDER.get(pronoun.lower())

    def last_person(self, pos: int, pronoun: str = "") -> Person | None:
        """The person a pronoun at `pos` refers to: the latest one its gender allows, one named
        in what someone else is reported to say only when there is no other."""
        i = bisect.bisect_left(self._people_at, pos)
        people = self.mentions.people
        # Latest sentence first; within a sentence its subject before its objects.
        order = sorted(
            range(i),
            key=lambda j: (people[j].passing, -people[j].sentence, not people[j].subject, -j),
        )
        candidates = [people[j] for j in order]
        gender = self.mentions.gender
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        if wanted == "f":
            # Women are marked in text more often than men: a marked woman nearby wins.
            exact = next(
                (c for c in candidates[:4] if gender.get(c.entity.key) in ("f", "f?")), None
            )
            if exact is not None:
                return exact
        if wanted:
            fits = [c for c in candidates if gender.get(c.entity.key) in (None, wanted)]
            # A name's ending is a guess: it decides only between people it leaves possible.
            candidates = fits or [c for c in candidates if gender.get(c.entity.key) == "f?"]
        return candidates[0] if candidates else None

    def _last_reporter(
        self,
        pos: int,
        person: bool,
        singular: bool = False,
        named: bool | None = None,
        plural: bool = False,
    ) -> Reporter | None:
        """The last noun subject of a reporting verb before `pos`: a body or, with `person`,
        someone unnamed; with `singular`, one that "he" or "she" can stand for; with `named`,
        only names or only descriptions; with `plural`, a body or people "they" can stand
        for, but no news outlet."""
        found = [
            r
            for r in self.reporters
            # both before it: "…, said a council statement" is not a statement heard before
            # itself (which would resolve it through itself for ever)
            if r.verb < pos
            and r.at < pos
            and (r.person == person or (plural and _they(r)))
            and not (plural and r.outlet)
            and (named is None or r.named == named)
            and not (singular and r.phrase.root.tag_ in _PLURAL_TAGS)
        ]
        return found[-1] if found else None

    def _lately(self, earlier: int, pos: int) -> bool:
        """Whether `earlier` is in the paragraph of `pos` or one of the two before it."""
        here, there = self.article.block_at(pos), self.article.block_at(earlier)
        return here is not None and there is not None and here - there <= _SALIENT_BLOCKS


def _reporters(article: Article) -> list[Reporter]:
    found = []
    for block, sdoc in article.parsed:
        # the article's names, which mend the tagger's ("Doctors without Borders")
        labels = {i: e.label_ for e in article.ents(sdoc) for i in range(e.start, e.end)}
        for tok in sdoc:
            if (source := according_to(tok)) is not None:
                # "…, according to the police. They said …": the police are heard from too;
                # "according to a survivor" is a hearsay aside, no one "he" later means.
                if faceless(source) or _indefinite(source):
                    continue
                subject = source
            elif tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            else:
                # "A gunfight broke out …, news agency PTI reported": of two subjects the
                # parser hangs on the verb, the nearer says it.
                subjects = [c for c in tok.children if c.dep_ == "nsubj"]
                subject = min(subjects, key=lambda c: abs(c.i - tok.i)) if subjects else None
            # "A hurt guard screamed for help …. '…,' he said.": other speech shows a person
            # speaking, but a body only by reporting.
            speech_only = tok.lemma_.lower() not in REPORTING_VERBS and source is None
            if subject is not None and subject.lower_ == "it" and not speech_only:
                # "…, it said." is the body an earlier "it said" or name meant: a chain.
                phrase = sdoc[subject.i : subject.i + 1]
                found.append(Reporter(block.start + tok.idx, block.start + subject.idx, phrase,
                                      False, False))  # fmt: skip
                continue
            if subject is not None and (people := _one_of(subject)) is not None:
                # "One of those witnesses added …. He said: …": one person, whom "he" may mean
                phrase = sdoc[subject.i : people.right_edge.i + 1]
                at = block.start + subject.idx
                found.append(Reporter(block.start + tok.idx, at, phrase, person=True, named=False))
                continue
            if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
                continue
            subject = author(subject)
            label = labels.get(subject.i, subject.ent_type_)
            named = bool(label)
            if named and label not in ("ORG", "NORP", "GPE"):
                continue  # people named are mentions: the pronoun rules find them
            # "an intelligence source told us …. He added …": a source is someone
            person = not named and subject.lemma_.lower() in _SOMEONE
            if speech_only and not person:
                continue
            phrase = noun_phrase(subject)
            found.append(
                Reporter(block.start + tok.idx, block.start + subject.idx, phrase, person, named,
                         outlet(phrase))
            )  # fmt: skip
    return found


_BODY_WORDS = ORG_ROLES | {"staff", "command", "headquarters"}  # a body a pronoun may be
_VOICELESS = WAR_NOUNS | ATTACK_NOUNS  # what happened, which says nothing
_SOMEONE = PERSON_WORDS | TROOP_NOUNS | {"source"}  # "one of the witnesses", "a soldier"


def _they(reporter: Reporter) -> bool:
    """People "they" can stand for: "officials", "police"."""
    root = reporter.phrase.root
    return root.tag_ in _PLURAL_TAGS or fold(root.text) in ORG_ROLES


def _indefinite(noun: Token) -> bool:
    """One person no one named: "a survivor", "one witness"."""
    return noun.tag_ not in _PLURAL_TAGS and any(
        c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "one", "another")
        for c in noun.children
    )


def _one_of(subject: Token) -> Token | None:
    """The people of "One of the sources", "one of the witnesses"; None for any other subject."""
    people = of_object(subject) if subject.lower_ == "one" else None
    if people is None or people.lemma_.lower() not in _SOMEONE:
        return None
    return people


def _speaking_for(entry: GazetteerEntry, text: str) -> Entity | None:
    """A capital or an institution cited as a source stands for its country ("Kyiv said")."""
    country = gazetteer().lookup(entry.speaks_for) if entry.speaks_for else None
    return from_gazetteer(country, text) if country is not None else None


def _name_after_titles(phrase: Span) -> str | None:
    """'Deputy Mayor Ilko Varnik' → 'Ilko Varnik' when the tagger missed the name."""
    words = [t for t in phrase if t.pos_ != "DET"]
    while words and fold(words[0].text) in TITLES:
        words.pop(0)
    if words and words[0].lower_ == "of":  # "Mayor of Lviv Stepan Horvik"
        for cut in (3, 2):
            if len(words) > cut and is_place(" ".join(t.text for t in words[1:cut])):
                words = words[cut:]
                break
    if not 2 <= len(words) <= 3:
        return None
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.text.isalpha() for t in words):
        return None
    name = " ".join(t.text for t in words)
    return None if gazetteer().lookup(name) else name


def _town(entity: Entity) -> bool:
    """A place that is not a country: it speaks only through its bodies."""
    return entity.type == "Place" and not (entity.geo is not None and entity.geo.is_country)
