"""One worker process as the service sees it: started, its socket read by the event loop, killed.

api.worker is the process's side; this is the service's, used by api.pool.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from api import messages as msg

AHEAD = 4 << 20  # bytes of a worker's answer read ahead of what the service is sending
START_TIME = 60.0  # seconds a new worker has to open the store


_EXPIRED = object()


def _expire(waiter: asyncio.Future[object]) -> None:
    if not waiter.done():
        waiter.set_result(_EXPIRED)


class Channel(asyncio.Protocol):
    """A worker's socket as the event loop reads it: whole messages, in order, as they arrive.

    The loop reads it itself (no poll, reader or blocking switch per request), at most AHEAD
    bytes ahead: past that the worker waits on a full socket, so a slow client does not make
    the service hold a large answer. A message past msg.MAX_MESSAGE ends the worker.
    """

    def __init__(self, on_lost: Callable[[], None]) -> None:
        self.framer = msg.Framer()
        self.messages: collections.deque[tuple[msg.FromWorker, bytes]] = collections.deque()
        self.ahead = 0  # bytes of the messages waiting in `messages`
        self.waiter: asyncio.Future[object] | None = None
        self.closed = self.paused = False
        self.transport: asyncio.Transport | None = None
        self.on_lost = on_lost

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            got = self.framer.feed(data)
        except msg.TooLarge:
            if self.transport is not None:
                self.transport.close()  # connection_lost follows: the worker is replaced
            return
        self.messages.extend(got)
        self.ahead += sum(len(payload) for _, payload in got)
        if self.messages:  # not on part of a message
            self._wake()
        if self.ahead >= AHEAD and self.transport is not None:  # whole messages only
            self.transport.pause_reading()
            self.paused = True

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()
        self.on_lost()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def write(self, wire: bytes) -> None:
        """Send an encoded message (msg.encode); nothing if the worker has gone."""
        if self.transport is not None and not self.closed:
            self.transport.write(wire)

    async def next(self, deadline: float) -> tuple[msg.FromWorker, bytes] | None:
        """The next message and its payload; None past the deadline; EOFError if the worker
        ended."""
        if not self.messages and not self.closed:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            loop = asyncio.get_running_loop()
            self.waiter = waiter = loop.create_future()
            # One timer on the future, cheaper than asyncio.timeout() on this hot path.
            timer = loop.call_later(left, _expire, waiter)
            try:
                await waiter  # woken by a whole message, the end of the socket, or the timer
            finally:
                timer.cancel()
                self.waiter = None
            if waiter.result() is _EXPIRED and not self.messages:
                return None
        if not self.messages:
            raise EOFError("the worker ended")
        got = self.messages.popleft()
        self.ahead -= len(got[1])
        if self.paused and self.ahead < AHEAD // 2 and self.transport is not None:
            self.transport.resume_reading()
            self.paused = False
        return got


class Worker:
    """A process started as `python -P -m api.worker`, not by multiprocessing.

    multiprocessing's spawn (and its forkserver, in Python 3.11) runs the service's main
    script again in every new process: under `kg serve` that imported kg's whole command line,
    a third of a second before a worker replacing one stopped at its time limit could serve.
    -P: not from the working directory, where a folder named api or kg may be.
    """

    def __init__(
        self,
        path: Path,
        on_lost: Callable[[Worker], None],
        write: bool = False,
        env: dict[str, str] | None = None,
    ) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-P", "-m", "api.worker", str(path), str(theirs.fileno()),
                 str(os.getpid()), *(["--write"] if write else [])],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env,
            )  # fmt: skip
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self.path, self.socket = path, ours
        self.channel = Channel(lambda: on_lost(self))
        self.retired = False
        self.wall: str | None = None  # why the network wall is not up, if it is not

    @property
    def pid(self) -> int:
        return self.process.pid

    async def ready(self) -> Worker:
        """Hand the socket to the event loop (which owns and closes it from now on) and wait
        for the worker to open the store."""
        loop = asyncio.get_running_loop()
        await loop.connect_accepted_socket(lambda: self.channel, self.socket)
        try:
            first = await self.channel.next(time.monotonic() + START_TIME)
        except EOFError:
            first = None
        if first is None or not isinstance(first[0], msg.Ready):
            reason = first[0].reason if first and isinstance(first[0], msg.Unavailable) else None
            await self.kill()
            raise RuntimeError(
                f"a worker could not open the store {self.path}: "
                f"{reason or 'it ended or did not answer'}"
            )
        self.wall = first[0].wall
        return self

    def stop(self) -> None:
        """Kill the process now (a signal: it does not wait) and close the socket."""
        self.retired = True
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        if self.channel.transport is None:
            self.socket.close()
        else:
            self.channel.transport.close()

    async def kill(self) -> int:
        """Stop the process and reap it; its exit status."""
        self.stop()
        return await asyncio.to_thread(self.process.wait)
