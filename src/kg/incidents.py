"""Link what documents report into incidents: one real-world attack, every report of it.

Each document's graph holds its occurrences (kg.extract.occurrences): the attack it is about and
those it names in passing, with type, places, sites and dates, and which of its claims,
quotations and events are about each. Linking reads them back from the store, compares reports
pairwise (`evidence`), groups the articles' own occurrences by average linkage, then joins each
occurrence named in passing to the incident it matches, if any. All of it is a function of the
set of documents, never of the order they came in: IRIs are made from what an incident is
(date, place, type), ties are broken by IRI, and the whole incidents graph is written again.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox

from kg.entities import slug
from kg.extract.events import TOP
from kg.extract.occurrences import INCIDENT_TOPS
from kg.model import Occurrence
from kg.places import lookup
from kg.vocab import ID, PREFIXES

logger = logging.getLogger(__name__)

INCIDENTS_GRAPH = str(ID["graph/incidents"])  # where links and incidents live, rewritten whole
LINK_AT = 2.0  # the evidence two reports need to be of one incident
MAX_GAP_DAYS = 45  # reports of attacks further apart in time are of different incidents
# Evidence weights: a named site ("Zamzam" of "Zamzam camp") is rarer than a village or a town
# GeoNames does not hold, which are rarer than a town, a big city commoner than a town, a region
# commoner still; countries only rule out.
SITE, LOCALITY, TOWN, CITY, REGION = 2.0, 1.5, 1.5, 1.0, 0.5
BIG_CITY = 1_000_000
SHARED_KIND, OTHER_KIND, SAME_TYPE, SAME_DAY = 1.0, -2.0, 0.5, 0.5
OTHER_PLACE, OTHER_SITE = -2.5, -2.0  # towns, villages or sites named by both, none the same
PLACE_CAP, REGION_CAP = 4.0, 1.0
DAY_DATED, DAY_UNDATED = 0.5, 0.15  # per day apart, when both reports give dates or not
_ARTICLES = frozenset("al el ad ar as ash at az".split())  # "al-Tabi'in", "El Fasher"
_VOWELS = str.maketrans("", "", "aeiouy")


@dataclass(frozen=True)
class Report:
    """An occurrence as the store holds it, with the document that reports it."""

    iri: str
    document: str
    published: date | None
    occurrence: Occurrence


@dataclass
class Incident:
    iri: str
    reports: list[Report]  # the articles' own occurrences
    type: str | None
    place: str | None
    country: str | None
    date: date | None
    mentions: list[Report] = field(default_factory=list)  # named in passing by other articles


class Reader(Protocol):
    def select(self, query: str, params: Mapping[str, object] | None = None) -> list[dict]: ...


class Writer(Protocol):
    def replace(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> int: ...


@lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    """A name as transliterations agree on it: no article, no vowels, no spaces ("Tabi'in",
    "Tabieen" and "Tabe'een" are all "tbn")."""
    words = [w for w in name.replace("-", " ").split() if w not in _ARTICLES] or name.split()
    letters = "".join(c for c in "".join(words) if c.isalpha())
    return (letters[:1] + letters[1:].translate(_VOWELS)) or name


@lru_cache(maxsize=1 << 16)  # each report is compared with many
def _specific(o: Occurrence) -> dict[str, float]:
    """Towns, villages and named sites, by key, with what sharing each is worth."""
    found: dict[str, float] = {}
    for name in o.places:
        geo = lookup(name)
        if geo is not None and geo.is_country:
            continue
        weight = LOCALITY if geo is None else (CITY if geo.population >= BIG_CITY else TOWN)
        found[_key(name)] = max(found.get(_key(name), 0.0), weight)
    for name in o.sites:
        found[_key(name)] = SITE
    return found


@lru_cache(maxsize=1 << 16)
def _sure(o: Occurrence) -> frozenset[str]:
    """The keys of the towns GeoNames holds and of the named sites."""
    return frozenset({_key(t) for t in _towns(o)} | {_key(n) for n in o.sites})


def _towns(o: Occurrence) -> set[str]:
    return {p for p in o.places if (g := lookup(p)) is not None and not g.is_country}


def _gap(a: Occurrence, b: Occurrence) -> int | None:
    if None in (a.earliest, a.latest, b.earliest, b.latest):
        return None
    if a.latest < b.earliest:
        return (b.earliest - a.latest).days
    if b.latest < a.earliest:
        return (a.earliest - b.latest).days
    return 0


def evidence(a: Occurrence, b: Occurrence) -> float:
    """How strongly two reports tell of one attack; -inf where they cannot (other country, other
    kind of event, weeks apart)."""
    if a.country and b.country and a.country != b.country:
        return -math.inf
    if a.type and b.type:
        tops = {TOP[a.type], TOP[b.type]}
        if len(tops) > 1 and not tops <= set(INCIDENT_TOPS):
            return -math.inf
    gap = _gap(a, b)
    if gap is not None and gap > MAX_GAP_DAYS:
        return -math.inf
    score = 0.0
    if gap:
        score -= gap * (DAY_DATED if a.dated and b.dated else DAY_UNDATED)
    elif a.dated and b.dated and a.earliest == a.latest == b.earliest == b.latest:
        score += SAME_DAY
    here, there = _specific(a), _specific(b)
    shared = here.keys() & there.keys()
    score += min(PLACE_CAP, sum(max(here[k], there[k]) for k in shared))
    # Towns and sites both name, none the same: other places. (Names GeoNames does not hold
    # are often no place at all, "M23" tagged as one: they count only for.)
    sure_a, sure_b = _sure(a), _sure(b)
    if sure_a and sure_b and not sure_a & sure_b:
        score += OTHER_PLACE
    sites_a, sites_b = {_key(n) for n in a.sites}, {_key(n) for n in b.sites}
    if sites_a and sites_b and not sites_a & sites_b:
        score += OTHER_SITE
    # A name one report calls a region and the other does not ("Plateau", "Plateau State").
    regions_a, regions_b = {_key(n) for n in a.regions}, {_key(n) for n in b.regions}
    regions = (regions_a | here.keys()) & (regions_b | there.keys()) - shared
    score += min(REGION_CAP, REGION * len(regions))
    if a.type and a.type == b.type and a.type != "attack":
        score += SAME_TYPE
    kinds_a, kinds_b = set(a.site_kinds), set(b.site_kinds)
    if kinds_a & kinds_b:
        score += SHARED_KIND
    elif kinds_a and kinds_b:
        score += OTHER_KIND
    return score


def _window(reach: float) -> int | None:
    """The most days apart two reports can be and still link, when what they share can add at
    most `reach` to their evidence besides SAME_DAY; None where they can never link."""
    if reach >= LINK_AT:
        return math.floor((reach - LINK_AT) / DAY_UNDATED + 1e-9)
    return 0 if reach + SAME_DAY >= LINK_AT else None


# What a shared key can add at most, with all else two reports might share but a town.
_PLACE_WINDOW = _window(PLACE_CAP + REGION_CAP + SAME_TYPE + SHARED_KIND)
_REGION_WINDOW = _window(REGION_CAP + SAME_TYPE + SHARED_KIND)
_KIND_WINDOW = _window(SAME_TYPE + SHARED_KIND)


def _blocking_keys(o: Occurrence) -> dict[str, int]:
    """What two reports must share for their evidence to reach LINK_AT at all (a town, village,
    site, region or kind of site), each with the most days apart it lets them be."""
    keys: dict[str, int] = {}
    for windows, names in (
        (_KIND_WINDOW, [f"kind:{k}" for k in o.site_kinds]),
        (_REGION_WINDOW, [_key(n) for n in o.regions]),
        (_PLACE_WINDOW, list(_specific(o))),
    ):
        if windows is not None:
            keys.update(dict.fromkeys(names, windows))
    return keys


class _Pairs:
    """Evidence between reports, each pair computed once, when asked."""

    def __init__(self, reports: list[Report]) -> None:
        self.occurrences = [r.occurrence for r in reports]
        self.known: dict[tuple[int, int], float] = {}

    def __call__(self, i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = evidence(self.occurrences[i], self.occurrences[j])
        return found


def _linked_components(reports: list[Report], pairs: _Pairs) -> list[list[int]]:
    """Reports joined, directly or through others, by pairs whose evidence reaches LINK_AT.
    Only reports that share a blocking key and are close in time are compared."""
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, report in enumerate(reports):
        for key, window in _blocking_keys(report.occurrence).items():
            index[key].append((i, window))
    for members in index.values():
        members.sort(key=lambda m: (reports[m[0]].occurrence.earliest or date.min, m[0]))
        for x, (i, window) in enumerate(members):
            latest = reports[i].occurrence.latest
            for j, other in members[x + 1 :]:
                earliest = reports[j].occurrence.earliest
                gap = (earliest - latest).days if latest and earliest else None
                if gap is not None and gap > window:
                    break  # sorted by date: every later one is further still
                if gap is not None and gap > other:
                    continue
                a, b = root(i), root(j)
                if a != b and pairs(i, j) >= LINK_AT:
                    parent[max(a, b)] = min(a, b)
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(len(reports)):
        components[root(i)].append(i)
    return list(components.values())


def _average_linkage(members: list[int], pairs: _Pairs) -> list[list[int]]:
    """Merge the two groups of highest average evidence while it reaches LINK_AT; a pair that
    cannot be one attack (-inf) keeps its groups apart. A group is named by its first report,
    ties go to the first names: the result depends on the set of reports, not their order."""
    groups = {i: [i] for i in members}
    totals: dict[tuple[int, int], float] = {}
    heap: list[tuple[float, int, int]] = []
    for x, i in enumerate(members):
        for j in members[x + 1 :]:
            totals[(i, j)] = pairs(i, j)
            if totals[(i, j)] >= LINK_AT:
                heapq.heappush(heap, (-totals[(i, j)], i, j))
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in groups or b not in groups:
            continue
        if -negative != totals[(a, b)] / (len(groups[a]) * len(groups[b])):
            continue  # a stale entry: one of the groups has grown since
        groups[a] = sorted(groups[a] + groups.pop(b))
        for c in groups:
            if c == a:
                continue
            ab = (min(b, c), max(b, c))
            ac = (min(a, c), max(a, c))
            totals[ac] = totals[ac] + totals.pop(ab)
            average = totals[ac] / (len(groups[a]) * len(groups[c]))
            if average >= LINK_AT:
                heapq.heappush(heap, (-average, *ac))
    return list(groups.values())


def group(reports: list[Report]) -> list[list[Report]]:
    """Average-linkage groups of reports whose evidence reaches LINK_AT, found within the
    components that linking pairs join; the same groups for any order of `reports`."""
    reports = sorted(reports, key=lambda r: r.iri)
    pairs = _Pairs(reports)
    found = [
        members
        for component in _linked_components(reports, pairs)
        for members in _average_linkage(sorted(component), pairs)
    ]
    return [[reports[i] for i in members] for members in sorted(found)]


def _incident(members: list[Report]) -> Incident:
    occ = [r.occurrence for r in members]
    types = Counter(o.type for o in occ if o.type)
    kind = min(types, key=lambda t: (t == "attack", -types[t], t)) if types else None
    towns = Counter(t for o in occ for t in _towns(o))
    sites = Counter(s for o in occ for s in o.sites)
    countries = Counter(o.country for o in occ if o.country)
    # The most specific town most reports name: "Kramatorsk" over "Donetsk" (its region's city).
    common = [t for t in towns if towns[t] * 2 >= max(towns.values())]
    place = min(common, key=lambda t: (lookup(t).population, t)) if common else _commonest(sites)
    country = _commonest(countries)
    # The earliest day a report gives; a week or a month only when none gives a day.
    days = [o.earliest for o in occ if o.dated and o.earliest and o.earliest == o.latest]
    dated = days or [o.earliest for o in occ if o.dated and o.earliest]
    published = [r.published for r in members if r.published]
    when = min(dated) if dated else (min(published) if published else None)
    return Incident("", members, kind, place, country, when)


def _commonest(counts: Counter) -> str | None:
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None


def link(reports: Iterable[Report]) -> list[Incident]:
    """Incidents from every report in the store: the articles' own occurrences grouped, then
    each one named in passing joined to the incident it matches best (if any reaches LINK_AT)."""
    reports = list(reports)
    own = [r for r in reports if r.occurrence.main]
    incidents = [_incident(g) for g in group(own)]
    for ref in sorted((r for r in reports if not r.occurrence.main), key=lambda r: r.iri):
        best, score = None, LINK_AT
        for incident in incidents:
            s = max(evidence(ref.occurrence, m.occurrence) for m in incident.reports)
            if s >= score and (best is None or s > score):
                best, score = incident, s
        if best is not None:
            best.mentions.append(ref)
    _name(incidents)
    return incidents


def _name(incidents: list[Incident]) -> None:
    """IRIs from what an incident is ("2022-04-08-kramatorsk-missile-strike"); where two share
    one, the one with the first document keeps it and the others are numbered."""
    taken: Counter[str] = Counter()
    for incident in sorted(incidents, key=lambda i: min(r.document for r in i.reports)):
        parts = [
            incident.date.isoformat() if incident.date else "undated",
            slug(incident.place) if incident.place else (incident.country or "").lower(),
            incident.type or "",
        ]
        base = "-".join(p for p in parts if p)
        taken[base] += 1
        suffix = f"-{taken[base]}" if taken[base] > 1 else ""
        incident.iri = str(ID[f"incident/{base}{suffix}"])


# -- reading reports from the store, writing incidents back ----------------------------------------

_REPORTS = """SELECT ?occ ?doc ?published ?main ?type ?country ?earliest ?latest ?dated WHERE {
  GRAPH ?doc { ?occ a kg:Occurrence .
    OPTIONAL { ?doc schema:datePublished ?published }
    OPTIONAL { ?doc kg:mainOccurrence ?occ . BIND(true AS ?main) }
    OPTIONAL { ?occ kg:eventType ?type } OPTIONAL { ?occ kg:countryCode ?country }
    OPTIONAL { ?occ kg:earliest ?earliest ; kg:latest ?latest } OPTIONAL { ?occ kg:dated ?dated } }
}"""
_NAMES = """SELECT ?occ ?p ?name WHERE {
  GRAPH ?doc { ?occ a kg:Occurrence ; ?p ?name .
               VALUES ?p { kg:placeName kg:regionName kg:siteName kg:siteKind } } }"""
_ABOUT = "SELECT ?fact ?occ WHERE { GRAPH ?doc { ?fact kg:about ?occ } }"


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def read_reports(reader: Reader) -> list[Report]:
    """Every occurrence the store's documents report (three SELECTs, any store or server)."""
    from kg.extract.events import CONCEPTS

    notation = {str(PREFIXES["et"][local]): n for n, local in CONCEPTS.items()}
    names: dict[str, dict[str, list[str]]] = {}
    for row in reader.select(_NAMES):
        names.setdefault(row["occ"], {}).setdefault(row["p"].rsplit("#", 1)[-1], []).append(
            row["name"]
        )
    reports = []
    for row in reader.select(_REPORTS):
        found = names.get(row["occ"], {})
        occurrence = Occurrence(
            0, 0, bool(row.get("main")), notation.get(row.get("type") or ""), row.get("country"),
            tuple(sorted(found.get("placeName", []))), tuple(sorted(found.get("regionName", []))),
            tuple(sorted(found.get("siteName", []))),
            tuple(sorted(found.get("siteKind", []))), _day(row.get("earliest")),
            _day(row.get("latest")), row.get("dated") in (True, "true"),
        )  # fmt: skip
        reports.append(Report(row["occ"], row["doc"], _day(row.get("published")), occurrence))
    return reports


def incident_quads(incidents: list[Incident], about: Iterable[tuple[str, str]]) -> list[ox.Quad]:
    """The incidents graph: each incident, and kg:incident from each document, occurrence,
    claim, quotation and event that is about it."""
    from kg.extract.events import CONCEPTS

    graph = ox.NamedNode(INCIDENTS_GRAPH)
    kg, rdf, rdfs, sem = (PREFIXES[p] for p in ("kg", "rdf", "rdfs", "sem"))
    xsd = PREFIXES["xsd"]
    quads: list[ox.Quad] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph))

    of_occurrence: dict[str, str] = {}
    for incident in sorted(incidents, key=lambda i: i.iri):
        iri = incident.iri
        add(iri, str(rdf.type), ox.NamedNode(str(kg.Incident)))
        add(iri, str(rdfs.label), ox.Literal(_label(incident)))
        if incident.type:
            add(iri, str(kg.eventType), ox.NamedNode(str(PREFIXES["et"][CONCEPTS[incident.type]])))
        if incident.place:
            add(iri, str(kg.placeName), ox.Literal(incident.place))
        if incident.country:
            add(iri, str(kg.countryCode), ox.Literal(incident.country))
        if incident.date:
            add(
                iri,
                str(sem.hasTimeStamp),
                ox.Literal(incident.date.isoformat(), datatype=ox.NamedNode(str(xsd.date))),
            )
        for report in incident.reports:
            add(report.document, str(kg.incident), ox.NamedNode(iri))
        for report in incident.reports + incident.mentions:
            of_occurrence[report.iri] = iri
            add(report.iri, str(kg.incident), ox.NamedNode(iri))
    for fact, occurrence in sorted(about):
        if occurrence in of_occurrence:
            add(fact, str(kg.incident), ox.NamedNode(of_occurrence[occurrence]))
    return quads


def _label(incident: Incident) -> str:
    what = (incident.type or "attack").replace("-", " ")
    where = incident.place.title() if incident.place else incident.country or "unknown place"
    when = incident.date.isoformat() if incident.date else "undated"
    return f"{what.capitalize()}, {where}, {when}"


def relink(reader: Reader, writer: Writer) -> int:
    """Link the store's reports into incidents again and write the incidents graph whole (one
    replace: after a crash it is the old graph or the new one); the number of incidents."""
    incidents = link(read_reports(reader))
    about = [(row["fact"], row["occ"]) for row in reader.select(_ABOUT)]
    writer.replace(ox.NamedNode(INCIDENTS_GRAPH), incident_quads(incidents, about))
    logger.info("%d incidents linked", len(incidents))
    return len(incidents)
