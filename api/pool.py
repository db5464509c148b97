"""A pool of query worker processes over one store, with time limits that really stop queries.

Every read goes to a worker holding a read-only handle. A query past its limit is stopped by
killing its worker (a new one replaces it) while the other workers keep serving. Writes take the
whole pool: workers are stopped, the service writes with a read-write handle, workers restart.
Oxigraph allows no reader process beside a writer, so the two never overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from api import worker


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


@dataclass
class Answer:
    kind: str  # rows, select, ask, graph
    rows: list[dict[str, Any]] | None = None
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None
    truncated: bool = False


class _Worker:
    def __init__(self, ctx: Any, path: Path) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=worker.main, args=(str(path), child), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv() != ("ready",):
            self.kill()
            raise RuntimeError(f"a query worker could not open the store {path}")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
            self.process.join(5)
        self.kill()


class WorkerPool:
    def __init__(self, path: Path, size: int = 2) -> None:
        self.path, self.size = path, max(1, size)
        self.ctx = multiprocessing.get_context("spawn")
        self.idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self.workers: list[_Worker] = []
        self.write_lock = asyncio.Lock()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        spawned = await asyncio.gather(
            *(loop.run_in_executor(None, _Worker, self.ctx, self.path) for _ in range(self.size))
        )
        for w in spawned:
            self.workers.append(w)
            self.idle.put_nowait(w)

    async def close(self) -> None:
        for w in self.workers:
            w.stop()
        self.workers.clear()
        self.idle = asyncio.Queue()

    async def _replace(self, dead: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, dead.kill)
        if dead in self.workers:
            self.workers.remove(dead)
        fresh = await loop.run_in_executor(None, _Worker, self.ctx, self.path)
        self.workers.append(fresh)
        self.idle.put_nowait(fresh)

    async def _recv(self, w: _Worker, deadline: float) -> tuple:
        remaining = deadline - time.monotonic()
        ready = w.conn.poll() or (remaining > 0 and await self._readable(w, remaining))
        if not ready:
            # The only way to stop Oxigraph mid-query: kill the worker, start another.
            asyncio.get_running_loop().create_task(self._replace(w))
            raise QueryTimeout()
        return w.conn.recv()

    @staticmethod
    async def _readable(w: _Worker, seconds: float) -> bool:
        """Wait for the worker's pipe with the event loop itself (no thread per request)."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = w.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
        try:
            return await asyncio.wait_for(ready, seconds)
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(fd)
            os.set_blocking(fd, True)  # uvloop leaves it non-blocking; recv() reads whole messages

    async def run(self, job: Job, timeout: float) -> Answer:
        deadline = time.monotonic() + timeout
        async with self.write_lock:
            pass  # wait out a write in progress
        try:
            w = await asyncio.wait_for(self.idle.get(), timeout)
        except TimeoutError:
            raise QueryTimeout() from None
        w.conn.send(job.message())
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
        return Answer(kind, stream=self._stream(w, parts, deadline))

    async def _stream(
        self, w: _Worker, parts: list[bytes], deadline: float
    ) -> AsyncIterator[bytes]:
        for part in parts:
            yield part
        try:
            while True:
                msg = await self._recv(w, deadline)
                if msg[0] == "end":
                    self.idle.put_nowait(w)
                    return
                yield msg[1]
        except QueryTimeout:
            return  # the worker is being replaced; the client sees a cut stream

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
            held = [await self.idle.get() for _ in range(len(self.workers))]
            for w in held:
                w.stop()
            self.workers.clear()
            try:
                yield
            finally:
                await self.start()
