"""The service over a SPARQL server (`kg serve --sparql-endpoint`) instead of a local store.

`RemotePool` stands where `api.pool.WorkerPool` stands and answers the same jobs, so every route
(canned queries, JSON endpoints, /sparql with its guard, limits and errors, exports, writes)
works unchanged. A job is sent as `kg.sparqltext.rewrite` writes it, with the request's
dataset as the protocol's parameters; the server's answer is read as it arrives and written by
the same code as a query worker's (api.results.answer), so formats, row caps and errors are the
same. At most `size` requests are at the server at once. A query past its time limit has its
connection cut and is answered 503; the server may go on computing it until it ends or a limit
of the server's own stops it.

No answer is cached: other processes (`kg build --target`) write to the server unseen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any

from api import messages as msg
from api.common import POSITION
from api.pool import Answer, Counts, QueryFailed, QueryTimeout
from api.results import answer, rdf_term
from kg.remote import RemoteError, SparqlServer, parse_answer
from kg.sparqltext import rewrite
from kg.targets import SparqlTarget

log = logging.getLogger("kg.service")


class RemotePool:
    """Jobs answered by a SPARQL server; the interface of api.pool.WorkerPool."""

    cache = None
    wall = None  # no worker process here: the guard keeps SERVICE and LOAD from the server
    counts_in_health = False  # counting a server's billion triples is no health probe

    def __init__(self, server: SparqlServer, size: int = 2) -> None:
        self.server, self.size = server, max(1, size)
        self.slots = asyncio.Semaphore(self.size)
        self.threads = ThreadPoolExecutor(self.size, thread_name_prefix="kg-remote")
        self.counts = Counts()
        self.writing = self.closed = False
        self.write_lock = asyncio.Lock()
        self.busy = 0

    @property
    def alive(self) -> int:
        return self.size

    async def start(self) -> None:
        """Raise RemoteError (one line) unless the server answers, over the union of its
        graphs as kg's queries expect."""
        await asyncio.get_running_loop().run_in_executor(self.threads, self.server.check)

    def stopping(self) -> None:
        self.closed = True

    async def close(self) -> None:
        self.stopping()
        self.threads.shutdown(wait=False, cancel_futures=True)

    @contextlib.asynccontextmanager
    async def _slot(self, deadline: float) -> AsyncIterator[None]:
        if self.closed:
            raise QueryFailed(503, "the service is stopping")
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                await self.slots.acquire()
        except TimeoutError:
            raise QueryTimeout() from None
        self.busy += 1
        try:
            yield
        finally:
            self.busy -= 1
            self.slots.release()

    async def run(self, job: msg.Job, deadline: float) -> Answer:
        """The job's answer from the server, within the deadline."""
        params = {name: rdf_term(value) for name, value in job.params.items()}
        text, shift = rewrite(job.query, params, job.base_iri)
        async with self._slot(deadline):
            call = self.server.call(
                text,
                default_graphs=job.default_graphs,
                named_graphs=job.named_graphs,
                timeout=max(0.1, deadline - time.monotonic()),
            )
            sent: list[msg.FromWorker] = []

            def work() -> None:
                try:
                    response = call.response()
                except RemoteError as exc:
                    sent[:] = [_refusal(exc, "query", shift)]
                    call.close()
                    return
                try:
                    found = parse_answer(response, response.getheader("Content-Type", ""))
                    answer(found, job.format, job.cap, sent.append)
                except (RemoteError, OSError, SyntaxError, ValueError) as exc:  # cut, or no SPARQL
                    unreadable = f"the SPARQL server's answer was cut or unreadable ({exc})"
                    sent[:] = [msg.Error(502, unreadable[:500])]
                finally:
                    call.close()

            running = asyncio.get_running_loop().run_in_executor(self.threads, work)
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await asyncio.shield(running)
            except TimeoutError:
                call.cancel()  # the thread ends as its socket does
                self.counts.timeouts += 1
                raise QueryTimeout() from None
            except asyncio.CancelledError:  # the client left
                call.cancel()
                raise
        return _answer(sent)

    @contextlib.asynccontextmanager
    async def borrow(self, deadline: float) -> AsyncIterator[None]:
        """A place among the server's requests while the caller reads it itself (exports)."""
        async with self._slot(deadline):
            yield

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """One write at a time, reported in /health; reads go on (the server isolates them)."""
        async with self.write_lock:
            self.writing = True
            try:
                yield
            finally:
                self.writing = False
                self.counts.writes += 1

    @contextlib.contextmanager
    def reader(self) -> Iterator[SparqlServer]:
        """What exports read: the server itself (kg.store.GraphReader)."""
        yield self.server

    @contextlib.contextmanager
    def writer(self) -> Iterator[SparqlTarget]:
        """Where documents are written: each graph replaced by one SPARQL Update."""
        if self.server.update_url is None:
            raise QueryFailed(403, "this service has no update endpoint (--update-endpoint)")
        try:
            yield SparqlTarget(self.server)
        except RemoteError as exc:
            refusal = _refusal(exc, "update", 0)
            raise QueryFailed(refusal.status, refusal.message) from None

    async def update(self, update: str, base_iri: str | None, seconds: float) -> None:
        """Run a caller's SPARQL Update on the server's update endpoint."""
        if self.server.update_url is None:
            raise QueryFailed(403, "this service has no update endpoint (--update-endpoint)")
        text, shift = rewrite(update, base=base_iri)
        async with self.exclusive():
            work = asyncio.get_running_loop().run_in_executor(
                self.threads, lambda: self.server.update(text, timeout=seconds)
            )
            try:
                await work
            except RemoteError as exc:
                refusal = _refusal(exc, "update", shift)
                raise QueryFailed(refusal.status, refusal.message) from None

    def health(self) -> dict[str, Any]:
        return {
            "sparql_endpoint": self.server.query_url, "update_endpoint": self.server.update_url,
            "expected": self.size, "busy": self.busy, "writing": self.writing,
            "network_wall": None, **asdict(self.counts),
        }  # fmt: skip


def _refusal(exc: RemoteError, what: str, shift: int) -> msg.Error:
    """What a caller is told of the server's failure. A query the server refuses (4xx) is the
    caller's to mend, so its message is passed on, its position on the first line moved back by
    `shift`; anything else is the service's (502, 503), and the server's address stays in the
    log."""
    if exc.status is None:
        log.error("%s", exc)
        return msg.Error(503, "the SPARQL server cannot be reached")
    if 400 <= exc.status < 500:
        if not exc.detail:
            return msg.Error(400, f"the SPARQL server refused the {what} (HTTP {exc.status})")

        def moved(m: re.Match[str]) -> str:
            column = int(m.group(2)) - shift if m.group(1) == "1" else int(m.group(2))
            return f"at {m.group(1)}:{max(1, column)}"

        return msg.Error(400, f"malformed {what}: " + POSITION.sub(moved, exc.detail, count=1))
    log.error("%s", exc)
    return msg.Error(502, f"the SPARQL server failed (HTTP {exc.status}): {exc.detail}"[:500])


def _answer(sent: list[msg.FromWorker]) -> Answer:
    """The messages an answer was written as, as one Answer (the row cap bounds its size)."""
    first = sent[0] if sent else msg.Error(502, "the SPARQL server sent no answer")
    if isinstance(first, msg.Error):
        raise QueryFailed(first.status, first.message)
    if isinstance(first, msg.Rows | msg.Whole):
        return Answer.of(first)
    assert isinstance(first, msg.Start)
    end = sent[-1]
    body = b"".join(m.data for m in sent if isinstance(m, msg.Chunk))
    return Answer(first.kind, body=body, truncated=isinstance(end, msg.End) and end.truncated)
