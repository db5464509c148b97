"""`kg build --cluster` on a real Dask scheduler and real worker processes, and `--target` into
a real Oxigraph server: the graph must be the one a build in one process makes."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.cluster import PROFILER_ENV, _profiling, connect
from kg.store import KGStore

from .conftest import EXAMPLES, ROOT, _free_port, build_store, oxigraph_server, stop

BIN = Path(sys.executable).parent
START_TIMEOUT = 120  # seconds for a scheduler, a worker or a server to come up


def _kg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _sorted_dump(store: Path) -> list[str]:
    kg_store = KGStore(store, read_only=True)
    try:
        return sorted(kg_store.ox.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())
    finally:
        kg_store.close()


@contextmanager
def dask_cluster(
    workers: int = 2, profiler: bool = False
) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """`dask scheduler` and `dask worker` processes on 127.0.0.1 (one thread each, no nanny, so
    a killed worker stays dead; without Dask's profiler, as the README starts them, unless
    `profiler`); yields the scheduler's address and the workers."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    port = address.rsplit(":", 1)[1]
    started = [
        subprocess.Popen(
            [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
            **quiet,
        )
    ]
    try:
        worker = [BIN / "dask", "worker", address, "--nthreads", "1", "--no-nanny",
                  "--no-dashboard", "--host", "127.0.0.1"]  # fmt: skip
        name, value = PROFILER_ENV.split("=")
        env = {**os.environ, **({} if profiler else {name: value})}
        started += [subprocess.Popen(worker, env=env, **quiet) for _ in range(workers)]
        with Client(address, timeout=f"{START_TIMEOUT}s") as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT)
        yield address, started[1:]
    finally:
        stop(started)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    with dask_cluster() as (address, _):
        yield address


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """The sample corpus, a page with no article and a gzipped feed with one bad record."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in EXAMPLES.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "blank.html").write_text("<html><body></body></html>")
    feed = [
        {"id": "feed-1", "text": "The health ministry said 14 people were killed in the raid."},
        {"id": "feed-2"},
    ]
    with gzip.open(folder / "feed.jsonl.gz", "wt") as out:
        out.write("\n".join(json.dumps(record) for record in feed) + "\n")
    return folder


def test_a_cluster_build_is_the_one_process_graph(
    cluster: str, inputs: Path, tmp_path: Path
) -> None:
    single = _kg(inputs, "--store", tmp_path / "single")
    assert single.returncode == 0, single.stderr
    shards = tmp_path / "shards"
    run = _kg(inputs, "--store", tmp_path / "cluster", "--cluster", cluster,
              "--shards", shards, "--partition-size", "2")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert _sorted_dump(tmp_path / "cluster") == _sorted_dump(tmp_path / "single")
    assert run.stdout.split(" into ")[0] == single.stdout.split(" into ")[0]
    assert "built 7 document(s)" in run.stdout and "2 input(s) skipped" in run.stdout
    # Each failure is one line naming its input; the rest was built.
    assert f"{inputs / 'blank.html'}: no article text found" in run.stderr
    assert f"{inputs / 'feed.jsonl.gz'}:2: record 'feed-2' has no text" in run.stderr
    assert "profiler" not in run.stderr
    assert list(shards.iterdir()) == []  # every shard loaded, then deleted

    # Run again: nothing is built twice; a changed document alone is built again.
    again = _kg(inputs, "--store", tmp_path / "cluster", "--cluster", cluster, "--shards", shards)
    assert "built 0 document(s)" in again.stdout and "7 unchanged" in again.stdout
    (inputs / "river-crossing.txt").write_text("Officials said 3 soldiers were wounded.\n")
    changed = _kg(inputs, "--store", tmp_path / "cluster", "--cluster", cluster,
                  "--shards", shards)  # fmt: skip
    assert "built 1 document(s)" in changed.stdout and "6 unchanged" in changed.stdout
    assert _kg(inputs, "--store", tmp_path / "single").returncode == 0
    assert _sorted_dump(tmp_path / "cluster") == _sorted_dump(tmp_path / "single")


def test_a_partition_whose_worker_dies_is_built_once_elsewhere(tmp_path: Path) -> None:
    from distributed import Client

    single = build_store(tmp_path / "single")
    with dask_cluster() as (address, workers), Client(address) as client:
        pids = client.run(os.getpid)  # each worker's process, by its address
        build = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "build", str(EXAMPLES), "--store",
             str(tmp_path / "cluster"), "--cluster", address, "--shards",
             str(tmp_path / "shards"), "--partition-size", "1"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        # Kill (SIGKILL, no goodbye) a worker while it is extracting a partition.
        deadline, victim = time.monotonic() + START_TIMEOUT, None
        while victim is None:
            assert time.monotonic() < deadline and build.poll() is None, "nothing was extracted"
            for worker, keys in client.processing().items():
                if any(str(key).startswith("kg-partition-") for key in keys):
                    victim = pids[worker]
                    break
            time.sleep(0.01)
        assert victim in {w.pid for w in workers}
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = build.communicate(timeout=600)
    assert build.returncode == 0, stderr
    assert "built 6 document(s)" in stdout, stdout + stderr
    assert _sorted_dump(tmp_path / "cluster") == _sorted_dump(single)


def _server_dump(url: str) -> list[str]:
    answer = httpx.get(f"{url}/store", headers={"Accept": "application/n-quads"}, timeout=60)
    answer.raise_for_status()
    return sorted(answer.text.splitlines())


def test_a_build_into_an_oxigraph_server_is_the_one_process_graph(
    cluster: str, tmp_path: Path
) -> None:
    single = _sorted_dump(build_store(tmp_path / "single"))
    with oxigraph_server(tmp_path / "server") as url:
        run = _kg(EXAMPLES, "--target", f"{url}/store", "--cluster", cluster,
                  "--shards", tmp_path / "shards")  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert "built 6 document(s)" in run.stdout
        assert _server_dump(url) == single
        # In one process too, and again: each document held with the same text is skipped.
        again = _kg(EXAMPLES, "--target", f"{url}/store")
        assert "built 0 document(s)" in again.stdout and "6 unchanged" in again.stdout
        forced = _kg(EXAMPLES, "--target", f"{url}/store", "--force")
        assert "built 6 document(s)" in forced.stdout
        assert _server_dump(url) == single
    gone = _kg(EXAMPLES, "--target", f"{url}/store")
    assert gone.returncode == 1
    assert gone.stderr.strip().splitlines() == [
        f"error: {url}/query: cannot reach the server (Connection refused)"
    ]


def test_workers_run_without_dask_profiler(caplog: pytest.LogCaptureFixture) -> None:
    """Its history of stack samples grew a worker by about 20 MiB every 1000 documents."""
    with connect("local", 1) as client:
        assert list(client.run(_profiling).values()) == [False]
    with dask_cluster(1, profiler=True) as (address, _), connect(address):
        pass
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning.startswith("1 Dask worker(s) keep Dask's profiler") and PROFILER_ENV in warning
