"""A worker: a process of its own that runs callers' SPARQL on the store, walled off the network.

A query worker holds a read-only handle and answers one `Job` at a time; a job past its time
limit is stopped by killing the process, the only way to stop Oxigraph mid-query. A write worker
(`--write`) opens the store read-write for one `Update`, runs it in one transaction and exits, so
an update too has a time limit that stops it, and a killed update writes nothing.
Either sets the seccomp wall (api.sandbox) before anything else and says in `Ready` whether it
holds. It imports pyoxigraph, msgspec and kg's namespaces and row helpers, no rdflib or spaCy,
so a replacement starts fast and each worker holds little memory.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import traceback
from typing import Any

import pyoxigraph as ox

from api import messages as msg
from api.results import Send, answer, rdf_term
from api.sandbox import forbid_network
from kg.namespaces import PREFIX_MAP
from kg.rows import PARAM_FUNCTION

# Oxigraph's parser recurses: a long chain of operators (thousands of BINDs or `+`) overflows
# the usual 8 MiB stack and kills the process. Nesting is capped by the guard; chains are
# bounded by the size limit on queries, which this stack holds (only pages used take memory).
STACK = 512 << 20


def _prefixes(query: str) -> dict[str, str]:
    """kg's prefixes that the query may use: Oxigraph takes time over every prefix it is given.
    (A prefix named in a string or an IRI is given too, which does no harm.)"""
    return {prefix: iri for needle, prefix, iri in _PREFIX_NEEDLES if needle in query}


_PREFIX_NEEDLES = [(f"{prefix}:", prefix, iri) for prefix, iri in PREFIX_MAP.items()]


def _run(store: ox.Store, job: msg.Job, send: Send) -> None:
    kwargs: dict[str, Any] = {"prefixes": _prefixes(job.query), "base_iri": job.base_iri}
    if job.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif job.union:
        kwargs["use_default_graph_as_union"] = True
    if job.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    # kg:param("name") reads a canned query's bound parameters; with none bound (a canned query
    # pasted into /sparql) it is unbound, so every query file also runs as plain SPARQL.
    if "param" in job.query:
        params = {k: rdf_term(v) for k, v in job.params.items()}
        kwargs["custom_functions"] = {PARAM_FUNCTION: lambda name: params.get(name.value)}
    answer(store.query(job.query, **kwargs), job.format, job.cap, send)


def _failure(exc: BaseException, what: str) -> msg.Error:
    """What a caller is told of a query or update that failed: one line."""
    first = str(exc).splitlines()[0][:500] if str(exc) else type(exc).__name__
    if isinstance(exc, SyntaxError):
        return msg.Error(400, f"malformed {what}: {first}")
    if isinstance(exc, ValueError | OSError | TypeError | RuntimeError):
        return msg.Error(400, first)
    return msg.Error(500, traceback.format_exc(limit=1).splitlines()[-1][:500])


def _open(path: str, write: bool, send: Send) -> ox.Store | None:
    try:
        return ox.Store(path) if write else ox.Store.read_only(path)
    except (OSError, RuntimeError, ValueError) as exc:  # missing, damaged, locked
        send(msg.Unavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return None


def main(path: str, sock: socket.socket, write: bool = False, wall: str | None = None) -> None:
    """Answer the service's messages on `sock` until it stops this worker or goes away."""

    def send(message: msg.FromWorker) -> None:
        msg.send(sock, message)

    store = _open(path, write, send)
    if store is None:
        return
    send(msg.Ready(wall))
    jobs = msg.Receiver(sock)
    while (job := jobs.next()) is not None and not isinstance(job, msg.Stop):
        try:
            if isinstance(job, msg.Update):
                store.update(job.update, base_iri=job.base_iri, prefixes=PREFIX_MAP)
                store.flush()
                send(msg.Done())
            else:
                _run(store, job, send)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # pyoxigraph's PanicException is a BaseException
            send(_failure(exc, "update" if isinstance(job, msg.Update) else "query"))
        if write:
            return  # a write worker runs one update


def _die_with(service: int) -> None:
    """Be killed when the service ends, even mid-query (a query may run for minutes without
    reading its socket, where the end of the service would show)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != service:  # it ended before the line above
        os._exit(0)


def _start(argv: list[str]) -> None:
    """Set the wall, then run `main` in a thread (which has the wall too) with a stack deep
    enough for Oxigraph's parser (see STACK)."""
    # Ctrl-C in a terminal reaches the whole process group: the service stops its workers
    # itself, and a worker whose service has gone reads the end of its socket and returns.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(int(argv[2]))
    wall = forbid_network()  # before any thread starts, so that every thread has it
    threading.stack_size(STACK)
    args = (argv[0], socket.socket(fileno=int(argv[1])), "--write" in argv[3:], wall)
    worker = threading.Thread(target=main, args=args, name="kg-worker")
    worker.start()
    worker.join()


if __name__ == "__main__":  # python -P -m api.worker STORE SOCKET_FD SERVICE_PID [--write]
    _start(sys.argv[1:])
