"""What a caller's SPARQL may do here: read the store, nothing else.

Oxigraph's engine would fetch SERVICE endpoints and LOAD documents over HTTP, and FROM names a
graph; the service never fetches on a caller's behalf, so these are checked before evaluation on
the query text with its strings, IRIs and comments taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_STRINGS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENT = re.compile(r"#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_LOAD = re.compile(r"\bLOAD\b", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?(<[^>]*>|[\w-]*:[\w.-]*)", re.IGNORECASE)


class Refused(ValueError):
    pass


def _code(text: str) -> str:
    """The query with string literals blanked (IRIs kept), then comments dropped."""
    text = _STRINGS.sub('""', text)
    # A '#' inside an IRI is not a comment: protect IRIs while dropping comments.
    iris: list[str] = []

    def keep(m: re.Match[str]) -> str:
        iris.append(m.group(0))
        return f"<{len(iris) - 1}>"

    text = _COMMENT.sub("", _IRI.sub(keep, text))
    return re.sub(r"<(\d+)>", lambda m: iris[int(m.group(1))], text)


@dataclass(frozen=True)
class Inspection:
    """What the guard and the protocol need to know of a query, read once per query text."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    refusal: str | None  # why it may not run whatever the store holds
    datasets: tuple[str, ...]  # FROM and FROM NAMED graph IRIs


@lru_cache(maxsize=512)
def inspect(query: str) -> Inspection:
    code = _code(query)
    keywords = _IRI.sub("<>", code)
    form = _FORM.search(code)
    refusal = None
    if _SERVICE.search(keywords):
        refusal = "SERVICE is not allowed: this endpoint never fetches from the network"
    elif _LOAD.search(keywords):
        refusal = "LOAD is not allowed: this endpoint never fetches from the network"
    targets = [m.group(2) for m in _FROM.finditer(code)]
    if refusal is None and any(not t.startswith("<") for t in targets):
        refusal = "FROM takes a full IRI here (<…>), the name of a graph in the store"
    return Inspection(
        form.group(1).upper() if form else "SELECT",
        refusal,
        tuple(t[1:-1] for t in targets if t.startswith("<")),
    )


def check(found: Inspection, graphs: set[str]) -> None:
    """Raise Refused for SERVICE, LOAD, or FROM / FROM NAMED of a graph the store does not hold."""
    if found.refusal:
        raise Refused(found.refusal)
    for iri in found.datasets:
        if iri not in graphs:
            raise Refused(f"FROM <{iri}>: no such graph in the store (nothing is fetched)")


_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def _mask(text: str) -> str:
    """The text with strings and comments blanked out, same length, so positions still match."""
    out = _STRINGS.sub(lambda m: " " * len(m.group(0)), text)
    return re.sub(
        r"#[^\n]*",
        lambda m: " " * len(m.group(0)),
        _IRI.sub(lambda m: "<" + "x" * (len(m.group(0)) - 2) + ">", out),
    )


def with_using(update: str, using: list[str], using_named: list[str]) -> str:
    """The protocol's using-graph-uri / using-named-graph-uri as USING clauses of each WHERE."""
    if not using and not using_named:
        return update
    for iri in [*using, *using_named]:
        if not _ABSOLUTE_IRI.match(iri):
            raise Refused(f"not an absolute IRI: {iri!r}")
    masked = _mask(update)
    if re.search(r"\b(USING|WITH)\b", masked, re.IGNORECASE):
        raise Refused("the update names its dataset (USING or WITH) and so does the request")
    clause = "".join(f" USING <{g}>" for g in using) + "".join(
        f" USING NAMED <{g}>" for g in using_named
    )
    out, last = [], 0
    for m in re.finditer(r"\bWHERE\b", masked, re.IGNORECASE):
        before = masked[: m.start()].rstrip()
        if re.search(r"\bDELETE$", before, re.IGNORECASE):
            continue  # DELETE WHERE takes no USING
        out.append(update[last : m.start()] + clause + " ")
        last = m.start()
    out.append(update[last:])
    return "".join(out)
