"""The query page at / : a SPARQL editor with the canned queries as examples, results as a table.

YASGUI when the install vendored it (api/static/yasgui), else a plain editor; every script and
style comes from this service, never from a CDN.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from kg.queries import load_queries

STATIC = Path(__file__).resolve().parents[1] / "static"
router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def _page() -> str:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    first = ("figure-attributions", "figures-compared", "quotes", "events")
    queries = sorted(
        load_queries().values(),
        key=lambda q: (q.name not in first, first.index(q.name) if q.name in first else 0, q.name),
    )
    examples = [{"name": q.name, "query": q.text} for q in queries]
    html = html.replace("/*EXAMPLES*/[]", json.dumps(examples).replace("</", "<\\/"))
    if (STATIC / "yasgui" / "yasgui.min.js").is_file():
        html = html.replace(
            "<!--YASGUI_CSS-->", '<link rel="stylesheet" href="/static/yasgui/yasgui.min.css">'
        )
        html = html.replace(
            "<!--YASGUI_JS-->", '<script src="/static/yasgui/yasgui.min.js"></script>'
        )
    return html


@router.get("/")
def page() -> HTMLResponse:
    return HTMLResponse(_page())
