"""Deployment files: the Dockerfile lints clean, compose points at it, the wheel carries its data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from .conftest import ROOT


def test_dockerfile_lints_clean() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, str(ROOT / "docker" / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_non_root_and_locked() -> None:
    text = (ROOT / "docker" / "Dockerfile").read_text()
    assert text.count("FROM ") == 2
    assert "requirements.lock" in text and "USER 10001" in text


def test_compose_serves_the_image_with_a_store_volume() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    service = compose["services"]["kg"]
    assert service["build"]["dockerfile"] == "docker/Dockerfile"
    assert (
        ROOT / "docker" / service["build"]["context"] / service["build"]["dockerfile"]
    ).is_file()
    assert any(v.endswith(":/data") for v in service["volumes"])
    assert "kg-store" in compose["volumes"]


def test_wheel_carries_queries_and_ontology(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True)  # fmt: skip
    (wheel,) = tmp_path.glob("kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/_resources/queries/figure-attributions.rq" in names
    assert "kg/_resources/ontology/shapes.ttl" in names
    assert "api/routers/sparql.py" in names and "kg/data/gazetteer.json" in names
    assert "kg/data/lexicon.toml" in names
