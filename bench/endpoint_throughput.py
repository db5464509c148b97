"""The project's /sparql against Oxigraph's own server and rdflib-endpoint, in one run.

    make bench-endpoint        (installs oxigraph, rdflib-endpoint and wrk's Debian package first)
    python bench/endpoint_throughput.py [--documents 5000] [--seconds 10]

Generates N-Quads shaped like kg's graphs (one graph per document, figure claims with their
sources and sentences; at least 500,000 quads), loads the same file into the project's store,
into a store served by `oxigraph serve-read-only`, and into rdflib-endpoint's in-memory graph.
wrk (8 connections) measures requests per second for one selective lookup asked again and
again (as the issue's bar is set), and for distinct lookups (every request a different claim, so
no answer is ever asked twice and kg's answer cache cannot help); kg runs twice, with its answer
cache and without (KG_ANSWER_CACHE_MB=0). An aggregate (GROUP BY over all figure claims) is timed
over repeated runs. Each server's memory (PSS over its processes) is read after the runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pyoxigraph as ox

KG = "https://w3id.org/conflict-kg/ontology#"
ID = "https://w3id.org/conflict-kg/id/"
CATEGORIES = ["killed", "injured", "displaced", "trapped", "captured", "troops", "equipment"]
CLAIM = "doc-42/100-103"
LOOKUP = (
    f"SELECT ?value ?measure ?source WHERE {{ GRAPH ?g {{ <{ID}claim/{CLAIM}> <{KG}value> ?value ; "
    f"<{KG}measure> ?measure ; <http://www.w3.org/ns/prov#wasAttributedTo> ?s . "
    f"?s <http://www.w3.org/2000/01/rdf-schema#label> ?source }} }}"
)
AGGREGATE = (
    f"SELECT ?category (COUNT(?c) AS ?claims) (SUM(?v) AS ?total) WHERE {{ GRAPH ?g {{ "
    f"?c a <{KG}FigureClaim> ; <{KG}category> ?category ; <{KG}value> ?v }} }} GROUP BY ?category"
)


def generate(path: Path, documents: int) -> int:
    """N-Quads of `documents` graphs, ~110 quads each; returns the number of quads."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for d in range(documents):
            g = f"<{ID}document/doc-{d}>"
            lines = [
                f"{g} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}Document> {g} .",
                f'{g} <https://schema.org/identifier> "doc-{d}" {g} .',
                f'{g} <https://schema.org/datePublished> "2024-{1 + d % 12:02d}-{1 + d % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> {g} .',
            ]
            for c in range(10):
                start = 100 + c * 50
                claim = f"<{ID}claim/doc-{d}/{start}-{start + 3}>"
                sentence = f"<{ID}sentence/doc-{d}/{start - 20}-{start + 60}>"
                source = f"<{ID}organisation/source-{(d * 10 + c) % 300}>"
                lines += [
                    f"{claim} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG}FigureClaim> {g} .",
                    f'{claim} <{KG}value> "{(d * 37 + c * 11) % 5000}"^^<http://www.w3.org/2001/XMLSchema#decimal> {g} .',
                    f'{claim} <{KG}qualifier> "exact" {g} .',
                    f'{claim} <{KG}category> "{CATEGORIES[(d + c) % len(CATEGORIES)]}" {g} .',
                    f'{claim} <{KG}measure> "civilians killed in strike {c}" {g} .',
                    f"{claim} <{KG}reportedIn> {g} {g} .",
                    f"{claim} <{KG}inSentence> {sentence} {g} .",
                    f'{claim} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex> "{start}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> {g} .',
                    f"{claim} <http://www.w3.org/ns/prov#wasAttributedTo> {source} {g} .",
                    f'{sentence} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf> "The ministry says {c} people were killed in document {d}." {g} .',
                    f'{source} <http://www.w3.org/2000/01/rdf-schema#label> "Source {(d * 10 + c) % 300}" {g} .',
                ]
            out.write("\n".join(lines) + "\n")
            n += len(lines)
    return n


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


# Distinct lookups: wrk's two threads walk the claims in turn, thread t taking claims t, t+2, …
# (claim i is claim i % 10 of document i // 10), so no claim is asked twice until all have been
# (wrk's Lua is LuaJIT's 5.1: no // operator).
DISTINCT_LUA = """
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  n = 0
end
function request()
  local i = n * 2 + tid
  n = n + 1
  local doc = math.floor(i / 10) % DOCUMENTS
  local start = 100 + (i % 10) * 50
  return wrk.format("GET", PREFIX .. "doc-" .. doc .. "/" .. start .. "-" .. (start + 3) .. SUFFIX)
end
"""


def wrk(url: str, seconds: int, tmp: Path, documents: int, distinct: bool = False) -> float:
    command = [
        "wrk",
        "-t2",
        "-c8",
        f"-d{seconds}s",
        "-H",
        "Accept: application/sparql-results+json",
    ]
    if distinct:
        before, after = quote(LOOKUP).split(quote(CLAIM))
        script = tmp / "distinct.lua"
        script.write_text(
            f'DOCUMENTS = {documents}\nPREFIX = "{urlsplit(url).path}?query={before}"\n'
            f'SUFFIX = "{after}"\n{DISTINCT_LUA}'
        )
        command += ["-s", str(script)]
    out = subprocess.run(
        [*command, f"{url}?query={quote(LOOKUP)}"], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses\n{out}")
    done = int(re.search(r"(\d+) requests in", out).group(1))
    if distinct and done > documents * 10:
        print(f"note: {url} made {done} requests for {documents * 10} claims: some asked twice")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def aggregate_seconds(url: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        r = httpx.get(
            url,
            params={"query": AGGREGATE},
            headers={"Accept": "application/sparql-results+json"},
            timeout=600,
        )
        r.raise_for_status()
        assert len(r.json()["results"]["bindings"]) == len(CATEGORIES)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def memory_mib(pid: int) -> float:
    """Proportional set size of a server and every process under it, in MiB.

    kg's workers are processes of their own; PSS counts a page they share once over all of
    them, where summing resident sizes would count it in each. Read from /proc (Linux): psutil
    is not a dependency, and these are two files.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total / 1024


FLOOR_APP = """
import asyncio
import os
from urllib.parse import parse_qs

import pyoxigraph as ox

STORE = ox.Store.read_only(os.environ["FLOOR_STORE"])


def answer(query):
    return STORE.query(query, use_default_graph_as_union=True).serialize(
        format=ox.QueryResultsFormat.JSON
    )


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    query = parse_qs(scope["query_string"].decode())["query"][0]
    if os.environ.get("FLOOR_THREAD"):  # off the event loop, as a limit that answers 503 needs
        body = await asyncio.get_running_loop().run_in_executor(None, answer, query)
    else:
        body = answer(query)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/sparql-results+json")]})
    await send({"type": "http.response.body", "body": body})


class RSGI:  # granian's own interface: its Rust HTTP server calls this with no ASGI layer
    async def __rsgi__(self, scope, protocol):
        query = parse_qs(scope.query_string)["query"][0]
        body = answer(query)
        protocol.response_bytes(200, [("content-type", "application/sparql-results+json")], body)


rsgi_app = RSGI()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--skip-rdflib", action="store_true", help="rdflib-endpoint loads slowly")
    parser.add_argument(
        "--python-floor",
        action="store_true",
        help="also measure bare Python fronts with no time limit, guard or row cap: an ASGI app "
        "in two uvicorn processes running the query inline, the same running it in a thread, "
        "and, if granian is installed, an RSGI app in two granian processes (a Rust HTTP server)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian package wrk)")
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        data = Path(tmp) / "data.nq"
        quads = generate(data, args.documents)
        print(f"{quads} quads in {args.documents} document graphs")
        for name in ("kg", "kg-no-cache", "oxigraph", *(["floor"] if args.python_floor else [])):
            store = ox.Store(str(Path(tmp) / name))
            store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store
        procs, urls = [], {}
        env = {**os.environ, "KG_STORE": str(Path(tmp) / "kg"), "KG_WORKERS": "2",
               "KG_ROW_CAP": "100000", "KG_QUERY_TIMEOUT": "600"}  # fmt: skip
        port = free_port()
        procs.append(subprocess.Popen([str(bin_dir / "kg"), "serve", "--port", str(port)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        urls["kg"] = f"http://127.0.0.1:{port}/sparql"
        port = free_port()
        procs.append(subprocess.Popen([str(bin_dir / "kg"), "serve", "--port", str(port)],
                                      env={**env, "KG_STORE": str(Path(tmp) / "kg-no-cache"),
                                           "KG_ANSWER_CACHE_MB": "0"},
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        urls["kg, no cache"] = f"http://127.0.0.1:{port}/sparql"
        port = free_port()
        procs.append(subprocess.Popen([str(bin_dir / "oxigraph"), "serve-read-only", "--location",
                                       str(Path(tmp) / "oxigraph"), "--bind", f"127.0.0.1:{port}",
                                       "--union-default-graph"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))  # fmt: skip
        urls["oxigraph"] = f"http://127.0.0.1:{port}/query"
        if args.python_floor:
            (Path(tmp) / "floor_app.py").write_text(FLOOR_APP)
            port = free_port()
            procs.append(subprocess.Popen([str(bin_dir / "uvicorn"), "floor_app:app", "--app-dir", tmp,
                                           "--port", str(port), "--workers", "2", "--log-level", "warning",
                                           "--no-access-log"], env={**os.environ, "FLOOR_STORE": str(Path(tmp) / "floor")},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
            urls["python floor"] = f"http://127.0.0.1:{port}/"
            port = free_port()
            procs.append(subprocess.Popen([str(bin_dir / "uvicorn"), "floor_app:app", "--app-dir", tmp,
                                           "--port", str(port), "--workers", "2", "--log-level", "warning",
                                           "--no-access-log"], env={**os.environ, "FLOOR_STORE": str(Path(tmp) / "floor"),
                                                                    "FLOOR_THREAD": "1"},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
            urls["thread floor"] = f"http://127.0.0.1:{port}/"
            if (bin_dir / "granian").exists():
                port = free_port()
                procs.append(subprocess.Popen([str(bin_dir / "granian"), "--interface", "rsgi", "--workers", "2",
                                               "--runtime-mode", "st", "--port", str(port), "--log-level", "warning",
                                               "floor_app:rsgi_app"], cwd=tmp, env={**os.environ, "FLOOR_STORE": str(Path(tmp) / "floor")},
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
                urls["granian floor"] = f"http://127.0.0.1:{port}/"
        if not args.skip_rdflib:
            port = free_port()
            procs.append(subprocess.Popen([str(bin_dir / "rdflib-endpoint"), "serve", str(data), "--port",
                                           str(port), "--host", "127.0.0.1"], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))  # fmt: skip
            urls["rdflib-endpoint"] = f"http://127.0.0.1:{port}/"
        try:
            for url in urls.values():
                wait(url)
            rps = {
                name: wrk(url, args.seconds, Path(tmp), args.documents)
                for name, url in urls.items()
            }
            distinct = {
                name: wrk(url, args.seconds, Path(tmp), args.documents, distinct=True)
                for name, url in urls.items()
                if name in ("kg", "kg, no cache", "oxigraph")
            }
            agg = {
                name: aggregate_seconds(url)
                for name, url in urls.items()
                if name in ("kg", "kg, no cache", "oxigraph")
            }
            # Each server was started with its address, in turn: the i-th process serves the i-th.
            memory = {name: memory_mib(proc.pid) for name, proc in zip(urls, procs, strict=True)}
        finally:
            for p in procs:
                p.send_signal(signal.SIGINT)
            for p in procs:
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
    for name, value in distinct.items():
        print(f"distinct lookups, wrk 8 connections: {name:16} {value:9.0f} requests/s")
    for name, value in rps.items():
        print(f"selective lookup, wrk 8 connections: {name:16} {value:9.0f} requests/s")
    for name, value in agg.items():
        print(
            f"aggregate (GROUP BY over all claims): {name:16} {value * 1000:9.1f} ms (median of 5)"
        )
    for name, value in memory.items():
        print(f"memory after the runs (PSS, process and children): {name:16} {value:9.1f} MiB")
    print(
        f"distinct lookups, kg / oxigraph: {distinct['kg, no cache'] / distinct['oxigraph']:.2f} "
        f"without the answer cache (issue bar: at least 0.50), {distinct['kg'] / distinct['oxigraph']:.2f} with it"
    )
    print(
        f"aggregate time, kg / oxigraph:   {agg['kg, no cache'] / agg['oxigraph']:.2f} "
        f"without the answer cache (issue bar: at most 1.10); with the cache, four of the five "
        f"runs are answered from it: {agg['kg'] / agg['oxigraph']:.2f}"
    )
    print(
        f"one lookup asked again, kg / oxigraph: {rps['kg'] / rps['oxigraph']:.2f} "
        f"({rps['kg, no cache'] / rps['oxigraph']:.2f} without the answer cache)"
    )
    for name in ("python floor", "thread floor", "granian floor"):
        if name in rps:
            how = "in a thread of" if name == "thread floor" else "inline in"
            print(
                f"bare {name} / oxigraph requests per second: {rps[name] / rps['oxigraph']:.2f} "
                f"(query run {how} the front: no guard, no time limit, no row cap)"
            )
    if "rdflib-endpoint" in rps:
        print(
            f"kg / rdflib-endpoint requests per second: {rps['kg'] / rps['rdflib-endpoint']:.1f} "
            f"(issue bar: at least 5; kg without its answer cache: "
            f"{rps['kg, no cache'] / rps['rdflib-endpoint']:.1f})"
        )


if __name__ == "__main__":
    main()
