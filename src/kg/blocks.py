"""Split a document into blocks: paragraphs, with lines re-joined where a sentence runs on.

Scraped text breaks lines inside sentences ("queues stretched for more than a\nmile by …"); a line
that does not end a sentence and a next line that starts in lower case are one block.
Furniture lines are left out; offsets stay those of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.document import Document
from kg.furniture import overlaps
from kg.lexicon import CLOSING_MARKS

_ENDS_SENTENCE = re.compile(r"[.!?:…)\]" + re.escape(CLOSING_MARKS) + r"]\s*$")


@dataclass(frozen=True)
class Block:
    start: int
    end: int


def blocks(doc: Document) -> list[Block]:
    text = doc.text
    lines: list[tuple[int, int]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        start, end = pos, pos + len(body)
        pos += len(raw)
        # Trim furniture that covers only a prefix (header metadata) and skip whole furniture lines.
        for f_start, f_end in doc.furniture:
            if f_start <= start < f_end:
                start = min(f_end, end)
        if start >= end or not text[start:end].strip() or overlaps(doc.furniture, start, end):
            lines.append((-1, -1))
            continue
        while start < end and text[start].isspace():
            start += 1
        lines.append((start, end))
    out: list[Block] = []
    for start, end in lines:
        if start < 0:
            out.append(Block(-1, -1))  # a hard break: furniture or a blank line
            continue
        prev = out[-1] if out else None
        if (
            prev
            and prev.start >= 0
            and not _ENDS_SENTENCE.search(text[prev.start : prev.end])
            and text[start].islower()
        ):
            out[-1] = Block(prev.start, end)
        else:
            out.append(Block(start, end))
    return [b for b in out if b.start >= 0]
