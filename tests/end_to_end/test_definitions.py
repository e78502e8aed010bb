"""The code location loads from a clean checkout: no manifest is committed by hand."""

import os
import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject

from contact_platform.contract import ENTITIES
from contact_platform.definitions import SUITE_CHECKS, build_definitions, defs
from contact_platform.quality.checks import SuiteScopeConfig
from contact_platform.quality.window import RECENT_WINDOW_DAYS
from contact_platform.settings import DBT_PROJECT_DIR, Settings
from contact_platform.transform.assets import DBT_LAYERS
from contact_platform.transform.project import ensure_manifest


def test_manifest_is_prepared_when_missing_and_when_stale(tmp_path: Path):
    project_dir = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project_dir, ignore=shutil.ignore_patterns("target", "logs"))
    project = DbtProject(project_dir=project_dir, profiles_dir=project_dir)
    assert not project.manifest_path.exists()

    manifest = ensure_manifest(project)
    assert manifest.exists()
    assert '"model.contact.person"' in manifest.read_text()

    parsed_at = manifest.stat().st_mtime
    model = project_dir / "models" / "marts" / "mart_daily_activity.sql"
    os.utime(model, (parsed_at + 10, parsed_at + 10))
    ensure_manifest(project)
    assert manifest.stat().st_mtime > parsed_at


def test_definitions_are_loadable_and_wire_every_layer():
    dg.Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "raw/calls",
        "raw/encounters",
        "staging/stg_encounters",
        "omop/person",
        "omop/visit_occurrence",
        "marts/mart_daily_activity",
    } <= keys


def test_a_blocking_suite_gates_every_raw_staging_omop_and_mart_table():
    graph = defs.resolve_asset_graph()
    ge_checks = {key for key in graph.asset_check_keys if key.name.startswith("expectations_")}
    gated = {k.asset_key.to_user_string() for k in ge_checks}
    assert {f"raw/{name}" for name in ENTITIES} | {"raw/delivery_files"} <= gated
    assert {f"staging/stg_{name}" for name in ENTITIES} <= gated
    layers = {key.to_user_string() for layer in DBT_LAYERS for key in layer.keys}
    published = {key for key in layers if key.split("/")[0] in ("omop", "marts", "operations")}
    assert published and published <= gated
    for key in ge_checks:
        assert graph.get_check_spec(key).blocking
        assert key.name == "expectations_" + "_".join(key.asset_key.path)


def test_each_dbt_layer_is_its_own_step_after_the_suites_of_the_one_before():
    """dbt builds a layer in one step: the suites of its parents' layer must run in between."""
    staging, omop, marts = ({k.path[0] for k in layer.keys} for layer in DBT_LAYERS)
    assert staging == {"staging", "reference"}
    assert omop == {"intermediate", "omop", "operations"}
    assert marts == {"marts"}


def test_an_external_database_url_is_never_shown_in_resource_config():
    settings = Settings.from_env({"CONTACT_DATABASE_URL": "postgresql://u:secret@db/contact"})
    resources = build_definitions(settings).resources
    assert "secret" not in repr(resources["warehouse"].database_url)
    assert resources["pseudonymisation"].allow_demo_key is False


def test_schedules_rebuild_everything_hourly_and_purge_daily():
    transform = defs.resolve_job_def("transform")
    keys = {key.to_user_string() for key in transform.asset_layer.selected_asset_keys}
    assert {
        "staging/stg_calls",
        "omop/person",
        "marts/mart_weekly_diagnoses",
        "delivery_completeness_report",
    } <= keys
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["transform_schedule"].default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedules["retention_schedule"].default_status == dg.DefaultScheduleStatus.RUNNING


def test_routine_suites_read_recent_rows_and_the_weekly_full_check_every_row():
    full_check = defs.resolve_job_def("full_check")
    checks = {key.name for key in full_check.asset_layer.asset_graph.asset_check_keys}
    suites = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    suites = {name for name in suites if name.startswith("expectations_")}
    assert suites <= checks, "the full check runs every suite, raw and vocabulary included"

    ops = full_check.run_config["ops"]
    assert {ops[check.node_def.name]["config"]["window_days"] for check in SUITE_CHECKS} == {None}
    assert SuiteScopeConfig().window_days == RECENT_WINDOW_DAYS
