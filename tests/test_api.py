"""The service over HTTP: a live uvicorn server and real clients."""

from __future__ import annotations

import io

import httpx
import networkx as nx
import pytest
from rdflib import Graph

from .conftest import CLAIMS

SELECT = "SELECT ?claim ?value WHERE { ?claim a kg:FigureClaim ; kg:value ?value } ORDER BY ?value"


@pytest.fixture(scope="module")
def client(live_server: str):
    with httpx.Client(base_url=live_server, timeout=60) as c:
        yield c


def test_health_and_docs(client: httpx.Client) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["documents"] == 6
    assert client.get("/docs").status_code == 200
    assert "/sparql" in client.get("/openapi.json").json()["paths"]


def test_figure_attributions_route(client: httpx.Client) -> None:
    rows = client.get("/queries/figure-attributions").json()
    assert any(r["source"] == "United Nations" and r["value"] == 1450 for r in rows)
    killed = client.get("/queries/figure-attributions", params={"category": "killed"}).json()
    assert killed and {r["category"] for r in killed} == {"killed"}
    assert client.get("/queries/figure-attributions", params={"category": "x"}).status_code == 422
    assert client.get("/queries/nothing").status_code == 404
    listed = {q["name"]: q for q in client.get("/queries").json()}
    assert "category" in {p["name"] for p in listed["figure-attributions"]["parameters"]}


def test_sparql_get_post_and_formats(client: httpx.Client) -> None:
    json_result = client.get("/sparql", params={"query": SELECT}).json()
    values = [float(b["value"]["value"]) for b in json_result["results"]["bindings"]]
    assert 1450 in values
    form = client.post("/sparql", data={"query": SELECT},
                       headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert form.json() == json_result
    direct = client.post("/sparql", content=SELECT,
                         headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})  # fmt: skip
    assert direct.headers["content-type"].startswith("text/csv")
    assert direct.text.splitlines()[0].strip() == "claim,value"
    tsv = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"}
    )
    assert tsv.text.startswith("?claim\t?value")
    xml = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert "<sparql" in xml.text


def test_construct_as_turtle(client: httpx.Client) -> None:
    query = "CONSTRUCT { ?c kg:value ?v } WHERE { ?c a kg:FigureClaim ; kg:value ?v }"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.text, format="turtle")) >= 10


def test_sparql_errors(client: httpx.Client) -> None:
    bad = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y"})
    assert bad.status_code == 400 and "message" in bad.json()
    assert (bad.json()["line"], bad.json()["column"]) == (1, 24)
    update = client.post("/sparql", data={"update": "DROP ALL"})
    assert update.status_code == 403  # read-only: the service has no token
    assert (
        client.post("/sparql", content="x", headers={"Content-Type": "text/plain"}).status_code
        == 415
    )
    refused = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    service = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert client.get("/sparql", params={"query": service}).status_code == 400
    assert client.get("/health").json()["documents"] == 6


def test_gexf_export_opens_in_networkx(client: httpx.Client) -> None:
    response = client.get("/export/gexf")
    assert response.status_code == 200
    graph = nx.read_gexf(io.BytesIO(response.content))
    assert graph.number_of_nodes() > 10
    kinds = {data["kind"] for _, _, data in graph.edges(data=True)}
    assert {"co-mention", "attribution"} <= kinds
    assert all(data["weight"] >= 1 for _, _, data in graph.edges(data=True))
    types = {data.get("type") for _, data in graph.nodes(data=True)}
    assert {"Person", "Organisation", "Place"} <= types
    assert client.get("/export/pdf").status_code == 404


def test_pages_serve_their_own_scripts(client: httpx.Client) -> None:
    import re

    editor = client.get("/editor")
    assert "figure-attributions" in editor.text and "/sparql" in editor.text
    app = client.get("/")
    assert "/static/app/app.js" in app.text and "/editor" in app.text
    for page in (editor, app):
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        local = [s for s in sources if not s.startswith(("#", "data:"))]
        assert all(s.startswith("/") for s in local), sources  # nothing from a CDN
        for s in local:
            if s.startswith("/static/"):
                assert client.get(s).status_code == 200


def test_canned_query_files_run_as_plain_sparql(client: httpx.Client) -> None:
    from kg.queries import load_queries

    query = load_queries()["figure-attributions"].text
    r = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == CLAIMS


def test_small_pages_link_to_the_next_and_add_up(client: httpx.Client) -> None:
    whole = client.get("/figures")
    assert len(whole.json()) == CLAIMS and whole.headers["X-KG-Truncated"] == "false"
    pages, r = [], client.get("/figures", params={"limit": 5})
    while "next" in r.links:
        assert r.headers["X-KG-Truncated"] == "true" and len(r.json()) == 5
        pages += r.json()
        r = client.get(r.links["next"]["url"])  # relative to the URL asked, as RFC 8288 says
    assert pages + r.json() == whole.json() and r.headers["X-KG-Truncated"] == "false"
    spec = client.get("/openapi.json").json()["paths"]["/figures"]["get"]["responses"]["200"]
    assert {"X-KG-Truncated", "Link"} <= set(spec["headers"])
    assert client.get("/entities/person/anna-koval").headers["X-KG-Truncated"] == "false"


def test_figure_attributions_route_takes_the_figures_filters(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/figures", "/queries/figure-attributions"):
        names = {p["name"] for p in spec["paths"][path]["get"]["parameters"]}
        assert {"source", "category", "document", "place", "basis", "from", "to"} <= names, path
    params = {"category": "killed", "from": "2024-03-01", "to": "2024-03-31", "place": "kharkiv"}
    canned = client.get("/queries/figure-attributions", params=params)
    assert canned.status_code == 200 and canned.json()
    assert canned.json() == client.get("/figures", params=params).json()
    bad = client.get("/queries/figure-attributions", params={"from": "last week"})
    assert bad.status_code == 422
    stated = client.get("/figures", params={"basis": "sentence"}).json()
    assert stated and {r["source_basis"] for r in stated} == {"sentence"}
    for path in ("/figures", "/quotes"):
        assert client.get(path, params={"basis": "guessed"}).status_code == 422
