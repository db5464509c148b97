"""Resolve the dates news writes ("yesterday", "on Monday", "last night", "March 9") against
the article's publication date. dateparser does the arithmetic; we decide what is a date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Span

from kg.lexicon import MONTHS, WEEKDAYS

_DATE_WORDS = re.compile(
    r"\b(?:today|tonight|yesterday|overnight|last night|this (?:morning|afternoon|evening)|"
    r"(?:last|this) (?:week|weekend)|"
    + "|".join(WEEKDAYS)
    + "|"
    + "|".join(sorted(MONTHS))
    + r")\b",
    re.IGNORECASE,
)
_BARE_WEEKDAY = re.compile(r"^(?:on\s+)?(" + "|".join(WEEKDAYS) + r")$", re.IGNORECASE)


def is_date_expression(text: str) -> bool:
    return bool(_DATE_WORDS.search(text))


@lru_cache(maxsize=4096)
def resolve(expression: str, published: date | None) -> date | None:
    """The calendar date an expression means, read on `published` (None if it cannot be known)."""
    text = re.sub(r"\s+", " ", expression.strip().rstrip(".,"))
    if not is_date_expression(text):
        return None
    if published is not None and (m := _BARE_WEEKDAY.match(text)):
        # "on Monday" in an article of Monday means that day; otherwise the latest one before.
        back = (published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
        return published - timedelta(days=back)
    import dateparser  # imported on first use: it is slow to load

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    elif not re.search(r"\d{4}", text):
        return None  # a relative or yearless date with nothing to anchor it
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def sentence_date(sent: Span, published: date | None) -> date | None:
    """The date a sentence's claims are for: a date it names, else the publication date."""
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if (
            before in ("since", "from", "after", "before", "until", "till")
            or ent[0].lower_ == "since"
        ):
            continue  # the start or end of a period, not the date the figure is for
        if when := resolve(ent.text, published):
            return when
    return published
