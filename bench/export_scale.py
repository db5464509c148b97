"""Export time and memory against network size (issue: at least 100,000 nodes, linear growth).

    python bench/export_scale.py [--sizes 25000 50000 100000] [--view entity]

For each size, generates kg-shaped N-Quads (one graph per document; each entity mentioned
twice, three mentions per sentence, so co-mention edges), loads them with `kg load`, then
exports GEXF in a fresh process and reports wall time, the Python heap's peak (tracemalloc, in
a second run) and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

KG = "https://w3id.org/conflict-kg/ontology#"
ID = "https://w3id.org/conflict-kg/id/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TYPES = ["Person", "Organisation", "Place", "ArmedForce"]


def generate(path: Path, entities: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    mentions = [e for e in range(entities) for _ in range(2)]
    rng.shuffle(mentions)
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for d, start in enumerate(range(0, len(mentions), 18)):
            g = f"<{ID}document/d{d}>"
            lines = [f"{g} <{TYPE}> <{KG}Document> {g} .", f'{g} <https://schema.org/identifier> "d{d}" {g} .',
                     f'{g} <https://schema.org/datePublished> "2024-{1 + d % 12:02d}-{1 + d % 28:02d}"^^<http://www.w3.org/2001/XMLSchema#date> {g} .']  # fmt: skip
            for i, e in enumerate(mentions[start : start + 18]):
                ent = f"<{ID}{TYPES[e % 4].lower()}/e{e}>"
                m = f"<{ID}mention/d{d}/{i * 10}-{i * 10 + 5}>"
                s = f"<{ID}sentence/d{d}/{(i // 3) * 30}-{(i // 3) * 30 + 29}>"
                lines += [f"{ent} <{TYPE}> <{KG}{TYPES[e % 4]}> {g} .", f'{ent} <{LABEL}> "Entity {e}" {g} .',
                          f"{m} <{TYPE}> <{KG}Mention> {g} .", f"{m} <{KG}refersTo> {ent} {g} .",
                          f"{m} <{KG}inSentence> {s} {g} .", f'{m} <{NIF}anchorOf> "Entity {e}" {g} .']  # fmt: skip
            out.write("\n".join(lines) + "\n")
            n += len(lines)
    return n


CHILD = """
import json, resource, sys, time, tracemalloc
from pathlib import Path
from kg.store import KGStore
from kg.export import export_file
store = KGStore(sys.argv[1], read_only=True)
traced = sys.argv[4] == "memory"
if traced:
    tracemalloc.start()
start = time.perf_counter()
export_file(store, "gexf", Path(sys.argv[2]), sys.argv[3])
elapsed = time.perf_counter() - start
heap = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "heap_mib": heap, "rss_mib": rss}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 50_000, 100_000, 200_000])
    parser.add_argument("--view", default="entity")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="kg-export-") as tmp:
            data = Path(tmp) / "data.nq"
            quads = generate(data, size)
            # Loaded the way users load a dump (`kg load`: bulk load, then compaction).
            subprocess.run([str(Path(sys.executable).parent / "kg"), "load", str(data), "--store",
                            str(Path(tmp) / "store")], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            out = Path(tmp) / "out.gexf"
            measured = {}
            for mode in ("time", "memory"):  # tracing slows the run: time and memory apart
                result = subprocess.run([sys.executable, "-c", CHILD, str(Path(tmp) / "store"), str(out),
                                         args.view, mode], capture_output=True, text=True, check=True)  # fmt: skip
                got = json.loads(result.stdout.strip().splitlines()[-1])
                measured["seconds" if mode == "time" else "peak_mib"] = got[
                    "seconds" if mode == "time" else "heap_mib"
                ]
                measured.setdefault("rss_mib", got["rss_mib"])
            nodes = out.read_text().count("<node ")
            edges = out.read_text().count("<edge ")
            rows.append((size, quads, nodes, edges, measured["seconds"], measured["peak_mib"]))
            print(f"{nodes:>8} nodes {edges:>8} edges ({quads} quads): {measured['seconds']:7.2f} s, "
                  f"Python heap peak {measured['peak_mib']:7.1f} MiB, process peak RSS {measured['rss_mib']:7.1f} MiB; "
                  f"{1e6 * measured['seconds'] / nodes:6.1f} µs and {1024 * measured['peak_mib'] / nodes:5.2f} KiB "
                  "per node", flush=True)  # fmt: skip
    first, last = rows[0], rows[-1]
    scale = last[2] / first[2]
    print(
        f"from {first[2]} to {last[2]} nodes ({scale:.1f}x): time x{last[4] / first[4]:.2f}, "
        f"memory x{last[5] / max(first[5], 1e-9):.2f} (linear: about x{scale:.1f})"
    )


if __name__ == "__main__":
    main()
