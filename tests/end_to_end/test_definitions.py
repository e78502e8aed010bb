"""The code location loads from a clean checkout: no manifest is committed by hand."""

import os
import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject

from contact_platform.contract import ENTITIES
from contact_platform.definitions import build_definitions, defs
from contact_platform.settings import DBT_PROJECT_DIR, Settings
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


def test_ge_checks_gate_the_raw_assets_and_are_blocking():
    graph = defs.resolve_asset_graph()
    ge_checks = {key for key in graph.asset_check_keys if key.name.startswith("expectations_")}
    assert {(k.asset_key.to_user_string(), k.name) for k in ge_checks} == {
        (f"raw/{name}", f"expectations_raw_{name}") for name in ENTITIES
    }
    for key in ge_checks:
        assert graph.get_check_spec(key).blocking


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
