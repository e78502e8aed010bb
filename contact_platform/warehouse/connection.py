"""Which warehouse is in use, and how each tool reaches it.

`CONTACT_DATABASE_URL` selects an external server; without it the embedded one is started. dbt and
psql are given the same database through the standard libpq variables (PGHOST, PGPORT, ...).
"""

from __future__ import annotations

import os

from psycopg.conninfo import conninfo_to_dict

from contact_platform.settings import Settings
from contact_platform.warehouse import embedded

_LIBPQ_VARIABLES = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
}


def database_url(settings: Settings) -> str:
    """The libpq URL of the warehouse, starting the embedded server when it is the one in use."""
    if settings.database_url:
        return settings.database_url
    return embedded.start(settings.pgdata_dir)


# The OMOP models join a day's changed visits to a dozen tables through views: the planner may
# only start from the few changed rows if it can reorder that many joins (the default is 8).
PLANNER_OPTIONS = "-c join_collapse_limit=16 -c from_collapse_limit=16"


def libpq_environment(url: str) -> dict[str, str]:
    """PG* variables equivalent to `url`, for dbt's profiles.yml and for psql, with the planner
    options of CONTACT's queries."""
    params = conninfo_to_dict(url)
    env = {var: str(params[key]) for key, var in _LIBPQ_VARIABLES.items() if params.get(key)}
    env.setdefault("PGPORT", "5432")
    env.setdefault("PGPASSWORD", "")
    env["PGOPTIONS"] = PLANNER_OPTIONS
    return env


def export_libpq_environment(url: str) -> None:
    """Point every child process (dbt, psql) of this one at `url`."""
    for name in _LIBPQ_VARIABLES.values():
        os.environ.pop(name, None)
    os.environ.update(libpq_environment(url))


def sqlalchemy_url(url: str) -> str:
    """The same database as a SQLAlchemy URL (Great Expectations talks SQLAlchemy + psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    raise ValueError(f"not a PostgreSQL URL: {url.split('@')[-1]}")
