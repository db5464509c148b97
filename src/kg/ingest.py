"""Read articles from files, folders and JSON Lines into Documents.

Bad input never stops a run: each problem becomes an IngestError naming the input, and the
caller reports it and goes on with the rest.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from kg.document import Document
from kg.furniture import furniture_ranges

# The files a folder is walked for, and how each is read (longest suffixes first).
SUFFIXES = {
    ".jsonl.gz": "jsonl",
    ".jsonl": "jsonl",
    ".warc.gz": "warc",
    ".warc": "warc",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
}

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


def parse_html(
    doc_id: str,
    html: str,
    source_path: str | None = None,
    url: str | None = None,
    published: date | None = None,
) -> Document:
    """The article text of a web page (trafilatura); `url` and `published` are what the page was
    fetched from and when (a WARC record's), used where the page itself names none."""
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    if not text or not text.strip():
        raise ValueError("no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta else None
    if meta and meta.date:
        published = parse_date(meta.date) or published
    url = url or (meta.url if meta else None)
    doc = Document(doc_id, text, title, published, url, source_path)
    return replace(doc, furniture=tuple(furniture_ranges(text)))


def record_id(record: object) -> str:
    """A JSON Lines record's document id, or ValueError saying what is wrong with the record."""
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    doc_id = record.get("id")
    if not isinstance(doc_id, str | int) or not str(doc_id).strip():
        raise ValueError("a record needs a non-empty 'id'")
    return str(doc_id)


def from_record(record: dict[str, object], source: str) -> Document:
    doc_id, text = record_id(record), record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"record {doc_id!r} has no text")
    title = record.get("title")
    url = record.get("url")
    doc = Document(
        doc_id,
        text,
        str(title) if title else None,
        parse_date(record.get("date")),
        str(url) if url else None,
        source,
    )
    return replace(doc, furniture=tuple(furniture_ranges(text)))


@dataclass(frozen=True)
class RawInput:
    """One document as read and not yet parsed: cheap to read and small to send to the process
    that parses it (a build on a cluster reads here and parses on its workers)."""

    doc_id: str
    kind: Literal["txt", "html", "record"]
    payload: str | dict[str, object]  # the text, the page, or the JSON record
    source: str  # where it was read, for messages: a path, "path:line" or "path:url"
    url: str | None = None  # a WARC record's address and date
    published: date | None = None

    def parse(self) -> Document:
        """The Document, or ValueError saying why this input has none."""
        if self.kind == "record":
            assert isinstance(self.payload, dict)
            return from_record(self.payload, self.source)
        assert isinstance(self.payload, str)
        if self.kind == "html":
            return parse_html(self.doc_id, self.payload, self.source, self.url, self.published)
        return parse_txt(self.doc_id, self.payload, self.source)


def parse_input(item: RawInput | IngestError) -> Document | IngestError:
    if isinstance(item, IngestError):
        return item
    try:
        return item.parse()
    except ValueError as exc:
        return IngestError(item.source, str(exc))


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise ValueError("empty file")
    if b"\x00" in raw[:8192]:
        raise ValueError("binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 text (byte {exc.start})") from None


def _kind(path: Path) -> str | None:
    """The reader for a file name: "jsonl", "warc", "html", "txt", or None for a name of no known
    suffix (read as text when given directly, passed over in a folder)."""
    name = path.name.lower()
    for suffix, kind in SUFFIXES.items():
        if name.endswith(suffix):
            return kind
    return None


def read_file(path: Path, doc_id: str | None = None) -> Iterator[RawInput | IngestError]:
    """The inputs of one file, or errors naming it. A .txt or .html file is one document with the
    id `doc_id` (default: the file name); the records of a .jsonl(.gz) file and the pages of a
    .warc(.gz) file are many, read one at a time, and carry their own ids."""
    kind = _kind(path) or "txt"
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path)
            return
        if kind == "warc":
            from kg.warc import read_warc

            yield from read_warc(path)
            return
        text = _decode(path.read_bytes())
    except (OSError, ValueError, EOFError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        yield IngestError(str(path), reason or type(exc).__name__)
        return
    yield RawInput(doc_id or path.name, "html" if kind == "html" else "txt", text, str(path))


def _read_jsonl(path: Path) -> Iterator[RawInput | IngestError]:
    """Records one line at a time (a feed may be larger than memory); gzip if named .gz."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    seen_any = False
    with opener(path, "rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if number == 1 and b"\x00" in raw[:8192]:
                raise ValueError("binary file, not text")
            if not raw.strip():
                continue
            seen_any = True
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                record = json.loads(line)
                yield RawInput(record_id(record), "record", record, where)
            except UnicodeDecodeError as exc:
                yield IngestError(where, f"not valid UTF-8 text (byte {exc.start})")
            except json.JSONDecodeError as exc:
                yield IngestError(where, f"invalid JSON ({exc.msg})")
            except ValueError as exc:
                yield IngestError(where, str(exc))
    if not seen_any:
        raise ValueError("empty file")


def _walk(folder: Path) -> Iterator[Path]:
    """The files under a folder, in sorted order, one directory listed at a time (a crawl's
    folder may hold millions of files)."""
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            yield Path(root, name)


def inputs(paths: Iterable[Path]) -> Iterator[tuple[Path, str] | IngestError]:
    """Each file to read with its document id. Files named directly are read whatever their
    suffix and keep their name as id; folders are walked for known suffixes, and a file in one
    gets its path relative to that folder ("a/report.txt"), so files of the same name in two
    subfolders stay two documents (a flat folder's ids are its file names)."""
    for path in paths:
        if path.is_dir():
            for child in _walk(path):
                if _kind(child) and child.is_file():  # not a FIFO, a socket or a dead link
                    yield child, child.relative_to(path).as_posix()
        elif path.is_file():
            yield path, path.name
        else:
            yield IngestError(str(path), "no such file or directory")


def expand(paths: Iterable[Path]) -> Iterator[Path | IngestError]:
    """The files `inputs` reads, without their ids."""
    for item in inputs(paths):
        yield item if isinstance(item, IngestError) else item[0]


def read_inputs(paths: Iterable[Path]) -> Iterator[RawInput | IngestError]:
    """Every input of these files and folders, unparsed, in order."""
    for item in inputs(paths):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_file(*item)


def read_paths(paths: Iterable[Path]) -> Iterator[Document | IngestError]:
    for item in read_inputs(paths):
        yield parse_input(item)
