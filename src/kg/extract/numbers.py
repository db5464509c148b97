"""Numbers as news prints them: digits with odd separators, number words, hedges.

Hand-written rather than a library (text2num, word2number): those parse whole strings, while we
need spans with character offsets inside running text, the "41, 700" typesetting quirk, and the
hedge words that decide a figure's qualifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_WORD_NUMBER = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_SCALE = r"(?:hundred|thousand|million|billion|m|bn|k)"
# Digits: "2,000", "41, 700" (a typeset thousands group), "4.2", "3.6 million", "65%".
_DIGITS = r"\d{1,3}(?:,\s?\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SIZE_WORDS = ("strong", "man", "member")  # "a 16-man squad": a number joined to its size word
NUMBER_RE = re.compile(
    rf"(?<![\w.,/:£$€-])(?:"
    rf"(?P<digits>{_DIGITS})(?:\s?(?P<dscale>{_SCALE})\b)?(?P<pct>\s?%|\s(?:per ?cent|percent)\b)?"
    # "a dozen", "three dozen"; not "several dozen", no numeral (CONVENTIONS 3)
    rf"|(?P<dozen>\b(?:a|(?P<dozens>{_WORD_NUMBER})\s)\s?dozen\b)"
    rf"|(?P<article>\b(?:half\s+an?|(?:(?:a|one|three)\s+)?quarters?\s+of\s+an?|an?)\s+"
    rf"(?P<ascale>hundred|thousand|million|billion)\b)"
    # "forty-three", "one million", "five-hundred", "one hundred (and) twenty": units after a
    # scale only
    rf"|(?P<words>\b(?:{_WORD_NUMBER})(?:[- ](?:{_WORD_NUMBER}))?"
    rf"(?:(?:[\s-](?:{_SCALE}))+(?:\s(?:and\s)?(?:{_WORD_NUMBER})(?:[- ](?:{_WORD_NUMBER}))?)?)?\b)"
    # not "18-month-old", "4-year": a number joined to a word is a measure, but for a size
    # ("a 16-man squad", "the 4,500-strong brigade"; counting keeps only a force's)
    rf")(?![\w/]|[.,]\d|:\d|-(?!(?:{'|'.join(SIZE_WORDS)})\b)\w)",
    re.IGNORECASE,
)

# Hedges before a number, longest first so "well over" wins over "over".
_HEDGES: list[tuple[str, str]] = [
    ("well over", "more_than"), ("more than", "more_than"), ("over", "more_than"),
    ("well beyond", "more_than"), ("beyond", "more_than"),
    ("in excess of", "more_than"), ("upwards of", "more_than"), ("at least", "at_least"),
    # a toll that "could pass 20", "surpassed 1,000", "tops 500"
    ("pass", "more_than"), ("passed", "more_than"), ("surpass", "more_than"),
    ("surpassed", "more_than"), ("exceed", "more_than"), ("exceeded", "more_than"),
    ("exceeds", "more_than"), ("tops", "more_than"), ("topped", "more_than"),
    ("no fewer than", "at_least"), ("no less than", "at_least"), ("a minimum of", "at_least"),
    ("fewer than", "less_than"), ("less than", "less_than"), ("under", "less_than"),
    ("up to", "up_to"), ("as many as", "up_to"), ("nearly", "nearly"), ("almost", "nearly"),
    ("close to", "nearly"), ("just under", "nearly"), ("around", "approx"), ("about", "approx"),
    ("some", "approx"), ("roughly", "approx"), ("approximately", "approx"),
    ("an estimated", "approx"), ("estimated", "approx"), ("circa", "approx"),
]  # fmt: skip
_HEDGE_RE = re.compile(
    r"(?:^|(?<=\W))(?P<hedge>"
    + "|".join(re.escape(h) for h, _ in sorted(_HEDGES, key=lambda h: -len(h[0])))
    + r")\s+$",
    re.IGNORECASE,
)
QUALIFIERS = ("exact", "approx", "at_least", "more_than", "less_than", "up_to", "nearly")


@dataclass(frozen=True)
class NumberSpan:
    start: int  # of the number itself, in the searched text
    end: int
    value: float
    is_percent: bool
    is_word: bool
    hedge_start: int  # == start when there is no hedge
    qualifier: str


def words_to_number(text: str) -> float | None:
    """'eight' → 8, 'twenty-five' → 25, 'one million' → 1e6, 'two hundred thousand' → 2e5."""
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in ("a", "an") and not seen:
            current, seen = 1.0, True
        elif word in UNITS:
            current += UNITS[word]
            seen = True
        elif word in TENS:
            current += TENS[word]
            seen = True
        elif word in ("hundred",):
            current = (current or 1) * 100
        elif word in SCALES or word in ("m", "bn", "k"):
            scale = {"m": 1e6, "bn": 1e9, "k": 1e3}.get(word) or SCALES[word]
            total += (current or 1) * scale
            current = 0
        elif word == "dozen":
            current = (current or 1) * 12
            seen = True
        elif word == "and" and (seen or total):
            continue  # "one hundred and twenty"
        elif word:
            return None
    return total + current if seen or total else None


def parse_number(text: str) -> float | None:
    """Parse one number as written ("41, 700", "4.2 million", "65%", "a dozen")."""
    m = NUMBER_RE.fullmatch(text.strip())
    if not m:
        return None
    return _value(m)


def _value(m: re.Match[str]) -> float | None:
    if m.group("digits"):
        value = float(re.sub(r"[,\s]", "", m.group("digits")))
        scale = (m.group("dscale") or "").lower()
        if scale:
            value *= {"m": 1e6, "bn": 1e9, "k": 1e3}.get(scale) or SCALES[scale]
        return value
    if m.group("dozen"):  # "a dozen", "three dozen"
        return 12.0 * (words_to_number(m.group("dozens")) or 1 if m.group("dozens") else 1)
    if m.group("article"):  # "a million", "half a million", "a quarter of a million"
        written = m.group("article").lower()
        share = 1.0
        if written.startswith("half"):
            share = 0.5
        elif "quarter" in written:
            share = 0.75 if written.startswith("three") else 0.25
        return float(SCALES[m.group("ascale").lower()]) * share
    return words_to_number(m.group("words"))


def hedge_before(text: str, pos: int) -> tuple[str, int]:
    """The qualifier of a number starting at `pos`, and where its hedge starts."""
    window_start = max(0, pos - 20)
    m = _HEDGE_RE.search(text[window_start:pos])
    if not m:
        return "exact", pos
    return dict(_HEDGES)[m.group("hedge").lower()], window_start + m.start("hedge")


# "20-30", "20–30", "20 to 30": a range written with digits, read as two bounds.
_RANGE = re.compile(
    rf"(?<![\w.,/:£$€-])({_DIGITS})\s*(?:-|–|—|to)\s*({_DIGITS})(?![\w/]|[.,]\d|-\w)"
)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)


def _bounds(spans: list[NumberSpan], text: str) -> list[NumberSpan]:
    """Ranges are two figures: the lower bound at least, the upper bound up to."""
    out = list(spans)
    for i, low in enumerate(out[:-1]):
        high = out[i + 1]
        joined = text[low.end : high.hedge_start].strip().lower()
        between = _BETWEEN.search(text[: low.hedge_start])
        if low.qualifier != "exact" or low.value >= high.value:
            continue
        if (joined == "and" and between) or joined in ("to", "or", "-", "–", "—"):
            start = between.start() if between else low.hedge_start
            out[i] = replace(low, qualifier="at_least", hedge_start=start)
            out[i + 1] = replace(high, qualifier="up_to")
    for m in _RANGE.finditer(text):
        low_text, high_text = m.group(1), m.group(2)
        low_value = float(re.sub(r"[,\s]", "", low_text))
        high_value = float(re.sub(r"[,\s]", "", high_text))
        if not low_value < high_value or any(s.start <= m.start() < s.end for s in out):
            continue
        qualifier, hedge = hedge_before(text, m.start())
        out.append(NumberSpan(m.start(1), m.end(1), low_value, False, False, hedge,
                              "at_least" if qualifier == "exact" else qualifier))  # fmt: skip
        out.append(NumberSpan(m.start(2), m.end(2), high_value, False, False, m.start(2), "up_to"))
    return sorted(out, key=lambda n: n.start)


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number in `text` with its hedge; filtering (ages, dates…) is the figure rules' job."""
    spans: list[NumberSpan] = []
    for m in NUMBER_RE.finditer(text):
        value = _value(m)
        if value is None:
            continue
        start, end = m.start(), m.end()
        # "a dozen" keeps its article in the figure text.
        qualifier, hedge_start = hedge_before(text, start)
        if m.group("digits") and text[end : end + 1] == "+" and qualifier == "exact":
            qualifier, end = "more_than", end + 1  # "2,300+ killed"
        spans.append(
            NumberSpan(
                start=start,
                end=end,
                value=value,
                is_percent=bool(m.group("pct")),
                is_word=not m.group("digits"),
                hedge_start=hedge_start,
                qualifier=qualifier,
            )
        )
    return _bounds(_joined(spans, text), text)


def _joined(spans: list[NumberSpan], text: str) -> list[NumberSpan]:
    """Numbers written twice or in two parts are one: "two (2) soldiers", "4 thousand 599"."""
    out: list[NumberSpan] = []
    for n in spans:
        last = out[-1] if out else None
        between = text[last.end : n.start] if last is not None else ""
        if (
            last is not None
            and between == " ("
            and text[n.end : n.end + 1] == ")"
            and n.value == last.value
            and not n.is_word
        ):
            continue  # "two (2)": the digits repeat the word
        if (
            last is not None
            and between == " "
            and not n.is_word
            and last.value >= 1000
            and last.value % 1000 == 0
            and n.value < 1000
            and re.search(r"\d\s?(?:thousand|million)$", text[last.start : last.end], re.I)
        ):
            out[-1] = replace(last, end=n.end, value=last.value + n.value)  # "4 thousand 599"
            continue
        out.append(n)
    return out
