"""SPARQL SELECT results written row by row (JSON, XML, CSV, TSV), so a row cap can cut them and
a large result can stream. ASK and graph results use Oxigraph's own serialisers."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from api import messages as msg
from api.messages import CHUNK_BYTES
from kg.rows import solution_rows

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


GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
}  # fmt: skip
BOOLEAN_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}  # fmt: skip
_WRONG_FORM = {
    "select": "a SELECT answers results (JSON, XML, CSV, TSV), not a graph",
    "ask": "an ASK answers a boolean (JSON, XML, CSV, TSV), not a graph",
    "graph": "a CONSTRUCT or DESCRIBE answers a graph (Turtle, N-Triples, JSON-LD, RDF/XML)",
}

Send = Callable[[msg.FromWorker], None]


def rdf_term(term: msg.Term) -> ox.NamedNode | ox.Literal:
    """A canned query's bound parameter as Oxigraph's term."""
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "lang":
        return ox.Literal(term.value, language=term.extra)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.extra)) if term.extra else ox.Literal(term.value)  # fmt: skip


def answer(result: object, fmt: str, cap: int, send: Send) -> None:
    """Send a query's answer in format `fmt` (rows, or a media format's name), at most `cap`
    rows or triples: as one message while it is small, else as a stream of parts. `result` is
    what Oxigraph's query gives (or its parsers: a SPARQL server's answer, kg.remote)."""
    if isinstance(result, ox.QuerySolutions):
        if fmt == "rows":
            send(msg.Rows(*solution_rows(result, cap)))
        elif fmt in BOOLEAN_FORMATS:
            _send_chunks(send, "select", select_chunks(result, fmt, cap))
        else:
            send(msg.Error(406, _WRONG_FORM["select"]))
    elif isinstance(result, ox.QueryBoolean):
        if fmt in BOOLEAN_FORMATS:
            send(msg.Whole("ask", result.serialize(format=BOOLEAN_FORMATS[fmt]), False))
        else:
            send(msg.Error(406, _WRONG_FORM["ask"]))
    elif fmt not in GRAPH_FORMATS:
        send(msg.Error(406, _WRONG_FORM["graph"]))
    else:
        out = _Answer(send, "graph", clean_xml if fmt == "rdfxml" else None)
        capped = _Capped(result, cap)  # type: ignore[arg-type]
        ox.serialize(capped, out, GRAPH_FORMATS[fmt])  # writes to `out` as it goes
        out.close(capped.truncated)


class _Capped:
    """A CONSTRUCT's triples, at most `cap` of them; says afterwards whether there were more."""

    def __init__(self, triples: Iterable[ox.Triple], cap: int) -> None:
        self.triples, self.cap, self.truncated = iter(triples), cap, False

    def __iter__(self) -> Iterator[ox.Triple]:
        for count, triple in enumerate(self.triples):
            if count >= self.cap:
                self.truncated = True
                return
            yield triple


class _Answer:
    """An answer as it is written, sent as one message while it stays under WHOLE_ANSWER, else
    as a stream of parts of about CHUNK_BYTES: memory stays bounded whatever its size. A
    serializer writes to it as to a file. `clean` mends each part (XML's forbidden characters);
    parts of such answers end on a line, so no character is cut in two."""

    def __init__(self, send: Send, kind: str, clean: Callable[[bytes], bytes] | None = None):
        self.send, self.kind, self.clean = send, kind, clean
        self.pending = bytearray()
        self.held: list[bytes] = []
        self.size, self.streaming = 0, False

    def write(self, data: bytes) -> int:
        self.pending += data
        if len(self.pending) >= msg.CHUNK_BYTES:
            cut = self.pending.rfind(b"\n") + 1 if self.clean else len(self.pending)
            if cut > 0:
                self.part(bytes(self.pending[:cut]))
                del self.pending[:cut]
        return len(data)

    def flush(self) -> None:
        pass  # parts go out as they fill (the serializer calls this)

    def part(self, data: bytes) -> None:
        if self.clean is not None:
            data = self.clean(data)
        if self.streaming:
            self.send(msg.Chunk(data))
            return
        self.held.append(data)
        self.size += len(data)
        if self.size >= msg.WHOLE_ANSWER:
            self.streaming = True
            self.send(msg.Start(self.kind))
            for held in self.held:
                self.send(msg.Chunk(held))
            self.held = []

    def close(self, truncated: bool) -> None:
        if self.pending:
            self.part(bytes(self.pending))
            self.pending.clear()
        if self.streaming:
            self.send(msg.End(truncated))
        else:
            self.send(msg.Whole(self.kind, b"".join(self.held), truncated))


def _send_chunks(send: Send, kind: str, chunks: Iterable[bytes | bool]) -> None:
    """A SELECT's encoded chunks (the last item says whether the row cap cut it) as an answer."""
    answer = _Answer(send, kind)
    for chunk in chunks:
        if isinstance(chunk, bool):
            answer.close(chunk)
            return
        answer.part(chunk)
