"""Networks drawn from the graph, for Gephi and other graph tools.

Three views: `entity` (people, organisations, armed forces, places, events and incidents, with
co-mention, attribution, quote, event-participation edges, and an edge from a source to an
incident for each day it gave figures about it), `attribution` (sources → figure claims → what
they count and the incident they are about, to compare the figures each source gives) and
`comention` (entities named in the same sentence). Every node and edge knows the first publication date it appears on, so
Gephi's timeline can replay the war; filters keep a date range, a set of documents, a category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS

from kg.store import GraphReader
from kg.vocab import GEO, KG

VIEWS = ("entity", "attribution", "comention")
COLOURS = {
    "Person": (228, 87, 86), "Organisation": (76, 120, 168), "ArmedForce": (84, 160, 82),
    "Place": (242, 142, 43), "Source": (148, 103, 189), "Event": (183, 154, 32),
    "FigureClaim": (118, 183, 178), "Category": (156, 117, 95), "Incident": (214, 39, 40),
}  # fmt: skip


def colour(type_: str) -> tuple[int, int, int]:
    return COLOURS.get(type_, (128, 128, 128))


@dataclass
class Filters:
    since: date | None = None
    until: date | None = None
    documents: frozenset[str] | None = None
    category: str | None = None

    @property
    def by_document(self) -> bool:
        """Whether the filters choose documents (dates or ids), which any export can honour;
        `category` picks figure claims inside documents, which only some networks can."""
        return self.since is not None or self.until is not None or self.documents is not None

    def keeps(self, doc: str, published: str | None) -> bool:
        if self.documents is not None and doc not in self.documents:
            return False
        if (self.since or self.until) and not published:
            return False
        if self.since and published < self.since.isoformat():
            return False
        return not (self.until and published > self.until.isoformat())


@dataclass
class Node:
    id: str
    label: str
    type: str
    mentions: int = 0
    start: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    extra: dict[str, object] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)

    def seen(self, doc: str, published: str | None, count: int = 1) -> None:
        self.mentions += count
        self.documents.add(doc)
        if published and (self.start is None or published < self.start):
            self.start = published

    @property
    def colour(self) -> tuple[int, int, int]:
        return colour(self.type)

    def attributes(self) -> dict[str, object]:
        """The node's data attributes that have a value, as every export writes them."""
        values = {"type": self.type, "mentions": self.mentions, "documents": len(self.documents),
                  "latitude": self.latitude, "longitude": self.longitude, **self.extra}  # fmt: skip
        return {k: v for k, v in values.items() if v is not None}


@dataclass
class Edge:
    source: str
    target: str
    kind: str
    label: str
    weight: float = 0
    start: str | None = None

    @property
    def shown_weight(self) -> float:
        """The weight exports write: at least 1, as graph tools drop or hide weight-0 edges."""
        return max(self.weight, 1)


@dataclass
class Network:
    view: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def node(self, id_: str, label: str, type_: str) -> Node:
        found = self.nodes.get(id_)
        if found is None:
            found = self.nodes[id_] = Node(id_, label, type_)
        return found

    def edge(
        self,
        source: str,
        target: str,
        kind: str,
        label: str,
        weight: float,
        published: str | None,
        apart: str = "",
    ) -> None:
        """Add to the edge of this kind between the two (`apart`: one of several parallel
        edges of that kind, each its own)."""
        key = (source, target, f"{kind}\t{apart}" if apart else kind)
        found = self.edges.get(key)
        if found is None:
            found = self.edges[key] = Edge(source, target, kind, label)
        found.weight += weight
        if published and (found.start is None or published < found.start):
            found.start = published


_DATES = "SELECT ?doc ?id ?date WHERE { GRAPH ?doc { ?doc schema:identifier ?id OPTIONAL { ?doc schema:datePublished ?date } } }"
_ABOUT = """
SELECT ?doc ?source ?slabel ?sclass ?target ?kind ?category (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?doc {
    { ?x a kg:FigureClaim ; kg:category ?category . BIND("attribution" AS ?kind) }
    UNION { ?x a kg:Quotation . BIND("quote" AS ?kind) }
    ?x prov:wasAttributedTo ?source ; kg:inSentence ?s .
    ?source rdfs:label ?slabel ; a ?sclass .
    ?m kg:inSentence ?s ; kg:refersTo ?target .
    FILTER(?target != ?source)
  }
} GROUP BY ?doc ?source ?slabel ?sclass ?target ?kind ?category"""
_EVENTS = """
SELECT ?doc ?event ?concept ?trigger ?date ?actor ?alabel ?aclass ?place (COUNT(DISTINCT ?c) AS ?figures) WHERE {
  GRAPH ?doc { ?event a kg:Event ; kg:eventType ?concept ; nif:anchorOf ?trigger .
    OPTIONAL { ?event sem:hasTimeStamp ?date }
    OPTIONAL { ?event sem:hasActor ?actor . ?actor rdfs:label ?alabel ; a ?aclass }
    OPTIONAL { ?event sem:hasPlace ?place }
    OPTIONAL { ?c kg:reports ?event } }
} GROUP BY ?doc ?event ?concept ?trigger ?date ?actor ?alabel ?aclass ?place"""
_INCIDENT_CLAIMS = """
SELECT ?doc ?claim ?incident ?ilabel ?idate ?category ?value ?qualifier ?source ?slabel ?sclass
WHERE {
  ?claim kg:incident ?incident . ?incident a kg:Incident ; rdfs:label ?ilabel .
  OPTIONAL { ?incident sem:hasTimeStamp ?idate }
  GRAPH ?doc { ?claim a kg:FigureClaim ; kg:category ?category ; kg:value ?value ;
    kg:qualifier ?qualifier .
    OPTIONAL { ?claim prov:wasAttributedTo ?source . ?source rdfs:label ?slabel ; a ?sclass } }
}"""
_CLAIMS = """
SELECT ?doc ?claim ?figure ?value ?category ?measure ?source ?slabel ?sclass WHERE {
  GRAPH ?doc { ?claim a kg:FigureClaim ; nif:anchorOf ?figure ; kg:value ?value ;
    kg:category ?category ; kg:measure ?measure .
    OPTIONAL { ?claim prov:wasAttributedTo ?source . ?source rdfs:label ?slabel ; a ?sclass } }
}"""


def _type(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1] or "Entity"


def kept_documents(store: GraphReader, filters: Filters) -> dict[str, str | None]:
    """The graphs of the documents the filters keep, with their publication dates."""
    docs = {r["doc"]: (r["id"], r["date"]) for r in store.select(_DATES)}
    return {
        d: published for d, (doc_id, published) in docs.items() if filters.keeps(doc_id, published)
    }


def check_view(view: str | None, filters: Filters | None = None) -> str:
    """The view to build (entity when none is named), or ValueError when the view does not exist
    or cannot honour the filters: a category would be silently ignored by the comention view."""
    view = view or "entity"
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if view == "comention" and filters is not None and filters.category:
        raise ValueError(
            "category picks figure claims, and the comention view has none: use it with the "
            "attribution or entity view"
        )
    return view


def build(store: GraphReader, view: str = "entity", filters: Filters | None = None) -> Network:
    view = check_view(view, filters)
    filters = filters or Filters()
    kept = kept_documents(store, filters)
    net = Network(view)
    if view == "attribution":
        _attribution(store, net, kept, filters)
        return net
    _mentions(store, net, kept)
    if view == "comention":
        return net
    for r in store.select(_ABOUT):
        if r["doc"] not in kept or (
            filters.category and r["category"] not in (None, filters.category)
        ):
            continue
        net.node(r["source"], r["slabel"], _type(r["sclass"])).seen(r["doc"], kept[r["doc"]], 0)
        label = "gave figures about" if r["kind"] == "attribution" else "quoted about"
        net.edge(r["source"], r["target"], r["kind"], label, r["n"], kept[r["doc"]])
    for r in store.select(_EVENTS):
        if r["doc"] not in kept:
            continue
        kind = r["concept"].rsplit("/", 1)[-1]
        event = net.node(r["event"], f"{kind} ({r['date'] or 'undated'})", "Event")
        event.seen(r["doc"], r["date"] or kept[r["doc"]])
        event.extra["event_type"] = kind
        event.extra["figures"] = r["figures"]
        if r["actor"]:
            net.node(r["actor"], r["alabel"], _type(r["aclass"])).seen(r["doc"], kept[r["doc"]], 0)
            net.edge(
                r["actor"],
                r["event"],
                "participation",
                "took part in",
                1,
                r["date"] or kept[r["doc"]],
            )
        if r["place"] and r["place"] in net.nodes:
            net.edge(
                r["event"], r["place"], "location", "took place in", 1, r["date"] or kept[r["doc"]]
            )
    _incidents(store, net, kept, filters, by_claim=False)
    return net


def _incidents(
    store: GraphReader, net: Network, kept: dict[str, str | None], filters: Filters, by_claim: bool
) -> None:
    """Incident nodes; from each figure claim about one (`by_claim`), or else from its source,
    an edge that appears on the day the figure was published: a source that gave a toll on three
    days has three edges, so Gephi's timeline shows the toll moving."""
    for r in store.select(_INCIDENT_CLAIMS):
        if r["doc"] not in kept or (filters.category and r["category"] != filters.category):
            continue
        published = kept[r["doc"]]
        incident = net.node(r["incident"], r["ilabel"], "Incident")
        incident.seen(r["doc"], r["idate"] or published)
        if by_claim:
            net.edge(r["claim"], r["incident"], "incident", "is about", 1, published)
        elif r["source"]:
            net.node(r["source"], r["slabel"], _type(r["sclass"])).seen(r["doc"], published, 0)
            net.edge(r["source"], r["incident"], "toll", "gave figures about", 1, published,
                     published or "")  # fmt: skip


def _scan(store: GraphReader, predicate: str) -> Iterator[ox.Quad]:
    return iter(store.quads(predicate=ox.NamedNode(predicate)))


def _mentions(store: GraphReader, net: Network, kept: dict[str, str | None]) -> None:
    """Entity nodes and co-mention edges by scanning quads and joining in dicts: linear in the
    number of mentions, where the equivalent GROUP BY queries grow faster."""
    refers: dict[tuple[str, str], str] = {}  # (graph, mention) → entity
    for q in _scan(store, str(KG.refersTo)):
        graph = q.graph_name.value
        if graph in kept:
            refers[(graph, q.subject.value)] = q.object.value
    sentences: dict[tuple[str, str], list[str]] = defaultdict(list)  # (graph, sentence) → entities
    for q in _scan(store, str(KG.inSentence)):
        key = (q.graph_name.value, q.subject.value)
        entity = refers.get(key)
        if entity is not None:
            sentences[(key[0], q.object.value)].append(entity)
    wanted = set(refers.values())

    def values(predicate: str) -> dict[str, str]:
        return {
            q.subject.value: q.object.value
            for q in _scan(store, predicate)
            if q.subject.value in wanted
        }

    labels, lat, lon = values(str(RDFS.label)), values(str(GEO.lat)), values(str(GEO.long))
    kinds = {
        q.subject.value: _type(q.object.value)
        for q in _scan(store, str(RDF.type))
        if q.subject.value in wanted and q.object.value.startswith(str(KG))
    }
    for (graph, _), entity in refers.items():
        node = net.nodes.get(entity)
        if node is None:
            node = net.node(entity, labels.get(entity, entity), kinds.get(entity, "Entity"))
            if entity in lat and entity in lon:
                node.latitude, node.longitude = float(lat[entity]), float(lon[entity])
        node.seen(graph, kept[graph])
    pairs: dict[tuple[str, str, str], int] = defaultdict(int)  # (graph, a, b) → sentences
    for (graph, _), entities in sentences.items():
        unique = sorted(set(entities))
        for i, a in enumerate(unique):
            for b in unique[i + 1 :]:
                pairs[(graph, a, b)] += 1
    for (graph, a, b), n in pairs.items():
        net.edge(a, b, "co-mention", "co-mentioned", n, kept[graph])


def _attribution(
    store: GraphReader, net: Network, kept: dict[str, str | None], filters: Filters
) -> None:
    for r in store.select(_CLAIMS):
        if r["doc"] not in kept or (filters.category and r["category"] != filters.category):
            continue
        published = kept[r["doc"]]
        claim = net.node(r["claim"], f"{r['figure']} {r['measure']}", "FigureClaim")
        claim.seen(r["doc"], published)
        claim.extra.update(value=float(r["value"]), category=r["category"])
        counted = f"category:{r['category']}"
        net.node(counted, r["category"], "Category").seen(r["doc"], published)
        net.edge(r["claim"], counted, "counts", "counts", 1, published)
        if r["source"]:
            net.node(r["source"], r["slabel"], _type(r["sclass"])).seen(r["doc"], published)
            net.edge(r["source"], r["claim"], "attribution", "gave", 1, published)
    _incidents(store, net, kept, filters, by_claim=True)


def degree(net: Network) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for e in net.edges.values():
        out[e.source] += 1
        out[e.target] += 1
    return out
