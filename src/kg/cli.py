"""The `kg` command line: build, query, export and serve a conflict-news knowledge graph."""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.settings import get_settings

app = typer.Typer(
    help="Build knowledge graphs of who said which figure in war and conflict news.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="KG_STORE",
        help="Store directory (default: KG_STORE, else a per-user data directory).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def open_store(path: Path | None, read_only: bool = False):
    from kg.store import KGStore, StoreError

    target = path or get_settings().store
    if read_only and not (target / "CURRENT").exists():
        raise fail(f"no store at {target} (run `kg build` first, or pass --store)")
    try:
        return KGStore(target, read_only=read_only)
    except StoreError as exc:
        raise fail(str(exc)) from None


@app.command()
def build(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files (.txt, .html, .jsonl, .jsonl.gz, .warc, .warc.gz) or folders. A file's "
            "document id is its path relative to the folder given (a/report.txt), or its name "
            "when given directly; a .jsonl record's is its id, a WARC page's its URL."
        ),
    ],
    store: StoreOption = None,
    batch_size: Annotated[int, typer.Option(help="Texts per spaCy batch.")] = 0,
    processes: Annotated[
        int, typer.Option(help="spaCy processes (default KG_PROCESSES, 1); the rules run here.")
    ] = 0,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Extract on a Dask cluster: its scheduler (tcp://HOST:8786), or 'local' for "
            "worker processes on this machine started for the build.",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(help="Worker processes of --cluster local (default: one per core).")
    ] = 0,
    shards: Annotated[
        str | None,
        typer.Option(
            help="Where workers write N-Quads shards for loading: a folder or fsspec URL that "
            "every worker and this machine reach (default: a temporary folder here).",
            show_default=False,
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(min=0, help="Documents a cluster worker takes at a time (0: kg's own).")
    ] = 0,
    target: Annotated[
        str | None,
        typer.Option(
            help="Write into a SPARQL server instead of --store: its Graph Store Protocol "
            "endpoint (Oxigraph: http://HOST:7878/store).",
            show_default=False,
        ),
    ] = None,
    target_query: Annotated[
        str | None,
        typer.Option(
            help="The server's SPARQL query endpoint (default: 'query' beside --target).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Build again documents held with the same text.")
    ] = False,
) -> None:
    """Ingest articles, extract entities, quotes and figure claims, and store one graph per document.

    A rebuilt document's graph is replaced whole; a document held with the same text is skipped
    (so a run stopped midway is finished by running it again); an id given twice is refused.
    """
    from kg.ingest import expand
    from kg.nlp import PipelineError
    from kg.remote import RemoteError
    from kg.targets import SparqlTarget

    settings = get_settings()
    try:
        kg_target = SparqlTarget.at(target, target_query) if target else None
    except RemoteError as exc:
        raise fail(str(exc)) from None
    kg_store = kg_target or open_store(store)
    where = target or str(kg_store.path)  # type: ignore[union-attr]
    # A bar with a total where the files are one document each and few enough to list first.
    files = [] if cluster else [p for p in expand(paths) if isinstance(p, Path)]
    countable = not cluster and all(p.suffix.lower() in {".txt", ".html", ".htm"} for p in files)
    failures = 0
    progress = Progress(
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn() if countable else TextColumn("{task.completed} documents"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[failures]}"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with progress:
        task = progress.add_task("", total=len(files) if countable else None, rate="", failures="")

        def on_error(error: Any) -> None:
            nonlocal failures
            failures += 1
            progress.update(task, failures=f"[yellow]{failures} skipped[/yellow]")
            progress.console.print(
                f"[yellow]skipped[/yellow] {error}", highlight=False, soft_wrap=True
            )

        def on_document(doc_id: str) -> None:
            progress.update(task, advance=1, description=doc_id)
            elapsed = progress.tasks[task].elapsed or 0.0
            if elapsed > 0:
                rate = progress.tasks[task].completed / elapsed
                progress.update(task, rate=f"{rate:.1f} docs/s")

        common = {"on_error": on_error, "force": force,
                  "batch_size": batch_size or settings.batch_size}  # fmt: skip
        try:
            if cluster:
                report = _build_on_cluster(
                    paths, kg_store, settings.pipeline, cluster, workers, shards,
                    partition_size, on_document, **common,
                )  # fmt: skip
            else:
                from kg.build import build_paths

                report = build_paths(
                    paths, kg_store, settings.pipeline, processes=processes or settings.processes,
                    on_document=lambda ex: on_document(ex.document.id), **common,
                )  # fmt: skip
        except (PipelineError, RemoteError) as exc:
            raise fail(str(exc)) from None
    out.print(
        f"built {report.documents} document(s): {report.figures} figure claims, "
        f"{report.quotes} quotations, {report.triples} triples into {where}"
        + (f"; {report.unchanged} unchanged" if report.unchanged else "")
        + (f"; {len(report.errors)} input(s) skipped" if report.errors else ""),
        highlight=False,
        soft_wrap=True,  # one line, whatever the store's path: scripts read it
    )
    if report.errors and not report.documents:
        raise typer.Exit(1)


def _build_on_cluster(
    paths: list[Path],
    store: Any,
    pipeline: str,
    address: str,
    workers: int,
    shards: str | None,
    partition_size: int,
    on_document: Any,
    **options: Any,
) -> Any:
    """`kg build --cluster`: inputs streamed to Dask workers, shards loaded here (kg.cluster)."""
    import tempfile

    from kg.cluster import PARTITION_SIZE, ClusterError, build_on_cluster, connect
    from kg.ingest import read_inputs

    if shards is None and address != "local":
        raise fail("--shards is needed with a remote --cluster: a folder or URL its workers reach")
    with contextlib.ExitStack() as stack:
        if shards is None:
            shards = stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-shards-"))
        try:
            client = stack.enter_context(connect(address, workers or None))
        except ClusterError as exc:
            raise fail(str(exc)) from None
        try:
            return build_on_cluster(
                read_inputs(paths), store, client, pipeline, shards,
                partition_size=partition_size or PARTITION_SIZE, on_document=on_document,
                **options,
            )  # fmt: skip
        except (ClusterError, OSError, TimeoutError) as exc:
            raise fail(f"the cluster build stopped: {exc}") from None


@app.command()
def remove(
    doc: Annotated[
        str,
        typer.Argument(
            help="Document id: the file's path relative to the folder built (a/report.txt; in a "
            "flat folder its name), the name of a file given directly, or a .jsonl record's id."
        ),
    ],
    store: StoreOption = None,
) -> None:
    """Drop a document's graph from the store."""
    kg_store = open_store(store)
    if not kg_store.remove_document(doc):
        raise fail(f"no document {doc!r} in {kg_store.path}")
    from kg.incidents import relink

    relink(kg_store, kg_store)  # removing a report may split an incident
    kg_store.flush()
    out.print(f"removed {doc}", highlight=False)


def _cell(value: object) -> str:
    """A value as a terminal table shows it: kg's own IRIs by their path ("incident/…")."""
    from kg.namespaces import PREFIX_MAP

    return "" if value is None else str(value).removeprefix(PREFIX_MAP["kgid"])


def _print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        columns = list(rows[0]) if rows else []
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    elif rows and "incident_label" in rows[0] and "value" in rows[0]:
        _print_tolls(rows)
    else:
        # A terminal table shows what a person reads; IRIs, sentences and offsets are in json/csv.
        hidden = {"sentence", "start", "end", "source_text", "speaker_text", "cue"}
        columns = [
            c for c in (rows[0] if rows else []) if not c.endswith("_iri") and c not in hidden
        ]
        if len(columns) > 1 and columns[0] in ("entity", "a", "b"):
            columns = [c for c in columns if c not in ("entity", "a", "b")]
        table = Table(show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row[c]) for c in columns))
        out.print(table)
        out.print(f"{len(rows)} row(s)")


# How a hedge reads before its number (kg.extract.numbers.QUALIFIERS).
_HEDGE_WORDS = {"exact": "", "approx": "about ", "at_least": "at least ",
                "more_than": "more than ", "less_than": "less than ", "up_to": "up to ",
                "nearly": "nearly "}  # fmt: skip


def _number(value: float | int | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _print_tolls(rows: list[dict[str, Any]]) -> None:
    """A toll timeline per incident and category: each figure in order of publication, with its
    source and hedge, the sources' latest figures marked, their spread and any disagreement."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["incident"], row["category"]), []).append(row)
    for (_, category), group in groups.items():
        first = group[0]
        spread = f"{_number(first['low'])}–{_number(first['high'])}"
        if first["low"] == first["high"]:
            spread = _number(first["low"])
        verdict = "sources disagree" if first["disagree"] else "sources agree"
        table = Table(
            title=f"{first['incident_label']} · {category}: latest {spread} · {verdict}",
            title_justify="left",
        )
        for column in ("date", "source", "figure", "latest", "found by", "document"):
            table.add_column(column, overflow="fold")
        for row in group:
            figure = _HEDGE_WORDS.get(row["qualifier"], "") + _number(row["value"])
            table.add_row(
                row["date"] or "", row["source"] or "(the outlet)", figure,
                "latest" if row["latest"] else "", row["source_basis"] or "", row["document"],
            )  # fmt: skip
        out.print(table)
    out.print(f"{len(rows)} row(s)")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A canned query (see `kg queries`).")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter as key=value.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    store: StoreOption = None,
) -> None:
    """Run a canned query from queries/ with bound parameters."""
    from kg.queries import ParameterError, load_queries, run

    if fmt not in ("table", "json", "csv"):
        raise fail(f"unknown format {fmt!r}; choose table, json or csv")
    queries = load_queries()
    if name not in queries:
        raise fail(f"no query named {name!r}; known: {', '.join(queries)}")
    values: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise fail(f"--param takes key=value, not {item!r}")
        values[key.strip()] = value
    kg_store = open_store(store, read_only=True)
    try:
        rows = run(kg_store, queries[name], values)
    except ParameterError as exc:
        raise fail(str(exc)) from None
    _print_rows(rows, fmt)


@app.command("queries")
def list_queries() -> None:
    """List the canned queries and their parameters."""
    from kg.queries import load_queries

    for q in load_queries().values():
        out.print(f"[bold]{q.name}[/bold]: {q.description}", highlight=False)
        for p in q.parameters:
            kind = p.type + (f"({'|'.join(p.values)})" if p.values else "")
            flags = "required" if p.required else "optional"
            out.print(f"    {p.name} {kind} {flags} — {p.description}", highlight=False)


@app.command()
def sparql(
    text: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read one.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    store: StoreOption = None,
) -> None:
    """Run a SPARQL SELECT over the union of all document graphs (prefixes kg:, schema:, … predefined)."""
    from kg.store import StoreError

    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot read {text[1:]}: {exc.strerror}") from None
    kg_store = open_store(store, read_only=True)
    try:
        rows = kg_store.select(text)
    except (SyntaxError, StoreError, OSError, ValueError) as exc:
        raise fail(f"query failed: {str(exc).splitlines()[0]}") from None
    _print_rows(rows, fmt)


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Argument(help="gexf, graphml, csv, png, nquads, trig, turtle, ntriples or jsonld."),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (csv: a folder).")],
    view: Annotated[
        str | None,
        typer.Option(help="Network view: entity (default), attribution or comention."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--from", help="Only documents published on or after (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help="Only documents published on or before.")
    ] = None,
    document: Annotated[
        list[str] | None, typer.Option("--document", "-d", help="Only this document (repeatable).")
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(help="Only figure claims of this category (attribution and entity views)."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export a network for Gephi and other tools, a picture of it, or the store as RDF (all
    document graphs, or those chosen by --document, --from and --to)."""
    from datetime import date

    from kg.export import ExportError, check, export_file
    from kg.networks import Filters

    try:
        filters = Filters(
            since=date.fromisoformat(since) if since else None,
            until=date.fromisoformat(until) if until else None,
            documents=frozenset(document) if document else None,
            category=category,
        )
    except ValueError:
        raise fail("--from and --to take dates as YYYY-MM-DD") from None
    try:
        check(fmt, view, filters)  # an export it cannot honour is refused, not half done
    except ExportError as exc:
        raise fail(str(exc)) from None
    kg_store = open_store(store, read_only=True)
    try:
        written = export_file(kg_store, fmt, output, view, filters)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    out.print("wrote " + ", ".join(str(p) for p in written), highlight=False)


@app.command()
def load(
    files: Annotated[
        list[Path], typer.Argument(help="RDF files: .nq, .trig, .ttl, .nt, .jsonld, .rdf.")
    ],
    graph: Annotated[
        str | None,
        typer.Option(help="Named graph for triples (default: one per file, kgid:import/NAME)."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Import RDF into the store: restore a dump, or bring in data from another triple store."""
    import pyoxigraph as ox

    from kg.vocab import ID

    formats = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE,
               ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
               ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML}  # fmt: skip
    kg_store = open_store(store)
    failed = 0
    for path in files:
        rdf_format = formats.get(path.suffix.lower())
        if rdf_format is None:
            err.print(
                f"[yellow]skipped[/yellow] {path}: unknown RDF format (use {', '.join(formats)})",
                highlight=False,
            )
            failed += 1
            continue
        target = None if rdf_format.supports_datasets else (graph or str(ID[f"import/{path.name}"]))
        before = len(kg_store.ox)
        try:
            kg_store.load(path, rdf_format, target)
        except (OSError, SyntaxError, ValueError) as exc:
            err.print(
                f"[yellow]skipped[/yellow] {path}: {str(exc).splitlines()[0]}",
                highlight=False,
                soft_wrap=True,
            )
            failed += 1
            continue
        where = f" into <{target}>" if target else ""
        out.print(f"loaded {len(kg_store.ox) - before} quads from {path}{where}", highlight=False)
    if failed < len(files):
        from kg.incidents import relink

        relink(kg_store, kg_store)  # documents brought in join the incidents of those held
    kg_store.flush()
    kg_store.optimize()
    if failed == len(files):
        raise typer.Exit(1)


@app.command()
def stats(store: StoreOption = None) -> None:
    """Count documents, figure claims, quotations, mentions and entities in the store."""
    kg_store = open_store(store, read_only=True)
    for key, value in kg_store.stats().items():
        out.print(f"{key:>14}  {value}", highlight=False)


@app.command("eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Folder with figures.jsonl and quotes.jsonl.")],
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="The articles the gold is about (default: GOLD/corpus, else GOLD/../../corpus)."
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Where to build (default: a fresh temporary store)."),
    ] = None,
    details: Annotated[
        bool, typer.Option(help="List misses, wrong sources and false positives.")
    ] = True,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Build a corpus into a fresh store and score its graph against gold annotations."""
    import tempfile

    from kg.build import build_paths
    from kg.evaluate import GOLD_FILES, score
    from kg.store import KGStore

    # A gold set may carry its articles (eval/real-dev/corpus) or be about the shared corpus
    # (eval/seeds, about corpus/ two levels up).
    beside = gold / "corpus"
    corpus = corpus or (beside if beside.is_dir() else gold.resolve().parent.parent / "corpus")
    if not any((gold / name).exists() for name in GOLD_FILES):
        raise fail(f"no {', '.join(GOLD_FILES[:-1])} or {GOLD_FILES[-1]} in {gold}")
    if not corpus.is_dir():
        raise fail(f"no corpus folder {corpus} (pass --corpus)")
    with tempfile.TemporaryDirectory(prefix="kg-eval-", ignore_cleanup_errors=True) as tmp:
        kg_store = KGStore(store or Path(tmp) / "store")
        build_paths([corpus], kg_store, get_settings().pipeline)
        report = score(kg_store, gold, corpus)
        kg_store.close()
    scores = report.scores()
    if fmt == "json":
        sys.stdout.write(json.dumps(scores, indent=2) + "\n")
        return
    for name in ("figures", "attributed_figures", "quotes"):
        s = scores[name]
        out.print(
            f"{name:>20}  P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
            f"({s['true_positives']} right of {s['predicted']} predicted, {s['gold']} gold)",
            highlight=False,
        )
    for name in ("speaker_accuracy", "category_accuracy", "qualifier_accuracy"):
        out.print(f"{name:>20}  {scores[name]:.3f}", highlight=False)
    s = scores["quotes_with_speaker"]
    out.print(
        f"(quotations kg named a speaker for: P {s['precision']:.3f}  R {s['recall']:.3f}  "
        f"F1 {s['f1']:.3f})",
        highlight=False,
    )
    for name, s in scores.get("incidents", {}).items():
        out.print(
            f"{'incident ' + name:>20}  B-cubed P {s['precision']:.3f}  R {s['recall']:.3f}  "
            f"F1 {s['f1']:.3f}  ({s['items']} gold {name})",
            highlight=False,
        )
    out.print(
        "\n[bold]by document[/bold] (F1 of figures, attributed figures, quotes; speaker accuracy)",
    )
    for doc, s in scores["documents"].items():
        cells = [
            f"{s[m]['f1']:.2f}" if s[m]["gold"] else "  - "
            for m in ("figures", "attributed_figures", "quotes")
        ]
        speakers = f"{s['speaker_accuracy']:.2f}" if s["quotes"]["gold"] else "  - "
        out.print(f"  {'  '.join(cells)}  {speakers}  {doc}", highlight=False)
    if details:
        for title, items in [
            ("missed figures", report.misses),
            (_by_kind("wrong sources", report.source_misses), report.wrong_sources),
            ("false positive figures", report.false_positives),
            ("wrong categories", report.wrong_categories),
            ("wrong qualifiers", report.wrong_qualifiers),
            ("missed quotes", report.quote_misses),
            ("wrong speakers", report.wrong_speakers),
            ("false positive quotes", report.quote_false_positives),
        ]:
            if items:
                out.print(f"\n[bold]{title}[/bold] ({len(items)})")
                for item in items:
                    out.print(f"  - {item}", highlight=False, soft_wrap=True)


def _by_kind(title: str, counts: dict[str, int]) -> str:
    """'wrong sources: 3 another source, 9 none given' for the list of misses."""
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    return f"{title}: {kinds}" if kinds else title


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    sparql_endpoint: Annotated[
        str | None,
        typer.Option(
            help="Serve this SPARQL server's query endpoint instead of --store (its default "
            "graph the union of its graphs: oxigraph serve --union-default-graph).",
            show_default=False,
        ),
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option(
            help="With --sparql-endpoint: the server's SPARQL Update endpoint, where writes "
            "(with KG_TOKEN) go.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the SPARQL endpoint, canned queries and exports over HTTP."""
    from api import server
    from api.main import create_app

    given = {"store": store, "host": host, "port": port, "sparql_endpoint": sparql_endpoint,
             "update_endpoint": update_endpoint}  # fmt: skip
    settings = get_settings().model_copy(update={k: v for k, v in given.items() if v})
    if settings.sparql_endpoint:
        from kg.remote import RemoteError, SparqlServer

        try:  # fail early, in one line, if the server cannot serve
            SparqlServer(settings.sparql_endpoint, settings.update_endpoint).check()
        except RemoteError as exc:
            raise fail(str(exc)) from None
        serving = settings.sparql_endpoint
    else:
        check = open_store(settings.store)  # fail early, in one line, if the store is unusable
        check.close()
        serving = str(settings.store)
    application = create_app(settings)
    out.print(
        f"kg serving {serving} at http://{settings.host}:{settings.port}/ "
        f"(the app at /, the SPARQL editor at /editor, API docs at /docs, SPARQL at /sparql)",
        highlight=False,
    )
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the Ctrl-C it handled
        server.Server(server.config(application, settings), application).run()


def main() -> None:
    """The `kg` command: any unexpected failure is one line on stderr and exit 1, as errors the
    commands anticipate are; KG_DEBUG=1 shows the traceback."""
    import os

    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("KG_DEBUG"):
            raise
        message = str(exc).splitlines()[0] if str(exc) else ""
        err.print(f"[red]error:[/red] {type(exc).__name__}: {message} (KG_DEBUG=1 shows more)",
                  highlight=False, soft_wrap=True)  # fmt: skip
        sys.exit(1)


if __name__ == "__main__":
    main()
