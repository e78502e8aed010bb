"""Scrubbing of direct identifiers from free text (the call taker's notes).

Two sources of knowledge: the record's own identity (the patient's names, NIR, birth date and
postcode are known, so they are found even when misspelt in case or accents), and patterns for
the identifiers any note may carry (NIRs, phone numbers, emails, dates, street addresses,
postcodes). Each finding is replaced by a placeholder that keeps the note readable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_ACCENTED = {
    "a": "aàâä",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîï",
    "o": "oôö",
    "u": "uùûü",
    "y": "yÿ",
}

# Emails go first: they often contain the patient's names, which would otherwise split them.
_EMAIL = ("[EMAIL]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"))
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "[NIR]",
        re.compile(r"\b[1278](?:[\s.]?\d){4}[\s.]?(?:\d{2}|2[AB])(?:[\s.]?\d){8}\b", re.IGNORECASE),
    ),
    ("[TEL]", re.compile(r"(?:\+33[\s.]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")),
    ("[DATE]", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")),
    (
        "[ADRESSE]",
        re.compile(
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.?|boulevard|bd|chemin|allée|allee|"
            r"place|impasse|route|quai|cours|square|résidence|residence)\b[^,.;\n]*",
            re.IGNORECASE,
        ),
    ),
    ("[CP]", re.compile(r"\b(?:0[1-9]|[1-8]\d|9[0-5]|97)\d{3}\b")),
)


@dataclass(frozen=True)
class KnownIdentity:
    """What the structured record says about the patient, used to find them in the text."""

    names: tuple[str, ...] = ()
    birth_date: date | None = None
    phone: str | None = None
    address: str | None = None


def _accent_insensitive(word: str) -> str:
    pattern = []
    for char in word:
        base = unicodedata.normalize("NFKD", char)[0].lower()
        if base in _ACCENTED:
            pattern.append(f"[{_ACCENTED[base]}]")
        elif char in " -'":
            pattern.append(r"[\s'-]?")
        else:
            pattern.append(re.escape(base))
    return "".join(pattern)


def _identity_patterns(identity: KnownIdentity) -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    names = sorted(
        {name.strip() for name in identity.names if len(name.strip()) >= 2}, key=len, reverse=True
    )
    if names:
        alternatives = "|".join(_accent_insensitive(name) for name in names)
        found.append(("[NOM]", re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))
    digits = re.sub(r"\D", "", identity.phone or "")
    if len(digits) >= 9:
        spaced = r"[\s.-]?".join(re.escape(d) for d in digits[-9:])
        found.append(("[TEL]", re.compile(rf"(?:\+33[\s.]?|0)?{spaced}")))
    if identity.address and len(identity.address) >= 5:
        found.append(
            ("[ADRESSE]", re.compile(_accent_insensitive(identity.address), re.IGNORECASE))
        )
    if identity.birth_date:
        day, month, year = (
            identity.birth_date.day,
            identity.birth_date.month,
            identity.birth_date.year,
        )
        found.append(
            (
                "[DATE]",
                re.compile(rf"\b0?{day}[/.\- ]0?{month}[/.\- ](?:{year}|{year % 100:02d})\b"),
            )
        )
    return found


def scrub_text(text: str | None, identity: KnownIdentity) -> str | None:
    """`text` with every identifier found replaced by its placeholder."""
    if not text:
        return text
    for placeholder, pattern in (_EMAIL, *_identity_patterns(identity), *_PATTERNS):
        text = pattern.sub(placeholder, text)
    return text
