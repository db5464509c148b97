"""Canned SPARQL queries: queries/*.rq with a header declaring name, description and parameters.

Header lines (comments at the top of the file):

    # name: figure-attributions
    # description: Who attributed which figure.
    # param: category enum(killed|injured|…) optional — Only this category.

The query reads a parameter with ``kg:param("category")``, a function evaluated inside Oxigraph
that returns the caller's validated value as a typed RDF term (unbound when not given):

    BIND(kg:param("category") AS ?param_category)
    FILTER(!BOUND(?param_category) || ?category = ?param_category)

Nothing a caller sends is ever pasted into query text; a page's LIMIT and OFFSET, integers
checked here, are the only thing added to it (SPARQL has no parameter for them), so the store
itself stops at the page and a filter sees every row, however many there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.resources import queries_dir
from kg.vocab import sparql_prefixes

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "enum")
_HEADER = re.compile(r"^#\s*(name|description|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>iri|string|integer|decimal|date|enum\((?P<values>[^)]*)\))"
    r"(?:\s+(?P<req>optional|required))?(?:\s+default=(?P<default>\S+))?\s*(?:[—-]\s*(?P<doc>.*))?$"
)
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class ParameterError(ValueError):
    pass


_TRAILING_SLICE = re.compile(r"\b(?:LIMIT|OFFSET)\s+\d+\s*$", re.IGNORECASE)


def paged(sparql: str, limit: int, offset: int = 0) -> str:
    """The SELECT with `LIMIT limit OFFSET offset` after its ORDER BY, so the store pages.

    Only validated integers are added; a query that already ends with its own LIMIT or OFFSET
    is refused rather than given a second one (a syntax error in the store)."""
    for name, value in (("limit", limit), ("offset", offset)):
        if type(value) is not int or value < 0:
            raise ParameterError(f"{name} must be a non-negative integer")
    if _TRAILING_SLICE.search(sparql):
        raise ValueError("the query has its own LIMIT or OFFSET; it cannot be paged")
    return f"{sparql.rstrip()}\nLIMIT {limit} OFFSET {offset}\n"


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    values: tuple[str, ...] = ()
    description: str = ""

    def to_term(self, raw: str) -> Literal | URIRef:
        """Validate a caller's value and turn it into an RDF term."""
        raw = raw.strip()
        if self.type == "iri":
            if not _IRI.match(raw):
                raise ParameterError(f"parameter {self.name!r} must be an absolute IRI")
            return URIRef(raw)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", raw):
                raise ParameterError(f"parameter {self.name!r} must be an integer")
            return Literal(int(raw), datatype=XSD.integer)
        if self.type == "decimal":
            try:
                return Literal(float(raw), datatype=XSD.decimal)
            except ValueError:
                raise ParameterError(f"parameter {self.name!r} must be a number") from None
        if self.type == "date":
            try:
                return Literal(date.fromisoformat(raw), datatype=XSD.date)
            except ValueError:
                raise ParameterError(f"parameter {self.name!r} must be a date YYYY-MM-DD") from None
        if self.type == "enum" and raw not in self.values:
            raise ParameterError(f"parameter {self.name!r} must be one of {', '.join(self.values)}")
        if len(raw) > 1000:
            raise ParameterError(f"parameter {self.name!r} is too long")
        return Literal(raw)


@dataclass(frozen=True)
class CannedQuery:
    name: str
    description: str
    sparql: str
    path: Path
    parameters: tuple[Parameter, ...] = field(default=())

    def bindings(self, values: dict[str, str]) -> dict[str, Literal | URIRef]:
        known = {p.name: p for p in self.parameters}
        unknown = set(values) - set(known)
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) for {self.name}: {', '.join(sorted(unknown))}"
            )
        out: dict[str, Literal | URIRef] = {}
        for p in self.parameters:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(f"parameter {p.name!r} is required")
                continue
            out[p.name] = p.to_term(str(raw))
        return out

    @property
    def text(self) -> str:
        return sparql_prefixes() + self.sparql

    def page(self, limit: int, offset: int = 0) -> str:
        """The query text for one page of its rows (see `paged`)."""
        return paged(self.text, limit, offset)


def parse_query_file(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    name, description, params = path.stem, "", []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "name":
            name = value
        elif key == "description":
            description = f"{description} {value}".strip()
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise ValueError(f"{path}: cannot read parameter line {value!r}")
            ptype = "enum" if pm.group("type").startswith("enum") else pm.group("type")
            values = tuple(v.strip() for v in (pm.group("values") or "").split("|") if v.strip())
            params.append(
                Parameter(
                    pm.group("name"),
                    ptype,
                    pm.group("req") == "required",
                    pm.group("default"),
                    values,
                    (pm.group("doc") or "").strip(),
                )
            )
    return CannedQuery(name, description, text, path, tuple(params))


@lru_cache
def load_queries(folder: Path | None = None) -> dict[str, CannedQuery]:
    folder = folder or queries_dir()
    queries = [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]
    return {q.name: q for q in queries}


def run(store: Any, query: CannedQuery, values: dict[str, str]) -> list[dict[str, Any]]:
    return store.select(query.text, query.bindings(values))
