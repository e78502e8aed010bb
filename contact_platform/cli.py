"""The `contact` command. Thin: every command calls into the modules that do the work."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from contact_platform.settings import Settings

app = typer.Typer(
    help="CONTACT data platform (SOS Médecins health data warehouse).", no_args_is_help=True
)
db_app = typer.Typer(
    help="The warehouse in use (embedded unless CONTACT_DATABASE_URL is set).", no_args_is_help=True
)
quality_app = typer.Typer(help="Great Expectations suites.", no_args_is_help=True)
contract_app = typer.Typer(help="The association extract contract.", no_args_is_help=True)
opposition_app = typer.Typer(help="Patients' right to object.", no_args_is_help=True)
vocab_app = typer.Typer(help="OMOP vocabularies (Athena, Usagi mappings).", no_args_is_help=True)
app.add_typer(vocab_app, name="vocab")
app.add_typer(opposition_app, name="opposition")
app.add_typer(contract_app, name="contract")
app.add_typer(db_app, name="db")
app.add_typer(quality_app, name="quality")

Defects = Annotated[
    list[str] | None,
    typer.Option(
        "--defect", help="Plant a defect kind (repeatable); see docs/extract-contract.md."
    ),
]


def _spec(
    start: str,
    days: int,
    scale: float,
    seed: int,
    associations: str | None,
    defects: list[str] | None,
    defect_rate: float,
):
    from contact_platform.synthetic.generator import GeneratorSpec

    chosen = tuple(a.strip() for a in associations.split(",") if a.strip()) if associations else ()
    spec = GeneratorSpec(
        date.fromisoformat(start), days, scale, seed, chosen, tuple(defects or ()), defect_rate
    )
    try:
        spec.validate()
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    return spec


@app.command()
def demo(
    days: int = typer.Option(3, help="Days of activity to generate."),
    scale: float = typer.Option(0.05, help="Share of a national year's volume (1.0 = national)."),
    start: str = typer.Option("2025-01-06", help="First day (YYYY-MM-DD)."),
    seed: int = typer.Option(42, help="Seed of the generator."),
    associations: str = typer.Option(None, help="Comma-separated associations (default: all)."),
    defect: Defects = None,
    defect_rate: float = typer.Option(1.0, help="Share of deliveries given each defect."),
) -> None:
    """Generate synthetic deliveries and run them through every layer and every check."""
    from contact_platform.operations.demo import run_demo

    settings = Settings.from_env()
    spec = _spec(start, days, scale, seed, associations, defect, defect_rate)
    where = (
        f"embedded, under {settings.pgdata_dir}"
        if settings.uses_embedded_database
        else "CONTACT_DATABASE_URL"
    )
    typer.echo(f"Warehouse: {where}")
    result = run_demo(settings, spec)
    typer.echo(result.summary)
    typer.echo(
        "\nWhere to look next:\n"
        "  contact ui                         the asset graph, runs and check results\n"
        "  contact quality docs               Great Expectations Data Docs of every suite\n"
        '  psql "$(contact db url)"            the omop and marts schemas\n'
        "  contact db stop                    stop the embedded warehouse"
    )
    if not result.success:
        typer.echo("\nThe run failed: see the failed checks above.", err=True)
        raise typer.Exit(1)


@app.command()
def ui(port: int = typer.Option(3000, help="Port of the Dagster UI on localhost.")) -> None:
    """Open the Dagster UI on the same instance and warehouse as `contact demo`."""
    import os
    import sys

    from contact_platform.operations.instance import prepare_dagster_home
    from contact_platform.settings import REPO_DIR
    from contact_platform.warehouse.connection import database_url, export_libpq_environment

    settings = Settings.from_env()
    export_libpq_environment(database_url(settings))
    prepare_dagster_home(settings.dagster_home)
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    workspace = str(REPO_DIR / "workspace.yaml")
    os.execv(dagster, [dagster, "dev", "-w", workspace, "-h", "127.0.0.1", "-p", str(port)])


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write the deliveries into.")],
    start: str = typer.Option("2025-01-01", help="First day (YYYY-MM-DD)."),
    days: int = typer.Option(7, help="Days of activity."),
    scale: float = typer.Option(0.01, help="Share of a national year's volume (1.0 = national)."),
    seed: int = typer.Option(42, help="Seed: the same seed gives the same bytes."),
    associations: str = typer.Option(None, help="Comma-separated associations (default: all)."),
    defect: Defects = None,
    defect_rate: float = typer.Option(0.05, help="Share of deliveries given each defect."),
    truth: Path = typer.Option(None, help="Ground-truth folder (default: <out>-truth)."),
    workers: int = typer.Option(None, help="Worker processes (default: one per core)."),
) -> None:
    """Write synthetic association deliveries, exactly as the contract says they arrive."""
    from contact_platform.synthetic.generator import generate as run

    spec = _spec(start, days, scale, seed, associations, defect, defect_rate)
    truth = truth or out.with_name(out.name + "-truth")
    report = run(spec, out, truth, workers, progress=lambda line: typer.echo(line, err=True))
    rows = ", ".join(f"{entity} {count:,}" for entity, count in sorted(report.rows.items()))
    typer.echo(f"{report.deliveries:,} deliveries, {report.files:,} files in {out}: {rows}")
    typer.echo(f"ground truth (tests and benchmarks only) in {truth}")


@app.command()
def bench(
    scale: float = typer.Option(0.01, help="Share of a national year's volume (1.0 = national)."),
    days: int = typer.Option(7, help="Days of history to generate and load."),
    start: str = typer.Option("2025-01-01", help="First day (YYYY-MM-DD)."),
    big_delivery_mb: float = typer.Option(200.0, help="Size of the single large delivery."),
    results: Path = typer.Option(Path("benchmarks/results"), help="Folder for the JSON results."),
    home: Path = typer.Option(Path(".contact/bench"), help="Warehouse and files of the bench."),
    next_day: bool = typer.Option(
        False,
        "--next-day",
        help="Only one more incremental day on the history an earlier run left in --home "
        "(give the same --scale and --days).",
    ),
) -> None:
    """Measure every stage on the embedded warehouse; write benchmarks/results/<time>.json."""
    from contact_platform.operations.bench import Bench, BenchSpec, NoBenchHistory, format_table

    spec = BenchSpec(scale, days, date.fromisoformat(start), 42, big_delivery_mb, home, results)
    bench = Bench(spec, say=lambda line: typer.echo(line, err=True))
    try:
        path = bench.next_day() if next_day else bench.run()
    except NoBenchHistory as error:
        raise typer.BadParameter(str(error), param_hint="--home") from None
    typer.echo(format_table(path))
    typer.echo(f"results: {path}")


@db_app.command("url")
def db_url() -> None:
    """Print the libpq URL of the warehouse (starting the embedded server if needed)."""
    from contact_platform.warehouse.connection import database_url

    typer.echo(database_url(Settings.from_env()))


@db_app.command("env")
def db_env() -> None:
    """Print PG* exports for dbt and psql: eval "$(contact db env)"."""
    from contact_platform.warehouse.connection import database_url, libpq_environment

    for name, value in libpq_environment(database_url(Settings.from_env())).items():
        typer.echo(f"export {name}='{value}'")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded server."""
    from contact_platform.warehouse import embedded

    settings = Settings.from_env()
    stopped = embedded.stop(settings.pgdata_dir)
    typer.echo("stopped" if stopped else "the embedded warehouse was not running")


@contract_app.command("doc")
def contract_doc(
    write: bool = typer.Option(False, help="Rewrite the tables of docs/extract-contract.md."),
) -> None:
    """Print (or write) the contract's column tables, rendered from the code."""
    from contact_platform.contract.document import refresh, render_tables
    from contact_platform.settings import REPO_DIR

    if not write:
        typer.echo(render_tables())
        return
    path = REPO_DIR / "docs" / "extract-contract.md"
    path.write_text(refresh(path.read_text(encoding="utf-8")), encoding="utf-8")
    typer.echo(path)


@opposition_app.command("add")
def opposition_add(
    nir: str = typer.Option(None, help="The patient's NIR (with its key)."),
    birth_name: str = typer.Option(None, help="Birth name."),
    first_name: str = typer.Option(None, help="First name."),
    birth_date: str = typer.Option(None, help="Birth date (YYYY-MM-DD)."),
    sex: str = typer.Option(None, help="M or F."),
) -> None:
    """Register an objection: purge the person everywhere and keep their future data out."""
    import psycopg

    from contact_platform.privacy.keys import load_key
    from contact_platform.privacy.opposition import Objection, object_to_processing
    from contact_platform.warehouse.connection import database_url

    settings = Settings.from_env()
    key = load_key(
        settings.pseudonym_key,
        settings.pseudonym_key_file,
        allow_demo_key=settings.uses_embedded_database,
    )
    objection = Objection(
        nir, birth_name, first_name, date.fromisoformat(birth_date) if birth_date else None, sex
    )
    try:
        with psycopg.connect(database_url(settings)) as conn:
            counts = object_to_processing(conn, objection, key)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    typer.echo(
        f"objection registered: {counts['linkage_keys']} linkage key(s), "
        f"{counts['purged_rows']} row(s) purged; rebuild the marts to update aggregates"
    )


@opposition_app.command("list")
def opposition_list() -> None:
    """How many objections are registered (counts only: nothing identifies anyone)."""
    import psycopg

    from contact_platform.privacy.opposition import opposition_counts
    from contact_platform.warehouse.connection import database_url

    with psycopg.connect(database_url(Settings.from_env())) as conn:
        counts = opposition_counts(conn)
    typer.echo(
        f"{counts['linkage_keys']} linkage key(s) opposed, "
        f"{counts['records_kept_out']} record(s) kept out"
    )


@quality_app.command("write-suites")
def write_suites() -> None:
    """Regenerate the contract-derived suites under expectations/."""
    from contact_platform.quality.suites import write_suites as write

    for path in write():
        typer.echo(path)


@quality_app.command("docs")
def quality_docs() -> None:
    """Serve the Great Expectations Data Docs site (on localhost, at CONTACT_DATA_DOCS_URL):
    the pages the checks link to from the Dagster UI."""
    from urllib.parse import urlsplit

    from contact_platform.quality.docs_server import docs_server
    from contact_platform.quality.resource import QualityResource

    settings = Settings.from_env()
    docs = QualityResource.from_settings(settings).data_docs()
    if not docs.has_validations():
        raise typer.BadParameter("no Data Docs yet: run `contact demo` or a materialisation first")
    address = urlsplit(settings.data_docs_url)
    server = docs_server(docs, address.hostname or "127.0.0.1", address.port or 80)
    typer.echo(f"Data Docs at {settings.data_docs_url} (Ctrl-C to stop)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


@vocab_app.command("load-athena")
def vocab_load_athena(
    directory: Annotated[Path, typer.Argument(help="Unzipped Athena download (CONCEPT.csv...).")],
) -> None:
    """Load a full OHDSI Athena vocabulary download (replaces the shipped demo subset)."""
    import psycopg
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from contact_platform.vocabulary.athena import VocabularyLoadError, load_athena
    from contact_platform.warehouse.connection import database_url

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    ) as bar:
        tasks: dict[str, int] = {}

        def progress(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)

        try:
            with psycopg.connect(database_url(Settings.from_env())) as conn:
                loaded = load_athena(conn, directory, progress)
        except VocabularyLoadError as error:
            typer.echo(f"error: {error} (nothing was changed)", err=True)
            raise typer.Exit(1) from None
    for file in loaded:
        typer.echo(f"{file.table}: {file.rows:,} rows from {file.path.name}")
    typer.echo("The next dbt build remaps every OMOP table to the new vocabulary.")


@vocab_app.command("import-usagi")
def vocab_import_usagi(
    file: Annotated[Path, typer.Argument(help="Usagi export (CSV).")],
    vocabulary: str = typer.Option("ICPC2", help="Source vocabulary of the file's codes."),
) -> None:
    """Import the approved 'Maps to' rows of an OHDSI Usagi mapping file."""
    import psycopg

    from contact_platform.vocabulary.usagi import UsagiImportError, import_usagi
    from contact_platform.warehouse.connection import database_url

    try:
        with psycopg.connect(database_url(Settings.from_env())) as conn:
            result = import_usagi(conn, file, vocabulary)
    except UsagiImportError as error:
        typer.echo(f"error: {error} (nothing was changed)", err=True)
        raise typer.Exit(1) from None
    skipped = ", ".join(f"{n} {status}" for status, n in sorted(result.skipped.items()))
    typer.echo(
        f"{len(result.imported)} approved mapping(s) imported for {vocabulary}"
        + (f"; skipped: {skipped}" if skipped else "")
    )
    typer.echo("The next dbt build remaps every OMOP table to the new mapping.")
