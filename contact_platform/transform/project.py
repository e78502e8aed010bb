"""The dbt project, and its manifest prepared from a clean checkout.

dagster-dbt needs `target/manifest.json` when the definitions are imported, and its own preparer
only runs under `dagster dev`. `ensure_manifest` runs `dbt parse` in process whenever the
manifest is missing or older than a file of the project, so tests, CI and `contact demo` load
the definitions from a clean clone and never from a stale manifest.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from contact_platform.settings import DBT_PROJECT_DIR

_SOURCE_FOLDERS = ("models", "macros", "seeds", "tests")
_SOURCE_FILES = ("dbt_project.yml", "profiles.yml")

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> Path:
    """The dbt of this interpreter's environment, whether or not the venv is activated."""
    return Path(sys.executable).parent / "dbt"


def _newest_source_mtime(project_dir: Path) -> float:
    files = [project_dir / name for name in _SOURCE_FILES]
    for folder in _SOURCE_FOLDERS:
        files.extend(path for path in (project_dir / folder).rglob("*") if path.is_file())
    return max(path.stat().st_mtime for path in files if path.exists())


def ensure_manifest(project: DbtProject = DBT_PROJECT) -> Path:
    """Parse the project when its manifest is missing or stale; return the manifest path."""
    manifest = project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime(project.project_dir):
        return manifest
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("DO_NOT_TRACK", "1")
    result = dbtRunner().invoke(
        [
            "parse",
            "--quiet",
            "--project-dir",
            str(project.project_dir),
            "--profiles-dir",
            str(project.profiles_dir),
            "--target-path",
            str(project.target_path),
        ]
    )
    if not result.success or not manifest.exists():
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return manifest
