"""Exports: networks for Gephi, yEd and Cytoscape (GEXF 1.3, GraphML, Gephi's CSV pair, a PNG
picture) and RDF dumps of the store for other triple stores (N-Quads, TriG, Turtle, N-Triples,
JSON-LD with the context in ontology/context.jsonld).

An RDF dump is made of whole document graphs: `documents` and the `since`/`until` publication
dates choose which; a view or a figure category cannot be honoured by whole graphs, so they are
refused (ExportError) rather than silently ignored."""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.gexf import write_gexf
from kg.networks import Filters, Network, build, check_view, colour, degree, kept_documents
from kg.resources import ontology_dir
from kg.store import GraphReader

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


class ExportError(ValueError):
    """An export asked with options it cannot honour: the service answers 400, the CLI fails."""


def check(fmt: str, view: str | None, filters: Filters | None) -> str | None:
    """The view the export will use (None for an RDF dump), or ExportError before any work."""
    filters = filters or Filters()
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in RDF_FORMATS:
        networks = ", ".join(GRAPH_FORMATS)
        if view is not None:
            raise ExportError(
                f"view applies to the network formats ({networks}); an RDF dump ({fmt}) holds "
                "whole document graphs"
            )
        if filters.category:
            raise ExportError(
                f"category applies to the network formats ({networks}); an RDF dump ({fmt}) holds "
                "whole document graphs, so it cannot keep one category of figure claims (choose "
                "documents with document, from and to, or CONSTRUCT the subset through SPARQL)"
            )
        return None
    try:
        return check_view(view, filters)
    except ValueError as exc:
        raise ExportError(str(exc)) from None


def to_networkx(net: Network) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for n in net.nodes.values():
        g.add_node(n.id, label=n.label, **({"start": n.start} if n.start else {}), **n.attributes())
    for (_, _, key), e in net.edges.items():  # parallel edges of one kind keep their own keys
        g.add_edge(e.source, e.target, key=key.replace("\t", " "), label=e.label, kind=e.kind, weight=float(e.shown_weight),
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


def _graphs(store: GraphReader, filters: Filters | None) -> list[ox.NamedNode] | None:
    """The document graphs an RDF dump keeps; None for the whole store (imported graphs too)."""
    if filters is None or not filters.by_document:
        return None
    return [ox.NamedNode(g) for g in sorted(kept_documents(store, filters))]


def _rdf(store: GraphReader, fmt: str, out: BinaryIO, graphs: list[ox.NamedNode] | None) -> None:
    """Dataset formats keep each document's graph; triple formats merge the graphs' triples."""
    rdf_format = RDF_FORMATS[fmt][0]
    assert rdf_format is not None
    if rdf_format.supports_datasets:
        if graphs is None:
            store.dump(out, rdf_format)
        else:
            quads = (store.quads(graph=g) for g in graphs)
            ox.serialize(itertools.chain.from_iterable(quads), out, rdf_format)
    elif graphs is None or graphs:  # none kept: nothing to write
        store.triples(graphs, out, rdf_format)


def _jsonld(store: GraphReader, out: BinaryIO, graphs: list[ox.NamedNode] | None) -> None:
    from rdflib import Dataset

    data = io.BytesIO()
    _rdf(store, "nquads", data, graphs)
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
    store: GraphReader,
    fmt: str,
    out: BinaryIO,
    view: str | None = None,
    filters: Filters | None = None,
) -> None:
    """Write an export. `view` (default entity) is for networks only; an RDF dump honours the
    document and date filters and refuses a view or a category (ExportError)."""
    chosen = check(fmt, view, filters)
    with _no_cyclic_gc():
        _export(store, fmt, out, chosen, filters)


def _export(
    store: GraphReader, fmt: str, out: BinaryIO, view: str | None, filters: Filters | None
) -> None:
    if fmt == "jsonld":
        _jsonld(store, out, _graphs(store, filters))
    elif fmt in RDF_FORMATS:
        _rdf(store, fmt, out, _graphs(store, filters))
    elif fmt in GRAPH_FORMATS:
        net = build(store, view or "entity", filters)
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
    store: GraphReader, fmt: str, view: str | None = None, filters: Filters | None = None
) -> bytes:
    buffer = io.BytesIO()
    export(store, fmt, buffer, view, filters)
    return buffer.getvalue()


def export_file(
    store: GraphReader,
    fmt: str,
    path: Path,
    view: str | None = None,
    filters: Filters | None = None,
) -> list[Path]:
    """Write the export; `csv` writes nodes.csv and edges.csv beside each other (PATH is a folder
    or a file name whose stem prefixes them). Returns the files written."""
    chosen = check(fmt, view, filters)  # before the file is opened: a refusal leaves no file
    if fmt == "csv":
        with _no_cyclic_gc():
            nodes, edges = gephi_csv(build(store, chosen or "entity", filters))
        folder, stem = (path, "") if path.suffix == "" else (path.parent, path.stem + "-")
        folder.mkdir(parents=True, exist_ok=True)
        written = [folder / f"{stem}nodes.csv", folder / f"{stem}edges.csv"]
        written[0].write_text(nodes, encoding="utf-8")
        written[1].write_text(edges, encoding="utf-8")
        return written
    with path.open("wb") as handle:
        export(store, fmt, handle, view, filters)
    return [path]
