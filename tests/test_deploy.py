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
    compose = _compose()
    service = compose["services"]["kg"]
    assert service["build"]["dockerfile"] == "docker/Dockerfile"
    assert (
        ROOT / "docker" / service["build"]["context"] / service["build"]["dockerfile"]
    ).is_file()
    assert any(v.endswith(":/data") for v in service["volumes"])
    assert "kg-store" in compose["volumes"]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_compose_has_the_cluster_and_its_commands_parse() -> None:
    """Scheduler, workers, an Oxigraph server, the API over it and a build: one image, each
    command accepted by the program it runs, each address the service that listens there."""
    import typer
    from distributed.cli.dask_scheduler import main as dask_scheduler
    from distributed.cli.dask_worker import main as dask_worker

    from kg.cli import app

    services = _compose()["services"]
    cluster = {name for name, s in services.items() if "cluster" in s.get("profiles", [])}
    assert cluster == {"scheduler", "worker", "oxigraph", "api", "build"}
    for name in cluster | {"kg"}:
        assert services[name]["image"] == "kg:latest"
        assert services[name]["build"]["dockerfile"] == "docker/Dockerfile"
    kg = typer.main.get_command(app)
    commands = {name: services[name]["command"] for name in cluster}
    # Each make_context raises on an option its program does not have.
    dask_scheduler.make_context("dask scheduler", commands["scheduler"][2:])
    worker = dask_worker.make_context("dask worker", commands["worker"][2:])
    for name in ("api", "build"):
        program, subcommand, *args = commands[name]
        assert program == "kg"
        kg.commands[subcommand].make_context(subcommand, args)  # type: ignore[attr-defined]
    scheduler = f"tcp://scheduler:{_option(commands['scheduler'], '--port')}"
    assert worker.params["scheduler"] == scheduler
    from kg.cluster import PROFILER_ENV

    name, value = PROFILER_ENV.split("=")
    assert services["worker"]["environment"][name] == value
    assert _option(commands["build"], "--cluster") == scheduler
    server = commands["oxigraph"]
    assert server[:2] == ["oxigraph", "serve"] and "--union-default-graph" in server
    help_text = subprocess.run([str(Path(sys.executable).parent / "oxigraph"), "serve", "--help"],
                               capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert all(o in help_text for o in server[2:] if o.startswith("--"))
    oxigraph = f"http://oxigraph:{_option(server, '--bind').rsplit(':', 1)[1]}"
    assert _option(commands["api"], "--sparql-endpoint") == f"{oxigraph}/query"
    assert _option(commands["api"], "--update-endpoint") == f"{oxigraph}/update"
    assert _option(commands["build"], "--target") == f"{oxigraph}/store"
    shards = _option(commands["build"], "--shards")
    for name in ("worker", "build"):  # workers write the shards the build loads
        assert f"kg-shards:{shards}" in services[name]["volumes"]
    assert any(v.endswith(":/corpus:ro") for v in services["build"]["volumes"])
    assert services["api"]["depends_on"]["oxigraph"]["condition"] == "service_healthy"
    text = (ROOT / "docker" / "Dockerfile").read_text()
    assert shards in text  # made and owned by the image's user, as the volume then is


def test_wheel_carries_queries_and_ontology(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    str(ROOT), "-w", str(tmp_path)], check=True, capture_output=True)  # fmt: skip
    (wheel,) = tmp_path.glob("kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/_resources/queries/figure-attributions.rq" in names
    assert "kg/_resources/ontology/shapes.ttl" in names
    assert "api/routers/sparql.py" in names and "kg/data/gazetteer.json" in names
    assert "kg/data/lexicon.toml" in names
    assert {"api/static/app/index.html", "api/static/app/app.js", "api/static/editor.html"} <= set(
        names
    )
    for vendored in ("plot/plot.umd.min.js", "d3/d3.min.js"):  # when this install fetched them
        assert (f"api/static/{vendored}" in names) == (ROOT / "api" / "static" / vendored).is_file()
