"""What a careless or hostile client sends: oversized bodies, bad JSON, bad encodings, odd
characters, odd methods. Every answer is the JSON the README promises, nothing grows without
bound, and the pages load nothing from elsewhere."""

from __future__ import annotations

import json
import re
import socket
import time
import xml.dom.minidom
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI

from kg.rows import ox_value

from .conftest import build_store, kg_serve, serve

TOKEN = "hardening-token"
JSON_TYPES = {"application/json"}


def _json_error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].split(";")[0] in JSON_TYPES, r.headers["content-type"]
    body = r.json()
    assert body["error"] == status and isinstance(body["message"], str) and body["message"]
    assert r.headers["x-content-type-options"] == "nosniff"
    return body


def _boom(app: FastAPI) -> None:
    """A route that fails as an unforeseen bug would."""

    @app.get("/test-only/boom")
    async def boom() -> None:
        raise ZeroDivisionError("a bug")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = build_store(tmp_path_factory.mktemp("hardening") / "store")
    with serve(path, extend=_boom, token=TOKEN, max_query_kb=64, max_upload_mb=1,
               row_cap=10_000_000) as url:  # fmt: skip
        yield url


def test_every_error_is_json(endpoint: str) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        problems = _json_error(client.get("/figures", params={"limit": "many"}), 422)["problems"]
        assert problems[0]["location"] == ["query", "limit"]
        _json_error(client.get("/queries/figure-attributions", params={"category": "x"}), 422)
        _json_error(client.get("/nowhere"), 404)
        _json_error(client.put("/sparql"), 405)
        _json_error(
            client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"}), 415
        )
        # NaN is not JSON, and a validation error that echoed it back could not be written.
        for body in (b'[{"id": "a", "text": NaN}]', b"NaN", b'{"id": Infinity}', b"[{"):
            _json_error(client.post("/documents", content=body, headers={
                "Content-Type": "application/json", **auth}), 422)  # fmt: skip
        update = 'INSERT DATA { <urn:x:s> <urn:x:p> "caf\xe9" }'.encode("latin-1")
        _json_error(client.post("/sparql", content=update, headers={
            "Content-Type": "application/sparql-update", **auth}), 415)  # fmt: skip
        _json_error(client.post("/sparql", content=b"ASK { \xff }", headers={
            "Content-Type": "application/sparql-query"}), 415)  # fmt: skip
        escaped = client.get("/sparql", params={"query": "SELECT * { ?s ?p '\\U00110000' }"})
        assert escaped.headers["content-type"].startswith("application/")  # JSON, not a crash
        body = _json_error(client.get("/test-only/boom"), 500)
        assert "ZeroDivisionError" in body["message"] and "a bug" not in body["message"]


def test_request_sizes_are_limited(endpoint: str) -> None:
    big = "ASK { } #" + "x" * (70 << 10)
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        _json_error(client.post("/sparql", content=big,
                                headers={"Content-Type": "application/sparql-query"}), 413)  # fmt: skip
        _json_error(client.post("/sparql", data={"query": big}), 413)

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it comes
            yield b"ASK { } #"
            for _ in range(80):
                yield b"x" * 1024

        _json_error(client.post("/sparql", content=chunks(),
                                headers={"Content-Type": "application/sparql-query"}), 413)  # fmt: skip
        docs = [{"id": "big", "text": "Word " * 300_000}]
        _json_error(client.post("/documents", json=docs,
                                headers={"Authorization": f"Bearer {TOKEN}"}), 413)  # fmt: skip
        # The HTTP parser refuses a request line of this size itself: in JSON too.
        head, payload = _raw(endpoint, b"GET /sparql?query=ASK%20%7B%7D%20%23" + b"x" * 100_000
                             + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")  # fmt: skip
        assert head.startswith(b"HTTP/1.1 400") and b"nosniff" in head
        assert "POST" in json.loads(payload)["message"]
        ok = client.post("/sparql", content="ASK { } #" + "x" * (60 << 10),
                         headers={"Content-Type": "application/sparql-query"})  # fmt: skip
        assert ok.status_code == 200


def test_characters_xml_cannot_hold_give_well_formed_xml(endpoint: str) -> None:
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        select = client.get("/sparql", params={"query": 'SELECT ("a\\u0000b\\u001Fc" AS ?x) {}'},
                            headers={"Accept": "application/sparql-results+xml"})  # fmt: skip
        doc = xml.dom.minidom.parseString(select.content)
        assert doc.getElementsByTagName("literal")[0].firstChild.data == "a\ufffdb\ufffdc"
        graph = client.get("/sparql", params={"query": 'CONSTRUCT { <urn:x:s> <urn:x:p> "a\\u0000b" } {}'},
                           headers={"Accept": "application/rdf+xml"})  # fmt: skip
        assert graph.status_code == 200
        xml.dom.minidom.parseString(graph.content)
        as_json = client.get("/sparql", params={"query": 'SELECT ("a\\u0000b" AS ?x) {}'})
        assert as_json.json()["results"]["bindings"][0]["x"]["value"] == "a\x00b"


def test_non_finite_numbers_stay_json() -> None:
    double = ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    values = [ox_value(ox.Literal(v, datatype=double)) for v in ("NaN", "INF", "-INF", "2.5")]
    assert values == ["NaN", "INF", "-INF", 2.5]
    json.dumps(values, allow_nan=False)


def test_pages_load_nothing_from_elsewhere_and_are_not_sniffed(endpoint: str) -> None:
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        docs = client.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text), "a CDN"
        for asset in re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", docs.text):
            assert client.get(asset).status_code == 200, asset
        assert client.get("/redoc").status_code == 404  # it would load from a CDN
        head = client.head("/")
        assert head.status_code == 200 and head.headers["x-content-type-options"] == "nosniff"
        query = {"query": "ASK { ?s ?p ?o }"}
        for r in (client.get("/sparql", params=query), client.get("/sparql", params=query),
                  client.get("/health"), client.get("/"), client.get("/openapi.json")):  # fmt: skip
            assert r.headers["x-content-type-options"] == "nosniff", r.url


def test_raw_protocol_requests_without_content_type_are_refused(endpoint: str) -> None:
    """The W3C protocol's bad_query_missing_form_type, with no client adding a header."""
    for path in ("/sparql/", "/sparql"):
        for body in (b"query=ASK%20%7B%7D", b"ASK {}"):
            head, payload = _raw(endpoint, b"POST %s HTTP/1.1\r\nHost: www.example\r\n"
                                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                                 % (path.encode(), len(body), body))  # fmt: skip
            assert head.startswith(b"HTTP/1.1 415"), head
            assert json.loads(payload)["error"] == 415


def _raw(endpoint: str, request: bytes) -> tuple[bytes, bytes]:
    """Send bytes as they are (no client adds or checks anything); the answer's head and body."""
    with socket.create_connection(
        ("127.0.0.1", int(endpoint.rsplit(":", 1)[1])), timeout=10
    ) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    return head, payload


def test_an_empty_token_leaves_the_service_read_only(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    with serve(path, token="") as url, httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/health").json()["read_only"] is True
        update = "INSERT DATA { <urn:x:s> <urn:x:p> 1 }"
        for auth in ({"Authorization": "Bearer"}, {}):
            r = client.post("/sparql", content=update, headers={
                "Content-Type": "application/sparql-update", **auth})  # fmt: skip
            _json_error(r, 403)
            _json_error(
                client.post("/documents", json=[{"id": "a", "text": "x"}], headers=auth), 403
            )


def _rss(pids: list[int]) -> int:
    """Resident memory of these processes, in bytes."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) << 10
    return total


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def test_large_distinct_queries_do_not_grow_memory(tmp_path: Path) -> None:
    """Thirty distinct queries of 400 KiB each: the service and its workers keep no copy of
    them (caches hold digests and bounded entries), so memory stays flat."""
    path = build_store(tmp_path / "store")
    with kg_serve(path, KG_ANSWER_CACHE_MB="4") as (url, server):
        with httpx.Client(base_url=url, timeout=60) as client:

            def ask(n: int) -> None:
                text = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {n} " + "x" * (400 << 10)
                r = client.post("/sparql", content=text,
                                headers={"Content-Type": "application/sparql-query"})  # fmt: skip
                assert r.status_code == 200, r.text[:200]

            for n in range(5):  # warm up: allocators, first answers
                ask(n)
            before = _rss([server.pid, *_children(server.pid)])
            for n in range(5, 35):
                ask(n)
            after = _rss([server.pid, *_children(server.pid)])
            cache = client.get("/health").json()["answer_cache"]
        assert cache["bytes"] <= 4 << 20
        assert after - before < 24 << 20, (before >> 20, after >> 20)
        server.terminate()
        server.wait(15)
        assert "GET /health HTTP/1.1" in server.stderr.read()  # a line per request for operators


# About 50 KB a row (a string doubled ten times), 2,000 rows: 100 MB from a query of 300 bytes.
_HUGE_ROWS = (
    "SELECT ?i ?x WHERE { VALUES ?i { " + " ".join(str(i) for i in range(2000)) + " } "
    'BIND(CONCAT(STR(?i), "0123456789012345678901234567890123456789012345678") AS ?x0) '
    + " ".join(f"BIND(CONCAT(?x{n}, ?x{n}) AS ?x{n + 1})" for n in range(10))
    + " BIND(?x10 AS ?x) }"
)


def _ask_and_never_read(url: str, query: str) -> socket.socket:
    """A client that asks for an answer and then reads nothing of it."""
    host, port = url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)))
    body = query.encode()
    conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n"
                 b"Content-Type: application/sparql-query\r\nContent-Length: %d\r\n\r\n%s"
                 % (len(body), body))  # fmt: skip
    return conn


def test_clients_that_stop_reading_hold_no_worker_and_little_memory(tmp_path: Path) -> None:
    """Two clients ask for 100 MB answers and never read them: past their time limit their
    workers are freed (queries and writes go on), and the service holds a few MiB of those
    answers, not the answers (it held 860 MiB)."""
    path = build_store(tmp_path / "store")
    env = {"KG_QUERY_TIMEOUT": "3", "KG_ROW_CAP": "100000", "KG_TOKEN": TOKEN}
    with kg_serve(path, **env) as (url, server), httpx.Client(base_url=url, timeout=30) as client:
        before = _rss([server.pid])
        stalled = [_ask_and_never_read(url, _HUGE_ROWS) for _ in range(2)]
        try:
            deadline = time.monotonic() + 30
            while client.get("/health").json()["workers"]["busy"] != 2:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            peak = _rss([server.pid])
            while client.get("/health").json()["workers"]["busy"]:  # freed at the limit
                assert time.monotonic() < deadline, "a stalled client still holds a worker"
                peak = max(peak, _rss([server.pid]))
                time.sleep(0.05)
            ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                             headers={"Accept": "application/sparql-results+json"})  # fmt: skip
            assert ask.status_code == 200 and ask.json()["boolean"] is True
            update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }"
            written = client.post("/sparql", content=update, headers={
                "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})  # fmt: skip
            assert written.status_code == 204
        finally:
            for conn in stalled:
                conn.close()
        assert peak - before < 64 << 20, (before >> 20, peak >> 20)


def test_an_answer_cut_at_its_limit_does_not_look_whole(endpoint: str) -> None:
    """A streamed answer stopped by its time limit ends as a broken response, never as a
    shorter one that looks complete."""
    many = "SELECT * WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?x ?y ?z } }"  # millions of rows
    params = {"query": many, "timeout": "1"}
    with (
        pytest.raises(httpx.RemoteProtocolError),
        httpx.stream("GET", f"{endpoint}/sparql", params=params, headers={"Accept": "text/csv"},
                     timeout=30) as r,
    ):  # fmt: skip
        assert r.status_code == 200
        for _ in r.iter_bytes():
            pass


def test_a_request_whose_time_ran_out_waiting_leaves_the_workers_alone(endpoint: str) -> None:
    """A request past its limit before it reaches a worker (here, its body came late) gets 503
    without a worker being killed for it."""
    deadline = time.monotonic() + 30
    while (workers := httpx.get(f"{endpoint}/health").json()["workers"])["starting"] or workers[
        "workers"
    ] != workers["expected"]:  # a worker replaced by an earlier test may still be starting
        assert time.monotonic() < deadline
        time.sleep(0.05)
    body = b"ASK { ?s ?p ?o }"
    port = int(endpoint.rsplit(":", 1)[1])
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"POST /sparql?timeout=0.1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         b"Content-Type: application/sparql-query\r\nContent-Length: %d\r\n\r\n"
                         % len(body))  # fmt: skip
            time.sleep(0.3)  # the body comes after the request's time is up
            conn.sendall(body)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
    after = httpx.get(f"{endpoint}/health").json()["workers"]
    assert after["pids"] == workers["pids"] and after["timeouts"] == workers["timeouts"]
