"""Exports as Gephi, yEd, Cytoscape and triple stores read them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import httpx
import networkx as nx
import pytest
from lxml import etree

from kg.export import export_bytes, export_file
from kg.gexf import write_gexf
from kg.networks import VIEWS, Filters, build
from kg.store import KGStore

from .conftest import SHARED

SCHEMA = SHARED / "gexf-1.3" / "gexf.xsd"
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    if not SCHEMA.is_file():
        pytest.skip("../shared/gexf-1.3 not present")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.mark.parametrize("view", VIEWS)
def test_gexf_is_valid_1_3_and_reads_back(
    sample_store: KGStore, xsd: etree.XMLSchema, view: str
) -> None:
    data = export_bytes(sample_store, "gexf", view)
    doc = etree.fromstring(data)
    assert xsd.validate(doc), xsd.error_log
    net = build(sample_store, view)
    g = nx.read_gexf(io.BytesIO(data))
    assert g.number_of_nodes() == len(net.nodes) and g.number_of_edges() == len(net.edges)
    types = {d["type"] for _, d in g.nodes(data=True)}
    assert all(d["label"] for _, d in g.nodes(data=True))
    assert all(d["weight"] >= 1 and d["kind"] for _, _, d in g.edges(data=True))
    if view == "attribution":
        assert {"FigureClaim", "Category"} <= types
    else:
        assert {"Person", "Place"} <= types
    graph = doc.find(f"{GEXF}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert doc.findall(f".//{GEXF}node/{GEXF}color") and doc.findall(f".//{GEXF}node/{GEXF}size")


def test_entity_view_has_every_edge_kind_places_with_coordinates(sample_store: KGStore) -> None:
    g = nx.read_gexf(io.BytesIO(export_bytes(sample_store, "gexf", "entity")))
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert {"co-mention", "attribution", "quote", "location"} <= kinds
    kharkiv = next(d for _, d in g.nodes(data=True) if d["label"] == "Kharkiv")
    assert 49 < kharkiv["latitude"] < 51 and 35 < kharkiv["longitude"] < 37
    assert kharkiv["start"] == "2024-03-01"
    assert "Event" in {d["type"] for _, d in g.nodes(data=True)}


def test_filters_by_dates_documents_and_category(sample_store: KGStore) -> None:
    march = build(sample_store, "entity", Filters(since=date(2024, 3, 1), until=date(2024, 3, 31)))
    docs = set().union(*(n.documents for n in march.nodes.values()))
    assert {d.rsplit("/", 1)[-1] for d in docs} == {
        "2024-03-01-kharkiv-market.txt",
        "odesa-port-drones.txt",
    }
    one = build(sample_store, "comention", Filters(documents=frozenset({"river-crossing.txt"})))
    assert {"Maria Lysenko"} <= {n.label for n in one.nodes.values()}
    assert "Anna Koval" not in {n.label for n in one.nodes.values()}
    killed = build(sample_store, "attribution", Filters(category="killed"))
    claims = [n for n in killed.nodes.values() if n.type == "FigureClaim"]
    assert claims and all(n.extra["category"] == "killed" for n in claims)


def test_graphml_and_gephi_csv(sample_store: KGStore, tmp_path: Path) -> None:
    g = nx.read_graphml(io.BytesIO(export_bytes(sample_store, "graphml", "entity")))
    net = build(sample_store, "entity")
    assert g.number_of_nodes() == len(net.nodes) and g.number_of_edges() == len(net.edges)
    assert {d["type"] for _, d in g.nodes(data=True)} >= {"Person", "Place"}
    nodes, edges = export_file(sample_store, "csv", tmp_path / "out", "entity")
    assert nodes.read_text().splitlines()[0].startswith("Id,Label,Type")
    assert edges.read_text().splitlines()[0].startswith("Source,Target,Type,Label,Weight")
    assert len(nodes.read_text().splitlines()) == len(net.nodes) + 1
    with zipfile.ZipFile(io.BytesIO(export_bytes(sample_store, "csv"))) as z:
        assert set(z.namelist()) == {"nodes.csv", "edges.csv"}


def test_png_picture(sample_store: KGStore) -> None:
    data = export_bytes(sample_store, "png", "attribution")
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_jsonld_uses_the_context(sample_store: KGStore) -> None:
    doc = json.loads(export_bytes(sample_store, "jsonld"))
    text = json.dumps(doc)
    assert "@context" in doc and '"label"' in text and "attributedTo" in text


def test_nquads_dump_loads_back_to_the_same_quads(sample_store: KGStore, tmp_path: Path) -> None:
    dump = tmp_path / "dump.nq"
    dump.write_bytes(export_bytes(sample_store, "nquads"))
    store = tmp_path / "restored"
    result = subprocess.run([sys.executable, "-m", "kg.cli", "load", str(dump), "--store", str(store)],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    restored = KGStore(store, read_only=True)
    assert set(restored.ox.quads_for_pattern(None, None, None, None)) == set(
        sample_store.ox.quads_for_pattern(None, None, None, None)
    )


def test_load_turtle_and_jsonld_into_named_graphs(sample_store: KGStore, tmp_path: Path) -> None:
    ttl = tmp_path / "extra.ttl"
    ttl.write_text('<urn:x:a> <http://www.w3.org/2000/01/rdf-schema#label> "imported" .\n')
    ld = tmp_path / "graph.jsonld"
    ld.write_bytes(export_bytes(sample_store, "jsonld"))
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle <")
    store = tmp_path / "s"
    result = subprocess.run([sys.executable, "-m", "kg.cli", "load", str(ttl), str(ld), str(bad), "--store", str(store)],
                            capture_output=True, text=True)  # fmt: skip
    assert (
        result.returncode == 0
        and "broken.ttl" in result.stderr
        and "Traceback" not in result.stderr
    )
    loaded = KGStore(store, read_only=True)
    rows = loaded.select('SELECT ?g WHERE { GRAPH ?g { <urn:x:a> ?p "imported" } }')
    assert rows == [{"g": "https://w3id.org/conflict-kg/id/import/extra.ttl"}]
    assert loaded.stats()["figure_claims"] == sample_store.stats()["figure_claims"]


def test_export_route_views_and_filters(live_server: str, xsd: etree.XMLSchema) -> None:
    r = httpx.get(
        f"{live_server}/export/gexf", params={"view": "attribution", "category": "killed"}
    )
    assert r.status_code == 200 and xsd.validate(etree.fromstring(r.content))
    assert httpx.get(f"{live_server}/export/gexf", params={"view": "nope"}).status_code == 422
    png = httpx.get(f"{live_server}/export/png", params={"view": "entity", "from": "2024-03-01"})
    assert png.headers["content-type"] == "image/png"


def test_writer_escapes_labels(xsd: etree.XMLSchema) -> None:
    from kg.networks import Network

    net = Network("entity")
    net.node("urn:x:1", 'A "quoted" <label> & more', "Person").seen("d", "2024-01-01")
    net.node("urn:x:2", "B", "Place").seen("d", None)
    net.edge("urn:x:1", "urn:x:2", "co-mention", "co-mentioned", 2, "2024-01-01")
    out = io.StringIO()
    write_gexf(net, out)
    assert xsd.validate(etree.fromstring(out.getvalue().encode()))
    g = nx.read_gexf(io.BytesIO(out.getvalue().encode()))
    assert g.nodes["urn:x:1"]["label"] == 'A "quoted" <label> & more'


def test_event_participation_edges(tmp_path: Path) -> None:
    from kg.build import build_paths
    from kg.settings import get_settings

    (tmp_path / "a.txt").write_text(
        "date 2024-05-02 Shelling\nRussian forces shelled Kharkiv on Monday, killing 12 people.\n"
    )
    store = KGStore(tmp_path / "s")
    build_paths([tmp_path / "a.txt"], store, get_settings().pipeline)
    net = build(store, "entity")
    kinds = {
        (net.nodes[e.source].label, e.kind, net.nodes[e.target].type) for e in net.edges.values()
    }
    assert ("Russian Armed Forces", "participation", "Event") in kinds
    assert any(kind == "location" and target == "Place" for _, kind, target in kinds)


MARCH = {"2024-03-01-kharkiv-market.txt", "odesa-port-drones.txt"}  # published in March 2024


def _documents_in(data: bytes, fmt: str) -> set[str]:
    """The ids (schema:identifier) of the documents an RDF dump holds."""
    import pyoxigraph as ox
    from rdflib import Dataset, URIRef

    identifier = "https://schema.org/identifier"
    if fmt == "jsonld":
        dataset = Dataset().parse(data=data, format="json-ld")
        return {str(o) for _, _, o, _ in dataset.quads((None, URIRef(identifier), None, None))}
    formats = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
               "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}  # fmt: skip
    return {t.object.value for t in ox.parse(data, formats[fmt]) if t.predicate.value == identifier}


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle", "ntriples", "jsonld"])
def test_rdf_dump_keeps_the_chosen_documents(sample_store: KGStore, fmt: str) -> None:
    one = Filters(documents=frozenset({"river-crossing.txt"}))
    assert _documents_in(export_bytes(sample_store, fmt, filters=one), fmt) == {
        "river-crossing.txt"
    }
    march = Filters(since=date(2024, 3, 1), until=date(2024, 3, 31))
    assert _documents_in(export_bytes(sample_store, fmt, filters=march), fmt) == MARCH
    assert len(_documents_in(export_bytes(sample_store, fmt), fmt)) == 6
    nothing = Filters(documents=frozenset({"no-such-document.txt"}))
    assert _documents_in(export_bytes(sample_store, fmt, filters=nothing), fmt) == set()


def test_rdf_dump_of_documents_is_their_graphs_quad_for_quad(sample_store: KGStore) -> None:
    import pyoxigraph as ox

    from kg.vocab import document_iri

    chosen = Filters(documents=frozenset({"river-crossing.txt", "odesa-port-drones.txt"}))
    data = export_bytes(sample_store, "nquads", filters=chosen)
    graphs = [ox.NamedNode(str(document_iri(d))) for d in sorted(chosen.documents or ())]
    expected = {q for g in graphs for q in sample_store.ox.quads_for_pattern(None, None, None, g)}
    assert set(ox.parse(data, ox.RdfFormat.N_QUADS)) == expected


def test_rdf_dump_refuses_a_view_or_a_category(sample_store: KGStore) -> None:
    """A dump of whole document graphs cannot keep one category of claims, nor draw a view:
    asking for them is an error, not a silent dump of everything."""
    with pytest.raises(ValueError, match="category"):
        export_bytes(sample_store, "nquads", filters=Filters(category="killed"))
    with pytest.raises(ValueError, match="view"):
        export_bytes(sample_store, "turtle", "attribution")
    with pytest.raises(ValueError, match="comention"):
        export_bytes(sample_store, "gexf", "comention", Filters(category="killed"))


def test_export_route_filters_rdf_dumps(live_server: str) -> None:
    r = httpx.get(f"{live_server}/export/nquads", params={"document": "river-crossing.txt"})
    assert r.status_code == 200 and _documents_in(r.content, "nquads") == {"river-crossing.txt"}
    assert r.headers["content-disposition"] == 'attachment; filename="kg.nq"'
    two = httpx.get(
        f"{live_server}/export/turtle",
        params=[("document", "river-crossing.txt"), ("document", "odesa-port-drones.txt")],
    )
    assert _documents_in(two.content, "turtle") == {"river-crossing.txt", "odesa-port-drones.txt"}
    march = httpx.get(
        f"{live_server}/export/trig", params={"from": "2024-03-01", "to": "2024-03-31"}
    )
    assert _documents_in(march.content, "trig") == MARCH
    for fmt, params in [("nquads", {"category": "killed"}), ("jsonld", {"view": "entity"}),
                        ("gexf", {"view": "comention", "category": "killed"})]:  # fmt: skip
        refused = httpx.get(f"{live_server}/export/{fmt}", params=params)
        assert refused.status_code == 400, (fmt, params)
        body = refused.json()
        assert body["error"] == 400 and next(iter(params)) in body["message"]


def test_cli_export_filters_and_refuses_like_the_service(
    sample_store_path: Path, tmp_path: Path
) -> None:
    def kg(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kg.cli", "export", *args, "--store", str(sample_store_path)],
                              capture_output=True, text=True)  # fmt: skip

    out = tmp_path / "march.nq"
    done = kg("nquads", "-o", str(out), "--from", "2024-03-01", "--to", "2024-03-31")
    assert done.returncode == 0, done.stderr
    assert _documents_in(out.read_bytes(), "nquads") == MARCH
    one = tmp_path / "one.ttl"
    assert kg("turtle", "-o", str(one), "-d", "river-crossing.txt").returncode == 0
    assert _documents_in(one.read_bytes(), "turtle") == {"river-crossing.txt"}
    refused = tmp_path / "refused.nq"
    for extra in (["--category", "killed"], ["--view", "entity"]):
        failed = kg("nquads", "-o", str(refused), *extra)
        assert failed.returncode == 1 and extra[0].strip("-") in failed.stderr
        assert "Traceback" not in failed.stderr and not refused.exists()
