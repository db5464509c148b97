"""The memory allocator query workers run with: mimalloc, where it is installed and loads.

Oxigraph allocates and frees many small blocks per query, and glibc's malloc spent a fifth of a
query worker's time doing it (perf, on distinct lookups): with mimalloc (from PyPI's
cmeel-mimalloc, preloaded into workers only) a worker took about 0.2 ms of CPU a lookup instead
of 0.26, distinct lookups ran 15-20% faster and the aggregate of the endpoint bench as fast as
Oxigraph's own server, in the same memory. The service's own process is Python's business and
keeps glibc's.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

log = logging.getLogger("kg.service")


def _mimalloc() -> Path | None:
    for key in ("platlib", "purelib"):
        found = Path(sysconfig.get_paths()[key]) / "cmeel.prefix" / "lib" / "libmimalloc.so"
        if found.is_file():
            return found
    return None


@functools.cache
def worker_environment(choice: str) -> dict[str, str]:
    """The environment a worker starts with: this one, with the allocator preloaded if it
    loads here (checked once, in a throwaway process, so a broken library never reaches a
    worker)."""
    env = dict(os.environ)
    library = _mimalloc() if choice == "mimalloc" else None
    if library is None:
        if choice == "mimalloc":
            log.info("mimalloc is not installed: query workers use the system allocator")
        return env
    env["LD_PRELOAD"] = " ".join(p for p in (str(library), env.get("LD_PRELOAD", "")) if p)
    # Freed memory goes back at once and arenas are committed as used: left to its defaults,
    # mimalloc kept about 27 MiB more per worker, for no speed measured.
    env.setdefault("MIMALLOC_PURGE_DELAY", "0")
    env.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "0")
    trial = subprocess.run([sys.executable, "-c", "pass"], env=env, capture_output=True, text=True)
    if trial.returncode != 0 or trial.stderr.strip():
        log.warning("mimalloc does not load here (%s): query workers use the system allocator",
                    (trial.stderr.strip().splitlines() or ["exit status"])[0])  # fmt: skip
        return dict(os.environ)
    return env
