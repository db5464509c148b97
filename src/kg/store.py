"""The on-disk triple store: rdflib's API over Oxigraph (oxrdflib), one named graph per document.

SPARQL is evaluated by Oxigraph's engine; the default graph is the union of document graphs.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.rows import PARAM_FUNCTION, solution_rows
from kg.vocab import PREFIX_MAP, PREFIXES, document_iri


class StoreError(RuntimeError):
    pass


class _TermConverter:
    """rdflib → Oxigraph terms, caching what repeats across triples and documents (predicates,
    classes, entities, offsets, categories); the cache is dropped when it grows large."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}
        self.terms: dict[object, ox.NamedNode | ox.Literal | ox.BlankNode] = {}

    def _remember(self, cache: dict, key: object, make: Callable[[], Any]) -> Any:
        found = cache.get(key)
        if found is None:
            if len(cache) > self.LIMIT:
                cache.clear()
            found = cache[key] = make()
        return found

    def iri(self, value: str) -> ox.NamedNode:
        return self._remember(self.iris, value, lambda: ox.NamedNode(value))

    def __call__(self, term: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
        if isinstance(term, URIRef):
            return self.iri(str(term))
        return self._remember(self.terms, term, lambda: self._convert(term))

    def _convert(self, term: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is None or str(term.datatype) == str(XSD.string):
                return ox.Literal(str(term))
            return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        raise TypeError(f"not an RDF term: {term!r}")


as_ox = _TermConverter()  # rdflib term → Oxigraph term, the frequent ones kept


SERVE_LOCK = "kg-serve.lock"


def hold_serve_lock(path: Path) -> object:
    """Mark a store as served: writers in other processes are refused while this is held.

    Oxigraph allows no writer beside read-only handles, and the service's workers hold
    read-only handles, so `kg build` on a served store must fail cleanly, not corrupt it.
    """
    import fcntl

    path.mkdir(parents=True, exist_ok=True)
    handle = (path / SERVE_LOCK).open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise StoreError(f"store {path} is already served by another kg process") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _refuse_if_served(path: Path) -> None:
    import fcntl

    lock = path / SERVE_LOCK
    if not lock.exists():
        return
    with lock.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            pid = handle.read().strip() or "?"
            raise StoreError(
                f"store {path} is being served (kg serve, pid {pid}): stop it, or add documents "
                "with POST /documents"
            ) from None
        fcntl.flock(handle, fcntl.LOCK_UN)


def _drop_graph(store: ox.Store, name: ox.NamedNode) -> bool:
    """Remove a named graph if the store holds it (one transaction); whether it did."""
    if not store.contains_named_graph(name):
        return False
    store.remove_graph(name)
    return True


# Oxigraph's bulk loader cuts its input into batches of 1,000,000 quads; a batch becomes one set
# of sorted files per index, handed to RocksDB's IngestExternalFiles, which records them in its
# MANIFEST in one write: after a crash all of them are in the store or none. Below one batch a
# `bulk_extend` call is therefore all or nothing (pyoxigraph 0.5 also ingests larger calls in one
# record, but its documentation promises no atomicity, so kg stays below one batch).
BULK_ATOMIC_QUADS = 500_000


def replace_atomically(store: ox.Store, name: ox.NamedNode, quads: list[ox.Quad]) -> None:
    """Make the named graph `name` hold exactly `quads` (all in it) in one transaction.

    A graph the store holds is dropped and written again by one SPARQL update, the only
    transaction pyoxigraph offers that both removes and adds: a crash leaves the old graph or
    the new one, never neither (dropping, then adding in a second transaction, lost documents to
    kill -9). A new graph is added by `extend`, also one transaction. Blank nodes of a replaced
    graph get fresh labels (INSERT DATA's rule); kg's own graphs have none."""
    if not store.contains_named_graph(name):
        store.extend(quads)
        return
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES).decode()
    store.update(
        f"DROP SILENT GRAPH <{name.value}> ;\nINSERT DATA {{ GRAPH <{name.value}> {{\n{data}}} }}"
    )


def _remove_unfinished_bulk_files(path: Path) -> None:
    """Delete the sorted files of a bulk load that a crash stopped before RocksDB took them.

    Oxigraph writes them beside the store as bulk-*.sst and deletes them once ingested; after a
    kill they stay, unreferenced, as large as the batch. Only the one read-write handle (RocksDB's
    lock, held now) could be writing such files, so any found on opening are leftovers."""
    for leftover in path.glob("bulk-*.sst"):
        leftover.unlink(missing_ok=True)


class BulkWriter:
    """Document graphs written many at a time, each document old or new after any crash.

    A document new to the store waits for a batch written by Oxigraph's bulk loader: sorted files
    straight to disk, about 5 µs a quad (a transaction costs about 25), and one batch of fewer
    than BULK_ATOMIC_QUADS quads is ingested all or nothing, so a crash loses whole new documents
    of the batch being written, never part of one. A document the store already holds is
    replaced at once in one transaction (`replace_atomically`, about 30 µs a quad): the bulk
    loader cannot remove its old quads, and dropping them apart from writing the new ones lost
    documents to kill -9 (issue 14). The files a bulk batch adds want `KGStore.optimize()` after."""

    def __init__(self, store: ox.Store, max_quads: int) -> None:
        self.store, self.max_quads = store, min(max_quads, BULK_ATOMIC_QUADS)
        self.pending: dict[str, list[ox.Quad]] = {}
        self.size = 0

    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int:
        """Replace the named graph `graph` by these quads (all in it); returns their count."""
        self.size -= len(self.pending.pop(graph.value, ()))  # the same document twice: last wins
        if len(quads) > self.max_quads or self.store.contains_named_graph(graph):
            replace_atomically(self.store, graph, quads)
            return len(quads)
        if self.size + len(quads) > self.max_quads:
            self.write()
        self.pending[graph.value] = quads
        self.size += len(quads)
        return len(quads)

    def write(self) -> None:
        """Write the waiting new documents in one bulk load (one atomic ingestion)."""
        if self.pending:
            self.store.bulk_extend(itertools.chain.from_iterable(self.pending.values()))
        self.pending.clear()
        self.size = 0


class GraphReader(Protocol):
    """What exports and networks read: kg's store, or a SPARQL server (kg.remote.SparqlServer)."""

    def select(self, sparql: str, params: Mapping[str, Any] | None = None) -> list[dict]:
        """Rows of a SELECT over the union of the named graphs; `params` read by kg:param."""
        ...

    def quads(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        graph: ox.NamedNode | None = None,
    ) -> Iterable[ox.Quad]:
        """The quads of named graphs that match the pattern (None: any)."""
        ...

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """The whole store in a dataset format."""
        ...

    def triples(
        self, graphs: Sequence[ox.NamedNode] | None, out: IO[bytes], fmt: ox.RdfFormat
    ) -> None:
        """The triples of these named graphs (None: all of them) merged, each once."""
        ...


class KGStore:
    def __init__(
        self, path: Path | str, read_only: bool = False, served_by_me: bool = False
    ) -> None:
        self.path = Path(path)
        if not read_only and not served_by_me:
            _refuse_if_served(self.path)
        try:
            if read_only:
                self.ox = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:  # RuntimeError: Oxigraph's "Corruption: …"
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "lock" in detail.lower():
                detail = (
                    "it is in use by another kg process (stop `kg serve` or use another --store)"
                )
            raise StoreError(f"cannot open store {self.path}: {detail}") from None
        if not read_only:
            _remove_unfinished_bulk_files(self.path)
        self.dataset = Dataset(store=OxigraphStore(store=self.ox), default_union=True)
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns)

    # -- writing ---------------------------------------------------------------------------------
    def replace_graph(self, graph: Graph) -> int:
        """Replace the named graph `graph.identifier` by `graph`'s triples in one transaction."""
        name, convert = ox.NamedNode(str(graph.identifier)), as_ox
        quads = [ox.Quad(convert(s), convert(p), convert(o), name) for s, p, o in graph]
        replace_atomically(self.ox, name, quads)
        return len(quads)

    @contextmanager
    def bulk_writer(self, max_quads: int = 100_000) -> Iterator[BulkWriter]:
        """A writer for many documents at a time; what it holds is written when the block ends,
        also when it ends by an error, so documents already extracted are not lost."""
        writer = BulkWriter(self.ox, max_quads)
        try:
            yield writer
        finally:
            writer.write()

    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int:
        """Make the named graph `graph` hold exactly `quads`, in one transaction."""
        replace_atomically(self.ox, graph, quads)
        return len(quads)

    def remove_document(self, doc_id: str) -> bool:
        """Drop a document's graph in one transaction: after a crash it is whole or gone."""
        return _drop_graph(self.ox, ox.NamedNode(str(document_iri(doc_id))))

    def load(self, path: Path, fmt: ox.RdfFormat, graph: URIRef | str | None = None) -> None:
        """Bulk-load an RDF file; triples go into `graph`, datasets keep their own graphs."""
        to_graph = ox.NamedNode(str(graph)) if graph else None
        self.ox.bulk_load(path=str(path), format=fmt, to_graph=to_graph)

    def flush(self) -> None:
        self.ox.flush()

    def optimize(self) -> None:
        """Compact the store after bulk writes.

        A bulk load adds sorted files beside the existing ones without merging them, and Oxigraph
        keeps no Bloom filter on its string table, so until they are compacted every term read
        searches each file: reads get slower per quad as the store grows (bench/export_scale.py
        measured 6 → 20 µs a quad from 25,000 to 400,000 nodes, flat once compacted)."""
        self.ox.optimize()

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL in Oxigraph through rdflib; `bindings` are bound as RDF terms, not text."""
        return self.dataset.query(sparql, initBindings=dict(bindings or {}))

    def select(self, sparql: str, params: Mapping[str, Any] | None = None) -> list[dict]:
        """Run a SELECT in Oxigraph over the union graph; rows of JSON-friendly values.

        `params` are read by the query through the function kg:param("name"), which returns
        the value as an RDF term: a caller's input is never spliced into SPARQL text.
        """
        terms = {k: as_ox(v) for k, v in (params or {}).items()}

        def param(name: ox.Literal) -> ox.NamedNode | ox.Literal | None:
            return terms.get(name.value)

        result = self.ox.query(
            sparql,
            use_default_graph_as_union=True,
            prefixes=PREFIX_MAP,
            custom_functions={PARAM_FUNCTION: param},
        )
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("only SELECT queries return rows")
        return solution_rows(result)[0]

    def quads(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        graph: ox.NamedNode | None = None,
    ) -> Iterable[ox.Quad]:
        return self.ox.quads_for_pattern(subject, predicate, obj, graph)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        self.ox.dump(out, fmt)

    def triples(
        self, graphs: Sequence[ox.NamedNode] | None, out: IO[bytes], fmt: ox.RdfFormat
    ) -> None:
        if graphs is None:
            found = self.ox.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:  # the graphs merged as the default graph: each triple once
            found = self.ox.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=list(graphs)
            )
        out.write(found.serialize(format=fmt))

    def documents(self) -> Iterator[dict]:
        yield from self.select(
            "SELECT ?id ?title ?date WHERE { GRAPH ?graph { ?graph a kg:Document ; "
            "schema:identifier ?id . OPTIONAL { ?graph schema:headline ?title } "
            "OPTIONAL { ?graph schema:datePublished ?date } } } ORDER BY ?id"
        )

    def stats(self) -> dict[str, int]:
        counts = {}
        for name, cls in [
            ("documents", "kg:Document"),
            ("figure_claims", "kg:FigureClaim"),
            ("quotes", "kg:Quotation"),
            ("mentions", "kg:Mention"),
        ]:
            rows = self.select(f"SELECT (COUNT(?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a {cls} }} }}")
            counts[name] = rows[0]["n"]
        rows = self.select(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?m kg:refersTo ?e } }"
        )
        counts["entities"] = rows[0]["n"]
        counts["quads"] = len(self.ox)
        return counts

    def close(self) -> None:
        """Release the store (RocksDB closes when the last handle goes)."""
        import contextlib
        import gc

        with contextlib.suppress(OSError, RuntimeError):  # read-only handles cannot flush
            self.ox.flush()
        self.dataset.close()
        del self.dataset, self.ox
        gc.collect()


__all__ = ["KGStore", "StoreError"]
