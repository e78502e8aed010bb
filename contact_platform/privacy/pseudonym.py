"""Keyed, irreversible person pseudonyms (HMAC-SHA256).

A valid NIR identifies a person; without one, normalised identity traits (birth name, first name,
birth date, sex) do. Both are hashed with a secret that never enters the warehouse, so the same
patient gets the same pseudonym in every association and delivery, and nobody holding the
warehouse alone can recompute it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from contact_platform.privacy.nir import is_valid_nir, normalise_nir

PSEUDONYM_HEX_LENGTH = 32  # 128 bits: fits OMOP's varchar(50) source values, no practical collision


def normalise_name(name: str) -> str:
    """Fold case, accents, hyphens, apostrophes and spaces: 'Le Bœuf-Dupré' -> 'LEBOEUFDUPRE'."""
    decomposed = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "OE"))
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^A-Z]", "", letters.upper())


def person_pseudonym(
    key: bytes,
    *,
    nir: str | None,
    birth_name: str,
    first_name: str,
    birth_date: date,
    sex: str,
) -> str:
    """The pseudonym of the person a record describes."""
    if nir and is_valid_nir(nir):
        message = "nir:" + normalise_nir(nir)
    else:
        traits = (
            normalise_name(birth_name),
            normalise_name(first_name),
            birth_date.isoformat(),
            sex,
        )
        message = "traits:" + "|".join(traits)
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX_LENGTH]
