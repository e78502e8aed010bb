"""Every setting of the platform, read from the environment in one place.

Dagster resources, dbt (through the PG* variables) and the `contact` command all derive what they
need from `Settings`, so the three can never disagree about which warehouse or folder is in use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
DBT_PROJECT_DIR = REPO_DIR / "dbt_project"
EXPECTATIONS_DIR = REPO_DIR / "expectations"
DEFAULT_DATA_DOCS_URL = "http://127.0.0.1:8090/"


@dataclass(frozen=True)
class Settings:
    """Resolved configuration; build it with `Settings.from_env()`."""

    home: Path
    database_url: str | None
    pseudonym_key: str | None
    pseudonym_key_file: Path | None
    ingest_workers: int  # processes loading deliveries in parallel
    data_docs_url: str  # where `contact quality docs` serves the Great Expectations site

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        key_file = env.get("CONTACT_PSEUDONYM_KEY_FILE")
        return cls(
            home=Path(env.get("CONTACT_HOME", ".contact")).expanduser().resolve(),
            database_url=env.get("CONTACT_DATABASE_URL") or None,
            pseudonym_key=env.get("CONTACT_PSEUDONYM_KEY") or None,
            pseudonym_key_file=Path(key_file).expanduser() if key_file else None,
            ingest_workers=int(env.get("CONTACT_INGEST_WORKERS") or os.cpu_count() or 1),
            data_docs_url=env.get("CONTACT_DATA_DOCS_URL") or DEFAULT_DATA_DOCS_URL,
        )

    @property
    def uses_embedded_database(self) -> bool:
        """The embedded server is the demo and test warehouse; an external URL is a real one."""
        return self.database_url is None

    @property
    def pgdata_dir(self) -> Path:
        return self.home / "pgdata"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @property
    def incoming_dir(self) -> Path:
        return self.landing_dir / "incoming"

    @property
    def archive_dir(self) -> Path:
        return self.landing_dir / "archive"

    @property
    def quarantine_dir(self) -> Path:
        return self.landing_dir / "quarantine"

    @property
    def quality_dir(self) -> Path:
        """Validation results of the suites and the Data Docs site built from them."""
        return self.home / "quality"
