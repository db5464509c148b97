"""`kg build --cluster`: extraction on a Dask distributed cluster, for crawls of any size.

The process that runs `kg build` (the driver) streams the inputs, unparsed, in partitions: it
never holds more than a few partitions. Each partition goes to a worker, which parses it
(trafilatura for web pages), extracts with the spaCy pipeline it loaded once and keeps, and
writes the partition's document graphs as one N-Quads shard where the cluster can reach it. The
driver loads each finished shard into the target (the local store or a SPARQL server) and
deletes it. A partition whose worker dies is run again by Dask on another worker and rewrites
the same shard; a document that fails is reported by its input and the rest goes on; a document
the target holds with the same text is not sent at all unless forced.

The graph is the one a build in one process makes: the same stages over the same documents.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.build import BuildReport, IdGuard, as_target, source_of
from kg.document import Document
from kg.ingest import IngestError, RawInput, parse_input
from kg.shards import read_shard, remove_shard, shard_url, write_shard
from kg.store import KGStore
from kg.targets import Target

if TYPE_CHECKING:
    from distributed import Client, Future
    from spacy.language import Language

log = logging.getLogger(__name__)

PARTITION_SIZE = 64  # documents a worker takes at a time: a few MiB of text, a shard of ~10 MB
IN_FLIGHT_PER_THREAD = 2  # partitions sent ahead per worker thread, so none waits for work
# Dask's statistical profiler samples each worker's stack every 10 ms and keeps a tree of it per
# second for the last 1000 seconds (distributed.admin.low-level-log-length): a worker running
# spaCy grew by about 20 MiB every 1000 documents until that window was full. kg reads no
# profiles, so the workers it starts run without it, and workers of a cluster that keep it are
# named in a warning.
NO_PROFILER = {"distributed.worker.profile.enabled": False}
PROFILER_ENV = "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False"


class ClusterError(RuntimeError):
    """The cluster cannot be reached, or its shards cannot be read here: the build stops."""


@dataclass(frozen=True)
class Partition:
    index: int
    items: list[RawInput]
    stored: dict[str, str] = field(default_factory=dict)  # content hashes the target holds


@dataclass
class PartitionResult:
    shard: str | None
    documents: list[tuple[str, int, int, int]]  # id, triples, figure claims, quotations
    unchanged: int
    errors: list[IngestError]


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def _allocate_as_a_plain_process() -> None:
    """Undo what Dask's nanny sets for its workers (MALLOC_TRIM_THRESHOLD_=65536, which also
    pins glibc's mmap threshold): spaCy's arrays then go to the kernel and back on every batch,
    12% of a worker's time here. A worker's memory stays flat across partitions without it
    (bench/scale.py), so glibc may keep what it frees up to its usual ceilings."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (musl): no nanny setting to undo
        return
    libc.mallopt(M_TRIM_THRESHOLD, 64 << 20)
    libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)


@lru_cache(maxsize=2)
def _pipeline(name: str) -> Language:
    """The pipeline, loaded once per worker process and kept for every later partition."""
    from kg.nlp import load

    log.info("loading spaCy pipeline %s in worker process %d", name, os.getpid())
    _allocate_as_a_plain_process()
    return load(name)


# spaCy promises nothing about one Language object used by two threads at once, and the GIL
# would gain nothing from it: a worker with several threads extracts one partition at a time.
_EXTRACTING = threading.Lock()


def extract_partition(
    partition: Partition, pipeline: str, shards: str, build: str, batch_size: int
) -> PartitionResult:
    """On a worker: parse, extract and write one partition's shard."""
    from kg.extract import extract
    from kg.graph import document_quads

    errors: list[IngestError] = []
    documents, unchanged = [], 0
    for item in partition.items:
        doc = parse_input(item)
        if isinstance(doc, IngestError):
            errors.append(doc)
        elif partition.stored.get(doc.id) == doc.content_hash:
            unchanged += 1
        else:
            documents.append(doc)

    def refused(doc: Document, reason: str) -> None:
        errors.append(IngestError(source_of(doc), reason))

    quads, built = [], []
    with _EXTRACTING:
        nlp = _pipeline(pipeline)
        for ex in extract(documents, nlp, batch_size, 1, on_refused=refused):
            doc_quads = document_quads(ex)[1]
            quads.extend(doc_quads)
            built.append((ex.document.id, len(doc_quads), len(ex.figures), len(ex.quotes)))
    url = None
    if quads:
        url = shard_url(shards, build, partition.index)
        write_shard(url, quads)
    return PartitionResult(url, built, unchanged, errors)


@contextmanager
def connect(address: str, workers: int | None = None) -> Iterator[Client]:
    """A client of the scheduler at `address` (tcp://host:port), or of a cluster of `workers`
    local processes (one thread each) started for this build when `address` is "local"."""
    import dask
    from distributed import Client, LocalCluster

    if address == "local":
        n = workers or os.cpu_count() or 1
        with (
            dask.config.set(NO_PROFILER),  # passed on to the worker processes by their nannies
            # Workers' own logs stay quiet: a failed partition reaches the build through its
            # future, and closing the cluster makes them log lost heartbeats as errors.
            LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout="30s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        profiled = sorted(w for w, on in client.run(_profiling).items() if on)
        if profiled:
            log.warning(
                "%d Dask worker(s) keep Dask's profiler, whose memory grows for 1000 s of work "
                "(start them with %s)", len(profiled), PROFILER_ENV,
            )  # fmt: skip
        yield client


def _profiling() -> bool:
    """On a worker: whether Dask's profiler runs there."""
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def _partitions(
    items: Iterable[RawInput | IngestError], size: int, refuse: Callable[[IngestError], None]
) -> Iterator[list[RawInput]]:
    guard, batch = IdGuard(), []
    for item in items:
        if isinstance(item, IngestError):
            refuse(item)
            continue
        refusal = guard.refusal(item.doc_id, item.source)
        if refusal is not None:
            refuse(refusal)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def build_on_cluster(
    items: Iterable[RawInput | IngestError],
    store: KGStore | Target,
    client: Client,
    pipeline: str,
    shards: str,
    batch_size: int = 32,
    partition_size: int = PARTITION_SIZE,
    force: bool = False,
    on_error: Callable[[IngestError], None] | None = None,
    on_document: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the inputs on the cluster into the store or target; shards go through `shards` (a
    folder or fsspec URL every worker and this process reach)."""
    from distributed import wait

    report, build, target = BuildReport(), uuid.uuid4().hex[:12], as_target(store)
    threads = sum(client.nthreads().values()) or 1
    # Each partition sent, with its inputs (for messages) and whether the target holds any of
    # its documents already (if not, its shard is added whole).
    pending: dict[Future, tuple[list[str], bool]] = {}

    def refuse(error: IngestError) -> None:
        report.errors.append(error)
        if on_error:
            on_error(error)

    def collect(future: Future) -> None:
        sources, held = pending.pop(future)
        try:
            result: PartitionResult = future.result()
        except Exception as exc:  # the task failed on every retry, or its workers kept dying
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            for source in sources:
                refuse(IngestError(source, f"not built: its partition failed ({reason})"))
            return
        for error in result.errors:
            refuse(error)
        report.unchanged += result.unchanged
        if result.shard:
            try:
                data = read_shard(result.shard)
            except OSError as exc:
                raise ClusterError(f"cannot read shard {result.shard}: {exc}") from None
            target.load(data, new=not held)
            remove_shard(result.shard)
        for doc_id, triples, figures, quotes in result.documents:
            report.documents += 1
            report.triples += triples
            report.figures += figures
            report.quotes += quotes
            if on_document:
                on_document(doc_id)

    def collect_some(until: int) -> None:
        while len(pending) > until:
            done, _ = wait(list(pending), return_when="FIRST_COMPLETED")
            for future in done:
                collect(future)

    with target:
        for index, batch in enumerate(_partitions(items, partition_size, refuse)):
            held = target.hashes([item.doc_id for item in batch])
            future = client.submit(
                extract_partition,
                Partition(index, batch, {} if force else held),
                pipeline,
                shards,
                build,
                batch_size,
                key=f"kg-partition-{build}-{index}",
                retries=2,
                pure=False,
            )
            pending[future] = ([item.source for item in batch], bool(held))
            collect_some(IN_FLIGHT_PER_THREAD * threads - 1)
        collect_some(0)
    return report
