"""Canned queries over the sample store: the output contract and parameter safety."""

from __future__ import annotations

import pytest

from kg.queries import ParameterError, load_queries, run

CONTRACT = {"source", "source_iri", "value", "qualifier", "category", "measure", "document",
            "sentence", "start", "end", "date"}  # fmt: skip


def q(store, query_name: str, /, **params: str) -> list[dict]:
    return run(store, load_queries()[query_name], params)


def test_every_query_file_declares_a_name_and_description() -> None:
    queries = load_queries()
    assert {"figure-attributions", "quotes", "entity", "figures-compared", "co-mentions"} <= set(
        queries
    )
    assert all(query.description for query in queries.values())


def test_figure_attributions_contract(sample_store) -> None:
    rows = q(sample_store, "figure-attributions")
    assert rows and set(rows[0]) >= CONTRACT
    un = [r for r in rows if r["source"] == "United Nations"]
    assert [(r["value"], r["category"], r["qualifier"]) for r in un] == [(1450, "killed", "exact")]
    assert un[0]["document"] == "2024-03-01-kharkiv-market.txt" and un[0]["date"] == "2024-03-01"
    assert isinstance(un[0]["value"], int) and un[0]["start"] < un[0]["end"]
    assert any(r["source"] is None and r["source_iri"] is None for r in rows)


def test_offsets_in_rows_point_at_the_figure(sample_store) -> None:
    texts = {d["id"]: d for d in sample_store.documents()}
    assert texts
    rows = q(sample_store, "figure-attributions", document="odesa-port-drones.txt")
    hit = next(r for r in rows if r["value"] == 40)
    text = sample_store.select(
        'SELECT ?t WHERE { GRAPH ?g { ?g schema:identifier "odesa-port-drones.txt" ; nif:isString ?t } }'
    )[0]["t"]
    assert text[hit["start"] : hit["end"]] == "Around 40"
    assert hit["sentence"] in text


def test_filters(sample_store) -> None:
    injured = q(sample_store, "figure-attributions", category="injured")
    assert injured and all(r["category"] == "injured" for r in injured)
    koval = q(sample_store, "figure-attributions", source="koval")
    assert koval and {r["source"] for r in koval} == {"Anna Koval"}
    one_doc = q(sample_store, "figure-attributions", document="river-crossing.txt")
    assert {r["document"] for r in one_doc} == {"river-crossing.txt"}


def test_quotes_and_speakers(sample_store) -> None:
    rows = q(sample_store, "quotes", speaker="Lysenko")
    assert len(rows) == 2 and {r["speaker"] for r in rows} == {"Maria Lysenko"}
    assert {"speaker", "speaker_iri", "quote", "document", "start", "end"} <= set(rows[0])


def test_entity_by_alias_and_comparison(sample_store) -> None:
    rows = q(sample_store, "entity", name="UN")
    assert {r["label"] for r in rows} == {"United Nations"}
    assert {"mentioned", "gave figure"} <= {r["relation"] for r in rows}
    compared = q(sample_store, "figures-compared", category="killed")
    sources = {r["source"] for r in compared}
    assert {"United Nations", "local officials", None} <= sources


def test_bad_parameters_are_refused_before_running(sample_store) -> None:
    with pytest.raises(ParameterError):
        q(sample_store, "figure-attributions", category="everything")
    with pytest.raises(ParameterError):
        q(sample_store, "figure-attributions", colour="red")
    with pytest.raises(ParameterError):
        q(sample_store, "entity")
    with pytest.raises(ParameterError):
        q(sample_store, "co-mentions", min_count="3; DROP ALL")


def test_injection_text_is_only_a_value(sample_store) -> None:
    before = sample_store.stats()
    rows = q(sample_store, "figure-attributions", source='") } DROP ALL ; SELECT * { ("')
    assert rows == []
    assert sample_store.stats() == before


def test_events_query(sample_store) -> None:
    rows = q(sample_store, "events")
    assert rows and {"type", "actor", "place", "date", "figures", "quotes"} <= set(rows[0])
    attacks = q(sample_store, "events", type="attack")
    assert attacks and {r["type"] for r in attacks} <= {
        "attack", "shelling", "missile-strike", "air-strike", "drone-strike", "bombing", "armed-clash",
    }  # fmt: skip
    kharkiv = q(sample_store, "events", place="kharkiv")
    assert any(r["type"] == "shelling" and r["figures"] >= 1 for r in kharkiv)


def test_documents_query_counts(sample_store) -> None:
    rows = {r["document"]: r for r in q(sample_store, "documents")}
    assert len(rows) == 6
    assert (rows["river-crossing.txt"]["figures"], rows["river-crossing.txt"]["quotes"]) == (3, 2)
    assert rows["2024-03-01-kharkiv-market.txt"]["date"] == "2024-03-01"


def test_figure_attributions_filter_by_publication_date(sample_store) -> None:
    march = q(sample_store, "figure-attributions", **{"from": "2024-03-01", "to": "2024-03-31"})
    assert march and {r["date"][:7] for r in march} == {"2024-03"}
    everything = q(sample_store, "figure-attributions")
    assert len(march) == sum(1 for r in everything if (r["date"] or "").startswith("2024-03"))
    assert q(sample_store, "figure-attributions", **{"from": "2030-01-01"}) == []
    with pytest.raises(ParameterError):
        q(sample_store, "figure-attributions", **{"from": "March"})


def test_figure_attributions_place_is_a_place_named_in_the_sentence(sample_store) -> None:
    """`place` matches the label or an alias of a kg:Place mentioned in the claim's sentence, or
    its IRI; a word that only looks like a place in the text does not count."""
    kharkiv = q(sample_store, "figure-attributions", place="KHARKIV")
    assert kharkiv and all("Kharkiv" in r["sentence"] for r in kharkiv)
    iri = "https://w3id.org/conflict-kg/id/place/kharkiv"
    assert q(sample_store, "figure-attributions", place=iri) == kharkiv
    places = sample_store.select(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?c a kg:FigureClaim ; kg:inSentence ?s . "
        "?m kg:inSentence ?s ; kg:refersTo ?p . ?p a kg:Place ; rdfs:label ?l "
        'FILTER(CONTAINS(LCASE(?l), "kharkiv")) } }'
    )
    assert len({r["sentence"] for r in kharkiv}) == len(places)
    assert q(sample_store, "figure-attributions", place="civilians") == []


def test_pages_of_a_canned_query_concatenate_to_its_rows(sample_store) -> None:
    from kg.queries import paged

    query = load_queries()["figure-attributions"]
    everything = sample_store.select(query.text)
    pages = [sample_store.select(query.page(4, offset)) for offset in range(0, len(everything), 4)]
    assert [r for page in pages for r in page] == everything
    assert sample_store.select(query.page(5, len(everything))) == []
    for bad in ((-1, 0), (1, -1), (True, 0), ("5", 0)):
        with pytest.raises(ParameterError):
            paged(query.text, *bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="own LIMIT"):
        paged("SELECT * WHERE { ?s ?p ?o } LIMIT 3", 10)


def test_how_each_source_was_found_is_kept_and_filters(sample_store) -> None:
    rows = q(sample_store, "figure-attributions")
    assert all((r["source_iri"] is None) == (r["source_basis"] is None) for r in rows)
    assert {"sentence", "coreference", "quotation"} <= {r["source_basis"] for r in rows}
    stated = q(sample_store, "figure-attributions", basis="sentence")
    assert stated and all(r["source_basis"] == "sentence" for r in stated)
    assert len(stated) < sum(r["source_iri"] is not None for r in rows)
    quotes = q(sample_store, "quotes")
    assert all((r["speaker_iri"] is None) == (r["speaker_basis"] is None) for r in quotes)


def test_the_bases_are_one_list_in_code_shapes_queries_and_api() -> None:
    from kg.model import BASES
    from kg.resources import ontology_dir

    shapes = (ontology_dir() / "shapes.ttl").read_text()
    assert shapes.count('sh:in ( "' + '" "'.join(BASES) + '" )') == 2
    for name in ("figure-attributions", "quotes"):
        (param,) = [p for p in load_queries()[name].parameters if p.name == "basis"]
        assert param.values == BASES
