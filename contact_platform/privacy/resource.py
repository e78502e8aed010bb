"""The pseudonymisation secret as a Dagster resource: read at run time, never shown or stored."""

from pathlib import Path

import dagster as dg

from contact_platform.privacy.keys import load_key
from contact_platform.settings import Settings


class PseudonymisationResource(dg.ConfigurableResource):
    """`key` is an EnvVar (CONTACT_PSEUDONYM_KEY) so Dagster masks it; the demo key is allowed
    only with the embedded warehouse."""

    key: str | None = None
    key_file: str | None = None
    allow_demo_key: bool = False

    def secret(self) -> bytes:
        key_file = Path(self.key_file) if self.key_file else None
        return load_key(self.key, key_file, allow_demo_key=self.allow_demo_key)

    @classmethod
    def from_settings(cls, settings: Settings) -> "PseudonymisationResource":
        return cls(
            key=dg.EnvVar("CONTACT_PSEUDONYM_KEY") if settings.pseudonym_key else None,
            key_file=str(settings.pseudonym_key_file) if settings.pseudonym_key_file else None,
            allow_demo_key=settings.uses_embedded_database,
        )
