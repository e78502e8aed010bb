"""The warehouse as a Dagster resource, configured per environment from `Settings`."""

import dagster as dg

from contact_platform.settings import Settings
from contact_platform.warehouse.connection import database_url


class WarehouseResource(dg.ConfigurableResource):
    """Where the warehouse is. `database_url` is an EnvVar in production, so the password never
    shows in the Dagster UI; without it the embedded server under `home` is used."""

    home: str
    database_url: str | None = None

    def url(self) -> str:
        """The libpq URL, starting the embedded server when it is the warehouse in use."""
        env = {"CONTACT_HOME": self.home, "CONTACT_DATABASE_URL": self.database_url or ""}
        return database_url(Settings.from_env(env))

    @classmethod
    def from_settings(cls, settings: Settings) -> "WarehouseResource":
        url = dg.EnvVar("CONTACT_DATABASE_URL") if settings.database_url else None
        return cls(home=str(settings.home), database_url=url)
