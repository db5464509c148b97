"""Turn one Extraction into the RDF graph of its document (see ontology/kg.ttl)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.certainty import LEVELS
from kg.entities import Entity
from kg.events import CONCEPTS
from kg.model import Extraction, Sentence
from kg.vocab import (
    EVENT_TYPE,
    GEO,
    KG,
    NIF,
    PREFIXES,
    SCHEMA,
    SEM,
    document_iri,
    entity_iri,
    span_iri,
)


@lru_cache(maxsize=1 << 16)  # offsets repeat across documents; rdflib's Literal is slow to make
def _int(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)).normalize() if value != int(value) else Decimal(int(value)))


Triple = tuple[URIRef, URIRef, URIRef | Literal]


class _Builder:
    """Collects a document's triples as plain tuples: cheap to make, cheap to hand to Oxigraph."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.doc_id = ex.document.id
        self.doc = document_iri(self.doc_id)
        self.triples: dict[Triple, None] = {}  # ordered set
        # Claims and quotes with their sentence's start: events link to those in their sentence.
        self.claims: list[tuple[URIRef, int]] = []
        self.quotes: list[tuple[URIRef, int]] = []

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        if o is None:
            return
        self.triples[(s, p, o if isinstance(o, URIRef | Literal) else Literal(o))] = None

    def document(self) -> None:
        d, doc = self.ex.document, self.doc
        self.add(doc, RDF.type, KG.Document)
        self.add(doc, SCHEMA.identifier, d.id)
        self.add(doc, SCHEMA.headline, d.title)
        if d.date:
            self.add(doc, SCHEMA.datePublished, Literal(d.date, datatype=XSD.date))
        if d.url:
            self.add(doc, SCHEMA.url, URIRef(d.url) if " " not in d.url else Literal(d.url))
        self.add(doc, KG.contentHash, d.content_hash)
        self.add(doc, NIF.isString, d.text)
        for start, end in d.furniture:
            node = span_iri("furniture", self.doc_id, start, end)
            self.add(doc, KG.furniture, node)
            self._offsets(node, start, end)

    def _offsets(self, node: URIRef, start: int, end: int) -> None:
        self.add(node, NIF.beginIndex, _int(start))
        self.add(node, NIF.endIndex, _int(end))
        self.add(node, NIF.referenceContext, self.doc)

    def fact(self, kind: str, cls: URIRef, start: int, end: int, sentence: Sentence) -> URIRef:
        """A quotation, claim or event: its type, sentence, document and offsets."""
        node = span_iri(kind, self.doc_id, start, end)
        self.add(node, RDF.type, cls)
        self.add(node, KG.inSentence, self.sentence(sentence))
        self.add(node, KG.reportedIn, self.doc)
        self._offsets(node, start, end)
        return node

    def attributed(
        self,
        node: URIRef,
        who: Entity | None,
        text_property: URIRef,
        text: str | None,
        cue: str | None,
    ) -> None:
        if who is not None:
            self.add(node, PROV.wasAttributedTo, self.entity(who))
        self.add(node, text_property, text)
        self.add(node, KG.cue, cue)

    def sentence(self, s: Sentence) -> URIRef:
        node = span_iri("sentence", self.doc_id, s.start, s.end)
        if (node, RDF.type, NIF.Sentence) in self.triples:
            return node  # a sentence holding several facts is described once
        self.add(node, RDF.type, NIF.Sentence)
        self.add(node, NIF.anchorOf, s.text)
        self._offsets(node, s.start, s.end)
        return node

    def entity(self, e: Entity) -> URIRef:
        node = entity_iri(e.key)
        self.add(node, RDF.type, KG[e.type])
        self.add(node, RDFS.label, e.label)
        for alias in sorted(e.aliases):
            if alias != e.label:
                self.add(node, SKOS.altLabel, alias)
        geo = e.geo
        if geo is not None:
            self.add(node, OWL.sameAs, URIRef(geo.iri))
            self.add(node, KG.countryCode, geo.country)
            if geo.latitude is not None:
                self.add(node, GEO.lat, Literal(Decimal(str(geo.latitude))))
                self.add(node, GEO.long, Literal(Decimal(str(geo.longitude))))
        return node

    def build(self) -> list[Triple]:
        self.document()
        for e in self.ex.entities.values():
            self.entity(e)
        for m in self.ex.mentions:
            node = span_iri("mention", self.doc_id, m.start, m.end)
            self.add(node, RDF.type, KG.Mention)
            self.add(node, KG.refersTo, entity_iri(m.entity))
            self.add(node, NIF.anchorOf, m.text)
            self.add(node, KG.inSentence, self.sentence(m.sentence))
            self._offsets(node, m.start, m.end)
        for q in self.ex.quotes:
            node = self.fact("quote", KG.Quotation, q.start, q.end, q.sentence)
            self.quotes.append((node, q.sentence.start))
            self.add(node, SCHEMA.text, q.text)
            self.attributed(node, q.speaker, KG.speakerText, q.speaker_text, q.cue)
        for f in self.ex.figures:
            node = self.fact("claim", KG.FigureClaim, f.start, f.end, f.sentence)
            self.claims.append((node, f.sentence.start))
            self.add(node, KG.value, _decimal(f.value))
            self.add(node, KG.qualifier, f.qualifier)
            self.add(node, KG.category, f.category)
            self.add(node, KG.measure, f.measure)
            self.add(node, NIF.anchorOf, f.text)
            self.attributed(node, f.source, KG.sourceText, f.source_text, f.cue)
            self.add(node, KG.certaintyLevel, f.certainty)
            self.add(node, KG.certainty, _decimal(LEVELS[f.certainty]))
            if f.as_of:
                self.add(node, KG.asOf, Literal(f.as_of, datatype=XSD.date))
        self.events()
        return list(self.triples)

    def events(self) -> None:
        reporting = self.claims + self.quotes
        for e in self.ex.events:
            node = self.fact("event", KG.Event, e.start, e.end, e.sentence)
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
                self.add(node, SEM.hasTimeStamp, Literal(e.date, datatype=XSD.date))
            for claim, sentence_start in reporting:
                if sentence_start == e.sentence.start:
                    self.add(claim, KG.reports, node)


def document_triples(ex: Extraction) -> tuple[URIRef, list[Triple]]:
    """The name of a document's graph and its triples (what the store writes)."""
    return document_iri(ex.document.id), _Builder(ex).build()


def to_graph(ex: Extraction) -> Graph:
    """The named graph of one document as an rdflib Graph: metadata, mentions, quotes, claims."""
    name, triples = document_triples(ex)
    graph = Graph(identifier=name)
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in triples:
        graph.add(triple)
    return graph
