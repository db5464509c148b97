"""N-Quads shards: the document graphs of one partition of a build, written by the worker that
extracted them to storage the whole cluster reaches (a path, or an fsspec URL such as s3://…),
then read by the process that loads them into the target.

A shard is named by its build and partition, and appears whole or not at all (written under a
temporary name, then renamed): a partition retried after its worker died rewrites the same
shard, so a document is never loaded twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import fsspec
import pyoxigraph as ox


def shard_url(base: str, build: str, index: int) -> str:
    return f"{base.rstrip('/')}/{build}-{index:07d}.nq"


def write_shard(url: str, quads: list[ox.Quad]) -> None:
    fs, path = fsspec.core.url_to_fs(url)
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    partial = f"{path}.{uuid.uuid4().hex}.partial"
    with fs.open(partial, "wb") as out:
        ox.serialize(quads, out, format=ox.RdfFormat.N_QUADS)
    fs.mv(partial, path)


def read_shard(url: str) -> bytes:
    with fsspec.open(url, "rb") as stream:
        return stream.read()


def graphs(data: bytes) -> Iterator[tuple[ox.NamedNode, list[ox.Quad]]]:
    """Each document graph of a shard, with its quads (a shard holds each graph's quads
    together, as the worker wrote them)."""
    graph: ox.NamedNode | None = None
    quads: list[ox.Quad] = []
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        if quad.graph_name != graph:
            if graph is not None:
                yield graph, quads
            graph, quads = quad.graph_name, []  # type: ignore[assignment]
        quads.append(quad)
    if graph is not None:
        yield graph, quads


def remove_shard(url: str) -> None:
    fs, path = fsspec.core.url_to_fs(url)
    fs.rm(path)
