"""`kg build --cluster` at scale, in one run on one machine.

    python bench/scale.py [--docs 1000] [--large 10000] [--corpus DIR ...]

Measures, on a JSON Lines corpus of real articles repeated under new ids:
- words/s of plain spaCy `nlp.pipe` in one process, and of `kg build --cluster local` with 1
  and with 2 worker processes (each worker parses, extracts and writes N-Quads shards; this
  process loads them into a fresh local store), started and warmed before the clock runs;
- the peak memory (RSS) of each worker after --docs and after --large documents;
- how fast document graphs load into the local store and into an Oxigraph server
  (`oxigraph serve`, Graph Store Protocol PUT per document), in triples/s;
and prints a projection for 1M articles from these rates, labelled as one.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.cluster import build_on_cluster, connect
from kg.document import Document
from kg.ingest import read_inputs, read_paths
from kg.nlp import load
from kg.settings import get_settings
from kg.shards import graphs, read_shard
from kg.store import KGStore
from kg.targets import SparqlTarget, StoreTarget

ROOT = Path(__file__).resolve().parents[1]


def write_corpus(paths: list[Path], n: int, out: Path) -> int:
    """n records cycling through the articles (each a new id); returns the words written."""
    docs = [d for d in read_paths(paths) if isinstance(d, Document)]
    words = 0
    with out.open("w", encoding="utf-8") as feed:
        for i in range(n):
            doc = docs[i % len(docs)]
            record = {"id": f"{i}-{doc.id}", "text": doc.text, "title": doc.title}
            feed.write(json.dumps(record) + "\n")
            words += len(doc.text.split())
    return words


def plain_spacy(feed: Path) -> float:
    texts = [json.loads(line)["text"] for line in feed.open(encoding="utf-8")]
    nlp = load(get_settings().pipeline)
    list(nlp.pipe(texts[:5]))
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=get_settings().batch_size):
        pass
    return time.perf_counter() - start


def worker_peak_rss() -> int:
    """The worker's peak resident memory: VmHWM, which starts afresh with the process image (the
    rusage peak is kept across exec, so a worker spawned from a large parent reports the
    parent's size)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def cluster_build(feed: Path, workers: int, tmp: Path) -> tuple[float, list[int], int]:
    """Seconds to build the feed on `workers` local workers (warm), each worker's peak RSS, and
    the triples written."""
    store_dir = tmp / f"store-{workers}-{feed.stem}"
    shards = tmp / "shards"
    with connect("local", workers) as client:
        warm = tmp / "warm.jsonl"
        write_corpus([ROOT / "examples" / "corpus"], 2 * workers, warm)
        warm_store = KGStore(tmp / f"warm-{workers}")
        build_on_cluster(read_inputs([warm]), StoreTarget(warm_store), client,
                         get_settings().pipeline, str(shards), partition_size=1)  # fmt: skip
        warm_store.close()
        store = KGStore(store_dir)
        start = time.perf_counter()
        report = build_on_cluster(read_inputs([feed]), StoreTarget(store), client,
                                  get_settings().pipeline, str(shards))  # fmt: skip
        seconds = time.perf_counter() - start
        peaks = sorted(client.run(worker_peak_rss).values())
        store.close()
    assert not report.errors, report.errors[:3]
    return seconds, peaks, report.triples


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A fresh `oxigraph serve` on a loopback port; yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph"), "serve",
         "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(30)


def load_rates(store_dir: Path, tmp: Path) -> tuple[float, float, float, float, int]:
    """Triples/s of writing a built store's document graphs again into a fresh local store, a
    graph at a time (as documents the store holds are replaced) and a shard of 64 at a time (as
    a cluster build adds new documents: Oxigraph's bulk loader), and into a fresh Oxigraph
    server, a graph at a time (Graph Store Protocol PUT) and a shard at a time (one POST of
    N-Quads, as a cluster build adds new documents)."""
    source = KGStore(store_dir, read_only=True)
    dump = tmp / "dump.nq"
    dump.write_bytes(source.ox.dump(format=ox.RdfFormat.N_QUADS))
    source.close()
    documents = list(graphs(read_shard(str(dump))))
    triples = sum(len(q) for _, q in documents)

    def timed(target) -> float:
        start = time.perf_counter()
        with target:
            for graph, quads in documents:
                target.replace(graph, quads)
        return triples / (time.perf_counter() - start)

    local = timed(StoreTarget(KGStore(tmp / "load-local")))
    shards = [
        ox.serialize([q for _, quads in documents[i : i + 64] for q in quads],
                     format=ox.RdfFormat.N_QUADS)
        for i in range(0, len(documents), 64)
    ]  # fmt: skip
    start = time.perf_counter()
    with StoreTarget(KGStore(tmp / "load-bulk")) as target:
        for shard in shards:
            target.load(shard, new=True)
    bulk = triples / (time.perf_counter() - start)
    with oxigraph_server(tmp / "load-server") as url:
        remote = timed(SparqlTarget.at(f"{url}/store"))
    with oxigraph_server(tmp / "load-server-bulk") as url:
        start = time.perf_counter()
        with SparqlTarget.at(f"{url}/store") as target:
            assert target.server.takes_datasets
            for shard in shards:
                target.load(shard, new=True)
        remote_bulk = triples / (time.perf_counter() - start)
    return local, bulk, remote, remote_bulk, triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--corpus", type=Path, action="append")
    args = parser.parse_args()
    shared = ROOT.parent / "shared"
    paths = args.corpus or [
        p
        for p in (shared / "corpus", shared / "eval" / "real-dev" / "corpus", ROOT / "examples" / "corpus")
        if p.is_dir()
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as name:
        tmp = Path(name)
        feed = tmp / "docs.jsonl"
        words = write_corpus(paths, args.docs, feed)
        print(f"corpus: {args.docs} documents, {words} words, from {len(paths)} folder(s)")
        plain = plain_spacy(feed)
        print(f"plain spaCy, one process: {words / plain:,.0f} words/s")
        rates = {}
        for workers in (1, 2):
            seconds, peaks, triples = cluster_build(feed, workers, tmp)
            rates[workers] = words / seconds
            print(
                f"kg build --cluster local, {workers} worker(s): {words / seconds:,.0f} words/s "
                f"({words / seconds / (words / plain):.2f}x plain spaCy in one process), "
                f"{triples} triples, worker peak RSS "
                + ", ".join(f"{p / 2**20:,.0f} MiB" for p in peaks)
            )
        local, bulk, remote, remote_bulk, triples = load_rates(tmp / f"store-2-{feed.stem}", tmp)
        print(f"loading {triples} triples: local store {local:,.0f} triples/s a document at a "
              f"time, {bulk:,.0f} as bulk-loaded shards of 64 new documents; Oxigraph server "
              f"{remote:,.0f} a document at a time (GSP PUT), {remote_bulk:,.0f} a shard of 64 "
              "new documents at a time (one POST of N-Quads)")  # fmt: skip
        if args.large:
            large = tmp / "large.jsonl"
            large_words = write_corpus(paths, args.large, large)
            seconds, peaks, triples = cluster_build(large, 2, tmp)
            print(
                f"{args.large} documents ({large_words} words), 2 workers: "
                f"{large_words / seconds:,.0f} words/s, {triples} triples, worker peak RSS "
                + ", ".join(f"{p / 2**20:,.0f} MiB" for p in peaks)
            )
        per_doc = words / args.docs
        core_hours = 1_000_000 * per_doc / rates[1] / 3600
        print(
            f"projection, not a measurement: 1M articles of {per_doc:,.0f} words take about "
            f"{core_hours:,.0f} worker-hours at the 1-worker rate, so about "
            f"{core_hours / 16:,.1f} h on 16 workers if the rate scales as from 1 to 2 workers "
            f"here ({rates[2] / rates[1]:.2f}x)"
        )


if __name__ == "__main__":
    main()
