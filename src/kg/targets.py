"""Where a build writes document graphs: the local Oxigraph store, or a SPARQL server.

Both replace a document's named graph whole, so after a crash each document is old or new, and
both tell which documents they already hold with which content hash, so a rerun over the same
inputs skips what is unchanged. A SPARQL server is written through the SPARQL 1.1 Graph Store
HTTP Protocol (PUT of a graph replaces it; Oxigraph, Fuseki, GraphDB and Virtuoso all speak it)
and read through the SPARQL 1.1 Protocol (kg.remote); a server that fails fails the build with a
one-line RemoteError, and a rerun finishes it.
"""

from __future__ import annotations

import urllib.parse
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack
from typing import Any

import pyoxigraph as ox

from kg.incidents import relink
from kg.remote import SparqlServer
from kg.shards import graphs
from kg.store import BULK_ATOMIC_QUADS, BulkWriter, KGStore
from kg.vocab import KG, document_iri

# How many documents one lookup of content hashes asks about (a VALUES block).
HASH_LOOKUP_BATCH = 200
# A shard of new documents this small is surely below BULK_ATOMIC_QUADS (an N-Quads line of
# kg's graphs is over 60 bytes), so Oxigraph's bulk loader ingests it all or nothing.
BULK_ATOMIC_BYTES = BULK_ATOMIC_QUADS * 60


def _hashes_query(doc_ids: Sequence[str]) -> tuple[str, dict[str, str]]:
    """A SELECT of each document's stored content hash, and the id of each document IRI."""
    by_iri = {str(document_iri(doc_id)): doc_id for doc_id in doc_ids}
    values = " ".join(str(ox.NamedNode(iri)) for iri in by_iri)
    query = (
        f"SELECT ?doc ?hash WHERE {{ VALUES ?doc {{ {values} }} "
        f"GRAPH ?doc {{ ?doc <{KG.contentHash}> ?hash }} }}"
    )
    return query, by_iri


class Target(ABC):
    """A writer of document graphs, used inside a `with` block: what it holds is written when
    the block ends, and incidents are linked again (kg.incidents)."""

    @abstractmethod
    def _stored(self, query: str) -> Iterable[tuple[str, str]]:
        """The (document IRI, hash) rows of a `_hashes_query`."""

    @abstractmethod
    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int:
        """Make the named graph `graph` hold exactly `quads`; returns their count."""

    def __enter__(self) -> Target:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        return None

    def hashes(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """The content hash stored for each of these documents the target holds."""
        found: dict[str, str] = {}
        for start in range(0, len(doc_ids), HASH_LOOKUP_BATCH):
            query, by_iri = _hashes_query(doc_ids[start : start + HASH_LOOKUP_BATCH])
            found.update((by_iri[doc], stored) for doc, stored in self._stored(query))
        return found

    def load(self, shard: bytes, new: bool) -> None:
        """Replace each document graph of an N-Quads shard; `new`: the target holds none of
        them yet."""
        for graph, quads in graphs(shard):
            self.replace(graph, quads)


class StoreTarget(Target):
    """The local store, written by its bulk writer and compacted at the end."""

    def __init__(self, store: KGStore) -> None:
        self.store = store
        self._stack = ExitStack()
        self._writer: BulkWriter | None = None

    def __enter__(self) -> StoreTarget:
        writer: AbstractContextManager[BulkWriter] = self.store.bulk_writer()
        self._writer = self._stack.enter_context(writer)
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self._stack.close()  # writes what the bulk writer holds, also after an error
        self._writer = None
        self.store.flush()
        if kind is None:
            relink(self.store, self.store)
            self.store.optimize()

    def _stored(self, query: str) -> Iterable[tuple[str, str]]:
        for row in self.store.ox.query(query):
            yield row["doc"].value, row["hash"].value

    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int:
        assert self._writer is not None, "use the target in a with block"
        return self._writer.replace(graph, quads)

    def load(self, shard: bytes, new: bool) -> None:
        """A shard of new documents goes to Oxigraph's bulk loader as it is, parsed in Rust
        (faster than parsing it here: bench/scale.py), in one ingestion, all or nothing (a
        shard is far below BULK_ATOMIC_QUADS)."""
        if new and len(shard) < BULK_ATOMIC_BYTES:
            self.store.ox.bulk_load(shard, format=ox.RdfFormat.N_QUADS)
        else:
            super().load(shard, new)


def sibling_query_endpoint(graph_store: str) -> str:
    """Oxigraph's /store beside /query, Fuseki's /ds/data beside /ds/query: the query endpoint
    of a server whose Graph Store endpoint is given, when no other is."""
    parts = urllib.parse.urlsplit(graph_store)
    path = parts.path.rstrip("/").rsplit("/", 1)[0] + "/query"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class SparqlTarget(Target):
    """A SPARQL server (kg.remote): each document's graph replaced in one request, hashes read
    by a SELECT."""

    def __init__(self, server: SparqlServer) -> None:
        self.server = server

    @classmethod
    def at(cls, graph_store: str, query: str | None = None) -> SparqlTarget:
        """The server whose Graph Store endpoint is `graph_store` (its query endpoint `query`,
        or the sibling one). RemoteError (one line) when it is no http(s) URL."""
        query = query or sibling_query_endpoint(graph_store)
        return cls(SparqlServer(query, graph_store=graph_store))

    def __enter__(self) -> SparqlTarget:
        self._stored(_hashes_query([])[0])  # fail now, naming the server, not after extracting
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            relink(self.server, self.server)

    def _stored(self, query: str) -> Iterable[tuple[str, str]]:
        return [(row["doc"], row["hash"]) for row in self.server.select(query)]

    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int:
        return self.server.replace(graph, quads)

    def load(self, shard: bytes, new: bool) -> None:
        """A shard of new documents goes whole, in one request, to a server that keeps each
        quad's graph in one transaction (Oxigraph's: all or nothing, as the local bulk path;
        bench/scale.py); otherwise each graph is PUT."""
        if new and self.server.takes_datasets:
            self.server.add_dataset(shard)
        else:
            super().load(shard, new)

    def remove_document(self, doc_id: str) -> bool:
        return self.server.remove_document(doc_id)

    def select(self, sparql: str, params: Mapping[str, Any] | None = None) -> list[dict]:
        return self.server.select(sparql, params)
