"""Answers to repeated queries, kept until the store next changes.

Dashboards, the query page's examples and scripts that poll ask the same query again and again;
between two writes its answer cannot change, since the service is the store's only writer (the
serve lock refuses others) and every write goes through the pool's `exclusive()`, which empties
the cache as the write begins and as it ends, moving its generation on. An answer is kept only
if no write began while it was computed, so no answer outlives a write. Queries whose answer
may differ between two runs on the same data (NOW, RAND, UUID, STRUUID, BNODE) are never kept.

Two kinds of entry share the memory: the pool keeps every computed answer by its job (so POST
queries, canned queries and the JSON endpoints skip the worker), as the worker's encoded message
(decoded again for each caller, who gets rows of their own), and the GET fast path keeps whole
HTTP responses by request (so a repeated lookup skips the protocol as well). Keys are 16-byte
digests of the job or request, never the query text, and an entry counts its key, its value and
the bookkeeping around them, so the memory setting bounds what the cache really holds.
Hand-written rather than functools or cachetools: entries are bounded by their bytes and tied
to the store's generation, which neither offers.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

_VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)

Key = bytes


def key(*parts: bytes | str) -> Key:
    """A 16-byte digest of what an answer depends on (each part length-prefixed, so no two
    different lists of parts share a key)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.digest()


def keeps(query: str) -> bool:
    """Whether a query's answer may be kept: it gives the same answer every run."""
    return _VOLATILE.search(query) is None


@dataclass(frozen=True)
class Response:
    """A whole HTTP response, as the GET fast path sends it."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes


@dataclass(frozen=True)
class _Entry:
    size: int
    value: Any


ENTRY_OVERHEAD = 200  # bytes of bookkeeping per entry: the key, the entry, the map's slot


class AnswerCache:
    """A least-recently-used map from request or job to answer, bounded in bytes."""

    def __init__(self, max_bytes: int, max_entry: int = 1 << 20) -> None:
        self.max_bytes, self.max_entry = max_bytes, min(max_entry, max_bytes)
        self.entries: OrderedDict[Key, _Entry] = OrderedDict()
        self.size = self.hits = self.misses = 0
        self.generation = 0  # moves on as each write begins and ends

    def invalidate(self) -> None:
        """A write begins or ends: nothing kept so far may be served, nor kept from before."""
        self.generation += 1
        self.entries.clear()
        self.size = 0

    def get(self, key: Key, count_miss: bool = True) -> Any | None:
        """The kept answer, if any; `count_miss=False` where a miss is looked up again below (a
        GET's response, then its job), so a request counts one miss, not two."""
        found = self.entries.get(key)
        if found is None:
            self.misses += count_miss
            return None
        self.hits += 1
        self.entries.move_to_end(key)
        return found.value

    def stats(self) -> dict[str, int]:
        """For operators: how much is kept and how often it served."""
        return {"answers": len(self.entries), "bytes": self.size, "hits": self.hits,
                "misses": self.misses}  # fmt: skip

    def put(self, key: Key, value: Any, size: int, since: int) -> None:
        """Keep an answer whose computing began at generation `since`: not if a write has begun
        since then (it may have read the store as it was before)."""
        size += ENTRY_OVERHEAD
        if since != self.generation or size > self.max_entry:
            return
        self._drop(key)
        self.entries[key] = _Entry(size, value)
        self.size += size
        while self.size > self.max_bytes:
            self._drop(next(iter(self.entries)))

    def _drop(self, key: Key) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.size
