"""The `contact` command. Thin: every command calls into the modules that do the work."""

from __future__ import annotations

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
app.add_typer(db_app, name="db")
app.add_typer(quality_app, name="quality")

Defect = Annotated[list[str] | None, typer.Option("--defect", help="Inject a known defect.")]


def _spec(
    association: str,
    department: str,
    start: str,
    days: int,
    calls_per_day: int,
    seed: int,
    defect: list[str] | None,
):
    from contact_platform.synthetic.extract import ExtractSpec

    return ExtractSpec(
        association,
        department,
        date.fromisoformat(start),
        days,
        calls_per_day,
        seed,
        tuple(defect or ()),
    )


@app.command()
def demo(
    days: int = typer.Option(7, help="Days of activity to generate."),
    calls_per_day: int = typer.Option(60, help="Mean calls a day."),
    start: str = typer.Option("2025-01-06", help="First day (YYYY-MM-DD)."),
    seed: int = typer.Option(42, help="Seed of the generator."),
    defect: Defect = None,
) -> None:
    """Generate a synthetic extract and run it through every layer and every check."""
    from contact_platform.operations.demo import run_demo

    settings = Settings.from_env()
    where = (
        f"embedded, under {settings.pgdata_dir}"
        if settings.uses_embedded_database
        else "CONTACT_DATABASE_URL"
    )
    typer.echo(f"Warehouse: {where}")
    result = run_demo(settings, _spec("paris", "75", start, days, calls_per_day, seed, defect))
    typer.echo(result.summary)
    typer.echo(
        "\nWhere to look next:\n"
        "  contact ui                         the asset graph, runs and check results\n"
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
    out: Annotated[Path, typer.Option(help="Folder to write the extract files into.")],
    association: str = typer.Option("paris", help="Association identifier."),
    department: str = typer.Option("75", help="Département of the association."),
    start: str = typer.Option("2025-01-06", help="First day (YYYY-MM-DD)."),
    days: int = typer.Option(7, help="Days of activity."),
    calls_per_day: int = typer.Option(60, help="Mean calls a day."),
    seed: int = typer.Option(42, help="Seed: the same seed gives the same files."),
    defect: Defect = None,
) -> None:
    """Write a synthetic association extract, as the contract says associations deliver it."""
    from contact_platform.synthetic.extract import generate_extract

    spec = _spec(association, department, start, days, calls_per_day, seed, defect)
    for path in generate_extract(spec, out):
        typer.echo(path)


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


@quality_app.command("write-suites")
def write_suites() -> None:
    """Regenerate the contract-derived suites under expectations/."""
    from contact_platform.quality.suites import write_suites as write

    for path in write():
        typer.echo(path)
