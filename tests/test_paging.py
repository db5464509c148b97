"""Paging and filters past the row cap, on a store of more than 10,000 figure claims.

The store is written with pyoxigraph in the shape kg's graphs have (src/kg/graph.py), without
spaCy, so it takes seconds: the JSON endpoints must filter and page inside the SPARQL the store
runs, and say truthfully whether more rows follow, however far the page is from the start.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.namespaces import PREFIX_MAP
from kg.store import KGStore
from kg.vocab import document_iri, entity_iri, span_iri

from .conftest import serve

DOCS, PER_DOC = 60, 180  # 10,800 figure claims, quotations and speakers
TOTAL = DOCS * PER_DOC
FIRST_DAY = date(2024, 1, 1)
CATEGORIES = ("killed", "injured", "displaced")
PLACE_EVERY = 9  # every 9th sentence names Kharkiv as a kg:Place mention


def _ns(prefix: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(PREFIX_MAP[prefix] + name)


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(str(value), datatype=_ns("xsd", datatype)) if datatype else ox.Literal(value)


def doc_id(i: int) -> str:
    return f"doc-{i:03d}.txt"


def published(i: int) -> date:
    return FIRST_DAY + timedelta(days=i)


def _quads() -> Iterator[ox.Quad]:
    """Documents of PER_DOC sentences, each with a figure claim by a speaker of its own, that
    speaker's quotation and mention, and on every PLACE_EVERY-th sentence a mention of Kharkiv."""
    a, label = _ns("rdf", "type"), _ns("rdfs", "label")
    begin, end, context = _ns("nif", "beginIndex"), _ns("nif", "endIndex"), _ns("nif", "referenceContext")  # fmt: skip
    anchor, in_sentence, refers = _ns("nif", "anchorOf"), _ns("kg", "inSentence"), _ns("kg", "refersTo")  # fmt: skip
    attributed, reported = _ns("prov", "wasAttributedTo"), _ns("kg", "reportedIn")
    kharkiv = ox.NamedNode(str(entity_iri("place/kharkiv")))
    for i in range(DOCS):
        doc_name, g = doc_id(i), ox.NamedNode(str(document_iri(doc_id(i))))
        yield from (
            ox.Quad(g, a, _ns("kg", "Document"), g),
            ox.Quad(g, _ns("schema", "identifier"), _lit(doc_name), g),
            ox.Quad(g, _ns("schema", "datePublished"), _lit(published(i).isoformat(), "date"), g),
            ox.Quad(g, _ns("nif", "isString"), _lit(f"text of {doc_name}"), g),
        )
        for j in range(PER_DOC):
            start = j * 100
            speaker = ox.NamedNode(str(entity_iri(f"person/official-{i:03d}-{j:03d}")))
            name = f"Official {i:03d}-{j:03d}"
            place = j % PLACE_EVERY == 0
            text = f"{name} says {j + 1} civilians were killed" + (" in Kharkiv." if place else ".")
            s = ox.NamedNode(str(span_iri("sentence", doc_name, start, start + len(text))))
            claim = ox.NamedNode(str(span_iri("claim", doc_name, start + 20, start + 23)))
            quote = ox.NamedNode(str(span_iri("quote", doc_name, start + 30, start + 40)))
            mention = ox.NamedNode(str(span_iri("mention", doc_name, start, start + 17)))
            yield from (
                ox.Quad(s, a, _ns("nif", "Sentence"), g),
                ox.Quad(s, anchor, _lit(text), g),
                ox.Quad(s, begin, _lit(start, "nonNegativeInteger"), g),
                ox.Quad(s, end, _lit(start + len(text), "nonNegativeInteger"), g),
                ox.Quad(speaker, a, _ns("kg", "Person"), g),
                ox.Quad(speaker, label, _lit(name), g),
                ox.Quad(mention, a, _ns("kg", "Mention"), g),
                ox.Quad(mention, refers, speaker, g),
                ox.Quad(mention, in_sentence, s, g),
                ox.Quad(claim, a, _ns("kg", "FigureClaim"), g),
                ox.Quad(claim, _ns("kg", "value"), _lit(j + 1, "decimal"), g),
                ox.Quad(claim, _ns("kg", "qualifier"), _lit("exact"), g),
                ox.Quad(claim, _ns("kg", "category"), _lit(CATEGORIES[j % 3]), g),
                ox.Quad(claim, _ns("kg", "measure"), _lit("civilians killed"), g),
                ox.Quad(claim, anchor, _lit(str(j + 1)), g),
                ox.Quad(claim, in_sentence, s, g),
                ox.Quad(claim, reported, g, g),
                ox.Quad(claim, begin, _lit(start + 20, "nonNegativeInteger"), g),
                ox.Quad(claim, end, _lit(start + 23, "nonNegativeInteger"), g),
                ox.Quad(claim, context, g, g),
                ox.Quad(claim, attributed, speaker, g),
                ox.Quad(claim, _ns("kg", "cue"), _lit("says"), g),
                ox.Quad(quote, a, _ns("kg", "Quotation"), g),
                ox.Quad(quote, _ns("schema", "text"), _lit(f"we counted {j + 1}"), g),
                ox.Quad(quote, in_sentence, s, g),
                ox.Quad(quote, reported, g, g),
                ox.Quad(quote, begin, _lit(start + 30, "nonNegativeInteger"), g),
                ox.Quad(quote, end, _lit(start + 40, "nonNegativeInteger"), g),
                ox.Quad(quote, attributed, speaker, g),
            )
            if place:
                pm = ox.NamedNode(str(span_iri("mention", doc_name, start + 60, start + 67)))
                yield from (
                    ox.Quad(kharkiv, a, _ns("kg", "Place"), g),
                    ox.Quad(kharkiv, label, _lit("Kharkiv"), g),
                    ox.Quad(kharkiv, _ns("skos", "altLabel"), _lit("Kharkov"), g),
                    ox.Quad(pm, a, _ns("kg", "Mention"), g),
                    ox.Quad(pm, refers, kharkiv, g),
                    ox.Quad(pm, in_sentence, s, g),
                )


def claim_key(i: int, j: int) -> tuple[str, int]:
    """(document, start) of a claim: the rows' order in figure-attributions."""
    return (doc_id(i), j * 100 + 20)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The service over the generated store, with the default row cap of 10,000."""
    path = tmp_path_factory.mktemp("large") / "store"
    store = KGStore(path)
    store.ox.bulk_extend(_quads())
    store.optimize()
    store.close()
    with serve(path, query_timeout=60) as url:
        yield url


@pytest.fixture(scope="module")
def client(large: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=large, timeout=120) as c:
        yield c


def keys(rows: list[dict]) -> list[tuple[str, int]]:
    return [(r["document"], r["start"]) for r in rows]


def follow(client: httpx.Client, path: str, params: dict[str, object]) -> list[dict]:
    """Every page, by the Link rel="next" headers; each page says whether another follows."""
    found: list[dict] = []
    r = client.get(path, params=params)
    while True:
        assert r.status_code == 200, r.text
        found += r.json()
        more = r.headers["X-KG-Truncated"] == "true"
        assert more == ("next" in r.links)
        if not more:
            return found
        r = client.get(r.links["next"]["url"])


def test_date_filter_finds_rows_past_the_first_10000(client: httpx.Client) -> None:
    since = published(DOCS - 3)  # the last three documents: rows 10,260 to 10,799
    r = client.get("/figures", params={"from": since.isoformat(), "limit": 10_000})
    assert r.status_code == 200
    expected = [claim_key(i, j) for i in range(DOCS - 3, DOCS) for j in range(PER_DOC)]
    assert keys(r.json()) == expected
    assert r.headers["X-KG-Truncated"] == "false" and "next" not in r.links
    window = client.get("/figures", params={"from": since.isoformat(), "to": since.isoformat()})
    assert {row["date"] for row in window.json()} == {since.isoformat()}
    assert window.headers["X-KG-Truncated"] == "true"  # 180 rows, 100 a page


def test_offset_past_10000_returns_rows_and_says_whether_more_follow(
    client: httpx.Client,
) -> None:
    r = client.get("/figures", params={"offset": 10_000, "limit": 500})
    assert keys(r.json()) == [claim_key(i // PER_DOC, i % PER_DOC) for i in range(10_000, 10_500)]
    assert r.headers["X-KG-Truncated"] == "true"
    nxt = httpx.URL(r.links["next"]["url"])
    assert nxt.params["offset"] == "10500" and nxt.params["limit"] == "500"
    last = client.get("/figures", params={"offset": 10_500, "limit": 500})
    assert len(last.json()) == TOTAL - 10_500
    assert last.headers["X-KG-Truncated"] == "false" and "next" not in last.links
    past = client.get("/figures", params={"offset": TOTAL + 5})
    assert past.json() == [] and past.headers["X-KG-Truncated"] == "false"


def test_pages_concatenate_to_the_whole_set(client: httpx.Client) -> None:
    everything = follow(client, "/figures", {"limit": 4000})
    assert keys(everything) == [claim_key(i, j) for i in range(DOCS) for j in range(PER_DOC)]
    killed = follow(client, "/figures", {"category": "killed", "limit": 3000})
    assert len(killed) == TOTAL // 3 and {r["category"] for r in killed} == {"killed"}


def test_place_is_a_place_mentioned_in_the_sentence(client: httpx.Client) -> None:
    expected = [claim_key(i, j) for i in range(DOCS) for j in range(0, PER_DOC, PLACE_EVERY)]
    for name in ("kharkiv", "Kharkov"):  # label or alias, any case
        assert keys(follow(client, "/figures", {"place": name, "limit": 10_000})) == expected
    late = client.get("/figures", params={"place": "Kharkiv", "from": published(DOCS - 1)})
    assert keys(late.json()) == [claim_key(DOCS - 1, j) for j in range(0, PER_DOC, PLACE_EVERY)]


def test_canned_query_route_pages_past_10000(client: httpx.Client) -> None:
    r = client.get("/queries/figure-attributions", params={"offset": 10_600, "limit": 150})
    assert len(r.json()) == 150 and r.headers["X-KG-Truncated"] == "true"
    assert httpx.URL(r.links["next"]["url"]).params["offset"] == "10750"
    csv = client.get(
        "/queries/figure-attributions", params={"offset": 10_750, "limit": 150, "format": "csv"}
    )
    assert len(csv.text.strip().splitlines()) == 1 + TOTAL - 10_750
    assert csv.headers["X-KG-Truncated"] == "false" and "next" not in csv.links
    since = published(DOCS - 1).isoformat()
    late = client.get("/queries/figure-attributions", params={"from": since, "limit": 10_000})
    assert keys(late.json()) == [claim_key(DOCS - 1, j) for j in range(PER_DOC)]
    entities = follow(client, "/queries/entities", {"type": "Person", "limit": 6000})
    assert len(entities) == TOTAL


def test_quotes_and_entity_search_page_past_10000(client: httpx.Client) -> None:
    quotes = client.get("/quotes", params={"offset": 10_000, "limit": 1000})
    assert len(quotes.json()) == TOTAL - 10_000 and quotes.headers["X-KG-Truncated"] == "false"
    assert quotes.json()[0]["speaker"] == "Official 055-100"
    found = client.get("/entities", params={"q": "official", "offset": 10_000, "limit": 1000})
    assert len(found.json()) == TOTAL - 10_000 and found.headers["X-KG-Truncated"] == "false"
    every = follow(client, "/entities", {"q": "OFFICIAL", "limit": 5000})
    assert len({e["id"] for e in every}) == TOTAL


def test_a_row_cap_below_the_page_size_is_reported(tmp_path: Path) -> None:
    """An operator's KG_ROW_CAP smaller than `limit`: the page is cut, and the next one starts
    where it was cut, so nothing is skipped."""
    path = tmp_path / "store"
    store = KGStore(path)
    store.ox.bulk_extend(q for q in _quads() if q.graph_name.value.endswith("doc-000.txt"))
    store.close()
    with serve(path, row_cap=50) as url, httpx.Client(base_url=url, timeout=60) as c:
        r = c.get("/figures", params={"limit": 120})
        assert len(r.json()) == 50 and r.headers["X-KG-Truncated"] == "true"
        assert httpx.URL(r.links["next"]["url"]).params["offset"] == "50"
        assert keys(follow(c, "/figures", {"limit": 120})) == [
            claim_key(0, j) for j in range(PER_DOC)
        ]
