"""SPARQL SELECT results written row by row (JSON, XML, CSV, TSV), so a row cap can cut them and
a large result can stream. ASK and graph results use Oxigraph's own serialisers."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pyoxigraph as ox

from api.messages import CHUNK_BYTES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# Characters XML 1.0 cannot hold, not even as references (&#0; is not well-formed): a literal
# holding one (U+0000 is a valid RDF string) is written with U+FFFD in their place.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


# xml.sax.saxutils has these, but importing it brings urllib.request and http.client into every
# query worker (about 9 MiB more resident memory each); html escapes the same characters.
def escape(text: str) -> str:
    return _NOT_XML.sub("\ufffd", html.escape(text, quote=False))


def quoteattr(text: str) -> str:
    return '"' + _NOT_XML.sub("\ufffd", html.escape(text)) + '"'


def clean_xml(body: bytes) -> bytes:
    """An RDF/XML document from Oxigraph's writer made well-formed (see _NOT_XML)."""
    return _NOT_XML_BYTES.sub("\ufffd".encode(), body)


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _csv_field(term: object) -> str:
    if term is None:
        return ""
    value = (
        term.value
        if isinstance(term, ox.NamedNode | ox.Literal)
        else (f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term))
    )
    if any(c in value for c in ',"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype.value in (
        "http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal",
        "http://www.w3.org/2001/XMLSchema#double", "http://www.w3.org/2001/XMLSchema#boolean",
    ):  # fmt: skip
        return term.value
    return str(term).replace("\t", "\\t").replace("\n", "\\n")


def select_chunks(
    solutions: ox.QuerySolutions, fmt: str, cap: int, chunk_bytes: int = CHUNK_BYTES
) -> Iterator[bytes | bool]:
    """Encoded chunks of a SELECT result, at most `cap` rows, each about `chunk_bytes` long
    (rows vary from a few bytes to megabytes); the last item says if it was cut."""
    names = [v.value for v in solutions.variables]
    rows: list[str] = []
    count, size, truncated = 0, 0, False
    if fmt == "json":
        head = json.dumps({"head": {"vars": names}})[:-1]
        yield (head + ', "results": {"bindings": [').encode()
    elif fmt == "xml":
        variables = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        yield (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{variables}</head><results>"
        ).encode()
    elif fmt == "csv":
        yield (",".join(names) + "\r\n").encode()
    else:
        yield ("\t".join(f"?{n}" for n in names) + "\n").encode()
    for solution in solutions:
        if count >= cap:
            truncated = True
            break
        values = [solution[n] for n in names]
        if fmt == "json":
            binding = {
                n: _json_term(v) for n, v in zip(names, values, strict=True) if v is not None
            }
            rows.append(("," if count else "") + json.dumps(binding, ensure_ascii=False))
        elif fmt == "xml":
            cells = "".join(
                f"<binding name={quoteattr(n)}>{_xml_term(v)}</binding>"
                for n, v in zip(names, values, strict=True)
                if v is not None
            )
            rows.append(f"<result>{cells}</result>")
        elif fmt == "csv":
            rows.append(",".join(_csv_field(v) for v in values) + "\r\n")
        else:
            rows.append("\t".join(_tsv_term(v) for v in values) + "\n")
        count += 1  # noqa: SIM113 - rows kept, not rows seen
        size += len(rows[-1])
        if size >= chunk_bytes:
            yield "".join(rows).encode()
            rows, size = [], 0
    if rows:
        yield "".join(rows).encode()
    if fmt == "json":
        yield (']}, "truncated": ' + ("true" if truncated else "false") + "}").encode()
    elif fmt == "xml":
        yield b"</results></sparql>"
    yield truncated
