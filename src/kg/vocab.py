"""Namespaces and IRI minting. IRIs depend only on document ids, offsets and entity keys."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Namespace, URIRef

from kg.namespaces import PREFIX_MAP

PREFIXES: dict[str, Namespace] = {p: Namespace(ns) for p, ns in PREFIX_MAP.items()}
KG = PREFIXES["kg"]
ID = PREFIXES["kgid"]
SCHEMA = PREFIXES["schema"]
NIF = PREFIXES["nif"]
SEM = PREFIXES["sem"]
EVENT_TYPE = PREFIXES["et"]
GEO = PREFIXES["geo"]


def _part(text: str) -> str:
    return quote(text, safe="")


def document_iri(doc_id: str) -> URIRef:
    """Also the name of the document's graph."""
    return ID[f"document/{_part(doc_id)}"]


def entity_iri(key: str) -> URIRef:
    return ID[key]


def span_iri(kind: str, doc_id: str, start: int, end: int) -> URIRef:
    return ID[f"{kind}/{_part(doc_id)}/{start}-{end}"]


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class OxNamespace:
    """A namespace whose terms are Oxigraph nodes, each made once: after the first use, `NS.term`
    is a plain attribute read (rdflib's `Namespace.term` makes and checks a new URIRef each time)."""

    def __init__(self, base: str) -> None:
        self._base = str(base)
        self._terms: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._terms.get(name)
        if node is None:
            node = self._terms[name] = ox.NamedNode(self._base + name)
        return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)
        return node
