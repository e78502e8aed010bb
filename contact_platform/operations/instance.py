"""The persistent Dagster instance under $CONTACT_HOME, shared by `contact demo` and `dagster dev`,
so the runs of the demo show in the UI."""

from __future__ import annotations

import os
from pathlib import Path

_DAGSTER_YAML = """\
# Written by the contact command. A health data platform does not phone home.
telemetry:
  enabled: false
"""


def prepare_dagster_home(dagster_home: Path) -> Path:
    """Create the instance folder with telemetry off and point DAGSTER_HOME at it."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(_DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    return dagster_home
