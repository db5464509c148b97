"""A query worker: a process of its own holding a read-only handle on the store.

The service sends it one job at a time over a pipe and reads back chunks. A job past its time
limit is stopped by killing the process, which is the only way to stop Oxigraph mid-query.
It imports pyoxigraph and kg's namespaces and row helpers, no rdflib or spaCy, so a replacement
starts fast and each worker holds little memory.
"""

from __future__ import annotations

import re
import signal
import sys
import traceback
from functools import lru_cache
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from api.results import select_chunks
from kg.namespaces import PREFIX_MAP
from kg.rows import PARAM_FUNCTION, solution_rows

_PREFIXED = re.compile(r"(?<![\w?$<])([A-Za-z][\w.-]*|):")
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}  # fmt: skip
BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}  # fmt: skip


def _term(spec: tuple[str, str, str | None]) -> ox.NamedNode | ox.Literal:
    kind, value, extra = spec
    if kind == "iri":
        return ox.NamedNode(value)
    if kind == "lang":
        return ox.Literal(value, language=extra)
    return ox.Literal(value, datatype=ox.NamedNode(extra)) if extra else ox.Literal(value)


@lru_cache(maxsize=512)
def _prefixes(query: str) -> dict[str, str]:
    """kg's prefixes that the query may use: Oxigraph takes time over every prefix it is given."""
    used = set(_PREFIXED.findall(query))
    return {p: ns for p, ns in PREFIX_MAP.items() if p in used}


def _run(store: ox.Store, job: dict[str, Any], conn: Connection) -> None:
    params = {k: _term(v) for k, v in (job.get("params") or {}).items()}
    kwargs: dict[str, Any] = {
        "prefixes": _prefixes(job["query"]),
        "base_iri": job.get("base_iri"),
    }
    if job.get("default_graphs"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
    elif job.get("union", True):
        kwargs["use_default_graph_as_union"] = True
    if job.get("named_graphs"):
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    # kg:param("name") reads a canned query's bound parameters; with none bound (a canned query
    # pasted into /sparql) it is unbound, so every query file also runs as plain SPARQL.
    if "param" in job["query"]:
        kwargs["custom_functions"] = {PARAM_FUNCTION: lambda name: params.get(name.value)}
    result = store.query(job["query"], **kwargs)
    fmt, cap = job["format"], job["cap"]
    if isinstance(result, ox.QuerySolutions):
        if fmt == "rows":
            conn.send(("rows", *solution_rows(result, cap)))
            return
        if fmt not in BOOLEAN_FORMATS:
            conn.send(("error", 406, "a SELECT answers results (JSON, XML, CSV, TSV), not a graph"))
            return
        _send_chunks(conn, "select", select_chunks(result, fmt, cap))
    elif isinstance(result, ox.QueryBoolean):
        if fmt not in BOOLEAN_FORMATS:
            conn.send(("error", 406, "an ASK answers a boolean (JSON, XML, CSV, TSV), not a graph"))
            return
        conn.send(("whole", "ask", result.serialize(format=BOOLEAN_FORMATS[fmt]), False))
    else:
        if fmt not in GRAPH_FORMATS:
            conn.send(
                (
                    "error",
                    406,
                    "a CONSTRUCT or DESCRIBE answers a graph (Turtle, N-Triples, JSON-LD, RDF/XML)",
                )
            )
            return
        triples, truncated = [], False
        for triple in result:
            if len(triples) >= cap:
                truncated = True
                break
            triples.append(triple)
        conn.send(
            ("whole", "graph", ox.serialize(triples, format=GRAPH_FORMATS[fmt]) or b"", truncated)
        )


WHOLE = 1 << 20  # answers up to this size go back as one message


def _send_chunks(conn: Connection, kind: str, chunks: Any) -> None:
    """One message for a small answer; for a large one, chunks as they come."""
    parts: list[bytes] = []
    size, streaming = 0, False
    for chunk in chunks:
        if isinstance(chunk, bool):
            if streaming:
                conn.send(("end", chunk))
            else:
                conn.send(("whole", kind, b"".join(parts), chunk))
            return
        if streaming:
            conn.send(("chunk", chunk))
            continue
        parts.append(chunk)
        size += len(chunk)
        if size >= WHOLE:
            streaming = True
            conn.send(("start", kind))
            for part in parts:
                conn.send(("chunk", part))
            parts = []


def main(path: str, jobs: Connection, conn: Connection) -> None:
    """Read jobs from one pipe, write answers to the other (the service's event loop reads it)."""
    # Ctrl-C in a terminal reaches the whole process group: the service stops its workers
    # itself, and a worker whose service has gone reads the end of its pipe and returns.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = ox.Store.read_only(path)
    except (OSError, RuntimeError, ValueError) as exc:  # missing, damaged, locked
        conn.send(("error", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
        return
    conn.send(("ready",))
    while True:
        try:
            job = jobs.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            _run(store, job, conn)
        except SyntaxError as exc:
            conn.send(("error", 400, f"malformed query: {str(exc).splitlines()[0][:500]}"))
        except (ValueError, OSError, TypeError, RuntimeError) as exc:
            conn.send(
                ("error", 400, str(exc).splitlines()[0][:500] if str(exc) else type(exc).__name__)
            )
        except Exception:
            conn.send(("error", 500, traceback.format_exc(limit=1).splitlines()[-1][:500]))


if __name__ == "__main__":  # python -m api.worker STORE JOBS_FD ANSWERS_FD (see api.pool)
    main(sys.argv[1], Connection(int(sys.argv[2]), writable=False), Connection(int(sys.argv[3])))
