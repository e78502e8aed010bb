"""`contact demo`: a synthetic extract through every layer, in process, on the warehouse in use."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import dagster as dg

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.partitions import register, whole_range_tags
from contact_platform.operations.instance import prepare_dagster_home
from contact_platform.operations.summary import (
    CheckOutcome,
    format_summary,
    table_row_counts,
)
from contact_platform.quality.resource import QualityResource
from contact_platform.settings import Settings
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.warehouse.connection import database_url, export_libpq_environment

# The demo prints its own summary; the step-by-step log stays in the Dagster UI.
_QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class DemoResult:
    success: bool
    summary: str
    row_counts: dict[str, int]
    checks: list[CheckOutcome]
    materialised: list[str]


def run_demo(
    settings: Settings, spec: GeneratorSpec, selection: dg.AssetSelection | None = None
) -> DemoResult:
    """Generate `spec` into the landing zone, then materialise every asset (or those of
    `selection`) and run their checks."""
    generate(spec, settings.incoming_dir)
    return materialise(settings, selection)


def materialise(settings: Settings, selection: dg.AssetSelection | None = None) -> DemoResult:
    """One in-process run of every asset (or those of `selection`) and their checks, over
    every delivery partition: new deliveries load, known ones are re-checked."""
    url = database_url(settings)
    export_libpq_environment(url)
    prepare_dagster_home(settings.dagster_home)

    from contact_platform.definitions import build_definitions

    defs = build_definitions(settings)
    job = defs.resolve_implicit_global_asset_job_def()
    if selection is not None:
        job = job.get_subset(asset_selection=selection.resolve(defs.resolve_asset_graph()))
    arrived = [delivery.name.delivery_id for delivery in ready_deliveries(settings.incoming_dir)]
    log_path = settings.home / "logs" / "demo.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's own output goes to the log file: the terminal gets the summary.
    with (
        dg.DagsterInstance.get() as instance,
        log_path.open("w", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
    ):
        keys = register(instance, arrived)
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=_QUIET_CONSOLE,
            # Without new deliveries, a run of the dbt layers alone needs no partitions.
            tags=whole_range_tags(keys) if arrived else None,
        )
    checks = [
        CheckOutcome(
            asset=evaluation.asset_key.to_user_string(),
            name=evaluation.check_name,
            passed=evaluation.passed,
            description=evaluation.description,
            metadata={key: value.value for key, value in evaluation.metadata.items()},
        )
        for evaluation in result.get_asset_check_evaluations()
    ]
    materialised = sorted(
        {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}
    )
    docs = QualityResource.from_settings(settings).data_docs()
    if docs.has_validations():
        docs.render()  # the site a newcomer opens next (`contact quality docs`)
    counts = table_row_counts(url)
    summary = format_summary(counts, checks) + f"\nFull log: {log_path}"
    return DemoResult(result.success, summary, counts, checks, materialised)
