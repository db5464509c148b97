"""Incidents: reports of one attack linked across documents, whatever order they came in.

The articles are invented; the towns are real, so GeoNames places them.
"""

from __future__ import annotations

import io
import json
import math
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from lxml import etree

from kg.build import build_documents
from kg.extract.occurrences import date_interval
from kg.gexf import write_gexf
from kg.incidents import INCIDENTS_GRAPH, Report, evidence, group
from kg.ingest import parse_txt
from kg.model import Occurrence
from kg.networks import build
from kg.queries import load_queries, run
from kg.settings import get_settings
from kg.store import KGStore

from .conftest import SHARED, serve

SCHEMA = SHARED / "gexf-1.3" / "gexf.xsd"

ARTICLES = {
    # One strike on a railway station, reported over four days.
    "station-1.txt": """Missile strike on Zaporizhzhia railway station kills 14
2024-09-02
A Russian missile strike on the railway station in Zaporizhzhia killed 14 people on Monday, regional governor Taras Holub said.
Rescuers were still searching the rubble of the station late in the evening.
""",
    "station-2.txt": """Death toll in Zaporizhzhia station strike rises to 21
2024-09-03
The death toll from Monday's missile strike on the railway station in Zaporizhzhia has risen to 21, the emergency service said.
Since the start of the full-scale invasion, more than 12,000 civilians have been killed in Ukraine, according to the United Nations.
""",
    "station-3.txt": """Zaporizhzhia station toll reaches 25
2024-09-05
At least 25 people were killed in the missile strike on the railway station in Zaporizhzhia, Governor Taras Holub said on Thursday.
The Russian defence ministry said only two people had died at the station.
""",
    # The same town two days later, another site: another incident.
    "market.txt": """Drone strike on Zaporizhzhia market kills six
2024-09-04
A drone struck a crowded market in Zaporizhzhia on Wednesday, killing six people, the mayor said.
Two days after the missile strike on the railway station, the market had been full of shoppers.
""",
    # The same day as the station strike, another town of the same region: another incident.
    "nikopol.txt": """Shelling kills three in Nikopol
2024-09-02
Russian shelling killed three people in Nikopol on Monday, the regional governor said.
""",
    # A year later: its own attack, and the station strike named in passing.
    "school.txt": """Drone attack on Zaporizhzhia school injures four children
2025-09-09
A drone attack on a school in Zaporizhzhia injured four children on Tuesday, officials said.
Last year, a missile strike on the railway station in Zaporizhzhia killed 25 people.
""",
}  # fmt: skip


def _build(path: Path, names: list[str]) -> KGStore:
    """Each document built on its own, in this order, as documents arrive one by one."""
    store = KGStore(path)
    for name in names:
        report = build_documents([parse_txt(name, ARTICLES[name])], store, get_settings().pipeline)
        assert report.documents == 1 and not report.errors
    return store


def _incidents_dump(store: KGStore) -> list[str]:
    graph = ox.NamedNode(INCIDENTS_GRAPH)
    return sorted(str(q) for q in store.ox.quads_for_pattern(None, None, None, graph))


def _dump(store: KGStore) -> list[str]:
    return sorted(str(q) for q in store.ox)


def _memberships(store: KGStore) -> dict[str, str]:
    rows = store.select(
        "SELECT ?id ?incident WHERE { GRAPH ?d { ?d schema:identifier ?id } ?d kg:incident ?incident }"
    )
    return {r["id"]: r["incident"] for r in rows}


def _claim_incidents(store: KGStore) -> dict[tuple[str, str], str | None]:
    rows = store.select(
        """SELECT ?id ?figure ?incident WHERE {
             GRAPH ?d { ?c a kg:FigureClaim ; nif:anchorOf ?figure . ?d schema:identifier ?id }
             OPTIONAL { ?c kg:incident ?incident } }"""
    )
    return {(r["id"], r["figure"]): r["incident"] for r in rows}


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> KGStore:
    return _build(tmp_path_factory.mktemp("incidents") / "store", sorted(ARTICLES))


def test_reports_of_one_attack_are_one_incident_and_other_attacks_stay_apart(
    linked: KGStore,
) -> None:
    docs = _memberships(linked)
    assert docs["station-1.txt"] == docs["station-2.txt"] == docs["station-3.txt"]
    others = [docs["market.txt"], docs["nikopol.txt"], docs["school.txt"]]
    assert len({docs["station-1.txt"], *others}) == 4, docs
    # The IRI says what the incident is: its day, town and kind.
    assert docs["station-1.txt"].endswith("/incident/2024-09-02-zaporizhzhia-missile-strike")


def test_claims_follow_their_own_attack_a_back_reference_or_no_attack(linked: KGStore) -> None:
    docs, claims = _memberships(linked), _claim_incidents(linked)
    station = docs["station-1.txt"]
    assert claims[("station-2.txt", "21")] == station
    # A war's running total is about no incident.
    assert claims[("station-2.txt", "more than 12,000")] is None
    # A later article naming the old strike links that figure to the old incident.
    assert claims[("school.txt", "25")] == station
    assert claims[("school.txt", "four")] == docs["school.txt"]


def test_the_same_documents_in_any_order_give_the_same_graph(
    linked: KGStore, tmp_path: Path
) -> None:
    """Built one document at a time in shuffled orders; and a document removed gives what was
    built without it (removing may split, adding may merge)."""
    expected = _dump(linked)
    assert _incidents_dump(linked)
    names = sorted(ARTICLES)
    for seed in (1, 2):
        order = names[:]
        random.Random(seed).shuffle(order)
        store = _build(tmp_path / f"order-{seed}", order)
        assert _dump(store) == expected, order
        store.close()
    without = _build(tmp_path / "without", [n for n in names if n != "station-2.txt"])
    store = _build(tmp_path / "removed", names)
    assert store.remove_document("station-2.txt")
    from kg.incidents import relink

    relink(store, store)
    assert _dump(store) == _dump(without)


def test_incident_tolls_give_each_source_in_order_with_spread_and_disagreement(
    linked: KGStore,
) -> None:
    rows = run(
        linked, load_queries()["incident-tolls"], {"place": "Zaporizhzhia", "category": "killed"}
    )
    station = [r for r in rows if r["incident"].endswith("2024-09-02-zaporizhzhia-missile-strike")]
    dates = [r["date"] for r in station]
    assert dates == sorted(dates) and dates[0] == "2024-09-02"
    values = [(r["value"], r["qualifier"], r["document"]) for r in station]
    assert (14, "exact", "station-1.txt") in values and (25, "at_least", "station-3.txt") in values
    assert (25, "exact", "school.txt") in values  # the back-reference, published a year later
    for row in station:
        assert {"incident", "category", "source", "value", "qualifier", "date", "document",
                "sentence", "start", "end"} <= set(row)  # fmt: skip
        text = ARTICLES[row["document"]]
        assert row["sentence"] in text
    # "only two" the day "at least 25" was given cannot both hold: the sources disagree.
    assert {r["disagree"] for r in station} == {True}
    assert station[0]["low"] == 2 and station[0]["high"] == 25
    market = [r for r in rows if "market" in r["sentence"]]
    assert market and {r["disagree"] for r in market} == {False}


def test_the_service_lists_incidents_and_gives_one_timeline(linked: KGStore) -> None:
    linked.flush()
    with serve(Path(linked.path)) as url:
        found = httpx.get(f"{url}/incidents", params={"place": "zaporizhzhia"}).json()
        ids = [i["id"] for i in found]
        assert "2024-09-02-zaporizhzhia-missile-strike" in ids
        first = next(i for i in found if i["id"] == "2024-09-02-zaporizhzhia-missile-strike")
        assert first["documents"] == 3 and first["date"] == "2024-09-02"
        one = httpx.get(f"{url}/incidents/2024-09-02-zaporizhzhia-missile-strike").json()
        killed = next(c for c in one["categories"] if c["category"] == "killed")
        assert killed["disagree"] is True
        latest = [s["latest"]["value"] for s in killed["sources"] if s["latest"]]
        assert 25 in latest
        assert httpx.get(f"{url}/incidents/no-such-incident").status_code == 404
        assert httpx.get(f"{url}/incidents/Not%20An%20Id").status_code == 422


def test_kg_query_prints_a_toll_timeline(linked: KGStore) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "incident-tolls", "-p", "place=Zaporizhzhia",
         "-p", "category=killed", "--store", str(linked.path)],
        capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""}, check=True,
    )  # fmt: skip
    assert "Missile strike, Zaporizhzhia, 2024-09-02 · killed: latest 2–25 · sources disagree" in (
        done.stdout
    )
    as_json = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "incident-tolls", "--format", "json",
         "--store", str(linked.path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert {r["document"] for r in json.loads(as_json.stdout)} >= set(ARTICLES) - {"nikopol.txt"}


def test_exports_show_incidents_and_each_days_figures(linked: KGStore) -> None:
    """Incidents are nodes; a source's figures about one appear on each day it gave them."""
    entity = build(linked, "entity")
    incidents = {n.id for n in entity.nodes.values() if n.type == "Incident"}
    assert len(incidents) == 4
    holub = next(n.id for n in entity.nodes.values() if n.label == "Taras Holub")
    days = sorted(e.start for e in entity.edges.values() if e.source == holub and e.kind == "toll")
    assert days == ["2024-09-02", "2024-09-05"]
    attribution = build(linked, "attribution")
    about = [e for e in attribution.edges.values() if e.kind == "incident"]
    assert {e.target for e in about} <= incidents and len(about) >= 8
    if SCHEMA.is_file():
        out = io.StringIO()
        write_gexf(entity, out)
        xsd = etree.XMLSchema(etree.parse(str(SCHEMA)))
        assert xsd.validate(etree.fromstring(out.getvalue().encode())), xsd.error_log


def _occ(**kw: object) -> Occurrence:
    base = dict(start=0, end=0, main=True, type="missile-strike", country="UA",
                places=("kharkiv",), earliest=date(2024, 5, 1), latest=date(2024, 5, 1),
                dated=True)  # fmt: skip
    return Occurrence(**(base | kw))  # type: ignore[arg-type]


def test_evidence_rules_out_other_countries_kinds_and_months() -> None:
    same = _occ()
    assert evidence(same, _occ()) >= 2.0
    assert evidence(same, _occ(country="SY")) == -math.inf
    assert evidence(same, _occ(type="negotiation")) == -math.inf
    far = date(2024, 8, 1)
    assert evidence(same, _occ(earliest=far, latest=far)) == -math.inf
    # Another site in the same town the same day weighs against.
    assert evidence(_occ(site_kinds=("market",)), _occ(site_kinds=("school",))) < 2.0


def test_groups_do_not_depend_on_the_order_of_reports() -> None:
    reports = [
        Report(f"r{i}", f"d{i}", None, _occ(earliest=day, latest=day, site_kinds=kinds))
        for i, (day, kinds) in enumerate(
            [(date(2024, 5, 1), ("station",)), (date(2024, 5, 1), ("station",)),
             (date(2024, 5, 2), ("market",)), (date(2024, 5, 2), ("market",)),
             (date(2024, 5, 1), ())]
        )
    ]  # fmt: skip
    expected = [[r.iri for r in g] for g in group(reports)]
    assert len(expected) == 2
    for seed in range(5):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert [[r.iri for r in g] for g in group(shuffled)] == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("last week", date(2024, 5, 10), (date(2024, 4, 27), date(2024, 5, 9))),
        ("In April 2025", date(2025, 5, 26), (date(2025, 4, 1), date(2025, 4, 30))),
        ("last year", date(2023, 6, 28), (date(2022, 1, 1), date(2022, 12, 31))),
        ("Monday", date(2024, 9, 4), (date(2024, 9, 2), date(2024, 9, 2))),
        ("the morning of 8 July", date(2024, 7, 9), (date(2024, 7, 8), date(2024, 7, 8))),
        ("overnight", date(2024, 3, 15), (date(2024, 3, 14), date(2024, 3, 15))),
    ],
)
def test_dates_are_as_wide_as_their_words(
    text: str, published: date, expected: tuple[date, date]
) -> None:
    assert date_interval(text, published) == expected
