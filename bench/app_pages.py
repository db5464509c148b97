"""How long the app's pages take the service: each page's JSON requests, timed over loopback.

    python bench/app_pages.py [--store DIR] [--repeat 20]

Builds examples/corpus and examples/incident into a fresh store (or uses --store), serves it
with `kg serve`, and for each page of the app times the requests it makes (in sequence, as the
page awaits them; the search page's three run together in the browser and are summed here, an
upper bound). The first visit after the service starts (its answer cache cold) and the median of
--repeat visits (warm) are reported. The browser's own rendering is not counted.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def pages(client: httpx.Client) -> dict[str, list[str]]:
    incident = client.get("/incidents", params={"limit": 1}).json()[0]["id"]
    document = client.get("/documents", params={"limit": 1}).json()[0]["document"]
    entity = client.get("/entities", params={"limit": 1}).json()[0]["id"]
    return {
        "incidents": ["/incidents?limit=50"],
        "incident": [f"/incidents/{incident}"],
        "compare": ["/figures?category=killed&limit=1000"],
        "documents": ["/documents?limit=50"],
        "document": [f"/documents/{document}"],
        "entity": [f"/entities/{entity}"],
        "search": [
            "/entities?q=a&limit=20",
            "/incidents?place=a&limit=20",
            "/documents?q=a&limit=20",
        ],
    }


def visit(client: httpx.Client, paths: list[str]) -> float:
    started = time.perf_counter()
    for path in paths:
        client.get(path).raise_for_status()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    kg = Path(sys.executable).parent / "kg"
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        if args.store is None:
            subprocess.run([kg, "build", ROOT / "examples/corpus", ROOT / "examples/incident",
                            "--store", store], check=True, capture_output=True)  # fmt: skip
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([kg, "serve", "--store", store, "--port", str(port)],
                                  stderr=subprocess.DEVNULL, env=os.environ.copy())  # fmt: skip
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        if client.get("/health").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise SystemExit("kg serve did not start")
                    time.sleep(0.1)
                asked = pages(client)
                print(
                    f"{'page':<10} {'requests':>8} {'first ms':>9} {'median ms':>10} {'max ms':>8}"
                )
                for name, paths in asked.items():
                    first = visit(client, paths)
                    times = [visit(client, paths) for _ in range(args.repeat)]
                    print(f"{name:<10} {len(paths):>8} {first:>9.1f} {statistics.median(times):>10.1f} "
                          f"{max(times):>8.1f}")  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
