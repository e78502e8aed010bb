"""The landing zone as a Dagster resource."""

from pathlib import Path

import dagster as dg

from contact_platform.settings import Settings


class LandingZoneResource(dg.ConfigurableResource):
    """Folders of the landing zone: incoming (watched), archive (loaded), quarantine (refused)."""

    root: str
    # Deliveries load in parallel, one process per core by default (CONTACT_INGEST_WORKERS).
    load_workers: int = 1

    @property
    def incoming(self) -> Path:
        return Path(self.root) / "incoming"

    @property
    def archive(self) -> Path:
        return Path(self.root) / "archive"

    @property
    def quarantine(self) -> Path:
        return Path(self.root) / "quarantine"

    @classmethod
    def from_settings(cls, settings: Settings) -> "LandingZoneResource":
        return cls(root=str(settings.landing_dir), load_workers=settings.ingest_workers)
