"""Exports: the entity network for Gephi and other graph tools, and RDF dumps of the store."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.store import KGStore

RDF_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
}
GRAPH_FORMATS = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml"}
FORMATS = tuple([*GRAPH_FORMATS, *RDF_FORMATS])

_NODES = """
SELECT ?entity ?label ?type (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  GRAPH ?doc {
    { ?m kg:refersTo ?entity } UNION { ?m prov:wasAttributedTo ?entity }
    ?entity rdfs:label ?label ; a ?class .
  }
  BIND(STRAFTER(STR(?class), "#") AS ?type)
} GROUP BY ?entity ?label ?type
"""
_COMENTIONS = """
SELECT ?a ?b (COUNT(DISTINCT ?s) AS ?weight) WHERE {
  GRAPH ?doc {
    ?m1 kg:inSentence ?s ; kg:refersTo ?a .
    ?m2 kg:inSentence ?s ; kg:refersTo ?b .
    FILTER(STR(?a) < STR(?b))
  }
} GROUP BY ?a ?b
"""
_ATTRIBUTIONS = """
SELECT ?source ?target ?kind (COUNT(DISTINCT ?x) AS ?weight) WHERE {
  GRAPH ?doc {
    { ?x a kg:FigureClaim . BIND("gave figure about" AS ?kind) }
    UNION { ?x a kg:Quotation . BIND("quoted about" AS ?kind) }
    ?x prov:wasAttributedTo ?source ; kg:inSentence ?s .
    ?m kg:inSentence ?s ; kg:refersTo ?target .
    FILTER(?target != ?source)
  }
} GROUP BY ?source ?target ?kind
"""


def entity_network(store: KGStore) -> nx.MultiDiGraph:
    """Entities as nodes (label, type, mentions); co-mention, attribution and quote edges."""
    g = nx.MultiDiGraph()
    for row in store.select(_NODES):
        g.add_node(row["entity"], label=row["label"], type=row["type"], mentions=row["mentions"])
    for row in store.select(_COMENTIONS):
        g.add_edge(
            row["a"], row["b"], label="co-mentioned", kind="co-mention", weight=row["weight"]
        )
    for row in store.select(_ATTRIBUTIONS):
        kind = "attribution" if row["kind"].startswith("gave") else "quote"
        g.add_edge(row["source"], row["target"], label=row["kind"], kind=kind,
                   weight=row["weight"])  # fmt: skip
    return g


def export(store: KGStore, fmt: str, out: BinaryIO) -> None:
    if fmt in RDF_FORMATS:
        rdf_format = RDF_FORMATS[fmt][0]
        if rdf_format.supports_datasets:
            store.ox.dump(out, rdf_format)
        else:
            triples = store.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            out.write(triples.serialize(format=rdf_format))
    elif fmt == "gexf":
        nx.write_gexf(entity_network(store), out)
    elif fmt == "graphml":
        nx.write_graphml(entity_network(store), out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_bytes(store: KGStore, fmt: str) -> bytes:
    buffer = io.BytesIO()
    export(store, fmt, buffer)
    return buffer.getvalue()


def export_file(store: KGStore, fmt: str, path: Path) -> None:
    with path.open("wb") as handle:
        export(store, fmt, handle)
