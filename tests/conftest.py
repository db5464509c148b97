"""Shared fixtures: the real spaCy pipeline, real Oxigraph stores, a live HTTP server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from spacy.language import Language

from kg.build import build_paths
from kg.extract import extract
from kg.ingest import parse_txt
from kg.model import Extraction
from kg.nlp import load
from kg.settings import Settings, get_settings
from kg.store import KGStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load(get_settings().pipeline)


@pytest.fixture(scope="session")
def read(nlp: Language):
    """Extract from a text written in the test, as a .txt document would be."""

    def _read(text: str, doc_id: str = "test.txt") -> Extraction:
        return next(extract([parse_txt(doc_id, text)], nlp))

    return _read


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> KGStore:
    store = KGStore(tmp_path_factory.mktemp("sample") / "store")
    report = build_paths([EXAMPLES], store, get_settings().pipeline)
    assert report.documents == 6 and not report.errors
    return store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(sample_store: KGStore) -> Iterator[str]:
    """The real service over the sample store, on a loopback port, for real HTTP clients."""
    from api.main import create_app

    port = _free_port()
    settings = Settings(store=sample_store.path, host="127.0.0.1", port=port)
    config = uvicorn.Config(create_app(settings, sample_store), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
