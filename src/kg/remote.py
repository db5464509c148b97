"""A SPARQL server as kg's store: read through the SPARQL 1.1 Protocol, written through SPARQL
1.1 Update or the Graph Store Protocol, so that builds, the service and exports work over a
server that holds more than one machine could (Oxigraph's server, Fuseki, GraphDB, Virtuoso).

The server must answer queries over the union of its named graphs as its default graph, as kg's
own store does (`oxigraph serve --union-default-graph`; Virtuoso does so by default, Fuseki with
unionDefaultGraph): `check()` tells in one line when it does not. kg's queries are sent as
`kg.sparqltext.portable` writes them.

HTTP goes through the standard library's http.client rather than urllib: an answer is read as it
arrives by Oxigraph's streaming parsers (a capped answer stops reading at its cap), and a request
past its time limit is cut from another thread by shutting its socket (`Call.cancel`).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

import pyoxigraph as ox

from kg.rows import solution_rows
from kg.sparqltext import portable
from kg.store import as_ox
from kg.vocab import document_iri

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
ANY_ANSWER = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"  # the server picks by the query's form

Answer = ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]


class RemoteError(RuntimeError):
    """The server could not be reached, or refused or failed a request; the message is one line
    naming the endpoint, `detail` the server's own first line."""

    def __init__(self, message: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status, self.detail = status, detail  # status None: the server was not reached


def _endpoint(url: str) -> str:
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"} or not url.split("//", 1)[-1]:
        raise RemoteError(f"{url}: a SPARQL server is named by an http(s) URL")
    return url


class Call:
    """One HTTP request, its answer read as it arrives. `cancel()` cuts it from another thread;
    `timeout` bounds each wait on the socket."""

    def __init__(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        kind = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        self.endpoint = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        self.method, self.body, self.headers = method, body, headers
        self.target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.connection = kind(parts.hostname or "", parts.port, timeout=timeout)

    def response(self) -> http.client.HTTPResponse:
        """The server's answer, once its status says it has one; RemoteError otherwise."""
        try:
            self.connection.request(self.method, self.target, self.body, self.headers)
            answer = self.connection.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise RemoteError(f"{self.endpoint}: cannot reach the server ({reason})") from None
        if answer.status >= 400:
            lines = answer.read(1000).decode("utf-8", "replace").strip().splitlines()
            detail = lines[0] if lines else ""
            raise RemoteError(
                f"{self.endpoint}: HTTP {answer.status}" + (f": {detail}" if detail else ""),
                answer.status,
                detail,
            )
        return answer

    def read(self) -> bytes:
        try:
            with self.response() as answer:
                return answer.read()
        except (OSError, http.client.HTTPException) as exc:
            raise RemoteError(f"{self.endpoint}: the answer was cut ({exc})") from None
        finally:
            self.close()

    def cancel(self) -> None:
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.connection.close()


def parse_answer(answer: IO[bytes], media: str) -> Answer:
    """A query's answer as Oxigraph reads it, parsed as it is iterated."""
    media = media.split(";")[0].strip().lower()
    if media == RESULTS_JSON:
        return ox.parse_query_results(answer, ox.QueryResultsFormat.JSON)
    if media in {N_TRIPLES, "text/plain"}:  # text/plain: N-Triples before it had its own type
        return (quad.triple for quad in ox.parse(answer, ox.RdfFormat.N_TRIPLES))
    raise RemoteError(f"the server answered {media or 'no content type'}, not SPARQL results")


class SparqlServer:
    """A SPARQL server's endpoints: `query` (the SPARQL 1.1 Protocol), `update` (SPARQL Update:
    writes) and `graph_store` (the Graph Store Protocol: a graph replaced in one PUT; without it,
    a graph is replaced by one update). The reading methods are those of kg.store.KGStore."""

    def __init__(
        self,
        query: str,
        update: str | None = None,
        graph_store: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.graph_store_url = _endpoint(graph_store) if graph_store else None
        self.query_url = _endpoint(query)
        self.update_url = _endpoint(update) if update else None
        self.timeout = timeout
        self.software = ""  # the Server header of its last answer to a query

    @property
    def takes_datasets(self) -> bool:
        """Whether N-Quads POSTed to the graph store endpoint keep their graphs, in one
        transaction: Oxigraph's server does (it names itself in each answer); the Graph Store
        Protocol promises nothing of it, so other servers get a PUT per graph."""
        return self.graph_store_url is not None and self.software.startswith("Oxigraph/")

    def __repr__(self) -> str:
        return f"SparqlServer({self.query_url!r})"

    # -- reading ---------------------------------------------------------------------------------
    def call(
        self,
        sparql: str,
        accept: str = ANY_ANSWER,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Call:
        """A query sent as it is (see `portable`), with the protocol's dataset parameters."""
        dataset = [("default-graph-uri", g) for g in default_graphs]
        dataset += [("named-graph-uri", g) for g in named_graphs]
        url = self.query_url
        if dataset:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(dataset)
        headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}
        return Call("POST", url, sparql.encode(), headers, timeout or self.timeout)

    @contextlib.contextmanager
    def answer(self, sparql: str, accept: str = ANY_ANSWER, **dataset: Any) -> Iterator[Answer]:
        """The parsed answer of a query, read while the block lasts."""
        call = self.call(sparql, accept, **dataset)
        try:
            response = call.response()
            self.software = response.getheader("Server", "")
            yield parse_answer(response, response.getheader("Content-Type", ""))
        except (OSError, http.client.HTTPException, SyntaxError) as exc:
            raise RemoteError(f"{call.endpoint}: the answer could not be read ({exc})") from None
        finally:
            call.close()

    def select(self, sparql: str, params: Mapping[str, Any] | None = None) -> list[dict]:
        """Rows of a SELECT as KGStore.select gives them; `params` are read by kg:param."""
        terms = {k: as_ox(v) for k, v in (params or {}).items()}
        with self.answer(portable(sparql, terms), RESULTS_JSON) as result:
            if not isinstance(result, ox.QuerySolutions):
                raise RemoteError(f"{self.query_url}: only SELECT queries return rows")
            return solution_rows(result)[0]

    def ask(self, sparql: str) -> bool:
        with self.answer(portable(sparql), RESULTS_JSON) as result:
            return bool(result)

    def quads(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
        graph: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads of named graphs that match, as they arrive."""
        fixed = (subject, predicate, obj, graph)
        names = ("?s", "?p", "?o", "?g")
        s, p, o, g = (str(t) if t is not None else n for t, n in zip(fixed, names, strict=True))
        with self.answer(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}", RESULTS_JSON) as rows:
            assert isinstance(rows, ox.QuerySolutions)
            for row in rows:
                yield ox.Quad(
                    *(t if t is not None else row[n[1:]] for t, n in zip(fixed, names, strict=True))
                )

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Every named graph in a dataset format."""
        ox.serialize(self.quads(), out, fmt)

    def triples(
        self, graphs: Sequence[ox.NamedNode] | None, out: IO[bytes], fmt: ox.RdfFormat
    ) -> None:
        """The triples of these named graphs (None: all of them) merged, each once."""
        query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        dataset = {}
        if graphs is not None:
            query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
            dataset = {"default_graphs": [g.value for g in graphs]}
        with self.answer(query, N_TRIPLES, **dataset) as triples:
            ox.serialize(triples, out, fmt)

    def check(self) -> None:
        """Raise RemoteError (one line) unless the server answers queries over the union of its
        named graphs, as kg's queries expect: a quad of a named graph must be in the default."""
        query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
        with self.answer(query, RESULTS_JSON) as rows:
            first = next(iter(rows), None)  # type: ignore[call-overload]
        if first is None:
            return  # an empty server: nothing to tell by
        if not self.ask(f"ASK {{ {first['s']} {first['p']} {first['o']} }}"):
            raise RemoteError(
                f"{self.query_url}: the server's default graph is not the union of its named "
                "graphs, which kg's queries read (oxigraph serve --union-default-graph)"
            )

    # -- writing ---------------------------------------------------------------------------------
    def update(self, sparql: str, timeout: float | None = None) -> None:
        """Run a SPARQL Update (one request: one transaction on servers that have them)."""
        if self.update_url is None:
            raise RemoteError(f"{self.query_url}: no update endpoint is given: read-only")
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        Call("POST", self.update_url, sparql.encode(), headers, timeout or self.timeout).read()

    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int:
        """Make the named graph hold exactly these quads' triples, in one request."""
        data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
        if self.graph_store_url is not None:
            url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': graph.value})}"
            headers = {"Content-Type": N_TRIPLES}
            Call("PUT", url, data, headers, self.timeout).read()
        else:
            self.update(
                f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n"
                f"{data.decode()}}} }}"
            )
        return len(quads)

    def add_dataset(self, nquads: bytes) -> None:
        """Add N-Quads with their graphs in one request (see `takes_datasets`)."""
        assert self.graph_store_url is not None
        headers = {"Content-Type": "application/n-quads"}
        Call("POST", self.graph_store_url, nquads, headers, self.timeout).read()

    def remove_document(self, doc_id: str) -> bool:
        """Drop a document's graph; whether the server held it."""
        graph = ox.NamedNode(str(document_iri(doc_id)))
        if not self.ask(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"):
            return False
        self.update(f"DROP SILENT GRAPH {graph}")
        return True
