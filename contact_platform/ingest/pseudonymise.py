"""The raw (pseudonymised) form of a record, and the raw table it goes to.

Identity columns are consumed here: they become a keyed person pseudonym plus coarse traits
(birth year and month, sex, département). Free text is scrubbed with the record's own identity
(names, birth date, phone, address) before it is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from operator import itemgetter

from contact_platform.contract import ColumnType, Entity, Handling
from contact_platform.contract.reader import Record
from contact_platform.privacy.minimise import department_from_postcode
from contact_platform.privacy.nir import nir_status
from contact_platform.privacy.pseudonym import keyed_pseudonym, nir_pseudonym, traits_pseudonym
from contact_platform.privacy.scrub import KnownIdentity, scrub_text

_PG_TYPES = {
    ColumnType.TEXT: "text",
    ColumnType.INTEGER: "integer",
    ColumnType.DECIMAL: "numeric",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamptz",
}

LINEAGE_COLUMNS = (("delivery_id", "text NOT NULL"), ("source_line", "integer NOT NULL"))
PATIENT_COLUMNS = (
    ("nir_pseudonym", "text"),
    ("traits_pseudonym", "text NOT NULL"),
    ("patient_birth_year", "integer NOT NULL"),
    ("patient_birth_month", "integer NOT NULL"),
    ("patient_sex", "text NOT NULL"),
    ("patient_department", "text"),
    ("patient_nir_status", "text NOT NULL"),
)


def raw_columns(entity: Entity) -> list[tuple[str, str]]:
    """(name, PostgreSQL type) of the raw table of `entity`, in load order."""
    delivered = [
        (column.name, _PG_TYPES[column.type] + (" NOT NULL" if column.required else ""))
        for column in entity.columns
        if column.handling is not Handling.IDENTITY
    ]
    patient = list(PATIENT_COLUMNS) if entity.describes_patient else []
    return [*LINEAGE_COLUMNS, *delivered, *patient]


RawRow = Callable[[Record], tuple[object, ...]]


def raw_row_maker(entity: Entity, key: bytes) -> RawRow:
    """The function giving a record's values past pseudonymisation, in `raw_columns` order
    (lineage aside). Built once per file so that the per-row work is only the values' own: the
    kept values are taken in one C call, then the few columns to transform are replaced."""
    delivered = [column for column in entity.columns if column.handling is not Handling.IDENTITY]
    if all(column.handling is Handling.KEEP for column in entity.columns):
        return lambda record: tuple(record.values())  # records come in contract order
    take = itemgetter(*(column.name for column in delivered))

    def positions(handling: Handling) -> list[tuple[int, str]]:
        return [(i, c.name) for i, c in enumerate(delivered) if c.handling is handling]

    scrubbed, pseudonymised = positions(Handling.FREE_TEXT), positions(Handling.PSEUDONYMISED)
    describes_patient = entity.describes_patient
    # Professionals' identifiers recur on every row of a file: each is hashed once.
    pseudonyms: dict[tuple[str, object], str] = {}

    def pseudonym(scope: str, value: object) -> str:
        found = pseudonyms.get((scope, value))
        if found is None:
            found = pseudonyms[scope, value] = keyed_pseudonym(key, scope, str(value))
        return found

    def raw_row(record: Record) -> tuple[object, ...]:
        identity = _known_identity(record) if describes_patient else KnownIdentity()
        values = list(take(record))
        for i, name in scrubbed:
            values[i] = scrub_text(_text(record, name), identity)
        for i, name in pseudonymised:
            if values[i] is not None:
                values[i] = pseudonym(f"{name}:{record['association_id']}", values[i])
        if describes_patient:
            values.extend(_patient_columns(record, identity, key))
        return tuple(values)

    return raw_row


def _known_identity(record: Record) -> KnownIdentity:
    """What the record says of the patient, for scrubbing their own identifiers from text."""
    names = tuple(
        _text(record, name) or ""
        for name in ("patient_birth_name", "patient_used_name", "patient_first_name")
    )
    birth_date = record["patient_birth_date"]
    assert isinstance(birth_date, date)
    return KnownIdentity(
        names=names, birth_date=birth_date, address=_text(record, "patient_address")
    )


def _patient_columns(record: Record, identity: KnownIdentity, key: bytes) -> tuple[object, ...]:
    """Linkage keys and coarse traits, in PATIENT_COLUMNS order."""
    birth_date = identity.birth_date
    assert birth_date is not None
    traits = traits_pseudonym(
        key,
        birth_name=identity.names[0],
        first_name=identity.names[2],
        birth_date=birth_date,
        sex=str(record["patient_sex"]),
    )
    nir = _text(record, "patient_nir")
    nir_key = nir_pseudonym(key, nir)
    return (
        nir_key,
        traits,
        birth_date.year,
        birth_date.month,
        record["patient_sex"],
        department_from_postcode(_text(record, "patient_postcode")),
        "valid" if nir_key else nir_status(nir),  # a NIR is checked once: most are valid
    )


def _text(record: Record, name: str) -> str | None:
    value = record[name]
    return None if value is None else str(value)
