"""What a caller's SPARQL may do here: read the store, nothing else.

Oxigraph's engine would fetch SERVICE endpoints and LOAD documents over HTTP, and FROM names a
graph; the service never fetches on a caller's behalf, so these are checked before evaluation on
the query text with its strings, IRIs and comments taken out.
"""

from __future__ import annotations

import re

_STRINGS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENT = re.compile(r"#[^\n]*")
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
_LOAD = re.compile(r"\bLOAD\b", re.IGNORECASE)
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


def check(query: str, graphs: set[str]) -> None:
    """Raise Refused for SERVICE, LOAD, or FROM / FROM NAMED of a graph the store does not hold."""
    code = _code(query)
    keywords = _IRI.sub("<>", code)
    if _SERVICE.search(keywords):
        raise Refused("SERVICE is not allowed: this endpoint never fetches from the network")
    if _LOAD.search(keywords):
        raise Refused("LOAD is not allowed: this endpoint never fetches from the network")
    for m in _FROM.finditer(code):
        target = m.group(2)
        if not target.startswith("<"):
            raise Refused("FROM takes a full IRI here (<…>), the name of a graph in the store")
        if target[1:-1] not in graphs:
            raise Refused(f"FROM {target}: no such graph in the store (nothing is fetched)")
