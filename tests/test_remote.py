"""`kg serve --sparql-endpoint`: the same API over a real `oxigraph serve` as over the local store,
and queries of kg made portable to any SPARQL server."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.sparqltext import UNBOUND_PARAM, portable
from kg.store import KGStore

from .conftest import ROOT, _free_port, oxigraph_server, serve

TOKEN = "remote-test-token"
KG = "https://w3id.org/conflict-kg/ontology#"


def _fill(url: str, store: Path) -> None:
    """The server holds the store's graphs, as `kg build --target` would have written them."""
    kg_store = KGStore(store, read_only=True)
    try:
        data = kg_store.ox.dump(format=ox.RdfFormat.N_QUADS)
    finally:
        kg_store.close()
    headers = {"Content-Type": "application/n-quads"}
    httpx.post(f"{url}/store", content=data, headers=headers, timeout=60).raise_for_status()


@pytest.fixture(scope="module")
def graph_server(
    sample_store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("server"), union=True) as url:
        _fill(url, sample_store_path)
        yield url


@pytest.fixture(scope="module")
def services(
    sample_store_path: Path, graph_server: str, live_server: str
) -> Iterator[tuple[str, str]]:
    """The service over the local store, and over the server holding the same graphs."""
    with serve(sample_store_path, sparql_endpoint=f"{graph_server}/query") as remote:
        yield live_server, remote


def _same(local: httpx.Response, remote: httpx.Response, path: str) -> None:
    assert remote.status_code == local.status_code, (path, remote.text[:300], local.text[:300])
    if local.headers.get("content-type", "").startswith("application/json"):
        assert remote.json() == local.json(), path
    elif local.headers.get("content-type") == "application/zip":  # members carry their time
        assert _members(remote.content) == _members(local.content), path
    else:
        assert remote.content == local.content, path
    for header in ("content-type", "x-kg-truncated"):
        assert remote.headers.get(header) == local.headers.get(header), (path, header)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


SELECT_CLAIMS = "SELECT ?c ?v WHERE { ?c a kg:FigureClaim ; kg:value ?v } ORDER BY ?c"
CONSTRUCT_CLAIMS = "CONSTRUCT { ?c kg:value ?v } WHERE { ?c a kg:FigureClaim ; kg:value ?v }"


def test_every_route_answers_over_a_server_as_over_the_store(
    services: tuple[str, str],
) -> None:
    local, remote = services
    with httpx.Client(base_url=local, timeout=60) as client:
        names = [q["name"] for q in client.get("/queries").json()]
        document = client.get("/documents").json()[0]["document"]
        source = client.get("/figures", params={"limit": 1}).json()[0]["source"]
    assert len(names) >= 8
    gets: list[tuple[str, dict, dict]] = [
        (path, {}, {})
        for path in ("/documents", f"/documents/{document}", "/documents/no-such.txt",
                     "/entities", "/figures", "/quotes", "/queries", "/export/gexf",
                     "/export/graphml", "/export/nquads", "/export/turtle", "/export/csv",
                     "/export/ntriples", "/export/png")
    ]  # fmt: skip
    gets += [(f"/queries/{name}", {}, {}) for name in names]
    gets += [
        ("/figures", {"category": "killed", "limit": 3, "offset": 1}, {}),
        ("/entities", {"limit": 2, "offset": 2}, {}),
        ("/queries/figure-attributions", {"source": source, "format": "json"}, {}),
        ("/queries/figure-attributions", {"document": document, "category": "killed"}, {}),
        ("/queries/figure-attributions", {"from": "2024-01-01", "to": "2024-12-31"}, {}),
        ("/queries/entity", {"name": source}, {}),
        ("/export/nquads", {"document": document}, {}),
        ("/export/turtle", {"from": "2024-01-01"}, {}),
        ("/export/gexf", {"view": "attribution", "category": "killed"}, {}),
    ]
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/csv", "text/tab-separated-values"):  # fmt: skip
        gets.append(("/sparql", {"query": SELECT_CLAIMS}, {"Accept": accept}))
        gets.append(("/sparql", {"query": "ASK { ?c a kg:FigureClaim }"}, {"Accept": accept}))
    for accept in ("text/turtle", "application/n-triples", "application/rdf+xml"):
        gets.append(("/sparql", {"query": CONSTRUCT_CLAIMS}, {"Accept": accept}))
    graph = f"https://w3id.org/conflict-kg/id/document/{document.removesuffix('.txt')}"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT ?g WHERE { GRAPH ?g { ?s a kg:Document } }"
    for query, params in [
        (f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}", {}),
        (count, {"default-graph-uri": graph}),
        (named, {"named-graph-uri": graph}),
        ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", {}),
        ("SELECT * FROM <http://example.org/none> WHERE { ?s ?p ?o }", {}),
        ("SELECT ?x WHERE {\n  ?x kg:value ?v\n  FILTER(?v >)\n}", {}),
        ("SELECT ?x WHERE { ?x kg:value ?v FILTER(?v >) }", {}),  # kg: declared on its line
    ]:
        gets.append(("/sparql", {"query": query, **params}, {}))
    gets.append(("/sparql", {"query": "ASK { ?s a ?c }"}, {"Accept": "text/turtle"}))
    with httpx.Client(timeout=60) as client:
        for path, params, headers in gets:
            shown = f"{path} {params} {headers}"
            _same(
                client.get(local + path, params=params, headers=headers),
                client.get(remote + path, params=params, headers=headers),
                shown,
            )
        malformed = client.get(f"{remote}/sparql", params={"query": gets[-2][1]["query"]})
    assert malformed.status_code == 400
    assert (malformed.json()["line"], malformed.json()["column"]) == (1, 48)


def test_health_names_the_server_and_counts_nothing(services: tuple[str, str]) -> None:
    health = httpx.get(f"{services[1]}/health", timeout=30).json()
    assert health["status"] == "ok"
    assert health["workers"]["sparql_endpoint"].endswith("/query")
    assert health["documents"] is None and health["answer_cache"] is None


def test_an_answer_is_capped_as_on_the_store(sample_store_path: Path, graph_server: str) -> None:
    with serve(sample_store_path, sparql_endpoint=f"{graph_server}/query", row_cap=2) as url:
        rows = httpx.get(f"{url}/sparql", params={"query": SELECT_CLAIMS}, timeout=30)
        graph = httpx.get(f"{url}/sparql", params={"query": CONSTRUCT_CLAIMS},
                          headers={"Accept": "application/n-triples"}, timeout=30)  # fmt: skip
    assert rows.headers["x-kg-truncated"] == "true"
    assert len(rows.json()["results"]["bindings"]) == 2
    assert graph.headers["x-kg-truncated"] == "true"
    assert len(graph.text.strip().splitlines()) == 2


def test_a_query_past_its_limit_is_cut(sample_store_path: Path, tmp_path: Path) -> None:
    """Its own server: Oxigraph's server goes on with a query whose connection was cut."""
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with oxigraph_server(tmp_path / "server", union=True) as server:
        _fill(server, sample_store_path)
        with serve(sample_store_path, sparql_endpoint=f"{server}/query") as url:
            cut = httpx.get(f"{url}/sparql", params={"query": endless, "timeout": "1"}, timeout=30)
            assert cut.status_code == 503
            assert cut.json()["message"] == "the query ran past its time limit of 1 s"
            health = httpx.get(f"{url}/health", timeout=30).json()
            assert health["workers"]["timeouts"] == 1
            after = httpx.get(f"{url}/figures", params={"limit": 1}, timeout=30)
            assert after.status_code == 200 and len(after.json()) == 1


def test_writes_go_to_the_server(sample_store_path: Path, tmp_path: Path) -> None:
    text = (
        "Rescue workers said on Tuesday that 14 people were killed when a missile struck a "
        'depot in the port. "We are still searching the rubble," said '
        "Lena Varga."
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with oxigraph_server(tmp_path / "server", union=True) as server:
        with serve(sample_store_path, sparql_endpoint=f"{server}/query",
                   update_endpoint=f"{server}/update", token=TOKEN) as url:  # fmt: skip
            added = httpx.post(f"{url}/documents", json=[{"id": "depot.txt", "text": text}],
                               headers=auth, timeout=120)  # fmt: skip
            assert added.status_code == 201, added.text
            figures = httpx.get(f"{url}/figures", params={"document": "depot.txt"}).json()
            assert [(f["value"], f["category"]) for f in figures] == [(14, "killed")]
            assert figures[0]["source"] == "Rescue workers"
            quotes = httpx.get(f"{url}/quotes", params={"document": "depot.txt"}).json()
            assert [q["speaker"] for q in quotes] == ["Lena Varga"]
            # The graph is whole on the server, and replaced whole when the text changes.
            again = httpx.post(f"{url}/documents", headers=auth, timeout=120,
                               json=[{"id": "depot.txt", "text": text.replace("14", "15")}])  # fmt: skip
            assert again.status_code == 201
            figures = httpx.get(f"{url}/figures", params={"document": "depot.txt"}).json()
            assert [f["value"] for f in figures] == [15]
            update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> kg:note 'x' } }"
            posted = httpx.post(f"{url}/sparql", content=update, headers={
                **auth, "Content-Type": "application/sparql-update"})  # fmt: skip
            assert posted.status_code == 204, posted.text
            ask = f"ASK {{ GRAPH <http://example.org/g> {{ ?a <{KG}note> 'x' }} }}"
            assert httpx.get(f"{server}/query", params={"query": ask},
                             headers={"Accept": "application/sparql-results+json"}).json()["boolean"]  # fmt: skip
            bad = httpx.post(f"{url}/sparql", content="INSERT DATUM { }", headers={
                **auth, "Content-Type": "application/sparql-update"})  # fmt: skip
            assert bad.status_code == 400 and bad.json()["message"].startswith("malformed update")
            load = httpx.post(f"{url}/sparql", content="LOAD <http://example.org/x>", headers={
                **auth, "Content-Type": "application/sparql-update"})  # fmt: skip
            assert load.status_code == 400 and "LOAD is not allowed" in load.json()["message"]
            gone = httpx.delete(f"{url}/documents/depot.txt", headers=auth)
            assert gone.status_code == 204
            assert httpx.delete(f"{url}/documents/depot.txt", headers=auth).status_code == 404
            assert httpx.get(f"{url}/figures", params={"document": "depot.txt"}).json() == []
        with serve(sample_store_path, sparql_endpoint=f"{server}/query", token=TOKEN) as url:
            refused = httpx.delete(f"{url}/documents/depot.txt", headers=auth)
            assert refused.status_code == 403
            assert "no update endpoint" in refused.json()["message"]


def test_a_server_that_goes_away_is_a_503(sample_store_path: Path, tmp_path: Path) -> None:
    running = oxigraph_server(tmp_path / "server", union=True)
    server = running.__enter__()
    try:
        _fill(server, sample_store_path)
        with serve(sample_store_path, sparql_endpoint=f"{server}/query") as url:
            assert httpx.get(f"{url}/figures", timeout=30).status_code == 200
            running.__exit__(None, None, None)  # the server stops; the service goes on
            gone = httpx.get(f"{url}/figures", timeout=30)
            assert gone.status_code == 503
            assert gone.json() == {"error": 503, "message": "the SPARQL server cannot be reached"}
            health = httpx.get(f"{url}/health", timeout=30)
            assert health.status_code == 503 and health.json()["status"] == "unavailable"
    finally:
        running.__exit__(None, None, None)


def _kg_serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", "--port", str(_free_port()), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_kg_serve_refuses_a_server_it_cannot_serve(sample_store_path: Path, tmp_path: Path) -> None:
    port = _free_port()
    unreachable = _kg_serve("--sparql-endpoint", f"http://127.0.0.1:{port}/query")
    assert unreachable.returncode == 1
    assert unreachable.stderr.strip().splitlines() == [
        f"error: http://127.0.0.1:{port}/query: cannot reach the server (Connection refused)"
    ]
    not_http = _kg_serve("--sparql-endpoint", "file:///etc/passwd")
    assert not_http.returncode == 1
    assert not_http.stderr.strip().splitlines() == [
        "error: file:///etc/passwd: a SPARQL server is named by an http(s) URL"
    ]
    with oxigraph_server(tmp_path / "server", union=False) as server:
        _fill(server, sample_store_path)
        split = _kg_serve("--sparql-endpoint", f"{server}/query")
    assert split.returncode == 1
    [line] = split.stderr.strip().splitlines()
    assert "not the union of its named graphs" in line and "--union-default-graph" in line


# -- queries made portable ----------------------------------------------------------------------
def _values(query: str) -> list[ox.Literal | ox.NamedNode | None]:
    """What a store that knows nothing of kg (no prefixes, no kg:param) answers."""
    result = ox.Store().query(query)
    assert isinstance(result, ox.QuerySolutions)
    return [row["v"] for row in result]


def test_parameters_are_written_as_terms_that_cannot_end_early() -> None:
    hostile = ox.Literal('say "hi"\n} ; DROP ALL ; #', language="en")
    query = 'SELECT ?v WHERE { BIND(kg:param("x") AS ?v) }'
    assert _values(portable(query, {"x": hostile})) == [hostile]
    iri = ox.NamedNode("http://example.org/a?b=c")
    assert _values(portable(query, {"x": iri})) == [iri]
    number = ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert _values(portable(query, {"x": number})) == [number]
    full = f'SELECT ?v WHERE {{ BIND(<{KG}param>("x") AS ?v) }}'
    assert _values(portable(full, {"x": iri})) == [iri]


def test_a_parameter_not_given_is_unbound() -> None:
    query = 'SELECT ?v WHERE { BIND(kg:param("x") AS ?v) }'
    assert _values(portable(query)) == [None]
    assert UNBOUND_PARAM in portable(query)


def test_only_calls_of_kg_param_are_rewritten() -> None:
    inside = 'SELECT ?v WHERE { BIND(\'kg:param("x")\' AS ?v) }  # kg:param("x")'
    assert _values(portable(inside, {"x": ox.Literal("no")})) == [ox.Literal('kg:param("x")')]
    other = 'PREFIX kg: <http://example.org/other#> SELECT ?v WHERE { BIND(kg:param("x") AS ?v) }'
    assert portable(other, {"x": ox.Literal("no")}) == other


def test_prefixes_and_base_are_declared_only_where_needed() -> None:
    plain = "SELECT ?v WHERE { BIND(1 AS ?v) }"
    assert portable(plain, base="http://example.org/sparql") == plain
    uses = "SELECT ?v WHERE { BIND(kg:Document AS ?v) }"
    assert _values(portable(uses)) == [ox.NamedNode(f"{KG}Document")]
    relative = "SELECT ?v WHERE { BIND(<here> AS ?v) }"
    assert _values(portable(relative, base="http://example.org/sparql")) == [
        ox.NamedNode("http://example.org/here")
    ]
    assert "\n" not in portable(relative, base="http://example.org/sparql")
    declared = "PREFIX kg: <http://example.org/k#> SELECT ?v WHERE { BIND(kg:x AS ?v) }"
    assert _values(portable(declared)) == [ox.NamedNode("http://example.org/k#x")]
    assert json.dumps(portable(declared)).count("PREFIX") == 1


# -- writing a server ---------------------------------------------------------------------------
def test_a_shard_of_new_documents_goes_to_an_oxigraph_server_whole(tmp_path: Path) -> None:
    from kg.remote import RemoteError
    from kg.targets import SparqlTarget

    def quad(doc: str, value: str) -> str:
        graph = f"<https://w3id.org/conflict-kg/id/document/{doc}>"
        return f'{graph} <{KG}note> "{value}" {graph} .\n'

    with oxigraph_server(tmp_path / "server") as server:
        with SparqlTarget.at(f"{server}/store") as target:
            assert target.server.takes_datasets  # it named itself Oxigraph
            target.load((quad("a", "1") + quad("b", "2")).encode(), new=True)
            broken = quad("c", "3") + quad("d", "4").replace(" .", "")
            with pytest.raises(RemoteError, match="HTTP 400"):
                target.load(broken.encode(), new=True)
        dump = httpx.get(f"{server}/store", headers={"Accept": "application/n-quads"}).text
    assert sorted(dump.splitlines()) == sorted((quad("a", "1") + quad("b", "2")).splitlines())
