"""A pool of worker processes over one store, with time limits that really stop queries.

Every read goes to a query worker holding a read-only handle. A query past its limit is stopped
by killing its worker, and a worker that dies for any reason (the OOM killer, kill -9, a crash)
is noticed when its socket ends; either way another is started while the rest keep serving.
Writes take the whole pool: new reads wait, reads under way finish (each within its own limit),
the workers stop, the service writes (SPARQL Update in a write worker of its own, which a time
limit stops as well), then workers start again. Oxigraph allows no reader process beside a
writer, so the two never overlap. Every wait a request makes ends at its deadline.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import signal
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from api import messages as msg
from api.allocator import worker_environment
from api.cache import AnswerCache, keeps
from api.cache import key as cache_key
from api.process import Worker

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager, AbstractContextManager

    from kg.store import GraphReader, KGStore
    from kg.targets import Target

log = logging.getLogger("kg.service")

_RETRY = (0.25, 1.0, 5.0, 30.0)  # waits between failed starts, then the last one again
_JUST_SENT = 0.1  # seconds: a worker SIGKILLed this soon after it was handed a job was not
# killed by that job (see _compute)


class QueryTimeout(Exception):
    pass


class QueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Answer:
    kind: str  # rows, select, ask, graph
    rows: list[dict[str, Any]] | None = None
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    truncated: bool = False
    cached: bool = False  # kept from an earlier run since the last write

    @classmethod
    def of(cls, message: msg.Rows | msg.Whole, cached: bool = False) -> Answer:
        if isinstance(message, msg.Rows):
            return cls("rows", rows=message.rows, truncated=message.truncated, cached=cached)
        return cls(message.kind, body=message.body, truncated=message.truncated, cached=cached)


@dataclass
class Counts:
    """What an operator reads in /health: how the workers have fared since the start."""

    timeouts: int = 0
    deaths: int = 0
    started: int = 0
    failed_starts: int = 0
    writes: int = 0


class QueryPool(Protocol):
    """What the routes use of a pool: a WorkerPool over the local store, or api.remote's
    RemotePool over a SPARQL server."""

    size: int
    cache: AnswerCache | None
    wall: str | None
    writing: bool
    counts: Counts
    counts_in_health: bool  # /health counts documents and claims (cheap on the local store)

    @property
    def alive(self) -> int: ...
    async def start(self) -> None: ...
    def stopping(self) -> None: ...
    async def close(self) -> None: ...
    async def run(self, job: msg.Job, deadline: float) -> Answer: ...
    def borrow(self, deadline: float) -> AbstractAsyncContextManager[None]: ...
    def exclusive(self) -> AbstractAsyncContextManager[None]: ...
    async def update(self, update: str, base_iri: str | None, seconds: float) -> None: ...
    def reader(self) -> AbstractContextManager[GraphReader]: ...
    def writer(self) -> AbstractContextManager[KGStore | Target]: ...
    def health(self) -> dict[str, Any]: ...


class WorkerPool:
    counts_in_health = True

    def __init__(
        self,
        path: Path,
        size: int = 2,
        cache: AnswerCache | None = None,
        allocator: str = "mimalloc",
    ) -> None:
        self.path, self.size, self.cache = path, max(1, size), cache
        self.env = worker_environment(allocator)
        self.idle: collections.deque[Worker] = collections.deque()
        self.busy: set[Worker] = set()
        self.starting: set[Worker] = set()
        self.spawns = 0  # start attempts under way (a process may not exist yet)
        self.waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self.writing = self.closed = False
        self.write_lock = asyncio.Lock()
        self.generation = 0  # moves on at each write: a worker started before it is stale
        self.quiet = asyncio.Event()  # no read under way
        self.quiet.set()
        self.counts = Counts()
        self.wall: str | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.failures = 0

    # -- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start every worker; raise if the store cannot be opened (the service cannot serve)."""
        failed = await self._fill()
        if failed:
            await self.close()
            raise failed[0]

    async def _fill(self) -> list[BaseException]:
        """Start workers up to the pool's size at once; what kept any from starting."""
        started = await asyncio.gather(
            *(self._new() for _ in range(self.size - self.alive - self.spawns)),
            return_exceptions=True,
        )
        for worker in started:
            if isinstance(worker, Worker):
                self._join(worker)
        failed = [s for s in started if isinstance(s, BaseException)]
        if not failed:
            self.failures = 0
        return failed

    async def _new(self, write: bool = False) -> Worker:
        worker = Worker(self.path, self._write_lost if write else self._lost, write, self.env)
        self.starting.add(worker)
        try:
            ready = await worker.ready()
        finally:
            self.starting.discard(worker)
        self.counts.started += not write
        self.wall = ready.wall
        return ready

    @property
    def alive(self) -> int:
        return len(self.idle) + len(self.busy)

    def _join(self, worker: Worker) -> None:
        self.idle.append(worker)
        self._wake()

    def _replenish(self) -> None:
        """Start workers until the pool is whole again (not during a write, nor when closed)."""
        while not (self.writing or self.closed) and self.alive + self.spawns < self.size:
            self.spawns += 1
            self._background(self._spawn())

    def _background(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _spawn(self) -> None:
        generation = self.generation
        try:
            worker = await self._new()
        except (OSError, RuntimeError) as exc:
            if self._stale(generation):
                self.spawns -= 1  # stopped by a write, which starts workers when it ends
                return
            self.counts.failed_starts += 1
            wait = _RETRY[min(self.failures, len(_RETRY) - 1)]
            self.failures += 1
            log.error("could not start a query worker (retrying in %g s): %s", wait, exc)
            await asyncio.sleep(wait)
            self.spawns -= 1
            self._replenish()
            return
        self.spawns -= 1
        self.failures = 0
        if self._stale(generation):
            await worker.kill()  # it may have read the store as it was before a write
            self._replenish()
            return
        log.info("query worker %d ready", worker.pid)
        self._join(worker)

    def _stale(self, generation: int) -> bool:
        """Whether a worker started at `generation` may not serve: a write began since."""
        return generation != self.generation or self.writing or self.closed

    def _lost(self, worker: Worker) -> None:
        """A worker's socket ended: it died (or was stopped by the service)."""
        if worker.retired:
            return
        self.counts.deaths += 1
        log.warning("query worker %d died; starting another", worker.pid)
        self._retire(worker)

    def _write_lost(self, worker: Worker) -> None:
        """A write worker's socket ended. `update` tells its caller what that means; it is no
        query worker's death, and no query worker is to be started for it."""
        if not worker.retired:
            log.warning("write worker %d ended before its write was done", worker.pid)

    def _retire(self, worker: Worker) -> None:
        """Take a worker out of service, kill it, and start another."""
        worker.stop()
        with contextlib.suppress(ValueError):
            self.idle.remove(worker)
        self._done(worker)
        self._background(asyncio.to_thread(worker.process.wait))  # reap it
        self._replenish()

    def stopping(self) -> None:
        """The service is stopping: waiting and running requests get 503 now, every worker is
        killed, none is started again."""
        if self.closed:
            return
        self.closed = True
        self._wake()
        for task in list(self.tasks):
            task.cancel()
        for worker in [*self.idle, *self.busy, *self.starting]:
            worker.stop()

    async def close(self) -> None:
        """Stop (see stopping) and reap every worker."""
        workers = [*self.idle, *self.busy, *self.starting]
        self.stopping()
        self.idle.clear()
        self.busy.clear()
        await asyncio.gather(*(w.kill() for w in workers), return_exceptions=True)

    # -- reads ----------------------------------------------------------------------------------
    async def _acquire(self, deadline: float) -> Worker:
        loop = asyncio.get_running_loop()
        while True:
            if self.closed:
                raise QueryFailed(503, "the service is stopping")
            if self.idle and not self.writing:
                worker = self.idle.popleft()
                # Died idle, its socket not yet read to the end (a closed one left `idle` then).
                if worker.process.poll() is not None:
                    self._lost(worker)
                    continue
                self.busy.add(worker)
                self.quiet.clear()
                return worker
            waiter = loop.create_future()
            self.waiters.append(waiter)
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await waiter
            except BaseException as exc:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # woken as this request gave up: another may take the worker
                else:
                    waiter.cancel()
                if isinstance(exc, TimeoutError):
                    raise QueryTimeout() from None
                raise

    def _done(self, worker: Worker) -> None:
        self.busy.discard(worker)
        if not self.busy:
            self.quiet.set()

    def _release(self, worker: Worker) -> None:
        self._done(worker)
        if not worker.retired:
            self._join(worker)

    def _wake(self) -> None:
        """Let waiting requests look again: as many as there are idle workers, or all when
        the pool closes."""
        ready = len(self.waiters) if self.closed else (0 if self.writing else len(self.idle))
        while ready and self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                ready -= 1

    async def _next(self, worker: Worker, deadline: float) -> tuple[msg.FromWorker, bytes]:
        try:
            got = await worker.channel.next(deadline)
        except EOFError:  # the socket ended: _lost has counted, logged and replaced the worker
            if self.closed:
                raise QueryFailed(503, "the service is stopping") from None
            raise QueryFailed(500, "the query worker ended unexpectedly") from None
        if got is None:
            # The only way to stop Oxigraph mid-query: kill the worker, start another.
            self.counts.timeouts += 1
            log.info("a query ran past its time limit; worker %d stopped", worker.pid)
            self._retire(worker)
            raise QueryTimeout()
        return got

    async def run(self, job: msg.Job, deadline: float) -> Answer:
        """The job's answer: kept from an earlier run since the last write, or computed."""
        wire = msg.encode(job)
        cache = self.cache if self.cache is not None and keeps(job.query) else None
        if cache is None:
            return await self._compute(wire, deadline)
        key, since = cache_key(b"job", wire), cache.generation
        kept = cache.get(key)
        if kept is not None:
            return Answer.of(msg.decode_answer(kept), cached=True)  # rows fresh for this caller
        return await self._compute(wire, deadline, keep=lambda p: cache.put(key, p, len(p), since))

    async def _compute(
        self, wire: bytes, deadline: float, keep: Callable[[bytes], None] | None = None
    ) -> Answer:
        for attempt in range(self.size + 1):
            worker = await self._acquire(deadline)
            sent = time.monotonic()
            if sent >= deadline:  # its time went waiting: the worker is not to blame
                self._release(worker)
                raise QueryTimeout()
            try:
                worker.channel.write(wire)
                first, payload = await self._next(worker, deadline)
                break
            except QueryFailed:
                # A worker killed from outside (the OOM killer, an operator) as it was handed
                # the job, maybe before it read it: this query did not kill it, ask another.
                # Every worker may have been killed at once, each noticed only when handed the
                # job, so as many times as there are workers (and a query that itself gets its
                # worker killed at once is not run more often than that).
                if (
                    attempt == self.size
                    or time.monotonic() - sent > _JUST_SENT
                    or not await _killed(worker)
                ):
                    raise
            except BaseException:
                if worker in self.busy and not worker.retired:  # cancelled: the client left
                    self._retire(worker)
                raise
        if isinstance(first, msg.Rows | msg.Whole):
            self._release(worker)
            if keep is not None:
                keep(payload)
            return Answer.of(first)
        if isinstance(first, msg.Error):
            self._release(worker)
            raise QueryFailed(first.status, first.message)
        if not isinstance(first, msg.Start):
            self._retire(worker)
            raise QueryFailed(500, f"the query worker answered {type(first).__name__}")
        stream = self._stream(worker, deadline)
        part = await anext(stream)  # started, so its cleanup runs however the response ends
        return Answer(first.kind, stream=_after(part, stream))

    async def _stream(self, worker: Worker, deadline: float) -> AsyncGenerator[bytes]:
        finished = False
        try:
            while True:
                message, _ = await self._next(worker, deadline)
                if isinstance(message, msg.End):
                    finished = True
                    self._release(worker)
                    return
                if not isinstance(message, msg.Chunk):
                    raise QueryFailed(500, f"the query worker sent {type(message).__name__}")
                yield message.data
        finally:
            if not finished and not worker.retired:
                # The client left mid-answer, or could not take it by the deadline, or the
                # worker sent something else (the generator is closed here, by the response or
                # when it is collected), and the worker may still be writing: it is replaced.
                # A failure goes on up, so the response ends cut rather than as if whole.
                with contextlib.suppress(RuntimeError):  # no loop: the service is stopping
                    self._retire(worker)

    @contextlib.asynccontextmanager
    async def borrow(self, deadline: float) -> AsyncIterator[None]:
        """Hold a worker's place (so no write starts) while the caller reads the store itself."""
        worker = await self._acquire(deadline)
        try:
            yield
        finally:
            self._release(worker)

    @contextlib.contextmanager
    def _opened(self, **options: bool) -> Iterator[KGStore]:
        from kg.store import KGStore

        store = KGStore(self.path, **options)
        try:
            yield store
        finally:
            store.close()

    def reader(self) -> contextlib.AbstractContextManager[KGStore]:
        """The store opened read-only in the service's own process (exports), inside `borrow`,
        which holds off writes."""
        return self._opened(read_only=True)

    # -- writes ---------------------------------------------------------------------------------
    def writer(self) -> contextlib.AbstractContextManager[KGStore]:
        """The store opened read-write, inside `exclusive`, which has stopped every worker."""
        return self._opened(served_by_me=True)

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Stop every worker, let the caller write, then start them again."""
        async with self.write_lock:
            self.writing = True
            self.generation += 1
            self._invalidate()
            started = time.monotonic()
            try:
                await self.quiet.wait()  # reads under way end by their own deadlines
                stopping = [*self.idle, *self.starting]
                self.idle.clear()
                await asyncio.gather(*(w.kill() for w in stopping), return_exceptions=True)
                yield
            finally:
                self.generation += 1
                self._invalidate()
                self.writing = False
                self.counts.writes += 1
                log.info(
                    "write done in %.2f s; restarting query workers", time.monotonic() - started
                )
                if not self.closed:
                    for exc in await self._fill():
                        log.error("could not restart a query worker after a write: %s", exc)
                    self._replenish()  # retried in the background

    async def update(self, update: str, base_iri: str | None, seconds: float) -> None:
        """Run a SPARQL Update in a write worker of its own, in one transaction: past its limit
        it is killed and nothing is written."""
        async with self.exclusive():
            worker = await self._new(write=True)
            deadline = time.monotonic() + seconds
            try:
                worker.channel.write(msg.encode(msg.Update(update, base_iri)))
                got = await worker.channel.next(deadline)
            except EOFError:
                raise QueryFailed(500, "the write worker ended unexpectedly") from None
            finally:
                await worker.kill()
            if got is None:
                log.info("an update ran past its time limit of %g s; nothing was written", seconds)
                raise QueryTimeout()
            if isinstance(got[0], msg.Error):
                raise QueryFailed(got[0].status, got[0].message)

    def _invalidate(self) -> None:
        if self.cache is not None:
            self.cache.invalidate()

    def health(self) -> dict[str, Any]:
        """For operators: the workers, and what has happened to them since the start."""
        return {
            "workers": self.alive, "expected": self.size, "starting": len(self.starting),
            "pids": sorted(w.pid for w in (*self.idle, *self.busy)), "busy": len(self.busy),
            "writing": self.writing, "network_wall": self.wall is None,
            **asdict(self.counts),
        }  # fmt: skip


async def _killed(worker: Worker) -> bool:
    """Whether a worker that ended was killed by SIGKILL."""
    return await asyncio.to_thread(worker.process.wait) == -signal.SIGKILL


async def _after(first: bytes, rest: AsyncGenerator[bytes]) -> AsyncIterator[bytes]:
    """A stream whose first part was taken to start it; closing it closes the rest."""
    try:
        yield first
        async for part in rest:
            yield part
    finally:
        await rest.aclose()
