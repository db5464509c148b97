"""The endpoint never reaches the network for a caller: the guard, held to a real SPARQL parser,
and the wall behind it, tried against a live service with a local listener that must hear
nothing."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from api import guard
from api.messages import Job
from api.pool import QueryFailed, WorkerPool

from .conftest import ROOT, build_store, serve

TOKEN = "guard-token"


class Listener:
    """A TCP server on loopback that counts who connects (and what they send first)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.heard: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.heard.append(conn.recv(200) or b"(connected)")
                except OSError:
                    self.heard.append(b"(connected)")

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    heard = Listener()
    yield heard
    heard.close()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = build_store(tmp_path_factory.mktemp("guard") / "store")
    with serve(path, token=TOKEN, answer_cache_mb=0) as url:
        yield url


# Each is a query Oxigraph would run with a SERVICE call to {url}, were it let through; each
# tries to hide the clause from a guard that reads text. One solution before the SERVICE (BIND
# or VALUES) makes sure Oxigraph would call it.
BYPASSES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { sErViCe <{url}> { ?s ?p ?o } }",
    "SELECT*WHERE{SERVICE<{url}>{?s ?p ?o}}",
    "SELECT * WHERE {\tSERVICE\n\r<{url}>\t{ ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://example.org/a'b> AS ?x) SERVICE <{url}> { ?s ?p ?o } } # '",
    'SELECT * WHERE { # """\n SERVICE <{url}> { ?s ?p ?o } } # """',
    "SELECT * WHERE { # '''\r SERVICE <{url}> { ?s ?p ?o } } # '''",
    'SELECT * WHERE { BIND("it\'s" AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND(\'say "hi"\' AS ?y) }',
    "SELECT * WHERE { BIND('''a'b''' AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND(\"\"\"c\"d\"\"\" AS ?y) }",
    'SELECT * WHERE { BIND("a\\"b" AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND("c\\\\" AS ?y) }',
    "SELECT * WHERE { BIND(<http://example.org/#frag> AS ?x) SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERV\\u0049CE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <{url}\\u0073> { ?s ?p ?o } }",
    "SELECT * WHERE { { { OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } } } }",
    "SELECT * WHERE { { BIND(1 AS ?a) } UNION { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { BIND(1 AS ?a) FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { BIND(1 AS ?a) MINUS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{url}> AS ?u) SERVICE ?u { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?u { <{url}> } SERVICE ?u { ?s ?p ?o } }",
    "PREFIX remote: <{url}> SELECT * WHERE { SERVICE remote:x { ?s ?p ?o } }",
    "BASE <{url}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(kg:a\\'b AS ?x) SERVICE <{url}> { ?s ?p ?o } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <{localhost}> { ?s ?p ?o } }",
    # Oxigraph's parser matches a keyword at the start of any run of letters.
    "SELECT * WHERE { SERVICESILENT<{url}>{ ?s ?p ?o } }",
    "PREFIX : <{url}> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "PREFIX : <{url}> SELECT * WHERE { service:x { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?x { UNDEF } SERVICE<{url}>{ } }",
    "SELECT * WHERE { ?s ?p trueSERVICE<{url}> { ?s ?p ?o } }",
]
UPDATES = [
    "LOAD <{url}>",
    "load silent <{url}> into graph <urn:x:g>",
    "INSERT DATA { GRAPH <http://example.org/a'b> { <urn:x:s> <urn:x:p> 1 } } ; LOAD <{url}>",
    "INSERT { GRAPH <urn:x:g> { ?s ?p ?o } } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "# '\nLOAD <{url}> # '",
    "L\\u004fAD <{url}>",
    "LOADSILENT<{url}>",
    "PREFIX : <{url}> LOAD:x",
]
# Words that only look like the keywords: these must run.
HARMLESS = [
    'SELECT * WHERE { ?s ?p "SERVICE <{url}> { }" }',
    "SELECT * WHERE { ?s ?p '''LOAD <{url}>''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <{url}> { }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:serviceLoad ?o }",
    "PREFIX p: <http://example.org/> SELECT * WHERE { ?s p:x.SERVICE ?o }",
    "SELECT ?service ?load WHERE { ?service ?p ?load }",
]


def _fill(template: str, port: int) -> str:
    url = f"http://127.0.0.1:{port}/sparql"
    return template.replace("{url}", url).replace("{localhost}", f"http://localhost:{port}/")


def _parsed_names(text: str, update: bool = False) -> set[str] | None:
    """The kinds of node in rdflib's parse of the text; None when rdflib cannot parse it."""
    try:
        tree = (parseUpdate if update else parseQuery)(text)
    except Exception:
        return None
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, CompValue):
            found.add(node.name)
            for value in node.values():
                walk(value)
        elif isinstance(node, list | tuple) or hasattr(node, "asList"):
            for value in node:  # type: ignore[union-attr]
                walk(value)

    walk(tree)
    return found


def test_every_bypass_is_refused_and_nothing_reaches_the_network(
    endpoint: str, listener: Listener
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        for template in BYPASSES:
            query = _fill(template, listener.port)
            answers = [
                client.get("/sparql", params={"query": query}),
                client.post("/sparql", data={"query": query}),
                client.post("/sparql", content=query,
                            headers={"Content-Type": "application/sparql-query"}),
            ]  # fmt: skip
            for r in answers:
                assert r.status_code == 400, (template, r.status_code, r.text)
                assert r.json()["error"] == 400
        for template in UPDATES:
            update = _fill(template, listener.port)
            for r in (
                client.post("/sparql", data={"update": update}, headers=auth),
                client.post("/sparql", content=update,
                            headers={"Content-Type": "application/sparql-update", **auth}),
            ):  # fmt: skip
                assert r.status_code == 400, (template, r.status_code, r.text)
        for template in HARMLESS:
            r = client.get("/sparql", params={"query": _fill(template, listener.port)})
            assert r.status_code == 200, (template, r.text)
    assert listener.heard == []


def test_every_bypass_is_real_for_an_unguarded_oxigraph() -> None:
    """The corpus is not made of straw: every bypass that Oxigraph parses makes it call the
    listener when nothing stands in the way (here, in this test's own process), and every
    harmless query runs without calling anyone."""
    listener, store = Listener(), ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("1")))
    for template in BYPASSES + UPDATES + HARMLESS:
        text, heard = _fill(template, listener.port), len(listener.heard)
        try:
            if template in UPDATES:
                store.update(text)
            else:
                result = store.query(text, prefixes={"kg": "urn:x:kg:"})
                list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)
        except (SyntaxError, RuntimeError):
            continue  # Oxigraph refuses it itself (escaped keywords, a service name unbound)
        except OSError:
            pass  # the listener hung up: the request was made
        called = len(listener.heard) > heard
        # `?s ?p trueSERVICE<…>` parses as SERVICE, but no triple matches before it is called
        assert called == (template not in HARMLESS and "trueSERVICE" not in template), template
    listener.close()


def test_the_guard_agrees_with_a_real_parser() -> None:
    """Where rdflib's parser finds a SERVICE pattern, the guard refuses (it refuses more:
    Oxigraph reads keywords where rdflib reads names); the harmless texts run."""
    for template in BYPASSES + HARMLESS:
        text = _fill(template, 1)
        names = _parsed_names(text)
        refused = guard.inspect(text).refusal is not None
        if names is not None and "ServiceGraphPattern" in names:
            assert refused, template
        assert refused == (template not in HARMLESS), template
    for template in UPDATES:
        names = _parsed_names(_fill(template, 1), update=True)
        assert names is None or "Load" in names or "ServiceGraphPattern" in names
        assert guard.inspect(_fill(template, 1)).refusal is not None


_PIECES = st.sampled_from([
    "?s ?p ?o .", "BIND(\"it's\" AS ?a)", "BIND('say \"x\"' AS ?b)", "BIND('''a''b' AS ?c)",
    'BIND("""q"q""" AS ?d)', "BIND(<http://example.org/a'b> AS ?e)", "# a comment ' \"\n",
    "#SERVICE <urn:x:s> {}\n", 'BIND("SERVICE <urn:x:s> {}" AS ?f)', "BIND(<urn:x:SERVICE> AS ?g)",
    "BIND('\\'' AS ?h)", 'BIND("\\\\" AS ?i)', "{ ?x ?y ?z }", "OPTIONAL { ?x ?y ?z }",
    "BIND(<http://example.org/#SERVICE> AS ?j)", "FILTER(?o != '#')",
    "SERVICE <http://127.0.0.1:1/x> { ?x ?y ?z }", "service ?u { }", "SERVICE SILENT <urn:x:s> { }",
])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8))
def test_the_guard_agrees_with_a_real_parser_on_generated_queries(pieces: list[str]) -> None:
    text = "SELECT * WHERE { " + "\n".join(pieces) + "\n}"
    names = _parsed_names(text)
    if names is not None:
        assert (guard.inspect(text).refusal is not None) == ("ServiceGraphPattern" in names)


_ADVERSARIAL = [
    " " * 5000 + "x",
    "#\n" * 5000 + "x",
    "SELECT * WHERE { ?s ?p ?o } #" + " " * 5000 + "x",
    "PREFIX p: <urn:x> " * 2000 + "x",
    "'''" + "''a" * 5000,
    '"' + "\\\\" * 5001,
    "<" + "a" * 20000,
    "SELECT * { " + "?s kg:" + "a." * 20000 + " ?o }",
    "(" * 20000,
    "\\u0053" * 5000,
]


def test_the_guard_reads_any_text_in_linear_time() -> None:
    """No input makes the guard's expressions backtrack without end (one did: 26 spaces and
    a letter took 8 s, each more space doubling it, in the service's own event loop). Run in
    a process of its own, so that a regression fails here instead of hanging the suite."""
    script = (
        "from api import guard\n"
        f"for text in {_ADVERSARIAL!r}:\n    guard.inspect(text)\n    guard._inspect(text)\n"
    )
    done = subprocess.run([sys.executable, "-"], input=script, text=True, cwd=ROOT, timeout=60,
                          check=False)  # fmt: skip
    assert done.returncode == 0


def test_the_wall_holds_when_a_query_gets_past_the_guard(
    tmp_path: Path, listener: Listener
) -> None:
    """A SERVICE or LOAD handed straight to a worker, as if the guard had missed it, reaches
    nothing: the worker cannot open a network socket."""
    path = build_store(tmp_path / "store")
    url = f"http://127.0.0.1:{listener.port}/sparql"

    async def attempt() -> list[str]:
        pool = WorkerPool(path, 1)
        await pool.start()
        failures = []
        try:
            assert pool.wall is None  # the filter is up
            job = Job(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "json", 10)
            for work in (pool.run(job, deadline()), pool.update(f"LOAD <{url}>", None, 30)):
                try:
                    await work
                except QueryFailed as exc:
                    failures.append(exc.message)
        finally:
            await pool.close()
        return failures

    def deadline() -> float:
        import time

        return time.monotonic() + 30

    failures = asyncio.run(attempt())
    assert len(failures) == 2 and all("not permitted" in f for f in failures), failures
    assert listener.heard == []
