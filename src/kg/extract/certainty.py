"""How sure the text is of a figure: its epistemic hedges, as a level and a value in [0, 1].

The levels follow how conflict reporting qualifies numbers: confirmed counts, plain statements,
estimates, figures the text says could be far higher, one side's claims, and figures the text
says are unverified.
"""

from __future__ import annotations

import re

LEVELS: dict[str, float] = {
    "confirmed": 0.9,
    "stated": 0.8,
    "estimated": 0.6,
    "undercount": 0.6,
    "claimed": 0.5,
    "unverified": 0.3,
}
_UNVERIFIED = re.compile(
    r"\b(?:if true|unverified|unconfirmed|could not be (?:independently )?(?:verified|confirmed)|"
    r"cannot be (?:independently )?(?:verified|confirmed)|not (?:been )?independently verified)\b",
    re.IGNORECASE,
)
_UNDERCOUNT = re.compile(
    r"\b(?:could|may|might|is likely to|are likely to) be (?:far |much |significantly )?higher|"
    r"true (?:toll|number|figure)s? (?:is|are|could be|may be) (?:much |far )?higher|"
    r"\b(?:likely|probably) (?:an )?undercount",
    re.IGNORECASE,
)
# A next sentence that talks about the figure just given: "But the real number may be much higher".
_REFERS_BACK = re.compile(
    r"\s*(?:but |however,? |yet )?(?:the|that|this|it|these|those)\b[^.,;]{0,40}?\b"
    r"(?:could|may|might|is likely to|are likely to) be (?:far |much |significantly )?higher",
    re.IGNORECASE,
)
_CLAIMED = re.compile(r"\b(?:claim(?:s|ed)?|alleg(?:e|es|ed|edly)|purported(?:ly)?)\b", re.I)
_ESTIMATED = re.compile(
    r"\b(?:estimat\w*|believ\w*|reportedly|is said to|are said to|thought to|it is thought|"
    r"it emerged|according to reports|amid reports)\b",
    re.IGNORECASE,
)
_CONFIRMED = re.compile(
    r"\b(?:confirm(?:s|ed)?|verified|recorded|official (?:toll|figures?))\b", re.I
)


def certainty(sentence: str, following: str = "", cue: str | None = None) -> str:
    """The level for a figure in `sentence`; `following` is the next sentence ("If true, …")."""
    text = f"{cue or ''} {sentence}"
    if _UNVERIFIED.search(text) or re.match(r"\s*if true\b", following, re.IGNORECASE):
        return "unverified"
    if _UNDERCOUNT.search(text) or (
        _REFERS_BACK.match(following) and _UNDERCOUNT.search(following)
    ):
        return "undercount"
    if _CLAIMED.search(text):
        return "claimed"
    if _ESTIMATED.search(text):
        return "estimated"
    if _CONFIRMED.search(text):
        return "confirmed"
    return "stated"
