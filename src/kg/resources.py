"""Locate the ontology and canned queries, in a checkout or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # In a checkout (editable install) the folders sit at the project root; a wheel carries a copy.
    for candidate in (_HERE.parent.parent / name, _HERE / "_resources" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder of kg")


def ontology_dir() -> Path:
    return _find("ontology")


def queries_dir() -> Path:
    return _find("queries")


def data_file(name: str) -> Path:
    return _HERE / "data" / name
