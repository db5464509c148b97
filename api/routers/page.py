"""The pages: the app at / (api/static/app: incidents, compare, documents, entities, search,
reading the same JSON endpoints as every client) and the SPARQL editor at /editor, with the
canned queries as examples.

YASGUI, Observable Plot and D3 when the install vendored them (api/static), else a plain editor
and tables without charts; every script and style comes from this service, never from a CDN.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from kg.queries import load_queries
from kg.vocab import ID

STATIC = Path(__file__).resolve().parents[1] / "static"
router = APIRouter(include_in_schema=False)


_CHART_SCRIPTS = ("d3/d3.min.js", "plot/plot.umd.min.js")


@lru_cache(maxsize=1)
def _app() -> str:
    html = (STATIC / "app" / "index.html").read_text(encoding="utf-8")
    charts = all((STATIC / path).is_file() for path in _CHART_SCRIPTS)
    scripts = "".join(f'<script src="/static/{path}"></script>' for path in _CHART_SCRIPTS)
    html = html.replace("<!--CHARTS_JS-->", scripts if charts else "")
    return html.replace("/*ID_BASE*/", json.dumps(str(ID)))


@router.api_route("/", methods=["GET", "HEAD"])
def app() -> HTMLResponse:
    return HTMLResponse(_app())


@lru_cache(maxsize=1)
def _editor() -> str:
    html = (STATIC / "editor.html").read_text(encoding="utf-8")
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


@router.api_route("/editor", methods=["GET", "HEAD"])
def editor() -> HTMLResponse:
    return HTMLResponse(_editor())


SWAGGER = STATIC / "swagger-ui"


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI from the files `make` vendored (pinned, checked), never from a CDN."""
    if not (SWAGGER / "swagger-ui-bundle.js").is_file():
        return HTMLResponse(
            "<!DOCTYPE html><title>kg API</title><p>Swagger UI was not installed (it comes from "
            'npm at install time). The API is described in <a href="/openapi.json">'
            "/openapi.json</a>.</p>"
        )
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="kg API",
        swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
    )
