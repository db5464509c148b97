"""SPARQL text read as tokens: for the service's guard, and to send kg's queries to other servers.

The tokenizer is built from the terminals of the SPARQL 1.1 grammar (section 19.8: IRIs, the four
kinds of string, comments, variables, blank nodes, prefixed names, words, numbers, punctuation),
read left to right as a parser reads them, so a quote inside an IRI or a comment inside a string
cannot be mistaken for code.

`portable` makes a query of kg's run on any SPARQL server: kg's prefixes are predefined in its
own store but must be declared elsewhere, and kg:param("name"), the extension function by which
a canned query reads its bound parameters, is known to kg's store alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import PREFIX_MAP

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)  # PN_CHARS_BASE
_U = _BASE + "_"  # PN_CHARS_U
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"  # PN_CHARS
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
PREFIX_NAME = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_ESCAPE = r"\\[\s\S]"
TOKEN = re.compile(
    r"(?:[ \t\r\n]|#[^\r\n]*)*+(?:"  # whitespace and comments before a token
    + "|".join(
        (
            r"(?P<iri><(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)",
            "(?P<string>"
            f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ESCAPE}))*'''"
            f'|"""(?:(?:"|"")?(?:[^"\\\\]|{_ESCAPE}))*"""'
            f"|'(?:[^'\\\\\\n\\r]|{_ESCAPE})*'"
            f'|"(?:[^"\\\\\\n\\r]|{_ESCAPE})*")',
            f"(?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)",
            f"(?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)",
            f"(?P<pname>(?:{PREFIX_NAME})?:(?:{_LOCAL})?)",
            r"(?P<word>[A-Za-z][A-Za-z0-9_]*)",
            r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)",
            r"(?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
            r"(?P<open>[{(\[]|<<)",
            r"(?P<close>[})\]]|>>)",
            r"(?P<punct>[\s\S])",
            r"(?P<end>\Z)",  # whitespace or a comment at the end
        )
    )
    + ")"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # a group name of TOKEN; words are upper-cased in `text`
    text: str
    start: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text (whitespace and comments are not tokens)."""
    for m in TOKEN.finditer(text):
        kind = m.lastgroup or "end"
        if kind != "end":
            value = m.group(kind)
            yield Token(kind, value.upper() if kind == "word" else value, m.start(kind))


UNBOUND_PARAM = "?kg_unbound_param"  # a variable bound nowhere: a parameter not given is unbound
_PARAM_IRI = PREFIX_MAP["kg"] + "param"
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def portable(
    query: str,
    params: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    base: str | None = None,
) -> str:
    """`query` for a SPARQL server that knows nothing of kg (see `rewrite`)."""
    return rewrite(query, params, base)[0]


def rewrite(
    query: str,
    params: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    base: str | None = None,
) -> tuple[str, int]:
    """`query` for a SPARQL server that knows nothing of kg, and how many characters were put
    in front of its first line (a server's error columns there are that many too far).

    Each call kg:param("name") becomes the bound term, written by Oxigraph's serializer (which
    escapes it: a value cannot end the term it is written in), or an unbound variable when the
    parameter is not given, as kg's store evaluates it. kg's prefixes the query uses without
    declaring them, and the base IRI where the query has a relative IRI, are declared: in front of
    it on its first line, so that the server's error positions keep their line numbers.
    """
    params = params or {}
    found = list(tokens(query))
    declared = {
        found[i + 1].text[:-1]: found[i + 2].text[1:-1]
        for i, t in enumerate(found[:-2])
        if t.kind == "word" and t.text == "PREFIX" and found[i + 1].kind == "pname"
        and found[i + 2].kind == "iri"
    }  # fmt: skip
    kg_prefix = declared.get("kg", PREFIX_MAP["kg"])
    out, last = [], 0
    for i, t in enumerate(found[:-3]):
        name = t.text[1:-1] if t.kind == "iri" else (
            kg_prefix + t.text[3:] if t.kind == "pname" and t.text.startswith("kg:") else None
        )  # fmt: skip
        arg, close = found[i + 2], found[i + 3]
        if (
            name != _PARAM_IRI or found[i + 1].text != "(" or close.text != ")"
            or arg.kind != "string" or "\\" in arg.text or arg.text[:3] in ('"""', "'''")
        ):  # fmt: skip
            continue
        term = params.get(arg.text[1:-1])
        out.append(query[last : t.start])
        out.append(str(term) if term is not None else UNBOUND_PARAM)
        last = close.start + 1
    out.append(query[last:])
    used = "".join(out)
    relative = any(t.kind == "iri" and not _ABSOLUTE.match(t.text[1:-1]) for t in found)
    prologue = [f"BASE <{ox.NamedNode(base).value}>"] if base and relative else []
    prologue += [
        f"PREFIX {prefix}: <{iri}>"
        for prefix, iri in PREFIX_MAP.items()
        if prefix not in declared and f"{prefix}:" in used
    ]
    text = " ".join([*prologue, used])
    return text, len(text) - len(used)
