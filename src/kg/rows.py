"""Oxigraph's query answers as JSON-friendly rows, for the JSON endpoints and canned queries.

Imports no rdflib: the service's query workers use it (see kg.namespaces).
"""

from __future__ import annotations

import math
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIX_MAP

_XSD = PREFIX_MAP["xsd"]
PARAM_FUNCTION = ox.NamedNode(PREFIX_MAP["kg"] + "param")
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                "unsignedInt", "unsignedLong", "byte", "unsignedShort")}  # fmt: skip
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def ox_value(term: object) -> Any:
    """Oxigraph term → JSON-friendly value; numbers stay numbers, dates ISO strings."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _FLOATS:
                number = float(term.value)
                if not math.isfinite(number):  # NaN and INF have no JSON number
                    return term.value
                return (
                    int(number) if datatype == _XSD + "decimal" and number.is_integer() else number
                )
            if datatype == _XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def solution_rows(result: ox.QuerySolutions, cap: int | None = None) -> tuple[list[dict], bool]:
    """Rows of JSON-friendly values, at most `cap`, and whether there were more. The `?param_*`
    variables that canned queries project to show their bound parameters are left out."""
    names = [v.value for v in result.variables if not v.value.startswith("param_")]
    rows: list[dict] = []
    for solution in result:
        if cap is not None and len(rows) >= cap:
            return rows, True
        rows.append({n: ox_value(solution[n]) for n in names})
    return rows, False
