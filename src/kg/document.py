"""The ingested document: what every later stage points back into."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    title: str | None = None
    date: date | None = None
    url: str | None = None
    source_path: str | None = None
    # Character ranges of `text` that are page furniture: kept in the text, kept out of extraction.
    furniture: tuple[tuple[int, int], ...] = field(default=())

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()
