"""Decide which numbers in a sentence are figure claims, and what they count.

A number is a figure only when the sentence says what it counts in terms of conflict outcomes
or forces (killed, injured, displaced, trapped, captured, troops, equipment, territory). Ages,
durations, distances, dates, addresses and a city's population are ruled out by their context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from kg.extract.frames import DASHES, first_child, of_object
from kg.extract.numbers import SIZE_WORDS, NumberSpan, find_numbers, parse_number
from kg.lexicon import (
    CLOSING_MARKS,
    COUNT_WORDS,
    EQUIPMENT_HEADS,
    EQUIPMENT_NOUNS,
    HELD_NOUNS,
    KIN_NOUNS,
    MONTHS,
    NEEDS,
    NOT_COUNT_UNITS,
    NOT_COUNTED_NOUNS,
    OUTCOME_LEMMAS,
    PEOPLE_NOUNS,
    PEOPLE_ONLY_OUTCOMES,
    RELEASE_WORDS,
    REPORTING_VERBS,
    SETTLEMENT_WORDS,
    STREET_WORDS,
    TERRITORY_VERBS,
    TERRITORY_WORDS,
    TROOP_NOUNS,
    WEEKDAYS,
)

CATEGORIES = (
    "killed", "injured", "displaced", "trapped", "captured", "troops", "equipment", "territory",
    "other",
)  # fmt: skip

_HEDGE_WORDS = r"(?:some |about |around |over |more than |nearly |almost |roughly |just )?"
_UNIT_AFTER = re.compile(
    r"^\s*-?\s*(?:and a half\s+)?("
    + "|".join(re.escape(u) for u in sorted(NOT_COUNT_UNITS, key=len, reverse=True))
    + r")(?!\w)",  # escaped: "a.m." must not match "army"
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(
    # "5 March", and the first day of "between 3 and 4 June", "3-5 May"
    r"^(?:\s*(?:and|to|or|-|–)\s*\d{1,2}(?:st|nd|rd|th)?)?\s+(?:" + "|".join(MONTHS) + r")\b",
    re.IGNORECASE,
)
# "on Monday (10)": the day of the month after its weekday
_DAY_IN_BRACKETS = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\s*\(\s*$", re.IGNORECASE)
_MONTH_BEFORE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\.?\s+$", re.IGNORECASE)  # "May 15"
# The last day of "on June 3 and 4", "May 3-5" (not "May 3, 12 people …", "on May 3 and
# five others …"): a later day, in digits.
_DAYS_BEFORE = re.compile(
    r"\b(?:" + "|".join(MONTHS) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:and|to|or|-|–)\s*$",
    re.IGNORECASE,
)
_STREET_AFTER = re.compile(
    r"^\s+(?:[A-Z][a-z]+\s+){0,2}(?:" + "|".join(STREET_WORDS) + r")\b", re.IGNORECASE
)
_AGE_BEFORE = re.compile(r"[A-Z][\w'’-]+,\s*$")  # "Ivan Petrenko, 45, said"
_AGE_AFTER = re.compile(r"^\s*(?:,|\)|$|;|—|–)")
# "from 9 to 13 years old", "between 6 and 12-year-olds": the first age of a range
_AGE_RANGE_AFTER = re.compile(
    r"^\s*(?:to|and|-|–)\s*\d{1,3}\s*-?\s*years?[\s-]*olds?\b", re.IGNORECASE
)
# "two girls aged four and nine", "aged about 70 and 40": ages, whatever follows.
_AGED_BEFORE = re.compile(
    r"\b(?:aged|ages?|age of|ages of|(?:as|so) (?:young|old) as)\s+"
    + _HEDGE_WORDS
    + r"(?:[\w.]+\s*(?:,|and|to|or|-)\s*)?$",
    re.IGNORECASE,
)
# Unit names with a number: "Battalion 26", "Brigades 8 and 9", "Route 7" (a name, not a count).
_UNIT_WORDS = ("battalion", "brigade", "division", "regiment", "squadron", "platoon", "corps")
# "the 12 Mountain Brigade", "the 4 Mechanised Division": a unit's name, capitalised, after
# "the" (not "Two Marine Corps pilots died")
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_UNIT_NAME_AFTER = re.compile(
    r"^\s+(?:[A-Z][\w-]*\s+){0,2}(?:" + "|".join(w.title() for w in _UNIT_WORDS) + r")\b"
)
_UNIT_BEFORE = re.compile(
    r"\b(?:" + "|".join(_UNIT_WORDS) + r"|sector|route|highway|"
    r"phase|article|resolution|gate|block|ward|bay)s?\s+(?:\d+\s*(?:,|and|&)\s*)*$",
    re.IGNORECASE,
)
_UPROOTED_AFTER = re.compile(
    r"^\s+(?:internally\s+)?(?:displaced|refugees?|evacuees|uprooted)\b", re.IGNORECASE
)
_POPULATION_BEFORE = re.compile(
    r"\b(?:(?:" + "|".join(SETTLEMENT_WORDS) + r")\s+of\s+" + _HEDGE_WORDS + r"|"
    r"(?:represents|representing|home to|population of|population is|population was|"
    r"serves|serving)\s+" + _HEDGE_WORDS + r")$",
    re.IGNORECASE,
)
_PART_OF_PREVIOUS = re.compile(
    # "including 20 children", and the next of a list: "including 12 women and three children"
    r"\b(?:including|comprising|among them|among whom|of whom|of which|of them|of those|of these|"
    r"among the (?:victims|dead|casualties)\s+(?:were|are|was|is))[,:]?\s+"
    r"(?:[\w,.]+\s+[\w-]+(?:\s+[\w-]+)?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)){0,5}$",
    re.I,
)
# A list after "including" ends where a clause goes on: "including 9 boys, have been killed and
# 140 more wounded" (the 140 is no part of the 9's list).
_CLAUSE_WORDS = re.compile(r"\b(?:have|has|had|been|were|was|are|is)\b", re.IGNORECASE)
_FAMILY_BEFORE = re.compile(  # "a father of four": his children, not a count of victims
    r"\b(?:mother|father|parent|grandmother|grandfather|mum|mom|dad)s?\s+of\s+$", re.IGNORECASE
)
_BACK_WORDS = ("them", "those", "these", "whom")  # the people a count before has counted
_BACK = "(?:" + "|".join(_BACK_WORDS) + ")"
_OF_THEM_FIRST = re.compile(
    r"\s*(?:(?:most|many|all|some|half|several|none)\s+)?(?:of|among)\s+" + _BACK + r"\b",
    re.IGNORECASE,
)
_OF_THEM_AFTER = re.compile(r"^\s+of\s+(?:them|whom|those)\b", re.IGNORECASE)
# "40 families came from Varno, another 30 from Brek and 14 from Dolgino": the next of a list
# that says only where each part came from, counting what the first counted.
_FROM_AFTER = re.compile(r"^\s+from\s+\S", re.IGNORECASE)
_LISTED_BEFORE = re.compile(r"(?:,|\band|\banother)\s*$", re.IGNORECASE)
# The people a toll counts, named by what befell them: "one of the dead", "among the victims".
_HURT_STATES = frozenset("dead killed wounded injured".split())  # "30 dead", "12 injured"
_VICTIM_WORDS = _HURT_STATES | {"victims", "casualties"}
# "… and 260 pensioners were among those evacuated"
_AMONG_AFTER = re.compile(r"^[^,;]*?\bamong\s+" + _BACK + r"\b", re.IGNORECASE)
# "one another", "in one instance", "seven, mostly from one family": which, not how many.
_ONE_OF_AFTER = re.compile(
    r"^\s+(?:of|another|side|way|day|point|time|thing|instance|case|incident|occasion|family|"
    r"household)\b",
    re.IGNORECASE,
)
# "one of its pilots", "one of the injured passengers"; not "one of the oldest residents".
_ONE_OF_COUNTED = re.compile(
    r"^\s+of\s+(?:the|its|their|his|her|our|these|those)\s+"
    r"(?!\w+est\b|most\b|first\b|last\b|only\b)(\w+)(?:\s+(\w+))?",
    re.IGNORECASE,
)
_LIVE = frozenset({"live", "reside", "inhabit"})
_CARE = frozenset({"hospital", "clinic", "infirmary"})
_REMAINS = frozenset({"body", "corpse", "remains"})
# Verbs of attacking: those who did it are a force ("attacked by some 40 gunmen on motorbikes").
_ATTACKS = frozenset({"ambush", "attack", "raid", "storm", "shoot", "strike", "target"})
_GUN_DOWN = frozenset({"gun", "mow", "cut"})  # "… down": killed, where "shot down" is hardware
_CARRIERS = frozenset({"vehicle", "car", "truck", "boat", "device"})
# Vehicles count as hardware only when something befell them (CONVENTIONS 2: "vehicles
# destroyed"); words that say so.
_HARDWARE_FATES = frozenset(
    "destroy damage seize capture confiscate lose down shoot intercept hit burn abandon torch "
    "disable blow strike target wreck detonate explode plant".split()
)
# Ratios: "two out of three villagers", "one in five", "six in every 10" (the part no more than
# the whole, the whole small and of people or nothing); "killed 46 in two attacks" and "43 out
# of 60 drones" are counts.
_RATIO_LINK = r"(?:in(?:\s+every)?|out\s+of)"
_RATIO_AFTER = re.compile(rf"^\s+{_RATIO_LINK}\s+([\w,.]+)(?:\s+(\w+))?", re.IGNORECASE)
_RATIO_BEFORE = re.compile(rf"\b([\w,.]+)\s+{_RATIO_LINK}\s+$", re.IGNORECASE)
_RATIO_MAX = 10
# what "killed 2 in 3 villages" is in: places, events and hardware, not people
_THINGS = NOT_COUNTED_NOUNS | SETTLEMENT_WORDS | EQUIPMENT_NOUNS
_NEGATED_ONE = re.compile(r"\b(?:no|any|every|some)\s*$", re.IGNORECASE)


@dataclass
class FigureCandidate:
    number: NumberSpan  # offsets relative to the sentence
    category: str
    measure: str
    token: Token


def is_excluded(sentence: str, n: NumberSpan) -> bool:
    """Context rules that make a number something other than a count."""
    before, after = sentence[: n.hedge_start], sentence[n.end :]
    written = sentence[n.start : n.end]
    # "May 15", not "the toll may pass 15": the month right before the number, not its hedge
    if (
        _UNIT_AFTER.match(after)
        or _MONTH_AFTER.match(after)
        or _MONTH_BEFORE.search(sentence[: n.start])
        or _last_day(sentence[: n.start], written, n.value)
        or (_DAY_IN_BRACKETS.search(before) and after.lstrip().startswith(")"))
    ):
        return True
    if re.fullmatch(r"\d{4}", written) and 1800 <= n.value <= 2100:
        return True  # a year
    if _ratio(n.value, before, after):
        return True  # "two out of three villagers", "one in five": a ratio, not a count
    if _UNIT_BEFORE.search(before) or (
        _THE_BEFORE.search(before) and _UNIT_NAME_AFTER.match(after)
    ):
        return True  # "Battalion 26", "Brigades 8 and 9", "the 12 Mountain Brigade"
    if _STREET_AFTER.match(after) or re.search(r"\b[A-Z]{2}\s+$", before):
        return True  # street number, US state + ZIP
    if _AGE_BEFORE.search(before) and _AGE_AFTER.match(after) and n.value < 120:
        return True
    if (_AGED_BEFORE.search(before) or _AGE_RANGE_AFTER.match(after)) and n.value < 120:
        return True
    if _age_limit(before, sentence[n.hedge_start : n.start], after) and n.value < 120:
        return True  # "children under five", "pupils over 12 in each class": ages
    if _POPULATION_BEFORE.search(before) and not _UPROOTED_AFTER.match(after):
        return True  # "a city of 430,000"; not "a site, home to 9,000 displaced people"
    if _FAMILY_BEFORE.search(before) and n.value < 30:
        return True
    if n.value != 1:
        return False
    if _NEGATED_ONE.search(before):
        return True
    # "one of the largest", "one another": not a count; "one of its pilots died" is one.
    if _OF_THEM_AFTER.match(after):
        return False  # "One of them worked as a cook": one of those just counted
    counted = _ONE_OF_COUNTED.match(after)
    nouns = PEOPLE_NOUNS | TROOP_NOUNS | EQUIPMENT_NOUNS | _VICTIM_WORDS
    if counted and any((w or "").lower() in KIN_NOUNS for w in counted.groups()):
        return True  # "the funeral of one of her daughters": someone, by kinship
    if counted and any((w or "").lower() in nouns for w in counted.groups()):
        return False
    return bool(_ONE_OF_AFTER.match(after))


_AGE_LIMITS = frozenset({"under", "over"})  # the hedges that may set an age limit


_AGED_PEOPLE = PEOPLE_NOUNS | TROOP_NOUNS | {"those", "anyone", "everyone"}
_COUNTED_AFTER = re.compile(
    r"^\s+(?:" + "|".join(sorted(PEOPLE_NOUNS | TROOP_NOUNS | EQUIPMENT_NOUNS)) + r")\b",
    re.IGNORECASE,
)


def _last_day(before: str, written: str, value: float) -> bool:
    """Whether the number is the last day of a span of dates written before it: a day soon
    after the first ("on June 3 and 4"; not "died on May 2 and 14 were wounded")."""
    m = _DAYS_BEFORE.search(before)
    return (
        m is not None
        and written.isdigit()
        and int(m.group(1)) < value <= min(int(m.group(1)) + 7, 31)
    )


def _age_limit(before: str, hedge: str, after: str) -> bool:
    """Whether a hedge of "under", "over" sets an age limit on the people just named, not a
    bound on a count: "900 children under five", "two pupils under 16 died"."""
    words = before.split()
    return (
        hedge.strip().lower() in _AGE_LIMITS
        and bool(words)
        and words[-1].lower() in _AGED_PEOPLE
        and not _COUNTED_AFTER.match(after)  # not "civilians over 200 soldiers"
    )


def _ratio(value: float, before: str, after: str) -> bool:
    """Whether the number is the part or the whole of a ratio with a small whole."""
    if (m := _RATIO_AFTER.match(after)) is not None:
        whole = parse_number(m.group(1))
        word = (m.group(2) or "").lower()
        if word == "of" and m.group(1).lower() == "one":
            return False  # "kills 12 in one of the year's deadliest raids"
        return whole is not None and value < whole <= _RATIO_MAX and not _thing(word)
    if (m := _RATIO_BEFORE.search(before)) is not None:
        part = parse_number(m.group(1))
        word = after.split()[0].strip(".,;").lower() if after.split() else ""
        return part is not None and part < value <= _RATIO_MAX and not _thing(word)
    return False


def _thing(word: str) -> bool:
    return bool({word, word.removesuffix("s")} & _THINGS)


def _counted_noun(tok: Token) -> Token | None:
    doc = tok.doc
    if (
        tok.i + 2 < len(doc)
        and doc[tok.i + 1].lower_ in _HURT_STATES
        and doc[tok.i + 1].pos_ in ("ADJ", "VERB")
        and (doc[tok.i + 2].is_punct or doc[tok.i + 2].dep_ == "cc")
    ):
        return None  # "has left over 900 dead, shut clinics …": people, unnamed
    while tok.dep_ == "quantmod" and tok.head.like_num and tok.head.i != tok.i:
        tok = tok.head  # "29 of 31 drones": 29 counts what 31 counts
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.like_num:
        # "the missile was one of 12 fired": 12 counts what the subject names
        verb = tok.head.head.head
        subject = first_child(verb, "nsubj", "nsubjpass")
        if subject is not None and subject.pos_ == "NOUN":
            return subject
    if tok.dep_ in ("nummod", "quantmod", "amod") and tok.head.pos_ in ("NOUN", "PROPN"):
        head = tok.head
        units = head.lemma_.lower() in ("unit", "piece", "item", "type")
        if units and (what := of_object(head)) is not None:
            return what  # "9 units of artillery": what the units are of
        while head.dep_ == "compound" and head.head.pos_ == "NOUN" and head.head.i > head.i:
            head = head.head  # "15 attack drones" hung on "attack": the drones
        return head
    if tok.dep_ in ("dobj", "attr") and tok.head.lemma_.lower() in ("number", "total"):
        # "the gunmen, believed to number about 60": the verb's subject is what is counted;
        # "gunmen numbering about 20": the noun the participle describes.
        verb = tok.head
        if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
            return verb.head
        while verb.dep_ == "xcomp" and not any(c.dep_ == "nsubj" for c in verb.children):
            verb = verb.head
        subject = first_child(verb, "nsubj")
        if subject is not None and subject.pos_ == "NOUN":
            return subject
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and nxt.head == tok:
        return nxt
    if tok.dep_ == "conj" and tok.head.like_num and tok.head.i < tok.i:
        return _counted_noun(tok.head)  # "between 400 and 600 troops": what 400 counts
    if tok.dep_ == "conj":  # "1,320 tanks destroyed and 310 abandoned": tanks
        head = tok.head.head if tok.head.dep_ == "acl" else tok.head
        if head.pos_ == "NOUN" and any(c.dep_ == "nummod" for c in head.children):
            return head
    return None


_GRAVE = frozenset({"serious", "critical", "grave", "stable", "severe"})
_COMBAT = frozenset({"combat", "battle", "action"})  # where soldiers fall
_SELVES = frozenset({"themselves", "himself", "herself"})
_DIRECTIONS = frozenset("to into out across away from back off through toward towards".split())
_PLACE_DEPS = frozenset({"prep", "prt", "advmod"})


def _families_arrived(noun: Token) -> bool:
    """'40 families arrived from the villages', 'the arrival of 25 households from the hills':
    families who came from somewhere have fled it (a soldier or a delegation who arrives has
    not)."""
    if noun.lemma_.lower() not in ("family", "household"):
        return False
    if noun.dep_ == "nsubj" and noun.head.lemma_.lower() == "arrive":
        coming = noun.head
    elif noun.head.lower_ == "of" and noun.head.head.lemma_.lower() == "arrival":
        coming = noun.head.head
    else:
        return False
    # from somewhere: not "30 families arrived at the cemetery for the funeral"
    return any(c.dep_ == "prep" and c.lower_ == "from" for c in (*coming.children, *noun.children))


def _count_put_at(tok: Token) -> tuple[str, Token, Token] | None:
    """(category, counted noun, count) of a number a verb puts a count at or brings it to:
    "put the number of fatalities at 12", "This brings the tally of dead since the blockade
    began to 900" (whatever the words between say), read from what the count is of."""
    if tok.dep_ != "pobj" or tok.head.lower_ not in ("at", "to"):
        return None
    verb = next((v for v in tok.head.ancestors if v.lemma_.lower() in _PUTS_AT), None)
    if verb is None:
        return None
    count = next(
        (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in COUNT_WORDS), None
    )
    what = of_object(count) if count is not None else None
    before_to = tok.doc[tok.head.i - 1] if tok.head.i > 0 else None
    if (
        what is not None
        and before_to is not None
        and before_to.dep_ == "conj"
        and before_to.pos_ == "NOUN"
        and before_to.head.i in (verb.i, count.i)
    ):
        what = before_to  # "… the number of deaths to 40 and injuries to 95": 95 injuries
    if what is None:
        return None
    if what.lemma_.lower() in _DEAD:
        return "killed", what, count
    category = _outcome(what, True)
    return (category, what, count) if category is not None else None


_DEAD = frozenset({"death", "dead", "fatality", "victim", "casualty", "life"})


def _in_condition(tok: Token, noun: Token | None) -> Token | None:
    """The grave condition the people counted are in: 'ten people in serious condition', 'two
    of the four were in critical condition'."""
    holders = [tok if noun is None else noun]
    if holders[0].dep_ in ("nsubj", "nsubjpass") and holders[0].head.lemma_ == "be":
        holders.append(holders[0].head)
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_ == "be":
        holders.append(tok.head)  # "Five of them were …": the number is the subject
    return next(
        (
            o
            for holder in holders
            for prep in holder.children
            if prep.dep_ == "prep" and prep.lower_ == "in"
            for o in prep.children
            if o.lemma_ == "condition" and _outcome(o, True)
        ),
        None,
    )


def _outcome(token: Token, people_ok: bool) -> str | None:
    lemma = token.lemma_.lower()
    particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
    if lemma in ("get", "make", "break") and particles & {"out", "away", "through"}:
        return "displaced" if people_ok else None
    if lemma in ("assistance", "help", "care", "attention") and any(
        c.lower_ == "medical" for c in token.children
    ):
        return "injured" if people_ok else None  # "sought medical assistance"
    if lemma == "flight":
        # "the flight of 20,000 residents": they fled; "the flight carried 120 passengers"
        return "displaced" if people_ok and of_object(token) is not None else None
    if lemma == "fate":
        # "The fate of 12 more villagers is unclear": missing people.
        verb = token.head
        unknown = any(c.lower_ in ("unknown", "unclear") for c in verb.children)
        return "other" if unknown and people_ok else None
    if lemma in ("life", "victim") or token.lower_ == "lives":
        # "claiming the lives of 20 people", "the attack cost 12 lives", "has claimed 900
        # victims" (victims of anything else are left to the words around them)
        taken = token.head.lemma_.lower() in ("claim", "take", "cost", "lose", "end")
        if lemma == "victim" and not taken:
            return None
        return "killed" if taken else None  # lives are people's, whatever the noun before
    if lemma == "take" and not particles and _by_fighters(token):
        # "The militants also took seven soldiers": taken by a force, not "took 20 minutes"
        return "captured" if people_ok else None
    if lemma == "blow" and any(c.lower_ in _SELVES for c in token.children):
        return "killed" if people_ok else None  # "blew themselves up": suicide attackers
    if lemma == "fall" and any(
        c.dep_ == "prep"
        and c.lower_ == "in"
        and any(g.lemma_.lower() in _COMBAT for g in c.children)
        for c in token.children
    ):
        return "killed" if people_ok else None  # "fell in combat", "fell in battle"
    if lemma in ("burn", "bury") and any(c.lower_ == "alive" for c in token.children):
        return "killed" if people_ok else None  # "burned alive"
    if lemma in ("bring", "pull", "dig", "take", "get") and any(
        c.lower_ == "alive" for c in token.children
    ):
        return "other" if people_ok else None  # "brought out alive": rescued (CONVENTIONS 2)
    if lemma in ("take", "rush", "admit", "bring", "transfer", "evacuate", "send") and any(
        c.dep_ == "prep" and any(g.lemma_.lower() in _CARE for g in c.children)
        for c in token.children
    ):
        return "injured" if people_ok else None  # "taken to hospital", "admitted to clinics"
    if (lemma in _GUN_DOWN and "down" in particles) or (
        lemma == "down" and token.head.lemma_.lower() in _GUN_DOWN
    ):
        return "killed" if people_ok else None  # "gunned down", "mowed down"
    if lemma == "down" or (lemma in ("shoot", "bring") and "down" in particles):
        return "equipment"  # "shot down", "downed": aircraft, drones, missiles
    if lemma in ("force", "drive", "chase", "push") and any(
        c.lower_ == "from" and any(g.lemma_.lower() in ("home", "house") for g in c.children)
        for c in token.children
    ):
        return "displaced" if people_ok else None  # "forced from their homes"
    if token.lower_ == "remains" and token.pos_ == "NOUN":
        return "killed"  # "recovered the remains of five fighters"
    if lemma == "catch":
        # "caught while hiding": taken; not "caught in the crossfire", "caught unawares"
        caught_in = any(c.lower_ in ("in", "up", "unawares", "off") for c in token.children)
        return "captured" if people_ok and not caught_in else None
    if lemma == "disappear":
        # "forcibly disappeared": taken (CONVENTIONS 2); "have disappeared": missing
        forced = any(c.lower_ in ("forcibly", "forcefully") for c in token.children)
        return ("captured" if forced else "other") if people_ok else None
    if lemma in ("brink", "verge", "risk", "danger"):
        # "on the verge of famine", "at risk of flooding": what threatens them; "at risk"
        # alone is other (CONVENTIONS 2)
        what = of_object(token)
        found = _outcome(what, people_ok) if what is not None else None
        return found or ("other" if people_ok and lemma in ("risk", "danger") else None)
    if lemma == "violence" and any(c.lower_ == "sexual" for c in token.children):
        return "other"  # "cases of sexual violence" (CONVENTIONS 2)
    if lemma == "condition" and any(c.lower_ in _GRAVE for c in token.children):
        return "injured" if people_ok else None  # "in critical condition"
    state = first_child(token, "oprd", "acomp", "xcomp") if lemma == "leave" else None
    if state is not None and (state_category := _outcome(state, people_ok)):
        return state_category  # "left wounded", "left dead": what they were left
    if lemma in ("remain", "stay"):
        # "73,000 people remain displaced": what they remain, if it says; else still there.
        for state in (c for c in token.children if c.dep_ in ("acomp", "xcomp")):
            if state_category := _outcome(state, people_ok):
                return state_category
    category = OUTCOME_LEMMAS.get(lemma) or OUTCOME_LEMMAS.get(token.lower_)
    if category and (lemma not in PEOPLE_ONLY_OUTCOMES or people_ok):
        return category
    return None


# Words before what people need that say they lack it, with the word that must come before them:
# "without water", "lacking food", "with little water or medicine", "in need of shelter".
_LACKING = {"without": None, "lack": None, "lacking": None, "little": "with", "no": "with",
            "scarce": "with", "need": "in", "needs": None, "require": None,
            "requires": None}  # fmt: skip


def _by_fighters(verb: Token) -> bool:
    """Whether the verb's subject is fighters ("the militants", "gunmen"), with no destination
    ("took 200 civilians out of the district" is no capture)."""
    subject = first_child(verb, "nsubj")
    return (
        subject is not None
        and subject.lemma_.lower() in TROOP_NOUNS
        and not any(c.lower_ in _DIRECTIONS for c in verb.children if c.dep_ in _PLACE_DEPS)
    )


def _lacks_needs(window: list[Token]) -> bool:
    words = [t.lower_ for t in window]
    for i, w in enumerate(words):
        if w not in _LACKING or set(words[i + 1 : i + 4]).isdisjoint(NEEDS):
            continue
        before = _LACKING[w]
        if before is None or (i > 0 and words[i - 1] == before):
            return True
        if w == "need" and window[i].pos_ == "VERB":
            return True  # "22 million people need relief aid"
    return False


def _head_verb(tok: Token) -> Token | None:
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _verb_candidates(tok: Token, noun: Token | None) -> list[Token]:
    """Words that say what happened to what is counted, nearest first."""
    out: list[Token] = []
    anchor = noun or tok
    out += [c for c in anchor.children if c.dep_ in ("acl", "relcl", "amod", "appos")]
    first = anchor
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # the list's first item: "the deaths of seven herders and one guard"
    if first.dep_ == "ROOT" and first.pos_ in ("NOUN", "PROPN"):
        # "Four farmers and two medics killed in drone strike": a headline's participle
        # hangs on the last of the list, and says what befell every item of it.
        for item in (c for c in anchor.conjuncts if c.i > anchor.i):
            out += [c for c in item.children if c.dep_ == "acl"]
    if first.dep_ == "pobj" and (
        first.head.lower_ == "of" or (first.head.lower_ == "to" and first.head.head.pos_ == "NOUN")
    ):
        # "the murder of 30 civilians", "the evacuation of 200", "injuries to four others"
        out.append(first.head.head)
    if tok.i != anchor.i and tok.dep_ == "pobj" and tok.head.lower_ == "of":
        out.append(tok.head.head)  # "the bodies of four of their comrades"
    verb = _head_verb(anchor)
    if verb is not None:
        out.append(verb)
        # "The death toll rose to 218", "the exodus will reach half a million", "put the
        # number of displaced at 4.8 million": what is counted is the verb's subject or object.
        args: list[Token] = []
        if anchor.dep_ in ("dobj", "pobj", "attr") or anchor.head.dep_ == "prep":
            own = {t.i for t in anchor.subtree}
            for arg in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")):
                # "the count of soldiers killed has climbed to 48": all of a count's phrase says
                # what it counts; of another phrase, its core.
                count = arg.lemma_.lower() in COUNT_WORDS
                if count and arg.dep_ != "dobj" and arg.i not in own:
                    # "the toll may pass 15": a count subject says what is counted before any
                    # clause beside it ("With soldiers still missing, …")
                    out += [t for t in arg.subtree if t.pos_ in ("NOUN", "ADJ", "VERB")]
                words = list(arg.subtree) if count else _core(arg)
                args += [t for t in words if t.pos_ in ("NOUN", "ADJ", "VERB") and t.i not in own]
        out += [
            c
            for c in verb.children
            if c.dep_ in ("xcomp", "acomp", "attr", "oprd", "dobj", "advcl", "ccomp", "prt")
        ]
        # "Among the dead were 14 children", "Of the wounded, 12 are in a critical condition".
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("among", "of")):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                # "Three children were among 15 people killed": what befell the 15.
                out += [pobj, *(c for c in pobj.children if c.dep_ in ("acl", "relcl", "amod"))]
        out += args
    return out


def _core(tok: Token) -> list[Token]:
    """A phrase without its relative clauses and asides: in "the militia, which took the port,
    is backed by 2,700 fighters", what the militia did says nothing of the fighters."""
    out = [tok]
    for child in tok.children:
        if child.dep_ not in ("relcl", "acl", "appos", "advcl", "parataxis"):
            out += _core(child)
    return out


def categorise(
    tok: Token, n: NumberSpan, window: list[Token], previous: str | None, inherits: bool
) -> tuple[str | None, Token | None, Token | None]:
    """(category, counted noun, word that decided it)."""
    noun = _counted_noun(tok)
    if (
        noun is not None
        and noun.dep_ == "nsubj"
        and noun.head.lemma_.lower() in REPORTING_VERBS
        # "three police sources told …", "one farmer who escaped told …", not "the attackers,
        # believed to number 60"
        and noun.head.i == noun.right_edge.i + 1
        and not noun.doc[noun.head.i - 1].is_punct
        and not _outcome(noun, True)
        # "Two villagers reported killed": what is reported of them, not who reports
        and not _reported_as(noun.head)
    ):
        return None, noun, None  # who speaks, not a count
    if _sized(tok) is not None:
        # "the 16-man squad" is a force's size; "a one-man protest", "a 12-member panel" no count
        return ("troops" if _force_size(tok) else None), noun, None
    if _speaks(tok) or _named_as(tok):
        return None, noun, None  # "…, said one of the aid workers": the one who speaks
    if _a_certain(tok, noun):
        return None, noun, None  # "they killed one Ilko, a nurse": a certain Ilko
    if noun is not None and noun.lower_ in NOT_COUNTED_NOUNS:
        return None, noun, None  # "six inquiries were opened", "12 strikes hit the city"
    if n.is_percent:
        # A share of territory counts; "85 per cent of injuries were caused by …" and "9% of the
        # national total" are ratios.
        if noun is not None and noun.lemma_.lower() in COUNT_WORDS:
            return None, noun, None
        held = any(t.lemma_.lower() in TERRITORY_WORDS for t in [*window, tok.head])
        return ("territory" if held else None), noun, None
    noun_words = set()
    if noun is not None:
        noun_words = {noun.lower_, noun.lemma_.lower()} | {
            c.lower_ for c in noun.children if c.dep_ in ("compound", "amod", "nmod")
        }
    bombers = noun is not None and noun.lemma_.lower() == "bomber" and not _planes(noun)
    if bombers:
        noun_words = {"attackers"}  # "three suicide bombers", "five of the bombers": people
    people_ok = (
        noun is None
        # "two more locations": "more" is people only as the head ("20 more are missing")
        or bool((noun_words - {"more"} | {noun.lower_}) & (PEOPLE_NOUNS | TROOP_NOUNS | HELD_NOUNS))
        or (noun.ent_type_ == "NORP" and noun.text.endswith("s"))  # "6,000 Armenians"
    )
    if noun is not None and people_ok and (fate := _fate(noun)) is not None:
        return fate, noun, None
    if (
        noun is not None
        and noun.dep_ == "pobj"
        and noun.head.lower_ == "of"
        and noun.head.head.lemma_.lower() in _REMAINS
    ):
        return "killed", noun, noun.head.head  # "the bodies of nine missing sailors"
    if noun is not None and _families_arrived(noun):
        return "displaced", noun, noun.head  # "40 families arrived from the villages"
    if (
        noun is not None
        and noun.lemma_.lower() == "life"
        and noun.head.lower_ == "of"
        and noun.head.head.lemma_.lower() == "loss"
    ):
        return "killed", noun, noun.head.head  # "reported the loss of 12 lives"
    if noun is not None and not bombers and _hardware(noun, noun_words):
        if noun.lemma_.lower() in _CARRIERS and not _military(noun) and not _befell(noun):
            return None, noun, None  # "they drove back to base in three vehicles"
        return "equipment", noun, None  # also in a list after people: "…, including one tank"
    if _died_of_them(tok, noun):
        return "killed", noun, _head_verb(tok)  # "Two of the wounded later died"
    if inherits and previous:
        # "… and that guards killed 14 of them": a verb of its own says what befell them
        verb = tok.head if tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB" else None
        own = _outcome(verb, True) if verb is not None else None
        if own is None and window and window[0].pos_ in ("VERB", "ADJ"):
            # "… killed, including two guards, and a dozen injured": its own participle
            verb = window[0]
            own = _outcome(verb, True)
        return (own, noun, verb) if own else (previous, noun, None)
    if noun is not None and noun.lemma_.lower() in SETTLEMENT_WORDS and not n.is_percent:
        verb = _head_verb(noun)
        if verb is not None and verb.lemma_.lower() in TERRITORY_VERBS:
            return "territory", noun, verb  # "controlled 26 settlements", "retook 12 villages"
        return None, noun, None  # "attacked 23 villages, killing one": places, not a toll
    verb = _head_verb(noun) if noun is not None and noun.dep_ in ("nsubj", "nsubjpass") else None
    if noun is not None and noun.dep_ == "nsubj" and noun.head.lemma_.lower() in _LIVE:
        # "the valley where some 2 million people live": who lives there; not "2,000
        # displaced people live in the camp" nor "300,000 people live under siege"
        how = [c for c in noun.children if c.dep_ == "amod"]
        how += [t for c in noun.head.children if c.i != noun.i for t in c.subtree]
        if not any(_outcome(t, True) for t in how):
            return None, noun, None
    if (
        verb is not None
        and people_ok
        and not _done_by(noun, verb)
        and _outcome(verb, people_ok) == "killed"
    ):
        return "killed", noun, verb  # "Two wounded soldiers later died": the last word wins
    if noun is not None and (cat := _outcome(noun, people_ok)):
        return cat, noun, None
    if noun is not None and noun.lemma_.lower() == "case":
        # "30 cases of torture", "12 cases of sexual violence": what befell someone 30 times
        what = of_object(noun)
        if what is not None and (cat := _outcome(what, True)):
            return cat, noun, what
    if _group_size(tok) and noun is not None and noun_words & TROOP_NOUNS:
        return "troops", noun, None  # "gunmen numbering about 20": the force's size
    if _lacks_needs(window) and (noun is None or people_ok):
        return "other", noun, None  # "100,000 people without electricity", "in need of aid"
    if (put := _count_put_at(tok)) is not None:
        return put  # "put the number of fatalities at 12", "took the tally of dead to 90"
    if (noun is None or people_ok or noun.pos_ == "PRON") and (
        condition := _in_condition(tok, noun)
    ) is not None:
        return "injured", noun, condition  # "ten people in critical condition were flown out"
    # Words right after the number first ("1,300 civilians dead", "and 412 injured"), then the
    # verbs governing what is counted, then the rest of the clause.
    near: list[Token] = []
    for t in window[:3]:  # up to the next conjunct: "killed 17 people and wounded 52 others"
        if t.dep_ == "cc" or t.text in (",", ";"):
            break
        if noun is None or t.dep_ != "compound" or t.head.i != noun.i:
            near.append(t)  # not "rescue workers", "evacuation buses": what they do or are for
    # Then the word right before the number: "… kills at least 16" (a headline's "kills" may be
    # tagged a noun), "wounding 12"; not across a comma ("two died, five others were hurt").
    start = tok.sent.start_char + n.hedge_start
    before = [t for t in tok.sent if t.idx + len(t) <= start][-1:]
    before = [t for t in before if not t.is_punct]
    candidates = [*near, *before, *_verb_candidates(tok, noun), *window[3:]]
    if _killed_and_injured(candidates):
        return "killed", noun, None  # "killed and injured 29": a combined total (CONVENTIONS 2)
    fighters = noun is not None and bool(noun_words & TROOP_NOUNS)
    got_away = False  # "two fighters escaped": no toll, nor a force's size
    acted = False  # "shot by 200 soldiers who later withdrew": a force, which moves
    for cand in candidates:
        if people_ok and noun is not None and _attacked(noun, cand):
            acted = True  # "some 100 members of the group attacked a patrol": a force
            continue
        if noun is not None and _done_by(noun, cand):
            # a force that acted: "shot by a unit of 100 troops", "ambushed by 30 armed men"
            acted = acted or (
                _by(noun, cand) and (bool(_outcome(cand, True)) or cand.lemma_.lower() in _ATTACKS)
            )
            continue  # "two gunmen opened fire, killing a guard": they did it
        if cat := _outcome(cand, people_ok):
            if cat == "displaced" and fighters:
                got_away = True  # "left one of its guards dead": a later word may still say
                continue
            return cat, noun, cand
    if got_away and not acted:
        return None, noun, None
    if not acted and (fate := _victims_include(tok)) is not None:
        return fate or previous or "killed", noun, None  # "The dead included three nurses."
    if fighters or (acted and people_ok and noun is not None):
        return "troops", noun, None  # also "attacked by some 40 gunmen": a force
    if _toll_rises(tok) or _toll_is(tok):
        return "killed", noun, None  # "… toll in the town … rises to 21", however parsed
    if previous and _refers_back(tok):
        return previous, noun, None  # "…, Kyiv puts the figure at 500": the count named before
    if previous and _part_of_count(tok):
        return previous, noun, None  # "Of the 30 killed, 12 were women and 8 were children."
    return None, noun, None


_FORCES = TROOP_NOUNS | frozenset(
    {"force", "forces", "patrol", "contingent", "detachment", "militia", "squad", "army"}
)


def _reported_as(verb: Token) -> bool:
    """'reported killed', 'said wounded' with the participle the verb's own complement right
    after it (not "said wounded patients were arriving")."""
    doc = verb.doc
    after = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    return (
        after is not None
        and after.head.i == verb.i
        and after.dep_ in ("xcomp", "oprd", "acomp")
        and _outcome(after, True) is not None
    )


def _sized(tok: Token) -> Token | None:
    """The word a number is joined to by a hyphen as a size ("16-man", "4,500-strong")."""
    doc = tok.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].text != "-":
        return None
    return doc[tok.i + 2] if doc[tok.i + 2].lower_ in SIZE_WORDS else None


def _force_size(tok: Token) -> bool:
    """A size before a force's noun: "the 16-man squad", "a 4,500-strong brigade"."""
    size = _sized(tok)
    return size is not None and (size.head.lower_ in _FORCES or size.head.lemma_ in _FORCES)


def _speaks(tok: Token) -> bool:
    """'Two of the survivors told reporters …', '…, said one of the aid workers': a part of some
    people that a speech verb has as its speaker (not "The ministry reported one dead")."""
    verb = tok.head
    if verb.lemma_.lower() not in REPORTING_VERBS or not any(
        c.lower_ == "of" for c in tok.children
    ):
        return False
    return tok.dep_ == "nsubj" or (tok.dep_ == "dobj" and tok.i > verb.i)


def _named_as(tok: Token) -> bool:
    """'Relatives identified one of the victims as Ilko Varn': who one of them was, not a count."""
    verb = tok.head
    return (
        tok.dep_ == "dobj"
        and verb.lemma_.lower() in ("name", "identify")
        and any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)
    )


def _a_certain(tok: Token, noun: Token | None) -> bool:
    """'one Ilko': "one" before a person's name is "a certain", not a count."""
    return (
        tok.lower_ == "one"
        and noun is not None
        and noun.i == tok.i + 1
        and noun.pos_ == "PROPN"
        and noun.ent_type_ in ("PERSON", "")
    )


def _died_of_them(tok: Token, noun: Token | None) -> bool:
    """'Two of the wounded later died', 'three of the hostages were killed', 'two of the
    missing were found dead': a part of those counted before, of whom the number's own verb
    says they died."""
    if noun is None or tok.dep_ not in ("nsubj", "nsubjpass") or noun.head.head.i != tok.i:
        return False
    described = [noun, *(c for c in noun.children if c.dep_ == "amod")]
    if noun.head.lower_ != "of" or (
        all(_outcome(w, True) is None for w in described) and noun.lower_ not in _BACK_WORDS
    ):
        return False  # "of the wounded", "of them", "of the missing guards"
    verb = _head_verb(tok)
    if verb is None:
        return False
    # "… were later found dead", "… was dead": what they were found or were is what became of
    # them (not "vowed to kill")
    found = []
    if verb.lemma_ in ("find", "be"):
        found = [c for c in verb.children if c.dep_ in ("oprd", "acomp")]
    return any(_outcome(v, True) == "killed" for v in [verb, *found])


def _by(noun: Token, word: Token) -> bool:
    """Whether `noun` is in the agent of the passive `word` ("killed by 100 troops")."""
    return any(a.dep_ == "agent" and a.head.i == word.i for a in noun.ancestors)


_FORCE_NOUNS = TROOP_NOUNS | {"member"}  # "some 100 members of the group attacked"


def _attacked(noun: Token, word: Token) -> bool:
    """Whether the people counted are fighters, members of a group or armed men whom `word`, a
    verb of attack, says attacked."""
    return (
        noun.dep_ == "nsubj"
        and noun.head.i == word.i
        and word.lemma_.lower() in _ATTACKS
        # fighters, members of a group, or armed men; not "2,000 protesters stormed …"
        and (noun.lemma_.lower() in _FORCE_NOUNS or any(c.lower_ == "armed" for c in noun.children))
    )


def _done_by(noun: Token, word: Token) -> bool:
    """Whether what `word` says was done by the people counted, not to them: "20 soldiers
    killed 5 rebels", "two gunmen opened fire, killing a guard", "100 militants surrounded the
    station", and "the attack left two victims" (left by it, not displaced). People who flee
    or leave their homes are the ones it befell."""
    if word.pos_ != "VERB":
        return False
    if _by(noun, word):
        return True  # "shot by a unit of 200 soldiers": they did it
    # not an aside the parser took for an object: "31 others hurt - mostly civilians -"
    objects = [c for c in word.children if c.dep_ == "dobj" and not _in_dashes(c)]
    if not objects:
        return False
    if word.lemma_.lower() == "leave" and noun.dep_ == "dobj" and noun.head.i == word.i:
        return True
    if noun.dep_ != "nsubj":
        return False
    verb = noun.head
    if not (word.i == verb.i or (word.head.i == verb.i and word.dep_ in ("advcl", "conj"))):
        return False
    outcome = _outcome(word, True)
    if outcome in (None, "displaced"):
        return False
    # Someone else it befell: people as its object ("killing a guard"), or a place besieged.
    people = PEOPLE_NOUNS | TROOP_NOUNS | HELD_NOUNS
    return outcome == "trapped" or any(
        o.lemma_.lower() in people or o.lower_ in people or any(c.like_num for c in o.children)
        for o in objects
    )


def _in_dashes(noun: Token) -> bool:
    """A phrase set off by dashes on both sides: an aside."""
    doc, left, right = noun.doc, noun.left_edge.i, noun.right_edge.i
    return (
        left > 0
        and right + 1 < len(doc)
        and doc[left - 1].text in DASHES
        and doc[right + 1].text in DASHES
    )


def _military(noun: Token) -> bool:
    """'400 tanks, 200 drones and 50 armoured vehicles': a vehicle in a list of hardware."""
    items = [noun.head, *noun.conjuncts] if noun.dep_ == "conj" else list(noun.conjuncts)
    return any(i.lower_ in EQUIPMENT_NOUNS and i.lemma_.lower() not in _CARRIERS for i in items)


def _befell(noun: Token) -> bool:
    """Whether the sentence of a counted vehicle says something befell it ("destroyed 12
    armoured vehicles", "three trucks were hit", "lost 300 troops, including two vehicles")."""
    return any(w.lemma_.lower() in _HARDWARE_FATES for w in noun.sent)


def _group_size(tok: Token) -> bool:
    """'numbering about 20', 'believed to number 60': the size of the group, not what befell it."""
    return tok.dep_ in ("dobj", "attr") and tok.head.lemma_.lower() == "number"


def _planes(bombers: Token) -> bool:
    """'strategic bombers', 'long-range bombers', 'Tu-95 bombers': aircraft; 'bombers' with no
    such word are the people who set off bombs ("guards shot two of the bombers")."""
    return any(
        t.lower_ in _AIRCRAFT_WORDS or (t.dep_ != "nummod" and any(c.isdigit() for c in t.text))
        for t in bombers.subtree
        if t.i < bombers.i
    )


_AIRCRAFT_WORDS = frozenset("strategic range heavy stealth jet jets nuclear supersonic".split())


def _hardware(noun: Token, noun_words: set[str]) -> bool:
    """Military hardware: "tanks", "air defence systems", "radar installations"."""
    head = noun.lower_
    modifiers = noun_words - {head, noun.lemma_.lower()}
    generic = head in EQUIPMENT_NOUNS and head not in EQUIPMENT_HEADS
    # "two armoured Humvees": a vehicle by its armour, whatever its make (not a unit's name)
    armoured = bool(modifiers & {"armoured", "armored"}) and not _unit(noun)
    return (
        head in EQUIPMENT_HEADS
        or (generic and bool(modifiers & EQUIPMENT_NOUNS))
        or (generic and bool(modifiers & {"weapons", "weapon", "military"}))
        or armoured
    )


def _unit(noun: Token) -> bool:
    """A body of troops, not a thing: "two armoured brigades", "an armoured column"."""
    lemma = noun.lemma_.lower()
    return lemma in _UNIT_WORDS or lemma in TROOP_NOUNS or lemma in NOT_COUNTED_NOUNS


def _fate(noun: Token) -> str | None:
    """What became of the people counted, where that overrides what they are: prisoners or
    soldiers released, swapped or brought home are "other" (no longer held); prisoners killed
    or executed are "killed" ("the murder of 23 prisoners")."""
    held = noun.lemma_.lower() in HELD_NOUNS or noun.lower_ in HELD_NOUNS
    own = [c for c in noun.children if c.dep_ in ("amod", "acl", "relcl")]
    words = list(own)
    while noun.dep_ == "conj" and noun.head.i != noun.i:
        noun = noun.head  # "the return of 6 hostages and 210 detainees"
    if noun.dep_ == "pobj" and noun.head.head.i != noun.head.i:
        words.append(noun.head.head)  # "an exchange of 145 prisoners", "in exchange for 12 …"
    verb = _head_verb(noun)
    if verb is not None:
        words.append(verb)
    for word in words:
        lemma = word.lemma_.lower()
        if lemma in RELEASE_WORDS or word.lower_ in RELEASE_WORDS:
            return "other"
        if lemma in ("bring", "come", "send", "get", "be", "arrive") and any(
            c.lower_ in ("home", "back") for c in word.children
        ):
            return "other"  # "brought home", "sent back"
    if held:
        # "251 hostages abducted" after "killed 1,200 people, with …": their own words first
        for word in own:
            if category := _outcome(word, True):
                return category
        for word in words:
            if _outcome(word, True) in ("killed", "injured"):
                return _outcome(word, True)
    return None


def _killed_and_injured(words: list[Token]) -> bool:
    """'killed and injured 29', 'were killed or wounded': two outcome verbs side by side over
    one count ("killed 12 and injured 30", "11 killed and five wounded" are two counts)."""
    for word in words:
        if word.pos_ != "VERB" or word.dep_ != "conj":
            continue
        first = word.head
        if word.i != first.i + 2 or word.doc[first.i + 1].dep_ != "cc":
            continue  # only the pair itself: "killed and injured", "killed or wounded"
        pair = {OUTCOME_LEMMAS.get(word.lemma_.lower()), OUTCOME_LEMMAS.get(first.lemma_.lower())}
        if pair == {"killed", "injured"} and not any(c.dep_ == "dobj" for c in first.children):
            return True
    return False


def _part_of_count(tok: Token) -> bool:
    """'12 were women', 'the two others were farmers': a number whose clause only says who the
    people it counts were."""
    others = tok.dep_ == "nummod" and tok.head.lower_ == "others"
    if others:
        tok = tok.head  # "others" names the people counted before, whatever they were
    elif tok.dep_ == "appos" and _of_them(tok.head):
        tok = tok.head  # "Most of them, some 8,000, were women and children"
    verb = tok.head
    if tok.dep_ != "nsubj" or verb.lemma_.lower() != "be":
        return False
    attr = first_child(verb, "attr")
    return attr is not None and (others or attr.lemma_.lower() in PEOPLE_NOUNS | TROOP_NOUNS)


def _of_them(tok: Token) -> bool:
    """'most of them', 'many of those': a part of the people counted before."""
    return any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in _BACK_WORDS for g in c.children)
        for c in tok.children
    )


_PEOPLE_OR_THOSE = PEOPLE_NOUNS | {"those"}


def _victims_include(tok: Token) -> str | None:
    """'The dead included three nurses', 'The victims include 12 women', 'Among the victims
    were 23 labourers', 'Bodies recovered … included 24 children': a part of the toll, "" when
    the toll does not say what it counts; "Those wounded included two medics": its fate."""
    verb = _head_verb(tok)
    if verb is None:
        return None
    toll = ("victim", "dead", "casualty", "body", *COUNT_WORDS)
    if verb.lemma_.lower() == "be":
        among = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "among"]
        if not among and verb.dep_ == "ccomp":
            # "X said that among the victims were …": the parser hung "among" on "said"
            among = [
                c
                for c in verb.head.children
                if c.dep_ == "prep" and c.lower_ == "among" and c.i < verb.i
            ]
        whole = [o for p in among for o in p.children if o.dep_ == "pobj"]
    elif verb.lemma_.lower() == "include":
        subject = first_child(verb, "nsubj")
        while subject is None and verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head  # "Bodies recovered from the village included …"
            subject = first_child(verb, "nsubj")
        whole = [subject] if subject is not None else []
    else:
        return None
    for noun in whole:
        if noun.lemma_.lower() in toll:
            return ""
        # "those killed", "the people injured": who they are by what befell them
        if noun.lemma_.lower() in _PEOPLE_OR_THOSE:
            told = [c for c in noun.children if c.dep_ in ("acl", "amod") and c.i > noun.i]
            for fate in told:
                if (cat := _outcome(fate, True)) is not None:
                    return cat
    return None


# Verbs by which a toll reaches a number: "the toll rose to 21", "climbs to 96".
_RAISES = frozenset({"bring", "raise", "push", "take"})  # "… brought the toll to 41"
# Verbs that set a count at a number: "put the toll at 12", "brought the number to 41".
_PUTS_AT = _RAISES | {"put", "place", "set"}
_RISES = frozenset({"rise", "climb", "reach", "jump", "increase", "grow", "mount", "soar"})


def _toll_rises(tok: Token) -> bool:
    """'… toll in Varno due to a missile strike rises to 21': a toll named before a verb by
    which it reaches the number, whatever subject the parser gave the verb."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "to":
        return False
    verb = tok.head.head
    # "The raids brought the overall toll since the siege began to 2,315", "to" hung on "began"
    raising = next((v for v in (verb, *verb.ancestors) if v.lemma_.lower() in _RAISES), None)
    if raising is not None and any(
        c.dep_ == "dobj" and c.lemma_.lower() == "toll" for c in raising.children
    ):
        return True
    if verb.lemma_.lower() not in _RISES:
        return False
    # A headline (no closing stop) is one statement however the parser splits it.
    headline = tok.doc[-1].text not in (".", "!", "?", *CLOSING_MARKS)
    start = 0 if headline else tok.sent.start
    return any(t.lemma_.lower() == "toll" for t in tok.doc[start : verb.i])


def _toll_is(tok: Token) -> bool:
    """'The toll is thought to be between 70 and 90', 'the toll stood at 12': the
    number says what a toll, the subject of its verbs, is."""
    while tok.dep_ == "conj" and tok.head.like_num and tok.head.i < tok.i:
        tok = tok.head  # the upper bound of "between 70 and 90"
    if tok.dep_ not in ("attr", "pobj", "npadvmod", "dobj"):
        return False
    verb = _head_verb(tok)
    for _ in range(3):
        if verb is None:
            return False
        subject = first_child(verb, "nsubj", "nsubjpass")
        if subject is not None:
            return subject.lemma_.lower() == "toll"
        verb = verb.head if verb.dep_ in ("xcomp", "ccomp") and verb.head.i != verb.i else None
    return False


def _refers_back(tok: Token) -> bool:
    """'puts the figure at 500', 'put the number at 545': the object names no count of its own."""
    verb = _head_verb(tok)
    if verb is None:
        return False
    return any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("figure", "number", "total", "tally", "count")
        for c in verb.children
    )


def _measure(noun: Token | None, decider: Token | None, number_tokens: set[int]) -> str:
    words: list[Token] = []
    if noun is not None:
        first = min(number_tokens)
        words = [
            t
            for t in noun.subtree
            if t.i <= noun.i
            and t.i > first
            and t.dep_
            not in ("det", "predet", "nummod", "quantmod", "punct", "prep", "case", "advmod", "cc")
            and not t.like_num
            and (t.head == noun or t == noun or t.head.head == noun)
        ]
    text = " ".join(t.text for t in sorted(words, key=lambda t: t.i))
    if decider is not None and (noun is None or decider.i not in {t.i for t in words}):
        text = f"{text} {decider.text}".strip()
    return text


def counts_on(text: str) -> bool:
    """A paragraph that opens on the count before it: "Of them, 8,400 are children"."""
    return _OF_THEM_FIRST.match(text) is not None


_NAME_TYPES = frozenset({"ORG", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"})


def figures_in_sentence(sent: Span, previous: str | None = None) -> list[FigureCandidate]:
    """Figure candidates in one spaCy sentence; offsets relative to the sentence text."""
    text = sent.text
    numbers = [n for n in find_numbers(text) if not is_excluded(text, n)]
    out: list[FigureCandidate] = []
    undecided: list[tuple[NumberSpan, Token, Token]] = []
    starts = [n.start for n in numbers]
    for index, n in enumerate(numbers):
        span = sent.char_span(n.start, n.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        tok = span[-1]
        if tok.ent_type_ in _NAME_TYPES and tok.i > 0 and tok.nbor(-1).pos_ == "PROPN":
            continue  # "radio station Varnovo FM 9", "Unit 731": part of a name
        next_start = starts[index + 1] if index + 1 < len(numbers) else len(text)
        window = [
            t for t in sent[tok.i - sent.start + 1 :] if t.idx - sent.start_char < next_start
        ][:8]
        part = _PART_OF_PREVIOUS.search(text[: n.hedge_start])
        inherits = bool(
            (part and not _CLAUSE_WORDS.search(part.group(0)))
            or _OF_THEM_AFTER.match(text[n.end :])
            or _AMONG_AFTER.match(text[n.end : next_start])
            or (
                out
                and tok.dep_ not in ("nsubj", "nsubjpass")  # not "300 from the town fled"
                and _FROM_AFTER.match(text[n.end :])
                and _LISTED_BEFORE.search(text[: n.hedge_start])
            )
        )
        category, noun, decider = categorise(tok, n, window, previous, inherits)
        if category is None:
            if noun is not None and noun.lemma_.lower() in PEOPLE_NOUNS:
                undecided.append((n, tok, noun))
            continue
        previous = category
        hedged = sent.char_span(n.hedge_start, n.end, alignment_mode="expand") or span
        measure = _measure(noun, decider, {t.i for t in hedged})
        if not measure:  # "puts the figure at 500": what the figure before it counted
            measure = out[-1].measure if out and out[-1].category == category else category
        out.append(FigureCandidate(n, category, measure, tok))
    if undecided and out:
        out = _listed_with(out, undecided)
    _share_hedges(out)
    return out


def _listed_with(
    found: list[FigureCandidate], undecided: list[tuple[NumberSpan, Token, Token]]
) -> list[FigureCandidate]:
    """'Three women, two children among dead', '… 122 boys and 77 girls wounded':
    people listed with a count whose category its own words gave share it."""
    by_noun = _by_counted_noun(found)
    added = []
    for n, tok, noun in undecided:
        items = [c for c in noun.children if c.dep_ in ("conj", "appos")]
        if noun.dep_ in ("conj", "appos"):
            items.append(noun.head)  # the item before it
        other = next((by_noun[i.i] for i in items if i.i in by_noun), None)
        if other is not None and tok.dep_ == "nummod" and tok.head.i == noun.i:
            measure = f"{_measure(noun, None, {tok.i}) or noun.text} {other.category}"
            added.append(FigureCandidate(n, other.category, measure, tok))
    return sorted([*found, *added], key=lambda c: c.number.start)


def _by_counted_noun(found: list[FigureCandidate]) -> dict[int, FigureCandidate]:
    """The candidates whose number stands before their noun, by that noun's index."""
    return {c.token.head.i: c for c in found if c.token.dep_ == "nummod"}


def _share_hedges(found: list[FigureCandidate]) -> None:
    """One hedge over a list of nouns that share a verb covers every number of the list ("lost
    more than 900 troops, 12 tanks and 30 vehicles"), unless an item has no numeral ("a tank")
    or one has a verb or participle of its own (CONVENTIONS 5)."""
    by_noun = _by_counted_noun(found)
    for cand in found:
        if cand.number.qualifier == "exact" or cand.token.dep_ != "nummod":
            continue
        items = [cand.token.head, *cand.token.head.conjuncts]
        if len(items) < 2 or any(i.i not in by_noun for i in items) or any(map(_own_verb, items)):
            continue
        for item in items:
            other = by_noun[item.i]
            if other.number.qualifier == "exact" and other.number.start > cand.number.start:
                other.number = replace(other.number, qualifier=cand.number.qualifier)


def _own_verb(noun: Token) -> bool:
    """'12 killed', '30 people wounded': a participle or clause of the noun's own."""
    return any(
        c.dep_ in ("acl", "relcl") or (c.dep_ == "amod" and c.tag_ == "VBN") for c in noun.children
    )
