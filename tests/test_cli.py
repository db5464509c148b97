"""The `kg` command as a user runs it: a real process, a real store directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

from .conftest import EXAMPLES


def kg(*args: str, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_query_export_remove(tmp_path: Path) -> None:
    store = tmp_path / "store"
    bad = tmp_path / "inputs"
    bad.mkdir()
    (bad / "broken.txt").write_bytes(b"\x00\x00binary")
    built = kg("build", str(EXAMPLES), str(bad), store=store)
    assert built.returncode == 0, built.stderr
    assert "built 6 document(s)" in built.stdout
    assert "broken.txt: binary file" in built.stderr and "Traceback" not in built.stderr

    rows = json.loads(kg("query", "figure-attributions", "--format", "json", store=store).stdout)
    assert any(r["source"] == "United Nations" and r["value"] == 1450 for r in rows)

    csv_out = kg("query", "quotes", "-p", "speaker=Koval", "--format", "csv", store=store).stdout
    assert csv_out.splitlines()[0].startswith("speaker,speaker_iri,quote")

    out_file = tmp_path / "graph.gexf"
    assert kg("export", "gexf", "-o", str(out_file), store=store).returncode == 0
    graph = nx.read_gexf(out_file)
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert {"United Nations", "Anna Koval", "Kharkiv"} <= labels

    stats = kg("stats", store=store).stdout
    assert "documents  6" in stats

    assert kg("remove", "river-crossing.txt", store=store).returncode == 0
    again = kg("remove", "river-crossing.txt", store=store)
    assert again.returncode == 1 and "no document 'river-crossing.txt'" in again.stderr


def test_errors_are_one_line_and_exit_non_zero(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg("build", str(EXAMPLES / "river-crossing.txt"), store=store).returncode == 0
    for args, message in [
        (("query", "no-such-query"), "no query named 'no-such-query'"),
        (("query", "figure-attributions", "-p", "category=all"), "must be one of"),
        (("sparql", "SELECT WHERE {"), "query failed"),
        (("export", "pdf", "-o", str(tmp_path / "x.pdf")), "unknown export format"),
    ]:
        result = kg(*args, store=store)
        assert result.returncode != 0
        assert message in result.stderr and "Traceback" not in result.stderr
    missing = kg("query", "quotes", store=tmp_path / "nothing-here")
    assert missing.returncode == 1 and "no store at" in missing.stderr


def test_build_refuses_a_served_store(tmp_path: Path) -> None:
    from .conftest import build_store, serve

    store = build_store(tmp_path / "store", EXAMPLES / "river-crossing.txt")
    with serve(store):
        result = kg("build", str(EXAMPLES / "odesa-port-drones.txt"), store=store)
        assert result.returncode == 1
        assert "is being served" in result.stderr and "Traceback" not in result.stderr
    assert kg("build", str(EXAMPLES / "odesa-port-drones.txt"), store=store).returncode == 0


def test_a_damaged_store_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "damaged"
    store.mkdir()
    (store / "CURRENT").write_text("not a manifest\n")
    result = kg("stats", store=store)
    assert result.returncode == 1
    assert f"cannot open store {store}" in result.stderr and "Traceback" not in result.stderr


def test_build_with_several_spacy_processes_gives_the_same_graph(tmp_path: Path) -> None:
    """--processes parses in spaCy worker processes; every document keeps its own parses."""
    import pyoxigraph as ox

    from kg.document import Document
    from kg.extract import extract
    from kg.nlp import load
    from kg.settings import get_settings

    docs = [Document(id="a", text="Shelling killed 12 people in Kharkiv, officials said."),
            Document(id="blank", text="  \n "),
            Document(id="b", text="The UN says 364 civilians have been killed.")]  # fmt: skip
    found = list(extract(docs, load(get_settings().pipeline), batch_size=2, n_process=2))
    assert [ex.document.id for ex in found] == ["a", "blank", "b"]
    assert [[f.value for f in ex.figures] for ex in found] == [[12], [], [364]]

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for doc in sorted(EXAMPLES.glob("*.txt"))[:3]:
        (inputs / doc.name).write_text(doc.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "0-short.txt").write_text("Headline only\n", encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    assert kg("build", str(inputs), store=one).returncode == 0
    built = kg("build", str(inputs), "--processes", "2", store=two)
    assert built.returncode == 0, built.stderr
    assert "built 4 document(s)" in built.stdout
    quads = [set(ox.Store.read_only(str(path))) for path in (one, two)]
    assert quads[0] == quads[1] and len(quads[0]) > 100


def test_serve_from_a_folder_with_its_own_api_and_kg_packages(tmp_path: Path) -> None:
    """`kg serve` with a relative store, run where folders named api and kg would shadow kg's
    own packages if the query workers imported from the working directory; Ctrl-C (SIGINT to
    the process group, as a terminal sends it) stops it with no traceback."""
    import os
    import signal
    import time

    import httpx

    from kg.store import KGStore

    from .conftest import _free_port

    for name in ("api", "kg"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise SystemExit('imported from the cwd')")
    KGStore(tmp_path / "store").close()
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "kg"), "serve", "--store", "store", "--port", str(port)],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and server.poll() is None and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"})
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None, (
            server.stderr.read() if server.poll() is not None else "no answer"
        )
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        os.killpg(server.pid, signal.SIGINT)
        assert server.wait(20) == 0
        assert "Traceback" not in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()


def test_ids_are_unique_within_a_build_and_the_summary_counts_what_was_stored(
    tmp_path: Path,
) -> None:
    """Two report.txt in two folders were both "built" and one overwrote the other: their ids are
    now their paths in the folder given. Inputs that still share an id (two files given directly,
    a .jsonl repeating one) are refused in one line each, naming the input."""
    corpus = tmp_path / "corpus"
    for folder, figure in (("a", 40), ("b", 12)):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "report.txt").write_text(
            f"The army says {figure} soldiers were captured.\n"
        )
    (corpus / "feed.jsonl").write_text(
        json.dumps({"id": "w1", "text": "Officials said 7 people were wounded."})
        + "\n"
        + json.dumps({"id": "w1", "text": "Officials said 9 people were wounded."})
        + "\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.txt").write_text("The ministry said 3 civilians were killed.\n")
    store = tmp_path / "store"
    built = kg(
        "build", str(corpus), str(corpus / "a" / "report.txt"), str(elsewhere / "report.txt"),
        store=store,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert "built 4 document(s)" in built.stdout and "2 input(s) skipped" in built.stdout
    skipped = [line for line in built.stderr.splitlines() if line.startswith("skipped")]
    assert skipped == [
        f"skipped {corpus}/feed.jsonl:2: not built: its id 'w1' is already that of "
        f"{corpus}/feed.jsonl:1 in this build",
        f"skipped {elsewhere}/report.txt: not built: its id 'report.txt' is already that of "
        f"{corpus}/a/report.txt in this build",
    ]
    rows = json.loads(
        kg("sparql", "SELECT ?id ?v WHERE { GRAPH ?g { ?g schema:identifier ?id . "
           "?c a kg:FigureClaim ; kg:value ?v } } ORDER BY ?id", "--format", "json",
           store=store).stdout
    )  # fmt: skip
    assert [(r["id"], r["v"]) for r in rows] == [
        ("a/report.txt", 40), ("b/report.txt", 12), ("report.txt", 40), ("w1", 7),
    ]  # fmt: skip
    assert "documents  4" in kg("stats", store=store).stdout
    assert kg("remove", "b/report.txt", store=store).returncode == 0


def test_a_paragraph_too_long_to_parse_skips_its_document_only(tmp_path: Path) -> None:
    """One paragraph over spaCy's 1,000,000 characters stopped the whole build (E088)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The army says 40 soldiers were captured.\n")
    (corpus / "b.txt").write_text("Shelling went on all night. " * 40_000 + "\n")
    (corpus / "c.txt").write_text("The ministry said 12 civilians were killed.\n")
    built = kg("build", str(corpus), store=tmp_path / "store")
    assert built.returncode == 0, built.stderr
    assert "built 2 document(s)" in built.stdout
    assert f"skipped {corpus}/b.txt: not built: a paragraph of 1,120,000 characters" in (
        built.stderr
    )
    assert "Traceback" not in built.stderr and "E088" not in built.stderr
