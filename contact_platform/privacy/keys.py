"""Custody of the pseudonymisation secret.

The secret comes from `CONTACT_PSEUDONYM_KEY` or from the file named by
`CONTACT_PSEUDONYM_KEY_FILE`; it is never written to the database, dbt, logs or Dagster metadata.
The public demo key is accepted only on the embedded (demo and test) warehouse.
"""

from __future__ import annotations

from pathlib import Path

DEMO_KEY = b"contact-demo-key-not-secret-never-use-on-real-data"
MINIMUM_KEY_BYTES = 32


class PseudonymKeyError(RuntimeError):
    """The pseudonymisation secret is missing, too short or not allowed here."""


def load_key(key: str | None, key_file: Path | None, *, allow_demo_key: bool) -> bytes:
    """The secret to hash identities with, or a clear error saying how to provide one."""
    if key and key_file:
        raise PseudonymKeyError("set CONTACT_PSEUDONYM_KEY or CONTACT_PSEUDONYM_KEY_FILE, not both")
    secret = key.encode() if key else key_file.read_bytes().strip() if key_file else None
    if secret is None:
        if allow_demo_key:
            return DEMO_KEY
        raise PseudonymKeyError(
            "no pseudonymisation key: set CONTACT_PSEUDONYM_KEY_FILE to a file holding the secret"
        )
    if secret == DEMO_KEY and not allow_demo_key:
        raise PseudonymKeyError(
            "the public demo key may only pseudonymise the embedded demo warehouse"
        )
    if len(secret) < MINIMUM_KEY_BYTES:
        raise PseudonymKeyError(
            f"the pseudonymisation key must have at least {MINIMUM_KEY_BYTES} bytes"
        )
    return secret
