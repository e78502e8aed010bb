"""Keyed, irreversible linkage keys (HMAC-SHA256) of the person a record describes.

Each record gets up to two keys: one from its NIR, when the NIR's control key is valid, and one
from its normalised identity traits (birth name, first name, birth date, sex). Both are hashed
with a secret that never enters the warehouse, so nobody holding the warehouse alone can
recompute them. Records are linked into persons in the warehouse (dbt, int_person_links):
records sharing either key are the same person, so a patient who gives their NIR on one call
and not on the next is still one person.
"""

from __future__ import annotations

import hmac
import re
import sys
import unicodedata
from datetime import date
from functools import cache, lru_cache

from contact_platform.privacy.nir import is_valid_nir, normalise_nir

PSEUDONYM_HEX_LENGTH = 32  # 128 bits: fits OMOP's varchar(50) source values, no practical collision


@cache
def _without_marks() -> dict[int, None]:
    """Every combining mark (accents once decomposed) mapped to nothing, for str.translate to
    drop them in C. Built on first use (a scan of Unicode, a quarter of a second)."""
    return dict.fromkeys(
        code for code in range(sys.maxunicode + 1) if unicodedata.combining(chr(code))
    )


def fold(text: str) -> str:
    """Upper case without accents ('Bœuf-Dupré' -> 'BOEUF-DUPRE'): how names are compared."""
    if text.isascii():  # most names: nothing to decompose
        return text.upper()
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    return decomposed.translate(_without_marks()).upper()


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """Fold case, accents, hyphens, apostrophes and spaces: 'Le Bœuf-Dupré' -> 'LEBOEUFDUPRE'.
    Cached: names recur from patient to patient."""
    return _NOT_LETTER.sub("", fold(name))


_NOT_LETTER = re.compile(r"[^A-Z]")


def _hmac(key: bytes, message: str) -> str:
    return hmac.digest(key, message.encode("utf-8"), "sha256").hex()[:PSEUDONYM_HEX_LENGTH]


def nir_pseudonym(key: bytes, nir: str | None) -> str | None:
    """The linkage key of a valid NIR; None when there is no NIR or its control key is wrong."""
    if not nir or not is_valid_nir(nir):
        return None
    return _hmac(key, "nir:" + normalise_nir(nir))


def traits_pseudonym(
    key: bytes, *, birth_name: str, first_name: str, birth_date: date, sex: str
) -> str:
    """The linkage key of normalised identity traits."""
    traits = (normalise_name(birth_name), normalise_name(first_name), birth_date.isoformat(), sex)
    return _hmac(key, "traits:" + "|".join(traits))


def keyed_pseudonym(key: bytes, scope: str, value: str) -> str:
    """A keyed pseudonym of any other identifier (a doctor's), distinct per `scope`."""
    return _hmac(key, f"{scope}:{value}")
