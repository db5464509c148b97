"""Answers to repeated GET queries, kept until the store next changes.

Dashboards, the query page's examples and scripts that poll ask the same query again and again;
between two writes its answer cannot change, since the service is the store's only writer (the
serve lock refuses others) and every write goes through the pool's `exclusive()`, which moves
the pool's generation on. An answer is kept with the generation it was computed under and is
served only while that generation holds, so no answer outlives a write. Queries whose answer
may differ between two runs on the same data (NOW, RAND, UUID, STRUUID, BNODE) are never kept.
Hand-written rather than functools or cachetools: entries are bounded by their bytes and tied
to the store's generation, which neither offers.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

_VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)

Key = tuple[str | bytes, ...]


@dataclass(frozen=True)
class Cached:
    generation: int
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


class AnswerCache:
    """A least-recently-used map from request to answer, bounded in bytes."""

    def __init__(self, max_bytes: int, max_entry: int = 1 << 20) -> None:
        self.max_bytes, self.max_entry = max_bytes, min(max_entry, max_bytes)
        self.entries: OrderedDict[Key, Cached] = OrderedDict()
        self.size = 0

    @staticmethod
    def keeps(query: str) -> bool:
        """Whether a query's answer may be kept: it gives the same answer every run."""
        return _VOLATILE.search(query) is None

    def get(self, key: Key, generation: int) -> Cached | None:
        found = self.entries.get(key)
        if found is None:
            return None
        if found.generation != generation:
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return found

    def put(self, key: Key, answer: Cached) -> None:
        if len(answer.body) > self.max_entry:
            return
        self._drop(key)
        self.entries[key] = answer
        self.size += len(answer.body)
        while self.size > self.max_bytes:
            self._drop(next(iter(self.entries)))

    def _drop(self, key: Key) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
