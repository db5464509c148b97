"""Read articles from files, folders and JSON Lines into Documents.

Bad input never stops a run: each problem becomes an IngestError naming the input, and the
caller reports it and goes on with the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from kg.document import Document
from kg.furniture import furniture_ranges

SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}

# `date 2022-03-02 Title…` on the first line.
_DATE_TITLE = re.compile(r"^(\s*date\s+(\d{4}-\d{2}-\d{2})\s+)(.*\S)\s*$")
# Line 2 of the title/date/address header: a date in a common form, or that it is unknown.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NO_DATE = r"(?:date\s+)?unknown|no date|undated"
_DATE_LINE = re.compile(
    r"^\s*(?:\d{8}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|"
    rf"(?:\w+day,?\s+)?\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|(?:\w+day,?\s+)?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"(?P<unknown>{_NO_DATE}))\s*$",
    re.IGNORECASE,
)
_ADDRESS_LINE = re.compile(
    r"^\s*(?:(?P<url>https?://\S+)|(?:address|url|link|source)\s+unknown)\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class IngestError:
    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def parse_date(value: object) -> date | None:
    """ISO dates, `YYYYMMDD`, or anything dateparser reads (as JSON Lines feeds vary)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    import dateparser  # slow to import; only for unusual formats

    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return spans


def parse_txt(doc_id: str, text: str, source_path: str | None = None) -> Document:
    """Recognise the two header forms of scraped .txt files; otherwise no metadata."""
    spans = _line_spans(text)
    lines = [text[s:e] for s, e in spans]
    title = url = None
    published: date | None = None
    metadata_ranges: list[tuple[int, int]] = []
    if lines and (m := _DATE_TITLE.match(lines[0])):
        published, title = parse_date(m.group(2)), m.group(3)
        metadata_ranges.append((spans[0][0], spans[0][0] + len(m.group(1))))
    elif len(lines) >= 2 and lines[0].strip() and (dated := _DATE_LINE.match(lines[1])):
        # Title, then a date ("2024-07-09", "9 July 2024", "date unknown"), then the address.
        title = lines[0].strip()
        published = None if dated["unknown"] else parse_date(lines[1].strip())
        metadata_ranges.append(spans[1])
        if len(lines) >= 3 and (address := _ADDRESS_LINE.match(lines[2])):
            url = address["url"]
            metadata_ranges.append(spans[2])
    doc = Document(doc_id, text, title, published, url, source_path)
    return replace(doc, furniture=tuple(furniture_ranges(text, tuple(metadata_ranges))))


def parse_html(doc_id: str, html: str, source_path: str | None = None) -> Document:
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text or not text.strip():
        raise ValueError("no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta else None
    published = parse_date(meta.date) if meta and meta.date else None
    url = meta.url if meta else None
    doc = Document(doc_id, text, title, published, url, source_path)
    return replace(doc, furniture=tuple(furniture_ranges(text)))


def from_record(record: dict[str, object], source: str) -> Document:
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    doc_id, text = record.get("id"), record.get("text")
    if not isinstance(doc_id, str | int) or not str(doc_id).strip():
        raise ValueError("a record needs a non-empty 'id'")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"record {doc_id!r} has no text")
    title = record.get("title")
    url = record.get("url")
    doc = Document(
        str(doc_id),
        text,
        str(title) if title else None,
        parse_date(record.get("date")),
        str(url) if url else None,
        source,
    )
    return replace(doc, furniture=tuple(furniture_ranges(text)))


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise ValueError("empty file")
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 text (byte {exc.start})") from None


def read_file(path: Path, doc_id: str | None = None) -> Iterator[Document | IngestError]:
    """Yield the documents of one file, or errors naming it. A .txt or .html file is one document
    with the id `doc_id` (default: the file name); a .jsonl file's records carry their own ids."""
    try:
        text = _decode(path.read_bytes())
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield IngestError(str(path), reason)
        return
    suffix = path.suffix.lower()
    doc_id = doc_id or path.name
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, text)
        elif suffix in {".html", ".htm"}:
            yield parse_html(doc_id, text, str(path))
        else:
            yield parse_txt(doc_id, text, str(path))
    except ValueError as exc:
        yield IngestError(str(path), str(exc))


def _read_jsonl(path: Path, text: str) -> Iterator[Document | IngestError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield from_record(json.loads(line), where)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON ({exc.msg})")
        except ValueError as exc:
            yield IngestError(where, str(exc))


def inputs(paths: Iterable[Path]) -> Iterator[tuple[Path, str] | IngestError]:
    """Each file to read with its document id. Files named directly are read whatever their
    suffix and keep their name as id; folders are walked for known suffixes, and a file in one
    gets its path relative to that folder ("a/report.txt"), so files of the same name in two
    subfolders stay two documents (a flat folder's ids are its file names)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    yield child, child.relative_to(path).as_posix()
        elif path.is_file():
            yield path, path.name
        else:
            yield IngestError(str(path), "no such file or directory")


def expand(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """The files `inputs` reads, without their ids."""
    for item in inputs(paths):
        yield item if isinstance(item, IngestError) else item[0]


def read_paths(paths: Iterable[Path]) -> Iterator[Document | IngestError]:
    for item in inputs(paths):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_file(*item)
