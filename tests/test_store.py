"""The graph as stored: SHACL-valid, one named graph per document, rebuilds replace."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph

from kg.build import build_documents, build_paths
from kg.extract import extract
from kg.graph import document_quads, to_graph
from kg.incidents import INCIDENTS_GRAPH
from kg.ingest import parse_txt, read_paths
from kg.resources import ontology_dir
from kg.settings import get_settings
from kg.store import KGStore
from kg.vocab import document_iri

from .conftest import EXAMPLES

PIPELINE = get_settings().pipeline


def test_every_sample_document_graph_conforms_to_the_shapes(nlp) -> None:
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    ontology = Graph().parse(ontology_dir() / "kg.ttl")
    docs = [d for d in read_paths([EXAMPLES]) if not isinstance(d, str)]
    for ex in extract(docs, nlp):
        conforms, _, report = validate(to_graph(ex), shacl_graph=shapes, ont_graph=ontology,
                                       inference="rdfs")  # fmt: skip
        assert conforms, report


def test_shapes_reject_a_claim_without_value(nlp) -> None:
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    ex = next(extract([parse_txt("a.txt", "The army says 40 soldiers were captured.")], nlp))
    graph = to_graph(ex)
    graph.remove((None, next(p for p in graph.predicates() if str(p).endswith("#value")), None))
    conforms, _, _ = validate(graph, shacl_graph=shapes)
    assert not conforms


def test_one_named_graph_per_document_and_rebuild_replaces(tmp_path: Path) -> None:
    store = KGStore(tmp_path / "s")
    build_paths([EXAMPLES], store, PIPELINE)
    graphs = {g.value for g in store.ox.named_graphs()}
    assert str(document_iri("river-crossing.txt")) in graphs
    assert len(graphs - {INCIDENTS_GRAPH}) == 6  # and the incidents linked across them
    assert INCIDENTS_GRAPH in graphs
    before = len(store.ox)
    report = build_paths([EXAMPLES / "river-crossing.txt"], store, PIPELINE, force=True)
    assert (report.documents, report.unchanged) == (1, 0)
    assert len(store.ox) == before
    assert store.stats()["documents"] == 6


def test_a_document_held_with_the_same_text_is_not_built_again(tmp_path: Path) -> None:
    """A rerun over the same inputs (a build stopped midway, a feed fetched again) builds only
    what is new or changed; the stored content hash says which."""
    store = KGStore(tmp_path / "s")
    first = [parse_txt("a.txt", "The army says 40 soldiers were captured."),
             parse_txt("b.txt", "Officials said 7 people were wounded.")]  # fmt: skip
    assert build_documents(first, store, PIPELINE).documents == 2
    changed = parse_txt("b.txt", "Officials said 9 people were wounded.")
    report = build_documents([first[0], changed], store, PIPELINE)
    assert (report.documents, report.unchanged) == (1, 1)
    rows = store.select("SELECT ?v WHERE { GRAPH ?g { ?c kg:value ?v } } ORDER BY ?v")
    assert [r["v"] for r in rows] == [9, 40]


def test_an_id_given_twice_in_one_build_is_refused_in_one_line(tmp_path: Path) -> None:
    """Two documents of one build (a POST /documents batch, a .jsonl, two folders) with one id:
    the second silently replaced the first; now it is refused, naming it, and the report counts
    what was stored."""
    first = parse_txt("twice.txt", "The army says 40 soldiers were captured.")
    second = parse_txt("twice.txt", "The ministry said 12 civilians were killed.")
    other = parse_txt("other.txt", "Officials said 7 people were wounded.")
    store = KGStore(tmp_path / "s")
    report = build_documents([first, second, other], store, PIPELINE)
    assert report.documents == 2
    assert [str(e) for e in report.errors] == [
        "document twice.txt: not built: its id 'twice.txt' is given twice in this build"
    ]
    rows = store.select(
        "SELECT ?v WHERE { GRAPH ?g { ?g schema:identifier 'twice.txt' . "
        "?c a kg:FigureClaim ; kg:value ?v } }"
    )
    assert [r["v"] for r in rows] == [40]
    assert [d["id"] for d in store.documents()] == ["other.txt", "twice.txt"]


def test_the_bulk_writer_keeps_the_last_version_of_a_document_given_twice(
    tmp_path: Path, nlp
) -> None:
    """A library caller writing the same graph twice before a batch is written: it is replaced,
    not merged."""
    versions = [parse_txt("twice.txt", t) for t in ("The army says 40 soldiers were captured.",
                                                    "The ministry said 12 civilians were killed.")]  # fmt: skip
    store = KGStore(tmp_path / "s")
    with store.bulk_writer() as writer:
        for ex in extract(versions, nlp):
            writer.replace(*document_quads(ex))
    rows = store.select("SELECT ?v WHERE { GRAPH ?g { ?c a kg:FigureClaim ; kg:value ?v } }")
    assert [r["v"] for r in rows] == [12]


def test_a_paragraph_too_long_to_parse_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    """spaCy parses at most nlp.max_length characters at once (E088): one such paragraph
    stopped the whole build, and a POST /documents batch with it. Now only that document is
    refused, in one line naming it; the documents before and after it are built."""
    before = parse_txt("before.txt", "The army says 40 soldiers were captured.")
    huge = parse_txt("huge.txt", "Shelling went on. " * 60_000 + "\n\nIt ended.\n")
    after = parse_txt("after.txt", "The ministry said 12 civilians were killed.")
    assert len(huge.text) > 1_000_000
    store = KGStore(tmp_path / "s")
    report = build_documents([before, huge, after], store, PIPELINE)
    assert report.documents == 2
    assert [str(e) for e in report.errors] == [
        "document huge.txt: not built: a paragraph of 1,080,000 characters (at character 0) is "
        "longer than the 1,000,000 the spaCy pipeline parses at once"
    ]
    assert [d["id"] for d in store.documents()] == ["after.txt", "before.txt"]


def test_a_document_the_stages_fail_on_is_refused_alone(tmp_path: Path) -> None:
    """A fault of the stages on one text (a pipeline without a parser here: no sentences to
    read) used to stop the whole build; now each such document is refused in one line naming
    it, and the build ends with what it could store."""
    docs = [parse_txt(f"{n}.txt", "The army says 40 soldiers were captured.") for n in "ab"]
    store = KGStore(tmp_path / "s")
    report = build_documents(docs, store, "blank:en")
    assert report.documents == 0
    assert [str(e).split(": not built: extraction failed (")[0] for e in report.errors] == [
        "document a.txt",
        "document b.txt",
    ]
    assert list(store.documents()) == []


def test_documents_extracted_before_an_interruption_are_kept(tmp_path: Path) -> None:
    def stop(_ex) -> None:
        raise KeyboardInterrupt  # the user stops a long build while it reports progress

    docs = [parse_txt(f"{n}.txt", "The army says 40 soldiers were captured.") for n in "ab"]
    store = KGStore(tmp_path / "s")
    with pytest.raises(KeyboardInterrupt):
        build_documents(docs, store, PIPELINE, on_document=stop)
    assert [d["id"] for d in store.documents()] == ["a.txt"]


def test_remove_drops_only_that_document(tmp_path: Path) -> None:
    store = KGStore(tmp_path / "s")
    build_paths([EXAMPLES], store, PIPELINE)
    assert store.remove_document("river-crossing.txt")
    assert not store.remove_document("river-crossing.txt")
    ids = [d["id"] for d in store.documents()]
    assert "river-crossing.txt" not in ids and len(ids) == 5


def test_build_order_does_not_change_the_graph(tmp_path: Path) -> None:
    docs = [d for d in read_paths([EXAMPLES]) if not isinstance(d, str)]
    dumps = []
    for name, order in (("forward", docs), ("backward", list(reversed(docs)))):
        store = KGStore(tmp_path / name)
        build_documents(order, store, PIPELINE)
        dumps.append(set(store.ox.quads_for_pattern(None, None, None, None)))
    assert dumps[0] == dumps[1]


def test_store_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s"
    store = KGStore(path)
    build_paths([EXAMPLES / "odesa-port-drones.txt"], store, PIPELINE)
    store.close()
    again = KGStore(path, read_only=True)
    assert again.stats()["figure_claims"] >= 3
    assert isinstance(again.ox, ox.Store)


def test_rdflib_is_the_api(tmp_path: Path, nlp) -> None:
    """A library user builds an rdflib Graph, writes it, and queries through rdflib (Oxigraph
    evaluates)."""
    ex = next(extract([parse_txt("lib.txt", "The army says 40 soldiers were captured.")], nlp))
    graph = to_graph(ex)
    store = KGStore(tmp_path / "s")
    assert store.replace_graph(graph) == len(graph)
    assert store.replace_graph(graph) == len(graph)  # replaced, not doubled
    result = store.query(
        "SELECT ?v WHERE { GRAPH ?g { ?c a kg:FigureClaim ; kg:value ?v } }",
    )
    assert [int(row.v) for row in result] == [40]
    assert len(store.ox) == len(graph)
