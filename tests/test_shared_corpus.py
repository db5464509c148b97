"""The five real articles beside the project (../shared/corpus): the issue's end-to-end check."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build_paths
from kg.queries import load_queries, run
from kg.settings import get_settings
from kg.store import KGStore

from .conftest import SHARED

pytestmark = pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared not present")


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    store = KGStore(tmp_path_factory.mktemp("shared") / "store")
    report = build_paths([SHARED / "corpus"], store, get_settings().pipeline)
    assert report.documents == 5 and not report.errors
    return run(store, load_queries()["figure-attributions"], {})


def test_conflicting_figures_keep_their_sources(rows: list[dict]) -> None:
    un = [r for r in rows if r["value"] == 364]
    assert un and un[0]["source"] == "United Nations" and un[0]["category"] == "killed"
    ses = [r for r in rows if r["value"] == 2000 and r["qualifier"] == "more_than"]
    assert ses and ses[0]["source"] == "State Emergency Service of Ukraine"


def test_every_figure_points_into_its_document(rows: list[dict]) -> None:
    for row in rows:
        text = Path(SHARED / "corpus" / row["document"]).read_text(encoding="utf-8")
        assert row["sentence"] in text
        assert text[row["start"] : row["end"]].strip()
