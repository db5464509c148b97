"""Find page furniture (navigation, audio players, donation appeals, unrelated headline lists).

Scraped news pages keep their furniture; its numbers ("40 miles away", postcodes, donation
addresses) must not become figure claims. We return character ranges instead of cutting the
text, so every offset the extractor writes still points into the original document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from kg.entities import gazetteer
from kg.places import is_place, lookup

# Lines that are navigation or player chrome whatever the page.
_CHROME = re.compile(
    r"^\s*(?:read more\b|see more\b|more latest news|latest news|more topics|"
    r"highlights & opinion|the news explained|listen to this article|loading audio|"
    r"follow all of\b|sign up\b|advertisement\b|share this article|share or comment|"
    r"click here\b|watch:|watch again|watch live|by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}\s*$|"
    r".*\|\s*updated:|.*\|\s*watch\b)",
    re.IGNORECASE,
)
# Donation appeals: the outlet asking readers for money, with addresses and postcodes. A word
# for giving alone is no appeal ("bombs fell on a donation ceremony", "the UN appealed for
# donations", a name like "Donate"): only the appeal's own phrases are.
_DONATION = re.compile(
    r"\b(?:cheques?|checks payable|payable to|gift aid|bank transfer|give swiftly|generosity|"
    r"raise money)\b",
    re.IGNORECASE,
)
_APPEAL = re.compile(
    r"\b(?:donate\s+(?:now|today|online|here)|please\s+donate|make\s+a\s+donation|"
    r"your\s+(?:donation|gift)s?|donat(?:e|ions?)\s+to\s+(?:us|our|the)\b[^.]{0,40}\bappeal)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?:;\"”’')\]…]\s*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
# Words that mark a headline or caption as being about armed conflict at all.
_CONFLICT = re.compile(
    r"\b(?:war|wars|warfare|military|troops?|soldiers?|forces|army|armies|missiles?|rockets?|"
    r"shell(?:s|ed|ing)?|bomb(?:s|ed|ing|ings)?|invasion|invade[sd]?|ceasefire|cease-fire|"
    r"siege|besieged|tanks?|artillery|drones?|nato|refugees?|air ?strikes?|airstrikes?|"
    r"front ?line|occupied|occupation|evacuat\w+|humanitarian|casualt(?:y|ies)|killed|"
    r"wounded|injured|militia|insurgents?|rebels?|offensive|sanctions?|conflict|battles?|"
    r"fighting|combat|ambush(?:ed)?|convoy|strikes?|genocide|war crimes?|blockade|truce)\b",
    re.IGNORECASE,
)


# Headings of a list of links to other stories: the headlines under them are not the article's,
# however close their subject ("Related news" then "… intercept 9 drones …").
_LINK_LIST = re.compile(
    r"^\s*(?:related(?: news| stories| articles| content| coverage)?|more on this story|"
    r"more stories|most read|most popular|recommended(?: stories)?|you may also like|"
    r"also in the news|editor'?s picks|top stories)\s*:?\s*$",
    re.IGNORECASE,
)


# A wire dateline opening a paragraph: "Sanaa, Yemen (AFP) - ", "KYIV, March 3 (Reuters) — ",
# "GOMA — ". Where the story was filed, not who said it; kept out of extraction.
_NAME = r"[A-Z][A-Za-z'’.-]+(?:\s[A-Z][A-Za-z'’.-]+){0,3}"
_CAPS = r"[A-Z][A-Z'’.-]{2,}(?:\s[A-Z][A-Z'’.-]{2,}){0,2}"  # "GOMA", "SANAA, Yemen"
_DATELINE = re.compile(
    rf"^\s*(?:{_NAME}(?:,\s*{_NAME})?(?:,?\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}})?\s*"
    r"\([A-Z][A-Za-z&.]*(?:\s[A-Z][A-Za-z&.]*){0,3}\)"
    rf"|{_CAPS}(?:,\s*{_NAME})?)\s*[-–—]+\s+"
)
# "Dolgan: The army said on Monday …", "DOLGAN: …", "Dolgan – …": a dateline with a colon or a
# dash, where the name before it is a place or in capitals (not "Police: …", whose words follow).
# Not "Varna: We will answer …" nor 'Varna: "…"', a speaker's label.
_PLACE_COLON = re.compile(rf"^\s*({_NAME})\s*(?::|[-–—]+)\s+(?=[A-Z])(?!(?:I|We|Our|My)\b)")
_CAPITALS = re.compile(_CAPS)
# A line that says whose words follow: the article's own, however short.
_ATTRIBUTION_LABEL = re.compile(
    r"^\s*(?:(?:sources?|quote)\s*:|(?:statement|remarks|comments?|message)\s+(?:by|from)\b)"
    r"\s*\S",
    re.IGNORECASE,
)


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        yield pos, pos + len(body), body
        pos += len(line)


def _salient_terms(text: str) -> set[str]:
    """Capitalised words the article's own sentences repeat: its places, people and sides."""
    counts: Counter[str] = Counter()
    for _, _, line in _lines(text):
        if _TERMINAL.search(line) and len(_WORD.findall(line)) >= 8:
            counts.update(w for w in _CAPITALISED.findall(line))
    return {w for w, n in counts.items() if n >= 2}


def is_chrome(line: str) -> bool:
    return bool(_CHROME.match(line) or _DONATION.search(line) or _APPEAL.search(line))


def furniture_ranges(text: str, skip: tuple[tuple[int, int], ...] = ()) -> list[tuple[int, int]]:
    """Return the (start, end) ranges of `text` that are page furniture."""
    salient = _salient_terms(text)
    ranges: list[tuple[int, int]] = list(skip)
    lines = list(_lines(text))
    in_link_list = False
    title = next((n for n, (_, _, line) in enumerate(lines) if line.strip()), None)
    for n, (start, end, line) in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        link_heading = _LINK_LIST.match(stripped) is not None
        if is_chrome(stripped) or link_heading:
            in_link_list = in_link_list or link_heading
            ranges.append((start, end))
            continue
        is_title = n == title
        if (dateline := _DATELINE.match(line)) is not None:
            ranges.append((start, start + dateline.end()))  # a prefix: the paragraph stays
        elif (
            not is_title
            and (placed := _PLACE_COLON.match(line)) is not None
            and _TERMINAL.search(stripped)
            and _dateline_name(placed.group(1))
        ):
            ranges.append((start, start + placed.end()))
        if _ATTRIBUTION_LABEL.match(stripped):
            in_link_list = False
            continue  # "Source: the mayor on Telegram": who the next paragraph quotes
        runs_on = n + 1 < len(lines) and lines[n + 1][2][:1].islower()
        headline_like = (
            not runs_on
            and not is_title
            and not _TERMINAL.search(stripped)
            and len(_WORD.findall(stripped)) <= 30
        )
        if headline_like and (in_link_list or not _is_topical(stripped, salient)):
            ranges.append((start, end))
        elif not headline_like:
            in_link_list = False  # the article's own text again
    return _merge(ranges)


def _dateline_name(name: str) -> bool:
    """A town, or a name in capitals that is no body the gazetteer knows ("UN:", "IDF:"); not
    a country, which may be a speaker's label ("Varnia: …")."""
    if is_place(name):
        geo = lookup(name)
        return geo is None or not geo.is_country
    known = gazetteer().lookup(name)
    return bool(_CAPITALS.fullmatch(name)) and (known is None or known.type == "Place")


def _is_topical(line: str, salient: set[str]) -> bool:
    if _CONFLICT.search(line):
        return True
    return any(w in salient for w in _CAPITALISED.findall(line))


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def overlaps(
    ranges: tuple[tuple[int, int], ...] | list[tuple[int, int]], start: int, end: int
) -> bool:
    return any(s < end and start < e for s, e in ranges)
