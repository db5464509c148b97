"""Web pages from WARC files (crawls such as Common Crawl's news crawl), one record at a time.

warcio reads the records as a stream (plain or gzip, per record or whole file) and undoes the
HTTP transfer and content encodings; a file of any size is never read whole. Only successful
responses that carry HTML are pages: requests, metadata, redirects, errors, images and feeds
are passed over.
"""

from __future__ import annotations

import codecs
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from kg.ingest import IngestError, RawInput, parse_date

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str:
    """The charset the response declares, if Python knows it; UTF-8 otherwise."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                break
    return "utf-8"


def read_warc(path: Path) -> Iterator[RawInput | IngestError]:
    """Each HTML page of a WARC file, its id and address the record's target URI and its date
    the record's (the page's own date wins when parsing finds one). A file that is not a WARC,
    or breaks off, is one error naming it, after the pages read before the break."""
    pages = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if record.http_headers.get_statuscode() != "200":
                    continue
                if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url:
                    yield IngestError(str(path), "a response record has no WARC-Target-URI")
                    continue
                body = record.content_stream().read()
                if record.raw_stream.limit:  # bytes the record declares and the file lacks
                    raise EOFError("a record is cut short")
                html = body.decode(_charset(content_type), errors="replace")
                published = parse_date(record.rec_headers.get_header("WARC-Date"))
                pages += 1
                yield RawInput(url, "html", html, f"{path}:{url}", url, published)
    except ArchiveLoadFailed as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "unreadable"
        yield IngestError(str(path), f"not a readable WARC file ({reason})")
    except (OSError, EOFError, zlib.error, ValueError, AttributeError, TypeError) as exc:
        # warcio meets a file cut short or damaged with whatever its parsing hits first.
        yield IngestError(
            str(path), f"WARC file broken after {pages} page(s) ({type(exc).__name__})"
        )
    log.debug("%s: %d HTML pages", path, pages)
