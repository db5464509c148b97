"""Exports: networks for Gephi, yEd and Cytoscape (GEXF 1.3, GraphML, Gephi's CSV pair, a PNG
picture) and RDF dumps of the store for other triple stores (N-Quads, TriG, Turtle, N-Triples,
JSON-LD with the context in ontology/context.jsonld)."""

from __future__ import annotations

import csv
import gc
import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.gexf import write_gexf
from kg.networks import Filters, Network, build, colour, degree
from kg.resources import ontology_dir
from kg.store import KGStore

RDF_FORMATS: dict[str, tuple[ox.RdfFormat | None, str]] = {
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
}
GRAPH_FORMATS = {
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "csv": "application/zip",
    "png": "image/png",
}
FORMATS = tuple([*GRAPH_FORMATS, *RDF_FORMATS])
SUFFIXES = {"nquads": "nq", "ntriples": "nt", "turtle": "ttl", "csv": "zip"}


def to_networkx(net: Network) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in net.nodes.values():
        g.add_node(n.id, label=n.label, **({"start": n.start} if n.start else {}), **n.attributes())
    for e in net.edges.values():
        g.add_edge(e.source, e.target, key=e.kind, label=e.label, kind=e.kind, weight=float(e.shown_weight),
                   **({"start": e.start} if e.start else {}))  # fmt: skip
    return g


def gephi_csv(net: Network) -> tuple[str, str]:
    """nodes.csv and edges.csv with the columns Gephi's spreadsheet import expects."""
    nodes, edges = io.StringIO(), io.StringIO()
    w = csv.writer(nodes)
    w.writerow(["Id", "Label", "Type", "Mentions", "Documents", "Start", "Latitude", "Longitude"])
    for n in net.nodes.values():
        w.writerow([n.id, n.label, n.type, n.mentions, len(n.documents), n.start or "",
                    "" if n.latitude is None else n.latitude, "" if n.longitude is None else n.longitude])  # fmt: skip
    w = csv.writer(edges)
    w.writerow(["Source", "Target", "Type", "Label", "Weight", "Kind", "Start"])
    for e in net.edges.values():
        w.writerow([e.source, e.target, "Directed", e.label, e.shown_weight, e.kind, e.start or ""])
    return nodes.getvalue(), edges.getvalue()


def draw_png(net: Network, out: BinaryIO, title: str = "", top: int = 40) -> None:
    """A readable picture: the most connected nodes, coloured by type, labelled, with a legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    deg = degree(net)
    keep = set(sorted(net.nodes, key=lambda n: (-deg.get(n, 0), -net.nodes[n].mentions, n))[:top])
    g = nx.Graph()
    for n in keep:
        g.add_node(n)
    for e in net.edges.values():
        if e.source in keep and e.target in keep and e.source != e.target:
            w = g.get_edge_data(e.source, e.target, {}).get("weight", 0)
            g.add_edge(e.source, e.target, weight=w + e.shown_weight)
    fig, ax = plt.subplots(figsize=(14, 10), dpi=110)
    pos = nx.spring_layout(g, seed=7, k=1.6 / max(1, len(g) ** 0.5), weight="weight")
    colours = [tuple(c / 255 for c in net.nodes[n].colour) for n in g]
    sizes = [120 + 60 * min(net.nodes[n].mentions, 40) for n in g]
    widths = [0.4 + min(d["weight"], 10) * 0.35 for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.35, edge_color="#556")
    nx.draw_networkx_nodes(
        g, pos, ax=ax, node_color=colours, node_size=sizes, linewidths=0.5, edgecolors="white"
    )
    labels = {n: net.nodes[n].label[:28] for n in g}
    nx.draw_networkx_labels(g, pos, labels, ax=ax, font_size=8)
    types = sorted({net.nodes[n].type for n in g})
    legend = [Line2D([0], [0], marker="o", color="w", label=t, markersize=10,
                     markerfacecolor=tuple(c / 255 for c in colour(t))) for t in types]  # fmt: skip
    ax.legend(handles=legend, loc="lower left", frameon=False, fontsize=9)
    ax.set_title(title or f"kg {net.view} network: {len(g)} of {len(net.nodes)} nodes", fontsize=12)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(out, format="png")
    plt.close(fig)


def _jsonld(store: KGStore, out: BinaryIO) -> None:
    from rdflib import Dataset

    data = io.BytesIO()
    store.ox.dump(data, ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=data.getvalue().decode("utf-8"), format="nquads")
    context = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))[
        "@context"
    ]
    out.write(
        dataset.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    )


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Full collections rescan the whole growing heap, which makes large exports superlinear;
    a network build makes no reference cycles, so pausing the collector loses nothing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def export(
    store: KGStore, fmt: str, out: BinaryIO, view: str = "entity", filters: Filters | None = None
) -> None:
    with _no_cyclic_gc():
        _export(store, fmt, out, view, filters)


def _export(store: KGStore, fmt: str, out: BinaryIO, view: str, filters: Filters | None) -> None:
    if fmt == "jsonld":
        _jsonld(store, out)
    elif fmt in RDF_FORMATS:
        rdf_format = RDF_FORMATS[fmt][0]
        if rdf_format.supports_datasets:
            store.ox.dump(out, rdf_format)
        else:
            triples = store.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            out.write(triples.serialize(format=rdf_format))
    elif fmt in GRAPH_FORMATS:
        net = build(store, view, filters)
        if fmt == "gexf":
            text = io.StringIO()
            write_gexf(net, text)
            out.write(text.getvalue().encode("utf-8"))
        elif fmt == "graphml":
            nx.write_graphml(to_networkx(net), out)
        elif fmt == "csv":
            nodes, edges = gephi_csv(net)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("nodes.csv", nodes)
                z.writestr("edges.csv", edges)
        else:
            draw_png(net, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_bytes(
    store: KGStore, fmt: str, view: str = "entity", filters: Filters | None = None
) -> bytes:
    buffer = io.BytesIO()
    export(store, fmt, buffer, view, filters)
    return buffer.getvalue()


def export_file(
    store: KGStore, fmt: str, path: Path, view: str = "entity", filters: Filters | None = None
) -> list[Path]:
    """Write the export; `csv` writes nodes.csv and edges.csv beside each other (PATH is a folder
    or a file name whose stem prefixes them). Returns the files written."""
    if fmt == "csv":
        with _no_cyclic_gc():
            nodes, edges = gephi_csv(build(store, view, filters))
        folder, stem = (path, "") if path.suffix == "" else (path.parent, path.stem + "-")
        folder.mkdir(parents=True, exist_ok=True)
        written = [folder / f"{stem}nodes.csv", folder / f"{stem}edges.csv"]
        written[0].write_text(nodes, encoding="utf-8")
        written[1].write_text(edges, encoding="utf-8")
        return written
    with path.open("wb") as handle:
        export(store, fmt, handle, view, filters)
    return [path]
