"""The right to object, on generated data: an objection made after the person's data were
loaded purges them from every schema and keeps their later deliveries out."""

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import psycopg
import pytest

from contact_platform.contract.entities import DELIMITER
from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.privacy.opposition import (
    Objection,
    object_to_processing,
    opposition_counts,
)
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY, run_dbt

SPEC = GeneratorSpec(start=date(2025, 1, 6), days=10, scale=0.05, associations=("paris",))


def _dbt(url: str, target: Path) -> None:
    run_dbt(url, ["+person", "+visit_occurrence", "+note"], target)


def _records_by_person(deliveries: Path, truth: Path) -> dict[str, list[dict]]:
    """True person -> the identity rows of their calls (from the files, for the test only)."""
    person_of = {}
    with (truth / "records" / "paris.csv").open() as handle:
        for row in csv.DictReader(handle, delimiter=DELIMITER):
            person_of[row["record_id"]] = row["person"]
    found = defaultdict(list)
    for path in sorted(deliveries.rglob("*_calls.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter=DELIMITER):
                found[person_of[row["call_id"]]].append(row)
    return found


@pytest.fixture
def loaded(empty_warehouse: str, tmp_path: Path):
    generate(SPEC, tmp_path / "deliveries", tmp_path / "truth", workers=1)
    with psycopg.connect(empty_warehouse) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(tmp_path / "deliveries"):
            load_delivery(conn, delivery, TEST_KEY)
    _dbt(empty_warehouse, tmp_path / "target")
    return empty_warehouse, tmp_path


def test_an_objection_purges_the_person_and_keeps_them_out(loaded):
    url, folder = loaded
    people = _records_by_person(folder / "deliveries", folder / "truth")
    # A person seen several times, with their NIR on some calls only: linkage must join them.
    calls = next(
        rows
        for rows in people.values()
        if len(rows) >= 2
        and any(r["patient_nir"] for r in rows)
        and any(not r["patient_nir"] for r in rows)
    )
    call_ids = [row["call_id"] for row in calls]
    with_nir = next(r for r in calls if r["patient_nir"])
    with psycopg.connect(url) as conn:
        persons_before = conn.execute("SELECT count(*) FROM omop.person").fetchone()[0]
        counts = object_to_processing(conn, Objection(nir=with_nir["patient_nir"]), TEST_KEY)
        assert counts["purged_rows"] > len(call_ids)
        assert (
            conn.execute(
                "SELECT count(*) FROM raw.calls WHERE call_id = ANY(%s)", (call_ids,)
            ).fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM omop.person").fetchone()[0] == persons_before - 1
        orphans = conn.execute("""SELECT count(*) FROM omop.note n
                                  LEFT JOIN omop.person p USING (person_id)
                                  WHERE p.person_id IS NULL""").fetchone()[0]
        assert orphans == 0, "the person's notes went with them"
        stored = [r[0] for r in conn.execute("SELECT linkage_key FROM privacy.oppositions")]
        assert stored and all(len(k) == 32 and int(k, 16) >= 0 for k in stored)
        assert with_nir["patient_nir"] not in str(stored)
        [event] = conn.execute("SELECT action, detail FROM audit.events").fetchall()
        assert event[0] == "opposition.add" and event[1]["purged_rows"] == counts["purged_rows"]
        assert opposition_counts(conn)["records_kept_out"] >= len(calls)
    with (
        psycopg.connect(url) as other,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        other.execute("DELETE FROM audit.events")

    # The person's days delivered again: their rows, and their encounters' details, stay out.
    again = ready_deliveries(folder / "deliveries")
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE raw.deliveries CASCADE")
        conn.commit()
        kept_out = 0
        for delivery in again:
            kept_out += sum(load_delivery(conn, delivery, TEST_KEY).opposed.values())
        assert kept_out >= len(calls)
        assert (
            conn.execute(
                "SELECT count(*) FROM raw.calls WHERE call_id = ANY(%s)", (call_ids,)
            ).fetchone()[0]
            == 0
        )


def test_an_objection_needs_a_valid_nir_or_full_traits(loaded):
    url, _ = loaded
    with psycopg.connect(url) as conn:
        with pytest.raises(ValueError, match="invalid control key"):
            object_to_processing(conn, Objection(nir="185057800608400"), TEST_KEY)
        with pytest.raises(ValueError, match="give a NIR"):
            object_to_processing(conn, Objection(birth_name="Dupont"), TEST_KEY)
