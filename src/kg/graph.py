"""Turn one Extraction into the RDF graph of its document (see ontology/kg.ttl)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph

from kg.entities import Entity
from kg.extract.certainty import LEVELS
from kg.extract.events import CONCEPTS
from kg.model import Extraction, Sentence
from kg.vocab import PREFIXES, OxNamespace, document_iri, entity_iri, span_iri

# The graph is made of Oxigraph terms, which the store writes as they are: making rdflib terms
# first and converting them cost about 8% of a build (bench/extract_throughput.py).
KG, NIF, SCHEMA, SEM, GEO, EVENT_TYPE, RDF, RDFS, OWL, PROV, SKOS, XSD = (
    OxNamespace(PREFIXES[p])
    for p in (
        "kg",
        "nif",
        "schema",
        "sem",
        "geo",
        "et",
        "rdf",
        "rdfs",
        "owl",
        "prov",
        "skos",
        "xsd",
    )
)


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


@lru_cache(maxsize=1 << 16)  # offsets repeat across documents
def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.nonNegativeInteger)


def _decimal(value: float | Decimal) -> ox.Literal:
    number = Decimal(str(value))
    number = number.normalize() if number != number.to_integral_value() else Decimal(int(number))
    return ox.Literal(format(number, "f"), datatype=XSD.decimal)


def _date(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=XSD.date)


Term = ox.NamedNode | ox.Literal
_TRUE = ox.Literal("true", datatype=XSD.boolean)
_FALSE = ox.Literal("false", datatype=XSD.boolean)


class _Builder:
    """Collects a document's quads in its named graph, each once, in the order made."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.doc_id = ex.document.id
        self.doc = _node(document_iri(self.doc_id))  # the document, and its graph's name
        self.quads: dict[ox.Quad, None] = {}  # ordered set
        self.sentences: set[ox.NamedNode] = set()
        # Claims and quotes with their sentence's start: events link to those in their sentence.
        self.claims: list[tuple[ox.NamedNode, int]] = []
        self.quotes: list[tuple[ox.NamedNode, int]] = []
        self.events_made: list[tuple[ox.NamedNode, int]] = []

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: Term | str | None) -> None:
        if o is None:
            return
        self.quads[ox.Quad(s, p, ox.Literal(o) if isinstance(o, str) else o, self.doc)] = None

    def span(self, kind: str, start: int, end: int) -> ox.NamedNode:
        return _node(span_iri(kind, self.doc_id, start, end))

    def document(self) -> None:
        d, doc = self.ex.document, self.doc
        self.add(doc, RDF.type, KG.Document)
        self.add(doc, SCHEMA.identifier, d.id)
        self.add(doc, SCHEMA.headline, d.title)
        if d.date:
            self.add(doc, SCHEMA.datePublished, _date(d.date))
        if d.url:
            self.add(doc, SCHEMA.url, _url(d.url))
        self.add(doc, KG.contentHash, d.content_hash)
        self.add(doc, NIF.isString, d.text)
        for start, end in d.furniture:
            node = self.span("furniture", start, end)
            self.add(doc, KG.furniture, node)
            self._offsets(node, start, end)

    def _offsets(self, node: ox.NamedNode, start: int, end: int) -> None:
        self.add(node, NIF.beginIndex, _int(start))
        self.add(node, NIF.endIndex, _int(end))
        self.add(node, NIF.referenceContext, self.doc)

    def fact(
        self, kind: str, cls: ox.NamedNode, start: int, end: int, sentence: Sentence
    ) -> ox.NamedNode:
        """A quotation, claim or event: its type, sentence, document and offsets."""
        node = self.span(kind, start, end)
        self.add(node, RDF.type, cls)
        self.add(node, KG.inSentence, self.sentence(sentence))
        self.add(node, KG.reportedIn, self.doc)
        self._offsets(node, start, end)
        return node

    def attributed(
        self,
        node: ox.NamedNode,
        who: Entity | None,
        text_property: ox.NamedNode,
        text: str | None,
        cue: str | None,
        basis: str | None,
    ) -> None:
        if who is not None:
            self.add(node, PROV.wasAttributedTo, self.entity(who))
            self.add(node, KG.attributionBasis, basis)
        self.add(node, text_property, text)
        self.add(node, KG.cue, cue)

    def sentence(self, s: Sentence) -> ox.NamedNode:
        node = self.span("sentence", s.start, s.end)
        if node in self.sentences:
            return node  # a sentence holding several facts is described once
        self.sentences.add(node)
        self.add(node, RDF.type, NIF.Sentence)
        self.add(node, NIF.anchorOf, s.text)
        self._offsets(node, s.start, s.end)
        return node

    def entity(self, e: Entity) -> ox.NamedNode:
        node = _node(entity_iri(e.key))
        self.add(node, RDF.type, KG[e.type])
        self.add(node, RDFS.label, e.label)
        for alias in sorted(e.aliases):
            if alias != e.label:
                self.add(node, SKOS.altLabel, alias)
        geo = e.geo
        if geo is not None:
            self.add(node, OWL.sameAs, _node(geo.iri))
            self.add(node, KG.countryCode, geo.country)
            if geo.latitude is not None:
                self.add(node, GEO.lat, _decimal(geo.latitude))
                self.add(node, GEO.long, _decimal(geo.longitude))
        return node

    def build(self) -> list[ox.Quad]:
        self.document()
        for e in self.ex.entities.values():
            self.entity(e)
        for m in self.ex.mentions:
            node = self.span("mention", m.start, m.end)
            self.add(node, RDF.type, KG.Mention)
            self.add(node, KG.refersTo, _node(entity_iri(m.entity)))
            self.add(node, NIF.anchorOf, m.text)
            self.add(node, KG.inSentence, self.sentence(m.sentence))
            self._offsets(node, m.start, m.end)
        for q in self.ex.quotes:
            node = self.fact("quote", KG.Quotation, q.start, q.end, q.sentence)
            self.quotes.append((node, q.sentence.start))
            self.add(node, SCHEMA.text, q.text)
            self.attributed(node, q.speaker, KG.speakerText, q.speaker_text, q.cue, q.basis)
        for f in self.ex.figures:
            node = self.fact("claim", KG.FigureClaim, f.start, f.end, f.sentence)
            self.claims.append((node, f.sentence.start))
            self.add(node, KG.value, _decimal(f.value))
            self.add(node, KG.qualifier, f.qualifier)
            self.add(node, KG.category, f.category)
            self.add(node, KG.measure, f.measure)
            self.add(node, NIF.anchorOf, f.text)
            self.attributed(node, f.source, KG.sourceText, f.source_text, f.cue, f.basis)
            self.add(node, KG.certaintyLevel, f.certainty)
            self.add(node, KG.certainty, _decimal(LEVELS[f.certainty]))
            if f.as_of:
                self.add(node, KG.asOf, _date(f.as_of))
        self.events()
        self.occurrences()
        return list(self.quads)

    def occurrences(self) -> None:
        """What the article reports happened, and which facts are about what (kg.incidents
        links these across documents)."""
        nodes = []
        for o in self.ex.occurrences:
            node = self.span("occurrence", o.start, o.end)
            nodes.append(node)
            self.add(node, RDF.type, KG.Occurrence)
            self.add(node, KG.reportedIn, self.doc)
            if o.main:
                self.add(self.doc, KG.mainOccurrence, node)
            if o.type is not None:
                self.add(node, KG.eventType, EVENT_TYPE[CONCEPTS[o.type]])
            self.add(node, KG.countryCode, o.country)
            for name in o.places:
                self.add(node, KG.placeName, name)
            for name in o.regions:
                self.add(node, KG.regionName, name)
            for name in o.sites:
                self.add(node, KG.siteName, name)
            for kind in o.site_kinds:
                self.add(node, KG.siteKind, kind)
            if o.earliest is not None and o.latest is not None:
                self.add(node, KG.earliest, _date(o.earliest))
                self.add(node, KG.latest, _date(o.latest))
            self.add(node, KG.dated, _TRUE if o.dated else _FALSE)
        for fact, sentence_start in self.claims + self.quotes + self.events_made:
            index = self.ex.about.get(sentence_start)
            if index is not None:
                self.add(fact, KG.about, nodes[index])

    def events(self) -> None:
        reporting = self.claims + self.quotes
        for e in self.ex.events:
            node = self.fact("event", KG.Event, e.start, e.end, e.sentence)
            self.events_made.append((node, e.sentence.start))
            self.add(node, KG.eventType, EVENT_TYPE[CONCEPTS[e.type]])
            self.add(node, NIF.anchorOf, e.text)
            if e.actor is not None:
                self.add(node, SEM.hasActor, self.entity(e.actor))
            self.add(node, KG.actorText, e.actor_text)
            if e.target is not None:
                self.add(node, KG.target, self.entity(e.target))
            self.add(node, KG.targetText, e.target_text)
            if e.place is not None:
                self.add(node, SEM.hasPlace, self.entity(e.place))
            if e.date is not None:
                self.add(node, SEM.hasTimeStamp, _date(e.date))
            for claim, sentence_start in reporting:
                if sentence_start == e.sentence.start:
                    self.add(claim, KG.reports, node)


def document_quads(ex: Extraction) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The name of a document's graph and its quads (what the store writes)."""
    builder = _Builder(ex)
    return builder.doc, builder.build()


def to_graph(ex: Extraction) -> Graph:
    """The named graph of one document as an rdflib Graph, for tools that want rdflib (SHACL)."""
    name, quads = document_quads(ex)
    graph = Graph(identifier=name.value)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=data, format="nt")
    return graph


def _url(url: str) -> ox.NamedNode | ox.Literal:
    """A page's address as an IRI, or as text when it is not a valid one."""
    try:
        return ox.NamedNode(url)
    except ValueError:
        return ox.Literal(url)
