"""The messages between the service and its worker processes, and how they travel.

Each worker has one socket pair with the service, used both ways. A message is one of the
types below, encoded as MessagePack (msgspec) behind a 4-byte big-endian length. The whole
protocol, in order:

- a worker starts and says `Ready`, or `Unavailable` with the reason it cannot open the store;
- a query worker then takes one `Job` at a time and answers `Rows`, `Whole` or `Error`, or, for
  an answer larger than `WHOLE_ANSWER`, `Start`, then `Chunk`s, then `End`;
- a write worker takes one `Update` and answers `Done` or `Error`, then exits;
- `Stop` (or the end of the socket) ends a worker.

msgspec rather than pickle: typed, no code runs on decoding, and about four times faster for
the small messages of a lookup. This module imports only msgspec, so workers stay small.
"""

from __future__ import annotations

import socket
import struct
from typing import Any

import msgspec

WHOLE_ANSWER = 1 << 20  # an answer up to this size is one message; a larger one streams
CHUNK_BYTES = 256 << 10  # a streamed answer's parts: about this size (a part ends on a row)
MAX_MESSAGE = 64 << 20  # no message is larger: a worker refuses a row or answer past it


class Term(msgspec.Struct, array_like=True, frozen=True):
    """An RDF term bound to a canned query's parameter: kind is iri, lang or literal."""

    kind: str
    value: str
    extra: str | None = None  # the language tag, or the datatype IRI


class Job(msgspec.Struct, tag=True, array_like=True):
    """One query for a query worker: everything its answer depends on but the store."""

    query: str
    format: str  # json, xml, csv, tsv, rows, or a graph format of api.results.GRAPH_FORMATS
    cap: int
    params: dict[str, Term] = {}
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    base_iri: str | None = None  # relative IRIs resolve against the endpoint
    union: bool = True  # default graph = union of graphs, unless the query or request names some


class Update(msgspec.Struct, tag=True, array_like=True):
    """One SPARQL Update for a write worker."""

    update: str
    base_iri: str | None = None


class Stop(msgspec.Struct, tag=True, array_like=True):
    pass


class Ready(msgspec.Struct, tag=True, array_like=True):
    wall: str | None = None  # why the network wall (api.sandbox) is not up; None when it is


class Unavailable(msgspec.Struct, tag=True, array_like=True):
    reason: str


class Error(msgspec.Struct, tag=True, array_like=True):
    status: int
    message: str


class Rows(msgspec.Struct, tag=True, array_like=True):
    """A SELECT answer as JSON-friendly rows, for the JSON endpoints and canned queries."""

    rows: list[dict[str, Any]]
    truncated: bool


class Whole(msgspec.Struct, tag=True, array_like=True):
    kind: str  # select, ask or graph
    body: bytes
    truncated: bool


class Start(msgspec.Struct, tag=True, array_like=True):
    kind: str


class Chunk(msgspec.Struct, tag=True, array_like=True):
    data: bytes


class End(msgspec.Struct, tag=True, array_like=True):
    truncated: bool


class Done(msgspec.Struct, tag=True, array_like=True):
    pass


ToWorker = Job | Update | Stop
FromWorker = Ready | Unavailable | Error | Rows | Whole | Start | Chunk | End | Done

_LENGTH = struct.Struct("!I")
_encoder = msgspec.msgpack.Encoder()
_to_worker = msgspec.msgpack.Decoder(ToWorker)
_from_worker = msgspec.msgpack.Decoder(FromWorker)


def encode(message: ToWorker | FromWorker) -> bytes:
    """A message with its length in front, ready to write."""
    payload = _encoder.encode(message)
    return _LENGTH.pack(len(payload)) + payload


def decode_answer(payload: bytes | memoryview) -> FromWorker:
    """A worker's message from its payload (kept answers are decoded again for each caller)."""
    return _from_worker.decode(payload)


class TooLarge(ValueError):
    """A message longer than MAX_MESSAGE: the worker is broken, or is not a worker."""


class Framer:
    """Splits the bytes a worker sends into whole messages, as they arrive (service side)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[FromWorker, bytes]]:
        """Each whole message now in the buffer, with its payload (a kept answer's bytes)."""
        self.buffer += data
        out: list[tuple[FromWorker, bytes]] = []
        start, size = 0, len(self.buffer)
        with memoryview(self.buffer) as view:
            while size - start >= 4:
                (length,) = _LENGTH.unpack_from(view, start)
                if length > MAX_MESSAGE:
                    raise TooLarge(f"a message of {length:,} bytes")
                if size - start - 4 < length:
                    break
                payload = bytes(view[start + 4 : start + 4 + length])
                out.append((_from_worker.decode(payload), payload))
                start += 4 + length
        if start:
            del self.buffer[:start]
        return out


def send(sock: socket.socket, message: ToWorker | FromWorker) -> None:
    """Write a message (blocking; the worker side). One past MAX_MESSAGE is sent as an error."""
    wire = encode(message)
    if len(wire) - 4 > MAX_MESSAGE:
        wire = encode(Error(500, f"an answer part of {len(wire):,} bytes, past the service's "
                                 f"limit of {MAX_MESSAGE:,}"))  # fmt: skip
    sock.sendall(wire)


class Receiver:
    """A worker's end of its socket: whole messages from the service, read with as few system
    calls as may be (one per message, usually)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, bytearray()

    def next(self) -> ToWorker | None:
        """The next message; None when the service has gone (blocking)."""
        while True:
            if len(self.buffer) >= 4:
                (length,) = _LENGTH.unpack_from(self.buffer)
                if len(self.buffer) >= 4 + length:
                    payload = bytes(self.buffer[4 : 4 + length])
                    del self.buffer[: 4 + length]
                    return _to_worker.decode(payload)
            part = self.sock.recv(1 << 16)
            if not part:
                return None
            self.buffer += part
