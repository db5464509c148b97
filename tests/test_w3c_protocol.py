"""The W3C SPARQL 1.1 Protocol tests (../shared/w3c-sparql11-protocol) against the live service.

Each test's requests run in order against a service with updates enabled (a bearer token), over
a store holding the suite's data graphs, reset before every test.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.store import KGStore

from .conftest import SHARED, serve

SUITE = SHARED / "w3c-sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
TOKEN = "w3c-suite-token"

pytestmark = pytest.mark.skipif(
    not SUITE.is_dir(), reason="../shared/w3c-sparql11-protocol not present"
)


def _tests() -> list[tuple[str, list[dict]]]:
    if not SUITE.is_dir():
        return []
    g = Graph().parse(
        SUITE / "manifest.ttl",
        publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest",
    )
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    out = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        connection = g.value(test, MF.action)
        requests = []
        for req in Collection(g, g.value(connection, HT.requests)):
            body = g.value(req, HT.body)
            headers = {}
            if g.value(req, HT.headers) is not None:
                for h in Collection(g, g.value(req, HT.headers)):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            resp = g.value(req, HT.resp)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "body": str(g.value(body, CNT.chars)) if body is not None else None,
                "encoding": str(g.value(body, CNT.characterEncoding) or "UTF-8") if body is not None else None,
                "headers": headers,
                "status": {str(s).rsplit("StatusCode", 1)[-1] for s in g.objects(resp, MF.expectedStatus)},
                "format": str(g.value(resp, MF.expectedFormat) or ""),
                "boolean": g.value(resp, MF.expectedBoolean),
            })  # fmt: skip
        out.append((str(g.value(test, MF.name)), requests))
    return out


def _data() -> list[tuple[str, Path]]:
    g = Graph().parse(
        SUITE / "manifest.ttl",
        publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest",
    )
    found = {}
    for node in g.objects(None, UT.graphData):
        found[str(g.value(node, RDFS.label))] = SUITE / Path(str(g.value(node, UT.graph))).name
    return sorted(found.items())


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("w3c") / "store"
    KGStore(path).close()
    with serve(path, token=TOKEN, query_timeout=20) as url:
        yield url


def _reset(client: httpx.Client) -> None:
    parts = [f"GRAPH <{name}> {{ {file.read_text()} }}" for name, file in _data()]
    update = "CLEAR ALL ; INSERT DATA { " + " ".join(parts) + " }"
    r = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update",
                                                         "Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert r.status_code == 204, r.text


@pytest.mark.parametrize(("name", "requests"), _tests(), ids=[t[0] for t in _tests()])
def test_protocol(endpoint: str, name: str, requests: list[dict]) -> None:
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        _reset(client)
        for req in requests:
            headers = dict(req["headers"])
            if any("update" in v for v in headers.values()) or "update=" in (req["body"] or ""):
                headers["Authorization"] = f"Bearer {TOKEN}"
            body = req["body"].encode(req["encoding"].lower()) if req["body"] is not None else None
            response = client.request(req["method"], req["path"].replace("/sparql/", "/sparql", 1),
                                      content=body, headers=headers)  # fmt: skip
            status_class = f"{str(response.status_code)[0]}xx"
            assert status_class in req["status"], (
                f"{name}: {response.status_code} {response.text[:300]}"
            )
            media = response.headers.get("content-type", "").split(";")[0]
            if req["format"] == "boolean":
                assert media in (
                    "application/sparql-results+json",
                    "application/sparql-results+xml",
                )
            elif req["format"] == "tabular":
                assert media in ("application/sparql-results+json", "application/sparql-results+xml",
                                 "text/csv", "text/tab-separated-values")  # fmt: skip
            elif req["format"] == "RDF":
                assert media in ("text/turtle", "application/n-triples", "application/rdf+xml",
                                 "application/ld+json", "application/n-quads")  # fmt: skip
            if req["boolean"] is not None:
                expected = str(req["boolean"]).lower() == "true"
                if media.endswith("json"):
                    assert response.json()["boolean"] is expected, name
                else:
                    assert f"<boolean>{str(expected).lower()}</boolean>" in response.text, name
