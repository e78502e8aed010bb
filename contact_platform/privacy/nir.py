"""The French NIR (numéro d'inscription au répertoire): normalisation and key validation."""

from __future__ import annotations

import re

_NIR_SHAPE = re.compile(r"^[1278]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$")
_CORSICA = {"2A": "19", "2B": "18"}


def normalise_nir(text: str) -> str:
    """Strip the spaces, dots and dashes people type inside a NIR; upper-case 2A/2B."""
    return _SEPARATORS.sub("", text).upper()


_SEPARATORS = re.compile(r"[\s.\-]")


def nir_key(body: str) -> int:
    """The 2-digit control key of a 13-character NIR body (Corsica: 2A -> 19, 2B -> 18)."""
    digits = body[:5] + _CORSICA.get(body[5:7], body[5:7]) + body[7:]
    return 97 - int(digits) % 97


def is_valid_nir(text: str) -> bool:
    """True when `text` has the NIR shape and its key matches (sex 1/2, or 7/8 when temporary)."""
    nir = normalise_nir(text)
    if not _NIR_SHAPE.match(nir):
        return False
    return nir_key(nir[:13]) == int(nir[13:])


NIR_STATUSES = ("valid", "absent", "invalid")


def nir_status(text: str | None) -> str:
    """What a delivered NIR was: valid, absent, or invalid (wrong shape or key). Kept in raw so
    that a suite can tell an invalid NIR, which pseudonymises to nothing, from a missing one."""
    if not text:
        return "absent"
    return "valid" if is_valid_nir(text) else "invalid"
