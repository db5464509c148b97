"""A pool of query worker processes over one store, with time limits that really stop queries.

Every read goes to a worker holding a read-only handle. A query past its limit is stopped by
killing its worker (a new one replaces it) while the other workers keep serving. Writes take the
whole pool: workers are stopped, the service writes with a read-write handle, workers restart.
Oxigraph allows no reader process beside a writer, so the two never overlap.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import os
import pickle
import socket
import struct
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from multiprocessing import Pipe
from pathlib import Path
from typing import Any, cast

from api.cache import AnswerCache, keeps


async def _after(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A stream whose first part was taken to start it."""
    yield first
    async for part in rest:
        yield part


class QueryTimeout(Exception):
    pass


class QueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Job:
    query: str
    format: str  # json, xml, csv, tsv, rows, or a graph format of worker.GRAPH_FORMATS
    cap: int
    params: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None  # relative IRIs resolve against the endpoint
    union: bool = True  # default graph = union of graphs, unless the query or request names some

    def message(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def key(self) -> tuple[Any, ...]:
        """Everything the answer depends on, the store's contents aside."""
        return ("job", self.query, self.format, self.cap, tuple(sorted(self.params.items())),
                tuple(self.default_graphs), tuple(self.named_graphs), self.base_iri, self.union)  # fmt: skip


@dataclass
class Answer:
    kind: str  # rows, select, ask, graph
    rows: list[dict[str, Any]] | None = None
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    truncated: bool = False
    cached: bool = False  # kept from an earlier run since the last write

    def size(self) -> int:
        """Roughly the bytes it holds."""
        if self.rows is None:
            return len(self.body)
        return sum(len(str(v)) + 16 for row in self.rows for v in row.values())

    def copy(self) -> Answer:
        """A kept answer for one more caller, who may change its rows."""
        rows = [dict(r) for r in self.rows] if self.rows is not None else None
        return dataclasses.replace(self, rows=rows, cached=True)


class _Answers(asyncio.Protocol):
    """A worker's messages, read by the event loop itself as they arrive.

    Waiting on the pipe per request (a poll, then adding and removing a reader and putting the
    descriptor back to blocking) cost the service more system calls than the query it waited
    for. The framing is multiprocessing's (`Connection.send` in the worker): a 4-byte
    big-endian length, or -1 then an 8-byte length, then a pickle.
    """

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.messages: collections.deque[tuple] = collections.deque()
        self.waiter: asyncio.Future[None] | None = None
        self.closed = self.paused = False
        self.transport: asyncio.ReadTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.ReadTransport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= 4:
            (size,) = _LENGTH.unpack_from(self.buffer)
            head = 4
            if size == -1:
                if len(self.buffer) < 12:
                    break
                (size,) = _LONG_LENGTH.unpack_from(self.buffer, 4)
                head = 12
            if len(self.buffer) < head + size:
                break
            self.messages.append(pickle.loads(self.buffer[head : head + size]))
            del self.buffer[: head + size]
        if self.messages:  # not on part of a message
            self._wake()
        if len(self.messages) >= _AHEAD and self.transport is not None:
            # A slow client: the worker waits on a full pipe rather than the service holding
            # the whole answer in memory.
            self.transport.pause_reading()
            self.paused = True

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def next(self, seconds: float) -> tuple | None:
        """The next message; None if none came in time. Raises EOFError if the worker died."""
        if not self.messages and not self.closed:
            if seconds <= 0:
                return None
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout(seconds):
                    await self.waiter  # woken by a whole message or the end of the pipe
            except TimeoutError:
                return None
            finally:
                self.waiter = None
        if not self.messages:
            raise EOFError("the query worker ended")
        if self.paused and len(self.messages) < _AHEAD // 2 and self.transport is not None:
            self.transport.resume_reading()
            self.paused = False
        return self.messages.popleft()


_LENGTH, _LONG_LENGTH = struct.Struct("!i"), struct.Struct("!Q")
_AHEAD = 16  # messages read ahead of the one the service is sending


class _Worker:
    """A worker process started as `python -m api.worker`, not by multiprocessing.

    multiprocessing's spawn (and its forkserver, in Python 3.11) runs the service's main
    script again in every new process: under `kg serve` that imported kg's whole command line,
    a third of a second before a worker replacing one stopped at its time limit could serve.
    """

    def __init__(self, path: Path) -> None:
        jobs, self.jobs = Pipe(duplex=False)
        self.answers_end, answers = Pipe()  # a socket pair: see attach()
        self.answers = _Answers()
        try:
            self.process = subprocess.Popen(
                # -P: not from the working directory, where a folder named api or kg may be
                [sys.executable, "-P", "-m", "api.worker", str(path), str(jobs.fileno()),
                 str(answers.fileno())],
                pass_fds=(jobs.fileno(), answers.fileno()), stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:
            self.close_pipes()
            raise
        finally:
            jobs.close()
            answers.close()
        first: tuple = ("no answer in 60 s",)
        try:
            if self.answers_end.poll(60):
                first = self.answers_end.recv()
        except (EOFError, OSError):
            first = ("it ended",)
        if first != ("ready",):
            self.kill()
            self.close_pipes()
            raise RuntimeError(f"a query worker could not open the store {path}: {first[-1]}")

    async def attach(self) -> _Worker:
        """Hand the answers' end of the pipe to the event loop, as a socket object: uvloop
        closes a descriptor itself, then calls close() on any other kind of object it was
        given, closing the same number again, which by then may be a file of the store's (a
        socket it detaches instead; asyncio's own loop closes the socket once)."""
        end = socket.socket(fileno=os.dup(self.answers_end.fileno()))
        self.answers_end.close()
        await asyncio.get_running_loop().connect_read_pipe(lambda: self.answers, end)
        return self

    def kill(self) -> None:
        """Stop the process (blocks; safe in a thread): close_pipes() stays with the loop."""
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.wait(5)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.jobs.send(None)
            self.process.wait(5)
        self.kill()
        self.close_pipes()

    def close_pipes(self) -> None:
        # Once attached, the transport owns the answers' end and closes it on a later turn of
        # the loop: closing it here as well could close a descriptor number reused meanwhile.
        for end in (self.jobs, self.answers.transport or self.answers_end):
            with contextlib.suppress(Exception):
                end.close()


class WorkerPool:
    def __init__(self, path: Path, size: int = 2, cache: AnswerCache | None = None) -> None:
        self.path, self.size, self.cache = path, max(1, size), cache
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: list[_Worker] = []
        self.write_lock = asyncio.Lock()
        self.replacing: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        spawned = await asyncio.gather(
            *(loop.run_in_executor(None, _Worker, self.path) for _ in range(self.size))
        )
        for w in [await w.attach() for w in spawned]:
            self.workers.append(w)
            self.idle.put_nowait(w)

    async def close(self) -> None:
        await self._replaced()
        for w in self.workers:
            w.stop()
        self.workers.clear()
        self.idle = asyncio.Queue()

    def _replace_soon(self, dead: _Worker) -> None:
        """Replace a worker that cannot be reused, in a task of its own (the caller answers)."""
        task = asyncio.get_running_loop().create_task(self._replace(dead))
        self.replacing.add(task)
        task.add_done_callback(self.replacing.discard)

    async def _replaced(self) -> None:
        """Wait for replacements under way: a worker started during a write would read the
        store as it was before, and one started after close() would outlive the pool."""
        while self.replacing:
            await asyncio.gather(*self.replacing, return_exceptions=True)

    async def _replace(self, dead: _Worker) -> None:
        loop = asyncio.get_running_loop()
        dead.close_pipes()
        await loop.run_in_executor(None, dead.kill)
        if dead in self.workers:
            self.workers.remove(dead)
        fresh = await (await loop.run_in_executor(None, _Worker, self.path)).attach()
        self.workers.append(fresh)
        self.idle.put_nowait(fresh)

    async def _recv(self, w: _Worker, deadline: float) -> tuple:
        try:
            message = await w.answers.next(deadline - time.monotonic())
        except EOFError:
            self._replace_soon(w)
            raise QueryFailed(500, "the query worker ended unexpectedly") from None
        if message is None:
            # The only way to stop Oxigraph mid-query: kill the worker, start another.
            self._replace_soon(w)
            raise QueryTimeout()
        return message

    async def run(self, job: Job, timeout: float) -> Answer:
        """The job's answer: kept from an earlier run since the last write, or computed."""
        cache = self.cache if self.cache is not None and keeps(job.query) else None
        if cache is None:
            return await self._compute(job, timeout)
        key, since = job.key(), cache.generation
        kept = cache.get(key)
        if kept is not None:
            return kept.copy()
        answer = await self._compute(job, timeout)
        if answer.stream is None:
            cache.put(key, answer.copy(), answer.size(), since)
        return answer

    async def _compute(self, job: Job, timeout: float) -> Answer:
        deadline = time.monotonic() + timeout
        async with self.write_lock:
            pass  # wait out a write in progress
        try:
            async with asyncio.timeout(timeout):
                w = await self.idle.get()
        except TimeoutError:
            raise QueryTimeout() from None
        w.jobs.send(job.message())
        first = await self._recv(w, deadline)
        if first[0] == "error":
            self.idle.put_nowait(w)
            raise QueryFailed(first[1], first[2])
        if first[0] == "rows":
            self.idle.put_nowait(w)
            return Answer("rows", rows=first[1], truncated=first[2])
        if first[0] == "whole":
            self.idle.put_nowait(w)
            return Answer(first[1], body=first[2], truncated=first[3])
        kind = first[1]
        # Small answers are read whole (so a cut can be told in headers); large ones stream.
        parts: list[bytes] = []
        size = 0
        while size < 1 << 20:
            msg = await self._recv(w, deadline)
            if msg[0] == "end":
                self.idle.put_nowait(w)
                return Answer(kind, body=b"".join(parts), truncated=msg[1])
            parts.append(msg[1])
            size += len(msg[1])
        stream = self._stream(w, parts, deadline)
        first = await anext(stream)  # started, so its cleanup runs however the response ends
        return Answer(kind, stream=_after(first, stream))

    async def _stream(
        self, w: _Worker, parts: list[bytes], deadline: float
    ) -> AsyncIterator[bytes]:
        finished = False
        try:
            for part in parts:
                yield part
            while True:
                msg = await self._recv(w, deadline)
                if msg[0] == "end":
                    finished = True
                    self.idle.put_nowait(w)
                    return
                yield msg[1]
        except (QueryTimeout, QueryFailed):
            finished = True  # the worker is being replaced; the client sees a cut stream
        finally:
            if not finished:
                # The client left mid-answer (the generator is closed here, by the response or
                # when it is collected) and the worker is still writing: it cannot be reused.
                with contextlib.suppress(RuntimeError):  # no loop: the service is stopping
                    self._replace_soon(w)

    @contextlib.asynccontextmanager
    async def borrow(self) -> AsyncIterator[None]:
        """Hold a worker's place (so no write starts) while the caller reads the store itself."""
        async with self.write_lock:
            pass
        w = await self.idle.get()
        try:
            yield
        finally:
            self.idle.put_nowait(w)

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Stop every worker, let the caller write, then start them again."""
        async with self.write_lock:
            await self._replaced()
            held = [await self.idle.get() for _ in range(len(self.workers))]
            for w in held:
                w.stop()
            self.workers.clear()
            self._invalidate()
            try:
                yield
            finally:
                self._invalidate()
                await self.start()

    def _invalidate(self) -> None:
        if self.cache is not None:
            self.cache.invalidate()
