"""Find direct quotations by their marks: straight or curly, double or single, the guillemets
(«…») and low-high marks („…“) of translated news, and ``…'' as typewriters set it.

Character-level, not token-level: the tokenizer does not tell an opening single quote from an
apostrophe, and a quotation may run over several paragraphs. An unclosed mark ends at the end of
its paragraph, so one stray mark never swallows the rest of an article.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_WORDS = 4
_OPEN_CONTEXT = set(" \t([{:—–-\"“‘'")


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # of the quoted words, marks excluded, in document offsets
    end: int
    closed: bool
    continues: bool  # a new paragraph of the previous, unclosed quotation

    def words(self, text: str) -> int:
        return len(text[self.start : self.end].split())


def _opens_double(s: str, i: int) -> bool:
    if s[i] == "“":
        return True
    if s[i] == "”" and 0 < i < len(s) - 1 and s[i - 1] in ",:" and s[i + 1].isupper():
        return True  # a closing mark set to open, glued after a comma: (saying,”It is …)
    if s[i] == '"' and i == 0:
        return bool(s[1:].strip())  # also '" They came …', with a stray space after it
    return s[i] == '"' and s[i - 1] in _OPEN_CONTEXT and i + 1 < len(s) and not s[i + 1].isspace()


def _closes_double(s: str, j: int) -> bool:
    if s[j] == "”":
        return True
    return s[j] == '"' and (j + 1 == len(s) or not s[j + 1].isalnum())


def _closes_curly(s: str, j: int) -> bool:
    return s[j] in "”“"


def _closes_typewritten(s: str, j: int) -> bool:
    """``…'' closes on two apostrophes, or on a curly or straight double mark."""
    return s[j] in '”"' or s.startswith("''", j)


def _closes_guillemet(s: str, j: int) -> bool:
    """«…» closes only on its own mark."""
    return s[j] == "»"


def _opens_single(s: str, i: int) -> bool:
    if s[i] not in "‘'":
        return False
    before_ok = i == 0 or s[i - 1] in _OPEN_CONTEXT
    return before_ok and i + 1 < len(s) and s[i + 1].isalnum()


def _closes_single(s: str, j: int) -> bool:
    if s[j] not in "’'":
        return False
    after_ok = j + 1 == len(s) or not s[j + 1].isalnum()
    return j > 0 and not s[j - 1].isspace() and after_ok


def scan_block(text: str, start: int, end: int, previous_open: bool) -> list[QuoteSpan]:
    """Quotations inside one block [start, end) of `text`."""
    s = text[start:end]
    out: list[QuoteSpan] = []
    i = 0
    while i < len(s):
        if _opens_double(s, i):
            # Double marks do not nest: a second opening mark before any closing one is a
            # closing mark set the wrong way ('“… two were hurt, “X told reporters.')
            closer = _closes_double if s[i] != "“" else _closes_curly
        elif _opens_single(s, i):
            closer = _closes_single
        elif s[i] in "«„":
            closer = _closes_guillemet if s[i] == "«" else _closes_curly
        elif s.startswith("``", i):
            closer = _closes_typewritten  # ``…'' or ``…”, as some pages still set them
        else:
            i += 1
            continue
        j = i + 1
        while j < len(s) and not closer(s, j):
            j += 1
        closed = j < len(s)
        continues = previous_open and not out and not s[:i].strip()
        first = i + 1
        while first < j and s[first] in " `":
            first += 1  # the quoted words, not the space a page left after the mark
        out.append(QuoteSpan(start + first, start + j, closed, continues))
        i = j + 1
    return out


def find_quotes(text: str, blocks: list[tuple[int, int]]) -> list[QuoteSpan]:
    """All quotations of at least MIN_WORDS words, block by block, in document order."""
    found: list[QuoteSpan] = []
    previous_open = False
    for start, end in blocks:
        spans = scan_block(text, start, end, previous_open)
        previous_open = bool(spans) and not spans[-1].closed
        found.extend(q for q in spans if q.words(text) >= MIN_WORDS)
    return found
