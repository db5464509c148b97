"""Shared fixtures: the real spaCy pipeline, real Oxigraph stores, a live HTTP server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
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
CLAIMS = 19  # figure claims kg finds in the sample corpus


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load(get_settings().pipeline)


@pytest.fixture(scope="session")
def read(nlp: Language):
    """Extract from a text written in the test, as a .txt document would be."""

    def _read(text: str, doc_id: str = "test.txt") -> Extraction:
        return next(extract([parse_txt(doc_id, text)], nlp))

    return _read


def build_store(path: Path, *inputs: Path) -> Path:
    store = KGStore(path)
    report = build_paths(list(inputs) or [EXAMPLES], store, get_settings().pipeline)
    assert report.documents >= 1 and not report.errors
    store.close()
    return path


@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus built into a store, closed, so the service's workers can open it."""
    return build_store(tmp_path_factory.mktemp("sample") / "store")


@pytest.fixture(scope="session")
def sample_store(sample_store_path: Path) -> KGStore:
    return KGStore(sample_store_path, read_only=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(
    store: Path, extend: Callable[[FastAPI], object] | None = None, **settings: object
) -> Iterator[str]:
    """The real service on a loopback port, in a thread; its query workers are processes.
    `extend` may add routes of a test's own to the app before it serves."""
    from api import server as serving
    from api.main import create_app

    port = _free_port()
    config = Settings(store=store, host="127.0.0.1", port=port, **settings)
    app = create_app(config)
    if extend is not None:
        extend(app)
    server = serving.Server(serving.config(app, config, log_config=None), app)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@contextmanager
def kg_serve(store: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`kg serve` as a real process of its own (its signals, its workers, its log on stderr),
    answering on a loopback port; yields its URL and the process, stopped at the end."""

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **env},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", server, "kg serve")
        yield url, server
    finally:
        stop([server])


def wait_until_up(url: str, process: subprocess.Popen, what: str) -> None:
    """Poll `url` until it answers 200; fail, naming `what` (with its stderr where it is read),
    when the process ends first or a minute passes."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            log = process.stderr.read()[-2000:] if process.stderr else ""
            raise RuntimeError(f"{what} did not start: {log}")
        time.sleep(0.05)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def oxigraph_server(location: Path, union: bool = False) -> Iterator[str]:
    """`oxigraph serve` on a loopback port (`union`: its default graph the union of its named
    graphs); yields its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [Path(sys.executable).parent / "oxigraph", "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}", *(["--union-default-graph"] if union else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/query?query=ASK%7B%7D", server, "oxigraph serve")
        yield url
    finally:
        stop([server])


@pytest.fixture(scope="session")
def live_server(sample_store_path: Path) -> Iterator[str]:
    """The read-only service over the sample store, for real HTTP clients."""
    with serve(sample_store_path) as url:
        yield url
