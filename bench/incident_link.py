"""How cross-document incident linking (kg.incidents.link) scales with the number of reports.

    python bench/incident_link.py [--sizes 1000 5000 20000 50000]

Reports are synthetic occurrences (no article text): four reports per attack, in 400 invented
towns of 40 regions of one country, over two years, some naming the kind of site hit. There is
no reference tool that links reports across documents; the numbers show how time grows with the
store, which relink pays on every write.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from kg.incidents import Report, link
from kg.model import Occurrence

TYPES = ("air-strike", "shelling", "bombing", "missile-strike")
KINDS = ("station", "hospital", "market", "school", None, None, None)


def _name(seed: int) -> str:
    """A pronounceable invented place name: distinct letters, as real names have."""
    r = random.Random(seed)
    return "".join(r.choice("bcdfghklmnprstvz") + r.choice("aeiou") for _ in range(4))


def reports(n: int, seed: int = 7) -> list[Report]:
    rng = random.Random(seed)
    towns = [_name(i) for i in range(400)]
    found: list[Report] = []
    for k in range(n // 4):
        town = rng.randrange(len(towns))
        day = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        kind, kind_of_event = rng.choice(KINDS), rng.choice(TYPES)
        for j in range(4):
            occurrence = Occurrence(
                start=0,
                end=10,
                main=True,
                type=kind_of_event,
                country="UA",
                places=(towns[town],),
                regions=(_name(1000 + town % 40),),
                site_kinds=(kind,) if kind else (),
                earliest=day,
                latest=day,
                dated=True,
            )
            published = day + timedelta(days=rng.randrange(3))
            found.append(Report(f"urn:r{k}-{j}", f"urn:d{k}-{j}", published, occurrence))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000, 50000])
    args = parser.parse_args()
    link(reports(100))  # warm: the GeoNames index loads once
    print(f"{'reports':>8} {'incidents':>10} {'seconds':>8}")
    for n in args.sizes:
        batch = reports(n)
        started = time.perf_counter()
        incidents = link(batch)
        print(f"{n:>8} {len(incidents):>10} {time.perf_counter() - started:>8.2f}")


if __name__ == "__main__":
    main()
