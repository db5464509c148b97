"""`kg eval` against the gold seeds beside the project, and the scorer on gold written here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import build_paths
from kg.evaluate import score, source_matches
from kg.incidents import INCIDENTS_GRAPH
from kg.settings import get_settings
from kg.store import KGStore
from kg.vocab import PREFIX_MAP

from .conftest import SHARED

SEEDS = SHARED / "eval" / "seeds"
REAL_DEV = SHARED / "eval" / "real-dev"
HELDOUT = Path(__file__).resolve().parents[1] / "examples" / "heldout" / "eval" / "gold"


def test_source_matching_rules() -> None:
    assert source_matches(["The UN"], "United Nations", ["un", "the un"])
    assert source_matches(["Mayor Vadym Boychenko"], "Vadym Boychenko", [])
    assert source_matches(["Boychenko"], "Vadym Boychenko", [])
    assert not source_matches(["he"], "Vadym Boychenko", [])
    assert not source_matches(["Vladimir Putin"], "Volodymyr Zelensky", ["zelensky"])


def test_scorer_on_gold_written_for_the_test(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "The Red Cross says 120 civilians have been killed in the town.\n"
        "The market reopened on Tuesday.\n"  # narration: the next figure is the reporter's
        "Twelve soldiers surrendered on Monday.\n"
        'Governor Ivan Franko said: "We will rebuild every school in this region."\n'
        "The bridge had been destroyed overnight.\n"
        "\n"
        '"Nobody warned us that the bridge was gone."\n'
    )
    (corpus / "a.txt").write_text(text)
    gold = tmp_path / "gold"
    gold.mkdir()
    figures = [
        {"doc": "a.txt", "sentence": text.splitlines()[0], "figure": "120", "value": 120,
         "qualifier": "exact", "measure": "civilians killed", "category": "killed",
         "source": "The Red Cross", "source_canonical": "International Committee of the Red Cross",
         "source_aliases": ["red cross", "icrc"], "cue": "says"},
        {"doc": "a.txt", "sentence": text.splitlines()[2], "figure": "Twelve", "value": 12,
         "qualifier": "exact", "measure": "soldiers surrendered", "category": "captured",
         "source": None, "source_canonical": None, "source_aliases": [], "cue": None},
    ]  # fmt: skip
    quotes = [{"doc": "a.txt", "quote_start": "We will rebuild every school in",
               "speaker": "Governor Ivan Franko", "speaker_canonical": "Ivan Franko",
               "speaker_aliases": ["franko"]},
              {"doc": "a.txt", "quote_start": "Nobody warned us that the bridge",
               "speaker": "a villager", "speaker_canonical": "villager",
               "speaker_aliases": []}]  # fmt: skip
    (gold / "figures.jsonl").write_text("\n".join(json.dumps(f) for f in figures))
    (gold / "quotes.jsonl").write_text("\n".join(json.dumps(q) for q in quotes))
    store = KGStore(tmp_path / "store")
    build_paths([corpus], store, get_settings().pipeline)
    scores = score(store, gold, corpus).scores()
    assert scores["figures"]["f1"] == 1.0
    assert scores["attributed_figures"]["f1"] == 1.0
    # The stand-alone quotation names no speaker: it is found, and its speaker is wrong.
    assert scores["quotes"]["f1"] == 1.0
    assert scores["speaker_accuracy"] == 0.5
    assert scores["quotes_with_speaker"]["recall"] == 0.5
    assert scores["documents"]["a.txt"]["figures"]["f1"] == 1.0
    assert scores["wrong_sources_by_kind"] == {}
    # A gold set that carries its articles (as eval/real-dev does) is scored on them by default.
    corpus.rename(gold / "corpus")
    assert kg_eval(gold)["figures"]["f1"] == 1.0


def kg_eval(gold: Path) -> dict:
    """`kg eval GOLD --format json`, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "eval", str(gold), "--format", "json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/eval/seeds not present")
def test_seed_scores_meet_the_bar() -> None:
    scores = kg_eval(SEEDS)
    assert scores["figures"]["f1"] >= 0.90
    assert scores["attributed_figures"]["f1"] >= 0.90
    assert scores["category_accuracy"] >= 0.90
    assert scores["qualifier_accuracy"] >= 0.95
    # Measured 0.949 and 0.839 (SCHEMA.md's measures: a quotation with no speaker counts
    # wrong; eight shuffled stand-alone quotation paragraphs of one article have no
    # recoverable speaker). Guard against regressions.
    assert scores["quotes"]["f1"] >= 0.94
    assert scores["speaker_accuracy"] >= 0.83


@pytest.mark.skipif(not REAL_DEV.is_dir(), reason="../shared/eval/real-dev not present")
def test_real_dev_scores_hold() -> None:
    """Real articles from outlets the rules were not written against: guard what was reached."""
    scores = kg_eval(REAL_DEV)
    assert scores["figures"]["f1"] >= 0.90
    assert scores["attributed_figures"]["f1"] >= 0.85
    assert scores["quotes"]["f1"] >= 0.98
    assert scores["category_accuracy"] >= 0.93
    assert scores["qualifier_accuracy"] >= 0.93


def test_held_out_articles_written_for_the_project() -> None:
    """Eighteen articles in other house styles and conflicts, annotated after the rules were
    written; their first runs showed general gaps, now fixed. Guard against regressions."""
    scores = kg_eval(HELDOUT)
    for measure in ("figures", "attributed_figures", "quotes"):
        assert scores[measure]["f1"] >= 0.95, measure
    for measure in ("speaker_accuracy", "category_accuracy", "qualifier_accuracy"):
        assert scores[measure] >= 0.95, measure


def test_bcubed_on_clusterings_worked_by_hand() -> None:
    from kg.evaluate import bcubed

    gold = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    perfect = bcubed(gold, {1: "x", 2: "x", 3: "x", 4: "y", 5: "y"})
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    one = bcubed(gold, dict.fromkeys(gold, "x"))  # everything merged
    assert one.recall == 1.0 and one.precision == pytest.approx((3 * 3 / 5 + 2 * 2 / 5) / 5)
    alone = bcubed(gold, {})  # nothing linked: each item a cluster of its own
    assert alone.precision == 1.0 and alone.recall == pytest.approx((3 * 1 / 3 + 2 * 1 / 2) / 5)
    # 3 split off from its incident and put with 4 and 5; an unknown item's label does not count.
    mixed = bcubed(gold, {1: "x", 2: "x", 3: "y", 4: "y", 5: "y", 6: "y"})
    assert mixed.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert mixed.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert bcubed({}, {}).items == 0


def test_incident_linking_is_scored_where_the_gold_has_incidents(tmp_path: Path) -> None:
    """Claims and documents over incidents, with links written into the store by hand in
    place of the linker's, scored against gold in incidents-dev's format."""
    corpus, gold = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    texts = {
        "a.txt": "The mayor said 14 people were killed when a missile hit the depot on Monday.",
        "b.txt": "Officials said 16 people were killed in the missile strike on the depot.",
        "c.txt": "The army said 40 fighters were killed in clashes near the river.",
    }
    for name, text in texts.items():
        (corpus / name).write_text(text + "\n", encoding="utf-8")
    claims = [
        {"doc": "a.txt", "sentence": texts["a.txt"], "figure": "14", "value": 14,
         "qualifier": "exact", "measure": "people killed", "category": "killed",
         "source": "mayor", "source_canonical": "mayor", "source_aliases": [], "cue": "said",
         "incident": "depot"},
        {"doc": "b.txt", "sentence": texts["b.txt"], "figure": "16", "value": 16,
         "qualifier": "exact", "measure": "people killed", "category": "killed",
         "source": "Officials", "source_canonical": "officials", "source_aliases": [],
         "cue": "said", "incident": "depot"},
        {"doc": "c.txt", "sentence": texts["c.txt"], "figure": "40", "value": 40,
         "qualifier": "exact", "measure": "fighters killed", "category": "killed",
         "source": "army", "source_canonical": "army", "source_aliases": [], "cue": "said",
         "incident": "river"},
    ]  # fmt: skip
    (gold / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))
    incidents = [{"incident": "depot", "docs": ["a.txt", "b.txt"]},
                 {"incident": "river", "docs": ["c.txt"]}]  # fmt: skip
    (gold / "incidents.jsonl").write_text("".join(json.dumps(i) + "\n" for i in incidents))
    store = KGStore(tmp_path / "store")
    build_paths([corpus], store, get_settings().pipeline)
    store.ox.update(f"DROP GRAPH <{INCIDENTS_GRAPH}>")  # as if nothing were linked

    unlinked = score(store, gold, corpus).scores()["incidents"]
    assert unlinked["claims"] == {"precision": 1.0, "recall": 0.667, "f1": 0.8, "items": 3}
    assert unlinked["documents"]["recall"] == 0.667

    inc = "http://example.org/incident/"
    store.ox.update(
        "PREFIX kg: <https://w3id.org/conflict-kg/ontology#> "
        f"INSERT {{ GRAPH <{inc}> {{ ?c kg:incident <{inc}one> . ?d kg:incident <{inc}one> }} }} "
        f"WHERE {{ GRAPH ?d {{ ?c a kg:FigureClaim }} }}"
    )  # everything in one incident: the river clash wrongly merged with the depot strike
    merged = score(store, gold, corpus).scores()["incidents"]
    assert merged["claims"]["recall"] == 1.0 and merged["claims"]["precision"] == 0.556
    assert merged["documents"] == merged["claims"] | {"items": 3}
    store.ox.update(
        f"DELETE {{ GRAPH <{inc}> {{ ?x kg:incident <{inc}one> }} }} "
        f"INSERT {{ GRAPH <{inc}> {{ ?x kg:incident <{inc}two> }} }} "
        f"WHERE {{ GRAPH ?d {{ ?d schema:identifier 'c.txt' . ?x a ?type }} "
        f"GRAPH <{inc}> {{ ?x kg:incident <{inc}one> }} }}",
        prefixes=PREFIX_MAP,
    )  # the river clash on its own: right
    right = score(store, gold, corpus).scores()["incidents"]
    assert right["claims"]["f1"] == 1.0 and right["documents"]["f1"] == 1.0
    store.close()
