"""The service's limits, writes and JSON endpoints, and real SPARQL clients against it."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi import HTTPException
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

from api.pool import WorkerPool
from api.routers.export import export
from kg.settings import Settings

from .conftest import CLAIMS, EXAMPLES, build_store, serve

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?x ?y ?z } GRAPH ?c { ?q ?r ?t } }"
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory):
    path = build_store(tmp_path_factory.mktemp("limited") / "store")
    with serve(path, query_timeout=1.5, row_cap=3, cors_origins=["https://analyst.example"],
               answer_cache_mb=0) as url:  # fmt: skip
        yield url


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory):
    path = build_store(
        tmp_path_factory.mktemp("writable") / "store", EXAMPLES / "river-crossing.txt"
    )
    with serve(path, token=TOKEN, row_cap=100_000) as url:
        yield url


def test_time_limit_stops_the_query_and_others_are_served(limited: str) -> None:
    with httpx.Client(base_url=limited, timeout=30) as client:
        outcome: dict[str, httpx.Response] = {}
        slow = threading.Thread(
            target=lambda: outcome.update(slow=client.get("/sparql", params={"query": SLOW}))
        )
        started = time.monotonic()
        slow.start()
        time.sleep(0.3)
        health = client.get("/health")  # served while the slow query runs
        slow.join(30)
        elapsed = time.monotonic() - started
        assert health.status_code == 200
        assert outcome["slow"].status_code == 503
        assert "time limit" in outcome["slow"].json()["message"]
        assert elapsed < 10
        again = client.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"})
        assert again.status_code == 200 and again.json()["boolean"] is True


def test_a_request_may_ask_for_less_time(limited: str) -> None:
    started = time.monotonic()
    r = httpx.get(f"{limited}/sparql", params={"query": SLOW, "timeout": "0.3"}, timeout=30)
    assert r.status_code == 503 and time.monotonic() - started < 1.4


def test_row_cap_says_when_it_cut(limited: str) -> None:
    query = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = httpx.get(
        f"{limited}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert len(r.json()["results"]["bindings"]) == 3
    assert r.json()["truncated"] is True and r.headers["X-KG-Truncated"] == "true"
    csv = httpx.get(f"{limited}/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert len(csv.text.strip().splitlines()) == 4 and csv.headers["X-KG-Truncated"] == "true"


def test_cors_origin_from_settings(limited: str, live_server: str) -> None:
    headers = {"Origin": "https://analyst.example"}
    assert (
        httpx.get(f"{limited}/health", headers=headers).headers["access-control-allow-origin"]
        == "https://analyst.example"
    )
    assert (
        "access-control-allow-origin"
        not in httpx.get(f"{live_server}/health", headers=headers).headers
    )
    # A browser's GET query (the hot path of /sparql) carries the CORS headers too.
    r = httpx.get(f"{limited}/sparql", params={"query": "ASK {}"}, headers=headers)
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert r.headers["access-control-allow-origin"] == "https://analyst.example"


def test_repeated_queries_are_answered_from_memory_until_a_write(
    writable: str, limited: str
) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    accept = {"Accept": "application/sparql-results+json"}

    def ask(query: str, url: str = writable, **headers: str) -> httpx.Response:
        r = httpx.get(f"{url}/sparql", params={"query": query}, headers={**accept, **headers})
        assert r.status_code == 200, r.text
        return r

    def n(r: httpx.Response) -> int:
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    use = httpx.get(f"{writable}/health").json()["answer_cache"]
    first, again = ask(count), ask(count)
    assert "x-kg-cache" not in first.headers and again.headers["x-kg-cache"] == "hit"
    now_used = httpx.get(f"{writable}/health").json()["answer_cache"]
    assert now_used["hits"] > use["hits"]
    assert now_used["misses"] == use["misses"] + 1  # one request asked, one answer computed
    assert again.content == first.content
    csv = ask(count, Accept="text/csv")  # another format is another answer
    assert "x-kg-cache" not in csv.headers and csv.text.splitlines()[0] == "n"
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

    def post(query: str) -> httpx.Response:
        r = httpx.post(f"{writable}/sparql", content=query,
                       headers={"Content-Type": "application/sparql-query", **accept})  # fmt: skip
        assert r.status_code == 200, r.text
        return r

    posted = [post(graphs), post(graphs), ask(graphs)]  # POST answers are kept too, for GET
    assert [r.headers.get("x-kg-cache") for r in posted] == [None, "hit", "hit"]
    update = "INSERT DATA { GRAPH <urn:x:cache> { <urn:x:s> <urn:x:p> 2 } }"
    written = httpx.post(f"{writable}/sparql", content=update, headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert written.status_code == 204
    after = ask(count)  # the write made every kept answer stale
    assert "x-kg-cache" not in after.headers and n(after) == n(first) + 1
    assert "x-kg-cache" not in post(graphs).headers and n(post(graphs)) == n(posted[0]) + 1
    assert ask(count).headers["x-kg-cache"] == "hit"
    relative = {"query": "SELECT (<here> AS ?i) WHERE {}"}  # resolved against the endpoint
    at = [httpx.get(f"{writable}{path}", params=relative, headers=accept).json()
          for path in ("/sparql", "/sparql/", "/sparql/")]  # fmt: skip
    assert [a["results"]["bindings"][0]["i"]["value"] for a in at] == [
        f"{writable}/here", f"{writable}/sparql/here", f"{writable}/sparql/here"]  # fmt: skip
    now = "SELECT (NOW() AS ?t) WHERE {}"  # a different answer every time: never kept
    assert all("x-kg-cache" not in ask(now).headers for _ in range(2))
    assert all("x-kg-cache" not in ask(count, limited).headers for _ in range(2))  # set to 0
    assert httpx.get(f"{limited}/health").json()["answer_cache"] is None


def _quads(url: str) -> int:
    """How many quads the served store holds."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = httpx.get(f"{url}/sparql", headers={"Accept": "text/csv"}, params={"query": query})
    return int(r.text.split()[1])


# Every quad a thousand times over (at most 90,000 rows): an answer of many megabytes.
_KS = " ".join(str(k) for k in range(1000))
_MANY_ROWS = (
    f"SELECT ?k ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?k {{ {_KS} }} }} LIMIT 90000"
)


def test_large_answers_come_back_whole(live_server: str) -> None:
    """Answers bigger than a pipe's buffer reach the service in pieces and go out whole."""
    quads = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT %d"
    total = _quads(live_server)
    for limit in (2_000, 9_000):
        r = httpx.get(f"{live_server}/sparql", params={"query": quads % limit}, timeout=60,
                      headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert r.status_code == 200, r.text
        assert len(r.content) > 200_000
        assert len(r.json()["results"]["bindings"]) == min(limit, total)


def test_streamed_answers_arrive_whole(writable: str) -> None:
    """An answer of many megabytes streams from its worker (which waits while the client is
    behind) and arrives whole and in order."""
    total = _quads(writable)
    with httpx.stream("GET", f"{writable}/sparql", params={"query": _MANY_ROWS}, timeout=120,
                      headers={"Accept": "text/csv"}) as r:  # fmt: skip
        assert r.status_code == 200
        parts = r.iter_bytes()
        body = next(parts)
        time.sleep(2)  # a client that falls behind
        body += b"".join(parts)
    rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert len(body) > 10_000_000 and rows[0] == ["k", "s", "p", "o"]
    assert len(rows) - 1 == min(90_000, 1000 * total)
    assert all(len(row) == 4 for row in rows)


def test_query_workers_load_only_what_a_query_needs() -> None:
    """A worker replacing one stopped at its time limit starts in well under a second, and
    each holds little memory: it loads no rdflib, spaCy, web framework or command line."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, api.worker; print(' '.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    heavy = {"rdflib", "spacy", "fastapi", "starlette", "typer", "kg.cli", "kg.store"}
    assert "api.worker" in loaded and not heavy & set(loaded)


def test_a_worker_that_cannot_open_the_store_says_why(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "CURRENT").write_text("not a manifest\n")
    with pytest.raises(RuntimeError, match=r"could not open the store .*damaged: .*CURRENT"):
        asyncio.run(WorkerPool(damaged, 1).start())


def test_clients_that_leave_mid_answer_leave_no_worker_behind(writable: str) -> None:
    """A client that goes away while its answer streams must not take a query worker with it:
    after more such clients than there are workers, queries are still answered."""
    for _ in range(3):
        with httpx.stream("GET", f"{writable}/sparql", params={"query": _MANY_ROWS}, timeout=60,
                          headers={"Accept": "text/csv"}) as r:  # fmt: skip
            assert r.status_code == 200
            next(r.iter_bytes())  # the first part, then the client leaves
    r = httpx.get(f"{writable}/sparql", params={"query": "ASK { ?s ?p ?o }", "timeout": "5"},
                  headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_a_write_right_after_a_timeout_is_seen_by_every_worker(writable: str) -> None:
    """A query past its limit has its worker replaced; a write meanwhile must not leave the
    replacement reading the store as it was before the write. (The race is timed: each round
    gives it one chance.)"""
    for n in range(3):
        stopped = httpx.get(f"{writable}/sparql", params={"query": SLOW, "timeout": "0.1"})
        assert stopped.status_code == 503
        time.sleep(0.15)  # the stopped worker is gone, its replacement starting
        update = f"INSERT DATA {{ GRAPH <urn:x:race{n}> {{ <urn:x:s> <urn:x:p> 1 }} }}"
        written = httpx.post(f"{writable}/sparql", content=update, timeout=60, headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert written.status_code == 204
        time.sleep(1.5)  # any replacement has joined by now
        for i in range(6):  # distinct texts: answered by the workers in turn, not from memory
            query = f"ASK {{ GRAPH <urn:x:race{n}> {{ ?s ?p ?o }} }} # {i}"
            r = httpx.get(f"{writable}/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"})  # fmt: skip
            assert r.json()["boolean"] is True, (n, i)


def test_writes_need_the_token(writable: str, live_server: str) -> None:
    doc = [{"id": "new-1", "title": "Shelling in Izium", "date": "2024-06-01",
            "text": "Russian forces shelled Izium on Friday, killing 14 civilians, the regional governor Oleh Synehubov said."}]  # fmt: skip
    assert httpx.post(f"{live_server}/documents", json=doc).status_code == 403  # read-only service
    assert httpx.post(f"{writable}/documents", json=doc).status_code == 401
    wrong = httpx.post(f"{writable}/documents", json=doc, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    made = httpx.post(f"{writable}/documents", json=doc, headers=auth, timeout=120)
    assert made.status_code == 201, made.text
    (summary,) = made.json()["documents"]
    assert (
        summary["figures"][0]["value"] == 14 and summary["figures"][0]["source"] == "Oleh Synehubov"
    )
    got = httpx.get(f"{writable}/documents/new-1").json()
    assert got["title"] == "Shelling in Izium" and got["figures"][0]["value"] == 14
    assert got["text"][got["figures"][0]["start"] : got["figures"][0]["end"]] == "14"
    files = httpx.post(f"{writable}/documents/files", headers=auth, timeout=120,
                       files={"files": ("upload.txt", b"Ten soldiers surrendered, the army said.\n")})  # fmt: skip
    assert files.status_code == 201 and files.json()["documents"][0]["id"] == "upload.txt"
    update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }"
    no = httpx.post(
        f"{writable}/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
    )
    assert no.status_code == 401
    yes = httpx.post(f"{writable}/sparql", content=update,
                     headers={"Content-Type": "application/sparql-update", **auth})  # fmt: skip
    assert yes.status_code == 204
    nested = [
        {"id": "a/report.txt", "text": "Ten soldiers surrendered, the army said."}
    ]  # a path id
    assert (
        httpx.post(f"{writable}/documents", json=nested, headers=auth, timeout=120).status_code
        == 201
    )
    assert httpx.get(f"{writable}/documents/a/report.txt").json()["id"] == "a/report.txt"
    assert httpx.delete(f"{writable}/documents/a/report.txt", headers=auth).status_code == 204
    assert httpx.delete(f"{writable}/documents/new-1", headers=auth).status_code == 204
    assert httpx.get(f"{writable}/documents/new-1").status_code == 404
    assert httpx.delete(f"{writable}/documents/new-1", headers=auth).status_code == 404


def test_guard_refuses_fetching_but_not_words(live_server: str) -> None:
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    assert httpx.get(f"{live_server}/sparql", params={"query": service}).status_code == 400
    sneaky = "select * where { service\n<http://127.0.0.1:1/> { ?s ?p ?o } }"
    assert httpx.get(f"{live_server}/sparql", params={"query": sneaky}).status_code == 400
    words = 'SELECT ?l WHERE { GRAPH ?g { ?x rdfs:label ?l FILTER(CONTAINS(?l, "Service SERVICE <x>")) } }'
    assert httpx.get(f"{live_server}/sparql", params={"query": words}).status_code == 200
    unknown = "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }"
    assert httpx.get(f"{live_server}/sparql", params={"query": unknown}).status_code == 400
    graph = "https://w3id.org/conflict-kg/id/document/river-crossing.txt"
    known = f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s a kg:FigureClaim }} }}"
    assert httpx.get(f"{live_server}/sparql", params={"query": known}).status_code == 200
    from_known = f"SELECT ?s FROM <{graph}> WHERE {{ ?s a kg:FigureClaim }}"
    r = httpx.get(f"{live_server}/sparql", params={"query": from_known})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3


def test_service_description(live_server: str) -> None:
    r = httpx.get(f"{live_server}/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, None, URIRef(sd + "Service")) in g


def test_canned_queries_are_typed_routes_in_openapi(live_server: str) -> None:
    spec = httpx.get(f"{live_server}/openapi.json").json()
    route = spec["paths"]["/queries/figure-attributions"]["get"]
    params = {p["name"]: p for p in route["parameters"]}
    assert {"source", "category", "document", "limit", "offset", "format"} <= set(params)
    assert "killed" in str(params["category"]["schema"])
    assert (
        httpx.get(f"{live_server}/queries/co-mentions", params={"min_count": "x"}).status_code
        == 422
    )
    page = httpx.get(
        f"{live_server}/queries/figure-attributions", params={"limit": 2, "offset": 1}
    ).json()
    everything = httpx.get(f"{live_server}/queries/figure-attributions").json()
    assert page == everything[1:3]
    csv = httpx.get(f"{live_server}/queries/quotes", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.startswith("speaker,")


def test_json_endpoints(live_server: str) -> None:
    found = httpx.get(f"{live_server}/entities", params={"q": "koval"}).json()
    assert found[0]["label"] == "Anna Koval" and found[0]["id"] == "person/anna-koval"
    entity = httpx.get(f"{live_server}/entities/person/anna-koval").json()
    assert (
        entity["quotes"] and entity["figures"] and entity["documents"] == ["odesa-port-drones.txt"]
    )
    assert httpx.get(f"{live_server}/entities/person/nobody-at-all").status_code == 404
    killed = httpx.get(
        f"{live_server}/figures",
        params={"category": "killed", "from": "2024-03-01", "to": "2024-03-31"},
    ).json()
    assert killed and all(
        r["category"] == "killed" and r["date"].startswith("2024-03") for r in killed
    )
    assert httpx.get(f"{live_server}/figures", params={"category": "nonsense"}).status_code == 422
    kharkiv = httpx.get(f"{live_server}/figures", params={"place": "Kharkiv"}).json()
    assert kharkiv and all("Kharkiv" in r["sentence"] for r in kharkiv)
    quotes = httpx.get(f"{live_server}/quotes", params={"speaker": "Lysenko"}).json()
    assert len(quotes) == 2
    docs = httpx.get(f"{live_server}/documents").json()
    assert len(docs) == 6
    doc = httpx.get(f"{live_server}/documents/river-crossing.txt").json()
    assert doc["text"].startswith("Fighting continued") and doc["quotes"] and doc["figures"]


def test_sparqlwrapper_in_every_format(live_server: str) -> None:
    query = "SELECT ?v WHERE { ?c a kg:FigureClaim ; kg:value ?v } ORDER BY ?v"
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(f"{live_server}/sparql")
        client.setQuery("PREFIX kg: <https://w3id.org/conflict-kg/ontology#>\n" + query)
        client.setReturnFormat(fmt)
        result = client.query().convert()
        if fmt == JSON:
            assert len(result["results"]["bindings"]) == CLAIMS
        elif fmt == XML:
            assert len(result.getElementsByTagName("result")) == CLAIMS
        else:
            assert len(result.decode().strip().splitlines()) == CLAIMS + 1
    construct = SPARQLWrapper(f"{live_server}/sparql")
    construct.setQuery(
        "CONSTRUCT { ?c <urn:v> ?v } WHERE { ?c <https://w3id.org/conflict-kg/ontology#value> ?v }"
    )
    for fmt in ("turtle", "n3", "json-ld", "xml"):
        construct.setReturnFormat(fmt)
        graph = construct.query().convert()
        if not isinstance(graph, Graph):
            graph = Graph().parse(
                data=graph, format={"turtle": "turtle", "n3": "turtle", "json-ld": "json-ld"}[fmt]
            )
        assert len(graph) == CLAIMS


def test_rdflib_sparqlstore_in_every_format(live_server: str) -> None:
    kg = "https://w3id.org/conflict-kg/ontology#"
    select = f"SELECT ?c ?v WHERE {{ ?c a <{kg}FigureClaim> ; <{kg}value> ?v }}"
    for fmt in ("json", "xml", "csv", "tsv"):
        rows = list(SPARQLStore(f"{live_server}/sparql", returnFormat=fmt).query(select))
        assert len(rows) == CLAIMS and all(isinstance(r[0], URIRef) for r in rows), fmt
    construct = f"CONSTRUCT {{ ?c <urn:v> ?v }} WHERE {{ ?c <{kg}value> ?v }}"
    for fmt in ("xml", "turtle", "json-ld", "nt"):
        graph = SPARQLStore(f"{live_server}/sparql", returnFormat=fmt).query(construct).graph
        assert graph is not None and len(graph) == CLAIMS, fmt
    store = SPARQLStore(f"{live_server}/sparql", returnFormat="json")
    rows = list(store.query("SELECT ?label WHERE { ?e a <https://w3id.org/conflict-kg/ontology#Person> ; "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"))  # fmt: skip
    assert "Anna Koval" in {str(r[0]) for r in rows}


def test_schemathesis_finds_no_server_error(live_server: str, tmp_path: Path) -> None:
    """Property-based requests from the service's own OpenAPI: no answer is a 5xx."""
    import subprocess
    import sys

    st = Path(sys.executable).parent / "st"
    result = subprocess.run(
        [str(st), "run", f"{live_server}/openapi.json", "--checks", "not_a_server_error",
         "--max-examples", "12", "--seed", "20261121", "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]


def test_query_workers_run_with_mimalloc(live_server: str, tmp_path: Path) -> None:
    """Oxigraph's many small allocations: workers preload mimalloc (installed from PyPI)
    unless told to use the system's allocator."""
    pids = httpx.get(f"{live_server}/health").json()["workers"]["pids"]
    assert pids and all("libmimalloc" in Path(f"/proc/{p}/maps").read_text() for p in pids)
    path = build_store(tmp_path / "store")
    with serve(path, worker_allocator="system") as url:
        pids = httpx.get(f"{url}/health").json()["workers"]["pids"]
        assert pids and not any("libmimalloc" in Path(f"/proc/{p}/maps").read_text() for p in pids)


def test_a_batch_with_bad_documents_builds_the_good_ones(writable: str) -> None:
    """A paragraph longer than spaCy parses at once and an id given twice are refused in one
    line each; the rest of the batch is built (once a whole batch failed with a plain 500)."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    batch = [
        {"id": "huge", "text": "Shelling continued. " + "word " * 230_000},
        {"id": "fine", "text": "Twelve civilians were killed, the governor said."},
        {"id": "fine", "text": "Again the same id."},
    ]
    r = httpx.post(f"{writable}/documents", json=batch, headers=auth, timeout=300)
    assert r.status_code == 201, r.text[:300]
    assert [d["id"] for d in r.json()["documents"]] == ["fine"]
    errors = r.json()["errors"]
    assert len(errors) == 2 and all("\n" not in e for e in errors)
    assert any("huge" in e and "1,000,000" in e for e in errors)
    assert any("'fine'" in e and "twice" in e for e in errors)
    assert httpx.get(f"{writable}/documents/huge").status_code == 404
    assert httpx.delete(f"{writable}/documents/fine", headers=auth).status_code == 204


def test_queries_are_served_while_posted_documents_are_read(writable: str) -> None:
    """Extraction (spaCy, seconds for a long text) runs before the write takes the store:
    queries sent meanwhile are answered, not held until the whole POST is done."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    paragraph = "Shelling killed 4 civilians in the town, the regional governor said on Monday. "
    doc = [{"id": "long-read", "text": "\n\n".join([paragraph * 20] * 60)}]
    outcome: dict[str, httpx.Response] = {}
    posting = threading.Thread(target=lambda: outcome.update(
        r=httpx.post(f"{writable}/documents", json=doc, headers=auth, timeout=300)))  # fmt: skip
    posting.start()
    answered = 0
    while posting.is_alive():
        r = httpx.get(f"{writable}/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # {answered}"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)  # fmt: skip
        assert r.status_code == 200
        answered += 1
    assert outcome["r"].status_code == 201 and answered >= 3
    assert httpx.delete(f"{writable}/documents/long-read", headers=auth).status_code == 204


def test_an_export_that_finds_the_service_stopping_gets_503(sample_store_path: Path) -> None:
    """An export waiting for a worker when the service stops is told so (503), like every other
    route, not given a 500."""

    async def attempt() -> HTTPException:
        pool = WorkerPool(sample_store_path, 1)
        await pool.start()
        await pool.close()
        with pytest.raises(HTTPException) as caught:
            await export("nquads", pool, Settings(store=sample_store_path))
        return caught.value

    refused = asyncio.run(attempt())
    assert refused.status_code == 503
    assert refused.detail == {"error": 503, "message": "the service is stopping"}


def test_a_write_worker_that_dies_is_no_query_worker_death(sample_store_path: Path) -> None:
    """/health counts the deaths of query workers; a write worker ending early is reported to
    the update that started it, not counted among them."""

    async def attempt() -> tuple[int, int]:
        pool = WorkerPool(sample_store_path, 1)
        await pool.start()
        try:
            writer = await pool._new(write=True)
            writer.process.kill()
            with pytest.raises(EOFError):  # its socket has ended, and the pool has heard
                await writer.channel.next(time.monotonic() + 60)
            await asyncio.to_thread(writer.process.wait)
            return pool.counts.deaths, pool.alive
        finally:
            await pool.close()

    assert asyncio.run(attempt()) == (0, 1)
