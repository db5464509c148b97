import gzip
import json
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

from kg.blocks import blocks
from kg.document import Document
from kg.furniture import furniture_ranges
from kg.ingest import IngestError, parse_txt, read_paths

from .conftest import EXAMPLES


def _docs(items: list) -> dict[str, Document]:
    return {d.id: d for d in items if isinstance(d, Document)}


def test_both_txt_header_forms_give_metadata() -> None:
    docs = _docs(list(read_paths([EXAMPLES])))
    dated = docs["2024-03-01-kharkiv-market.txt"]
    assert dated.date == date(2024, 3, 1)
    assert dated.title.startswith("Artillery strike on Kharkiv market")
    compact = docs["odesa-port-drones.txt"]
    assert compact.date == date(2024, 3, 15)
    assert compact.url == "https://example.org/news/2024/03/15/odesa-port-drone-attack"
    assert compact.title == "Drone attack on Odesa port leaves dozens wounded"
    plain = docs["river-crossing.txt"]
    assert plain.title is None and plain.date is None
    assert len(plain.content_hash) == 64


@pytest.mark.parametrize(
    ("line", "when"),
    [
        ("2024-07-09", date(2024, 7, 9)),
        ("20240709", date(2024, 7, 9)),
        ("9 July 2024", date(2024, 7, 9)),
        ("Tuesday, July 9, 2024", date(2024, 7, 9)),
        ("date unknown", None),
    ],
)
def test_a_title_date_address_header_in_any_common_date_form(line: str, when: date) -> None:
    text = f"Shelling hits market\n{line}\nhttps://example.org/a\nThree people were hurt.\n"
    doc = parse_txt("a.txt", text)
    assert (doc.title, doc.date, doc.url) == ("Shelling hits market", when, "https://example.org/a")
    # The date and address lines are kept in the text, out of extraction; the title is read.
    assert [text[b.start : b.end] for b in blocks(doc)] == [
        "Shelling hits market", "Three people were hurt."
    ]  # fmt: skip


def test_html_and_jsonl_are_read_with_their_metadata() -> None:
    docs = _docs(list(read_paths([EXAMPLES])))
    page = docs["health-attacks.html"]
    assert "85 attacks on health facilities" in page.text
    assert "Sign up for our newsletter" not in page.text
    assert page.date == date(2024, 5, 20)
    wire = docs["wire-2024-04-02-corridor"]
    assert wire.title == "Humanitarian corridor opens from besieged town"
    assert wire.date == date(2024, 4, 2)


def test_bad_inputs_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Five soldiers were captured, the army said.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 bombed".encode("latin-1"))
    feed = [
        json.dumps({"id": "a", "text": "Ten people died."}),
        "{not json",
        json.dumps({"id": "b"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(feed))
    items = list(read_paths([tmp_path, tmp_path / "missing.txt"]))
    errors = {str(e) for e in items if isinstance(e, IngestError)}
    assert set(_docs(items)) == {"good.txt", "a"}
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("binary.txt: binary file" in e for e in errors)
    assert any("latin1.txt: not valid UTF-8" in e for e in errors)
    assert any("feed.jsonl:2: invalid JSON" in e for e in errors)
    assert any("feed.jsonl:3: record 'b' has no text" in e for e in errors)
    assert any("missing.txt: no such file" in e for e in errors)
    assert all("\n" not in e for e in errors)


def test_furniture_is_kept_in_the_text_but_out_of_extraction_blocks() -> None:
    docs = _docs(list(read_paths([EXAMPLES])))
    doc = docs["2024-03-01-kharkiv-market.txt"]
    kept = " ".join(doc.text[b.start : b.end] for b in blocks(doc))
    for furniture in ("Read more:", "Listen to this article", "Loading audio", "Celebrity chef",
                      "Weather: sunny"):  # fmt: skip
        assert furniture in doc.text
        assert furniture not in kept
    assert "date 2024-03-01" not in kept
    assert "The United Nations says 1,450 civilians" in kept
    donation = docs["odesa-port-drones.txt"]
    assert "Harbour Road" not in " ".join(donation.text[b.start : b.end] for b in blocks(donation))


def test_ids_are_paths_relative_to_the_folder_given(tmp_path: Path) -> None:
    """Files of one name in two subfolders are two documents (the id was the file name, and one
    overwrote the other); a flat folder's ids and a file given directly keep their names."""
    for folder in ("a", "b/c"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "report.txt").write_text(f"Report from {folder}.\n")
    (tmp_path / "in" / "top.txt").write_text("Top of the folder.\n")
    (tmp_path / "alone.txt").write_text("Given on its own.\n")
    docs = _docs(list(read_paths([tmp_path / "in", tmp_path / "alone.txt"])))
    assert set(docs) == {"a/report.txt", "b/c/report.txt", "top.txt", "alone.txt"}
    assert docs["b/c/report.txt"].text == "Report from b/c.\n"
    assert set(_docs(list(read_paths([EXAMPLES])))) == {
        "2024-03-01-kharkiv-market.txt", "health-attacks.html", "odesa-port-drones.txt",
        "river-crossing.txt", "wire-2024-04-02-corridor", "wire-2024-04-03-border",
    }  # fmt: skip


def test_a_word_for_giving_alone_is_no_donation_appeal() -> None:
    text = (
        "Jets bomb village fair\n\n"
        "Jets dropped bombs on a donation ceremony at the monastery, killing nine villagers.\n"
        '"Nine people died," Donate Mbeki, a village elder, told reporters.\n'
        "The agency launched an appeal for donations after 300 people were killed.\n"
        "France: We will answer this attack, the minister said.\n"
        "Please donate to our winter appeal online.\n"
    )
    dropped = [text[s:e] for s, e in furniture_ranges(text)]
    assert dropped == ["Please donate to our winter appeal online."]


def _warc(path: Path, records: list[tuple[str, str, str, bytes]]) -> None:
    """A WARC file of HTTP responses (url, status, content type, body), as crawlers write."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for url, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], "HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=BytesIO(body), http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2024-05-02T10:00:00Z"},
                )
            )  # fmt: skip


PAGE = (
    "<html><head><title>Shelling hits market</title></head><body><article>"
    "<h1>Shelling hits market</h1><p>The regional governor said 12 civilians were killed when "
    "shells hit the central market on Monday, and that rescue teams were still at work.</p>"
    "<p>Doctors at the city hospital said they had treated 30 wounded people by the evening, "
    "most of them traders.</p></article></body></html>"
)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_pages_are_documents_with_the_records_address_and_date(
    tmp_path: Path, name: str
) -> None:
    """Only successful HTML responses are pages; the rest of a crawl is passed over."""
    _warc(tmp_path / name, [
        ("https://news.example/market", "200 OK", "text/html; charset=utf-8", PAGE.encode()),
        ("https://news.example/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
        ("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
        ("https://news.example/latin", "200 OK", "text/html; charset=iso-8859-1",
         PAGE.replace("market", "march\u00e9").encode("latin-1")),
    ])  # fmt: skip
    items = list(read_paths([tmp_path]))
    docs = _docs(items)
    assert set(docs) == {"https://news.example/market", "https://news.example/latin"}
    page = docs["https://news.example/market"]
    assert page.url == "https://news.example/market" and page.date == date(2024, 5, 2)
    assert "12 civilians were killed" in page.text
    assert "march\u00e9" in docs["https://news.example/latin"].text
    assert not [i for i in items if isinstance(i, IngestError)]


def test_a_broken_warc_is_one_error_after_the_pages_before_the_break(tmp_path: Path) -> None:
    _warc(tmp_path / "whole.warc", [
        ("https://news.example/one", "200 OK", "text/html", PAGE.encode()),
        ("https://news.example/two", "200 OK", "text/html", PAGE.encode()),
    ])  # fmt: skip
    data = (tmp_path / "whole.warc").read_bytes()
    (tmp_path / "cut.warc").write_bytes(data[:-20])  # the second page cut short
    (tmp_path / "not.warc").write_text("just some text\n")
    items = list(read_paths([tmp_path / "cut.warc", tmp_path / "not.warc"]))
    assert set(_docs(items)) == {"https://news.example/one"}
    errors = [str(i) for i in items if isinstance(i, IngestError)]
    assert len(errors) == 2 and all("\n" not in e for e in errors)
    assert errors[0].startswith(f"{tmp_path / 'cut.warc'}: WARC file broken after 1 page(s)")
    assert errors[1].startswith(f"{tmp_path / 'not.warc'}: not a readable WARC file")


def test_gzipped_json_lines_are_read_one_record_at_a_time(tmp_path: Path) -> None:
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": 1, "text": "Two soldiers died.", "date": "2024-01-05"}) + "\n")
        out.write("\n{broken\n")
        out.write(json.dumps({"id": "x", "text": "Ten people fled\u2028the town."}) + "\n")
    (tmp_path / "cut.jsonl.gz").write_bytes((tmp_path / "feed.jsonl.gz").read_bytes()[:30])
    items = list(read_paths([tmp_path]))
    docs = _docs(items)
    assert set(docs) == {"1", "x"} and docs["1"].date == date(2024, 1, 5)
    assert docs["x"].text == "Ten people fled\u2028the town."  # one record, one line
    errors = [str(i) for i in items if isinstance(i, IngestError)]
    assert errors[0].startswith(f"{tmp_path / 'cut.jsonl.gz'}: ")
    assert (
        errors[1]
        == f"{tmp_path / 'feed.jsonl.gz'}:3: invalid JSON (Expecting property name enclosed in double quotes)"
    )
