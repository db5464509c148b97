"""Stage 7, occurrences: what an article reports happened (type, place, site, date), and which of
its sentences are about that, about another attack it names in passing ("last year, a strike on
the station killed 63"), or about a war's running total ("since the invasion, 10,000 …").

The article's own occurrence is read from its lead: the headline and first paragraphs name the
attack, the town, the site and the day. kg.incidents links occurrences across documents.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Span, Token

from kg.dates import resolve
from kg.entities import fold, gazetteer
from kg.extract.article import Article
from kg.extract.events import TOP, triggers, type_of
from kg.extract.mentions import Mentions
from kg.lexicon import (
    ATTACK_NOUNS,
    MONTHS,
    REPORTING_VERBS,
    RUNNING_TOTAL_CUES,
    SITE_NOUNS,
    WAR_NOUNS,
)
from kg.model import Figure, Occurrence
from kg.places import is_well_known_place, lookup

LEAD_BLOCKS = 3  # the headline and the first two paragraphs say what an article is about
TOPIC_BLOCKS = 6  # an article whose first paragraphs name no attack is about none
UNDATED_DAYS = 2  # a report that gives no date is about the days just before it
NEAR_DAYS = 3  # a sentence dated this close to the article's occurrence is about it
OUT_OF_SCALE = 100  # a figure this many times the lead's largest is of something wider
INCIDENT_TOPS = ("attack", "capture")  # what makes an incident: an attack, a place taken
# Capitalised words before a site noun that are no name of it ("Internally Displaced Persons
# camp", "Central Railway Station").
_GENERIC = frozenset(
    "central children city displaced idp internally main national people persons railway "
    "regional state international public local".split()
)
_PERIOD_STARTS = ("since", "from", "after", "before", "until", "till", "by")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b")
# Words that make a name a region's ("Sagaing region", "North Darfur", "Plateau State"): a
# region shared says less than a town or a village shared.
ADMIN_WORDS = frozenset(
    "region regions state province provinces oblast governorate prefecture department "
    "territory".split()
)
SETTLEMENTS = frozenset("village town city camp".split())
# Words of a smaller unit, named like a village ("Kanbalu township", "X local government area").
LOCAL_WORDS = frozenset("district county township municipality raion area".split())
COMPASS_WORDS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest".split()
)
REGION_MARK = "region:"  # before a region's name among a sentence's places
_BEFORE_WORDS = frozenset("after since following".split())
_SPANS_OF_TIME = frozenset("hour day week month year".split())
_WIDE = frozenset("total across nationwide throughout country cities".split())
_WAR_RUNNING = ("since the start", "since the beginning", "since the outbreak", "since the war")


@dataclass(frozen=True)
class _Said:
    """What one sentence says of an attack."""

    type: str | None
    places: tuple[tuple[str, object], ...]  # (folded name, GeoPlace or None), in order
    sites: tuple[str, ...]
    kinds: tuple[str, ...]
    when: tuple[date, date] | None  # the attack's date as the sentence gives it
    anchored: frozenset[str] = frozenset()  # towns and sites in the attack's own phrase
    dated: tuple[date, date] | None = None  # any date it gives, of saying too
    earlier: bool = False  # its attack is one before ("after the strike on …", "followed a …")


def find_occurrences(
    article: Article, mentions: Mentions, figures: list[Figure]
) -> tuple[list[Occurrence], dict[int, int]]:
    """The article's occurrences (its own first) and, per sentence start, the one its facts are
    about; sentences about a running total, or about another time with no attack, are left
    out."""
    published = article.doc.date
    sentences: list[tuple[Span, int, bool]] = []  # (sentence, its start, in the lead)
    for n, (block, sdoc) in enumerate(article.parsed):
        for sent in sdoc.sents:
            sentences.append((sent, block.start + sent.start_char, n < LEAD_BLOCKS))
    said = {start: _said(sent, start, article, mentions, published) for sent, start, _ in sentences}
    # What names an earlier attack says nothing of this one's type, site or day.
    lead = [said[start] for _, start, in_lead in sentences if in_lead and not said[start].earlier]
    topic = [said[start] for sent, start, _ in sentences if article.block_at(start) < TOPIC_BLOCKS]
    main = _main(lead, topic, sentences, published)
    if main is None:
        return [], {}
    found, about = [main], {}
    outsized = _outsized(figures, {start for _, start, in_lead in sentences if in_lead})
    for sent, start, _in_lead in sentences:
        own = said[start]
        if _running_total(sent, published, main) or start in outsized or _wider(sent, own, main):
            continue
        if start != sentences[0][1] and _another_time(own, main):
            continue  # "at the end of last year, 7 million had been displaced"
        if start != sentences[0][1] and _elsewhere(own, main):
            end = start + len(sent.text)
            found.append(_occurrence(start, end, False, [own], own.when, True))
            about[start] = len(found) - 1
        else:
            about[start] = 0
    return found, about


def _outsized(figures: list[Figure], lead: set[int]) -> set[int]:
    """Sentences whose figures are all out of scale with the lead's figures of their category
    (a war's toll beside a strike's): the start of each."""
    top: dict[str, float] = {}
    for f in figures:
        if f.sentence.start in lead:
            top[f.category] = max(top.get(f.category, 0), f.value)
    verdicts: dict[int, list[bool]] = {}
    for f in figures:
        if top.get(f.category):
            verdicts.setdefault(f.sentence.start, []).append(
                f.value > OUT_OF_SCALE * top[f.category]
            )
    return {start for start, said in verdicts.items() if all(said)}


def _wider(sent: Span, said: _Said, main: Occurrence) -> bool:
    """A total over many attacks, not at the article's site: "in total, 31 were killed in the
    city in the strikes", "attacks across the country", where the article's attack hit a site."""
    if not main.site_kinds or said.kinds:
        return False
    many = any(t.tag_ == "NNS" and t.lemma_.lower() in ATTACK_NOUNS for t in sent)
    return many and any(t.lower_ in _WIDE for t in sent)


def _another_time(said: _Said, main: Occurrence) -> bool:
    """A sentence dated days away from the article's attack that tells of no attack."""
    if said.dated is None or (said.type and TOP[said.type] in INCIDENT_TOPS):
        return False
    gap = _gap(said.dated, (main.earliest, main.latest))
    return gap is not None and gap > NEAR_DAYS


def _main(
    lead: list[_Said],
    topic: list[_Said],
    sentences: list[tuple[Span, int, bool]],
    published: date | None,
) -> Occurrence | None:
    if not any(s.type and TOP[s.type] in INCIDENT_TOPS for s in topic):
        return None
    if not any(s.type and TOP[s.type] in INCIDENT_TOPS for s in lead):
        lead = [*lead, next(s for s in topic if s.type and TOP[s.type] in INCIDENT_TOPS)]
    when = next(
        (s.when for s in lead if s.when is not None and s.type and TOP[s.type] in INCIDENT_TOPS),
        None,
    )
    dated = when is not None
    if when is None and published is not None:
        when = (published - timedelta(days=UNDATED_DAYS), published)
    first = sentences[0]
    return _occurrence(first[1], first[1] + len(first[0].text), True, lead, when, dated)


def _occurrence(
    start: int,
    end: int,
    main: bool,
    said: list[_Said],
    when: tuple[date, date] | None,
    dated: bool,
) -> Occurrence:
    types = [s.type for s in said if s.type is not None]
    attack = [t for t in types if TOP[t] in INCIDENT_TOPS] or types
    # The most specific type said, the commonest among equals ("rocket strike" and "attack").
    kind = min(attack, key=lambda t: (t == "attack", -attack.count(t)), default=None)
    named = _unique(name for s in said for name, _ in s.places)
    places = tuple(n for n in named if not n.startswith(REGION_MARK))
    regions = tuple(n.removeprefix(REGION_MARK) for n in named if n.startswith(REGION_MARK))
    geos = {name: geo for s in said for name, geo in s.places}
    towns = [geos[p] for p in places if geos[p] is not None and not geos[p].is_country]
    # Only a town fixes the country: "Congo" may be either of two countries, a town is not.
    country = towns[0].country if towns else None
    return Occurrence(
        start, end, main, kind, country, places, regions,
        sites=_unique(n for s in said for n in s.sites),
        site_kinds=_unique(k for s in said for k in s.kinds),
        earliest=when[0] if when else None, latest=when[1] if when else None, dated=dated,
    )  # fmt: skip


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _said(
    sent: Span, start: int, article: Article, mentions: Mentions, published: date | None
) -> _Said:
    found = triggers(sent)
    attack = next((t for t in found if t.top in INCIDENT_TOPS), found[0] if found else None)
    kind = attack.type if attack is not None else None
    places = _places(sent, start, article, mentions)
    place_words = {w for name, geo in places if geo is not None for w in name.split()}
    sites: list[str] = []
    kinds: list[str] = []
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in SITE_NOUNS and tok.pos_ == "PROPN":
            lemma = tok.lower_.removesuffix("s")  # a Title Case headline's "Camps"
        if lemma not in SITE_NOUNS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        kinds.append(lemma)
        for left in reversed(sent[max(0, tok.i - sent.start - 6) : tok.i - sent.start]):
            if left.is_punct or left.lower_ in ("'s", "’s", "ʼs", "of"):
                continue
            if left.pos_ != "PROPN" or not left.text[:1].isupper():
                if left.dep_ in ("compound", "amod", "poss", "nmod") and left.is_lower:
                    continue  # "X displacement camp", "X children's hospital"
                break
            name = fold(left.text)
            if (
                name not in _GENERIC
                and name not in place_words
                and left.ent_type_ != "NORP"
                and name not in gazetteer().demonyms
            ):
                sites.append(name)
    # What the attack's own phrase names: "a strike on the station in X", "Y bombed the camp".
    phrase = {fold(t.text) for t in attack.token.subtree} if attack is not None else set()
    named = [n for n, geo in places if geo is not None and not geo.is_country] + sites
    anchored = frozenset(n for n in named if set(n.split()) <= phrase)
    return _Said(
        kind, tuple(places), tuple(sites), tuple(kinds), _when(sent, published), anchored,
        _when(sent, published, saying=True), attack is not None and _before(attack.token),
    )  # fmt: skip


def _before(tok: Token) -> bool:
    """Whether an attack word names an attack before the one its sentence tells of: "two days
    after the strike on the station", "the attack came a day after X bombed …", "the attack
    followed a strike on …". Not the attack a consequence follows ("displaced after X seized
    the camp")."""
    head = tok.head
    followed = head.lemma_ == "follow" and tok.dep_ == "dobj"
    if followed or (tok.dep_ in ("pobj", "pcomp") and head.lower_ in _BEFORE_WORDS):
        word = head
    else:
        word = next(
            (c for c in tok.children if c.dep_ == "mark" and c.lower_ in _BEFORE_WORDS), None
        )
        if word is None:
            return False
    distance = {t.lemma_.lower() for t in tok.doc[max(0, word.i - 2) : word.i]}
    if distance & _SPANS_OF_TIME:
        return True  # "a day after", "two weeks after"
    below = {t.i for t in word.subtree} | {t.i for t in tok.subtree}
    return any(
        t.i not in below and (kind := type_of(t)) is not None and TOP[kind] in INCIDENT_TOPS
        for t in tok.sent
        if t.pos_ in ("NOUN", "VERB", "PROPN")
    )


def _places(
    sent: Span, start: int, article: Article, mentions: Mentions
) -> list[tuple[str, object]]:
    """Places a sentence names, as (name, GeoPlace or None): its place mentions, names the
    tagger calls places, and names GeoNames knows (the tagger often takes a town for a person or
    a body). Names are folded with an administrative word dropped ("Sagaing region" → "sagaing");
    a region's name is marked REGION_MARK. Datelines are left out."""
    end = start + len(sent.text)
    text = article.doc.text
    found: dict[str, object] = {}

    def add(name: str, geo: object, at: int, until: int) -> None:
        if _dateline(article, at, until):
            return
        words = fold(name).replace("-", " ").split()
        after = fold(text[until : until + 16]).split()[:1]
        region = geo is None and (
            (bool(words) and (words[-1] in ADMIN_WORDS or words[0] in COMPASS_WORDS))
            or (bool(after) and after[0] in ADMIN_WORDS)
        )
        while len(words) > 1 and words[-1] in ADMIN_WORDS | LOCAL_WORDS:
            words.pop()
        if words and words[0] == "the":
            words.pop(0)
        key = " ".join(words)
        if key and key not in gazetteer().demonyms:
            found.setdefault(REGION_MARK + key if region else key, geo)

    for m in mentions.mentions:
        entity = mentions.entities[m.entity]
        if start <= m.start < end and entity.type == "Place":
            add(entity.label, entity.geo or lookup(entity.label), m.start, m.end)
    runs: list[Span] = [e for e in sent.ents if e.label_ in ("GPE", "LOC", "FAC")]
    run: list[int] = []
    for tok in [*sent, None]:
        if tok is not None and tok.pos_ == "PROPN" and tok.text[:1].isupper():
            run.append(tok.i)
            continue
        if run:
            runs.append(sent.doc[run[0] : run[-1] + 1])
            runs.extend(sent.doc[i : i + 1] for i in run if len(run) > 1)
        run = []
    offset = start - sent.start_char
    for span in runs:
        tagged = span.label_ in ("GPE", "LOC", "FAC") or _called_a_place(span)
        geo = lookup(span.text) if tagged or is_well_known_place(span.text) else None
        if geo is not None or tagged:
            name = geo.name if geo is not None and not geo.is_country else span.text
            at = offset + span.start_char
            add(name, geo, at, at + len(span.text))
    return list(found.items())


def _called_a_place(span: Span) -> bool:
    """A name the words around it call a place: "Kanbalu township", "Plateau State", "the
    village of Pazigyi", "X local government area"."""
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
    return after in ADMIN_WORDS | LOCAL_WORDS | SETTLEMENTS or (
        before[-1:] == ["of"] and len(before) == 2 and before[0] in SETTLEMENTS
    )


def _dateline(article: Article, start: int, end: int) -> bool:
    """ "KYIV:", "GOMA, Congo (AP) —": where the report was filed, not where it happened."""
    block = article.block_at(start)
    if block is None or article.parsed[block][0].start != start:
        return False
    text = article.doc.text
    after = text[end : end + 12].lstrip()
    return text[start:end].isupper() or after[:1] in (":", "(", "—", "–") or after[:2] == "- "


def _when(sent: Span, published: date | None, saying: bool = False) -> tuple[date, date] | None:
    """The attack's date as a sentence gives it, as an interval as wide as the words are vague;
    a date of saying ("said on Monday"; unless `saying`) or the start of a period ("since May")
    is not one."""
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if before in _PERIOD_STARTS or ent[0].lower_ in _PERIOD_STARTS:
            continue
        if before == "of" and ent.start > 1 and ent.doc[ent.start - 2].lower_ == "as":
            continue  # "as of Monday": when a count was given, not when the attack was
        if any(
            a.lower_ == "since" or any(c.lower_ == "since" for c in a.children if c.dep_ == "mark")
            for a in ent.root.ancestors
        ):
            continue  # "since Russia launched its invasion in February 2022"
        head = ent.root.head
        if head.dep_ == "prep":
            head = head.head
        if not saying and head.lemma_.lower() in REPORTING_VERBS and head.pos_ == "VERB":
            continue
        found = date_interval(ent.text, published)
        if found is not None:
            return found
    return None


def date_interval(text: str, published: date | None) -> tuple[date, date] | None:
    """'last week' → that week; 'in April 2025' → April; 'last year' → that year; a day → itself;
    'overnight' → the night before."""
    words = fold(text)
    if published is not None:
        if "last year" in words:
            year = published.year - 1
            return date(year, 1, 1), date(year, 12, 31)
        if "last week" in words:
            return published - timedelta(days=13), published - timedelta(days=1)
        if "this week" in words:
            return published - timedelta(days=6), published
        if "last month" in words:
            last = published.replace(day=1) - timedelta(days=1)
            return last.replace(day=1), last
        if "overnight" in words or "last night" in words:
            return published - timedelta(days=1), published
    month = next((m for m in words.split() if m in MONTHS), None)
    year_match = _YEAR.search(words)
    if month is not None and not _DAY_NUMBER.search(_YEAR.sub("", words)):
        number = _month_number(month)
        if number is None:
            return None
        if year_match:
            year = int(year_match.group(0))
        elif published is not None:
            year = published.year - (number > published.month)
        else:
            return None
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    if month is None and year_match and not _DAY_NUMBER.search(_YEAR.sub("", words)):
        year = int(year_match.group(0))
        return date(year, 1, 1), date(year, 12, 31)
    day = resolve(text, published)
    if day is None and month is not None:  # "the morning of 8 July": the day within
        found = re.search(
            r"\d{1,2}(?:st|nd|rd|th)?\s+" + month + r"|" + month + r"\s+\d{1,2}", words
        )
        day = resolve(found.group(0), published) if found else None
    if day is None or (published is not None and day > published):
        return None
    return day, day


def _month_number(word: str) -> int | None:
    for n in range(1, 13):
        if calendar.month_name[n].lower().startswith(word[:3]):
            return n
    return None


def _gap(a: tuple[date, date], b: tuple[date | None, date | None]) -> int | None:
    if b[0] is None or b[1] is None:
        return None
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def _elsewhere(said: _Said, main: Occurrence) -> bool:
    """A sentence about another attack: dated days away from the article's, or an attack at
    places and sites of which none is the article's."""
    if said.type is None or TOP[said.type] not in INCIDENT_TOPS:
        return False
    if said.when is not None:
        gap = _gap(said.when, (main.earliest, main.latest))
        if gap is not None and gap > (NEAR_DAYS if main.dated else 0):
            return True
    known = {n for n in main.places if _town(n)} | set(main.sites)
    if said.earlier and said.kinds and not set(said.kinds) & set(main.site_kinds):
        return True  # "two days after the strike on the station" in a report of a drone attack
    return bool(said.anchored) and bool(known) and not said.anchored & known


def _town(name: str) -> bool:
    geo = lookup(name)
    return geo is not None and not geo.is_country


def _running_total(sent: Span, published: date | None, main: Occurrence) -> bool:
    """A war's running total: a war noun with "since", "so far", "overall"… ("the war has
    killed 10,000 so far"), or "since" a date long before the article's occurrence."""
    lower = sent.text.lower()
    if any(cue in lower for cue in _WAR_RUNNING):
        return True
    words = {t.lemma_.lower() for t in sent}
    phrases = {t.lower_ for t in sent} | {
        f"{a.lower_} {b.lower_}" for a, b in itertools.pairwise(sent)
    }
    if words & WAR_NOUNS - {"fighting", "offensive", "campaign"} and phrases & RUNNING_TOTAL_CUES:
        return True
    for ent in sent.ents:
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if ent.label_ == "DATE" and "since" in (before, ent[0].lower_) and main.earliest:
            since = date_interval(ent.text.removeprefix("since ").strip(), published)
            if since is not None and (main.earliest - since[1]).days > 30:
                return True
    return False
