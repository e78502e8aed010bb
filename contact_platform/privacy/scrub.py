"""Scrubbing of direct identifiers from free text (the call taker's notes).

Two sources of knowledge: the record's own identity (the patient's names, birth date and
address are known, so they are found whatever the case or accents), and patterns for the
identifiers any note may carry (emails, NIRs, phone numbers, dates, street addresses,
postcodes). Each finding is replaced by a placeholder that keeps the note readable.

Scrubbing runs on every call at ingestion, so nothing is compiled per record: the patterns are
compiled once, and names are found by comparing normalised words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from itertools import pairwise

from contact_platform.privacy.pseudonym import fold

# Identifiers found by their shape. At a given position the first alternative wins, so emails
# (which often contain names and digits) come first.
_IDENTIFIER_SHAPES = (
    ("EMAIL", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    ("NIR", r"\b[1278](?:[\s.]?\d){4}[\s.]?(?:\d{2}|2[AaBb])(?:[\s.]?\d){8}\b"),
    ("TEL", r"(?:\+33[\s.]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b"),
    ("DATE", r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"),
    (
        "ADRESSE",
        r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|av\.?|boulevard|bd|chemin|allée"
        r"|allee|place|impasse|route|quai|cours|square|résidence|residence)\b[^,.;\n]*",
    ),
    ("CP", r"\b(?:0[1-9]|[1-8]\d|9[0-5]|97)\d{3}\b"),
)


def _one_pass(shapes: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in shapes))


_PATTERN = _one_pass(_IDENTIFIER_SHAPES)
# Every shape but the email needs a digit; without an '@' the email cannot match, and trying it
# at every word is most of the pass's cost.
_PATTERN_WITHOUT_EMAIL = _one_pass(_IDENTIFIER_SHAPES[1:])
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
# Words too common in French notes to be taken for a name part on their own.
_NOT_NAMES = frozenset(
    {
        "LE",
        "LA",
        "LES",
        "DE",
        "DU",
        "DES",
        "ET",
        "EN",
        "AU",
        "AUX",
        "UN",
        "UNE",
        "SA",
        "SON",
        "SES",
        "IL",
        "ELLE",
        "Y",
        "D",
        "L",
        "N",
        "M",
        "MME",
    }
)


@dataclass(frozen=True)
class KnownIdentity:
    """What the structured record says about the patient, used to find them in the text."""

    names: tuple[str, ...] = ()
    birth_date: date | None = None
    address: str | None = None


# Notes repeat the same words: folding each distinct word once is enough.
_fold = cache(fold)


@lru_cache(maxsize=1 << 16)
def _name_words(name: str) -> tuple[str, ...]:
    """A name as a sequence of folded words ('Le Gall' -> ('LE', 'GALL')); empty when no word
    of it could identify anyone alone. Cached: names recur from patient to patient."""
    words = tuple(_fold(word) for word in _WORD.findall(name))
    return words if any(len(w) >= 2 and w not in _NOT_NAMES for w in words) else ()


def _replace_names(text: str, names: tuple[str, ...]) -> str:
    sequences = [words for name in names if (words := _name_words(name))]
    if not sequences:
        return text
    # Most notes name nobody: a name's first word, folded, must then appear in the folded text.
    folded = fold(text)
    if not any(sequence[0] in folded for sequence in sequences):
        return text
    sequences = sorted(set(sequences), key=len, reverse=True)  # the longest name first
    words = [(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(text)]
    starts = {sequence[0] for sequence in sequences}
    spans, index = [], 0
    while index < len(words):
        if words[index][2] not in starts:
            index += 1
            continue
        for sequence in sequences:
            end = index + len(sequence)
            if tuple(w[2] for w in words[index:end]) == sequence and _joined(
                text, words[index:end]
            ):
                spans.append((words[index][0], words[end - 1][1]))
                index = end
                break
        else:
            index += 1
    for start, end in reversed(spans):
        text = text[:start] + "[NOM]" + text[end:]
    return text


def _joined(text: str, words: list[tuple[int, int, str]]) -> bool:
    """Consecutive words of one name are separated by at most a space, hyphen or apostrophe."""
    return all(
        len(text[a[1] : b[0]]) <= 2 and not text[a[1] : b[0]].strip(" -'’")
        for a, b in pairwise(words)
    )


def _birth_date_forms(birth: date) -> tuple[str, ...]:
    day, month, year = birth.day, birth.month, birth.year
    return (
        f"{day:02d}/{month:02d}/{year}",
        f"{day}/{month}/{year}",
        f"{day:02d}.{month:02d}.{year}",
        f"{day:02d}-{month:02d}-{year}",
        f"{day:02d}/{month:02d}/{year % 100:02d}",
    )


def scrub_text(text: str | None, identity: KnownIdentity) -> str | None:
    """`text` with every identifier found replaced by its placeholder."""
    if not text:
        return text
    if identity.address and len(identity.address) >= 5:
        text = _replace_literal(text, identity.address, "[ADRESSE]")
    # Every written form of the birth date ends with the two last digits of its year.
    if identity.birth_date and f"{identity.birth_date.year % 100:02d}" in text:
        for form in _birth_date_forms(identity.birth_date):
            text = text.replace(form, "[DATE]")
    if "@" in text:
        text = _PATTERN.sub(_placeholder, text)
    elif _DIGIT.search(text):
        text = _PATTERN_WITHOUT_EMAIL.sub(_placeholder, text)
    return _replace_names(text, identity.names)


def _placeholder(match: re.Match[str]) -> str:
    return f"[{match.lastgroup}]"


def _replace_literal(text: str, value: str, placeholder: str) -> str:
    start = text.casefold().find(value.casefold())
    while start >= 0 and len(text.casefold()) == len(text):
        text = text[:start] + placeholder + text[start + len(value) :]
        start = text.casefold().find(value.casefold())
    return text
