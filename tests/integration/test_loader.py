"""COPY into the raw schema on a real PostgreSQL: atomic, idempotent, identity-free."""

from pathlib import Path

import psycopg
import pytest

from contact_platform.contract.reader import ContractViolation
from contact_platform.ingest.deliveries import parse_delivery
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.synthetic.extract import ExtractSpec, generate_extract
from tests.conftest import TEST_KEY


@pytest.fixture
def conn(empty_warehouse: str):
    with psycopg.connect(empty_warehouse) as connection:
        ensure_raw_tables(connection)
        yield connection


@pytest.fixture
def calls_file(tmp_path: Path) -> Path:
    paths = generate_extract(ExtractSpec(days=1, calls_per_day=40), tmp_path)
    return next(p for p in paths if "_calls_" in p.name)


def _count(conn: psycopg.Connection, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]


def test_a_delivery_loads_every_row_with_lineage(conn, calls_file: Path):
    result = load_delivery(conn, parse_delivery(calls_file), TEST_KEY)
    rows = len(calls_file.read_text().splitlines()) - 1
    assert result.rows == rows == _count(conn, "calls")
    lines = [r[0] for r in conn.execute("SELECT source_line FROM raw.calls ORDER BY 1")]
    assert lines == list(range(2, rows + 2))
    delivery = conn.execute("SELECT row_count, file_sha256 FROM raw.deliveries").fetchone()
    assert delivery[0] == rows and len(delivery[1]) == 64


def test_a_redelivery_replaces_the_earlier_one(conn, calls_file: Path):
    delivery = parse_delivery(calls_file)
    load_delivery(conn, delivery, TEST_KEY)
    lines = calls_file.read_text().splitlines()
    calls_file.write_text("\n".join(lines[:6]) + "\n")
    load_delivery(conn, delivery, TEST_KEY)
    assert _count(conn, "calls") == 5
    assert conn.execute("SELECT row_count FROM raw.deliveries").fetchone()[0] == 5


def test_a_file_broken_halfway_leaves_the_previous_load_untouched(conn, calls_file: Path):
    delivery = parse_delivery(calls_file)
    load_delivery(conn, delivery, TEST_KEY)
    before = _count(conn, "calls")
    lines = calls_file.read_text().splitlines()
    middle = len(lines) // 2
    lines[middle] = lines[middle].replace("+00:00", "", 1)
    calls_file.write_text("\n".join(lines) + "\n")
    with pytest.raises(ContractViolation, match=f"line {middle + 1}, column received_at"):
        load_delivery(conn, delivery, TEST_KEY)
    assert _count(conn, "calls") == before


def test_no_identifier_reaches_the_database(conn, calls_file: Path):
    load_delivery(conn, parse_delivery(calls_file), TEST_KEY)
    header, *rows = [line.split(";") for line in calls_file.read_text().splitlines()]
    identifying = {"patient_nir", "patient_birth_name", "patient_first_name", "patient_birth_date"}
    values = {row[header.index(col)] for row in rows for col in identifying} - {""}
    dump = "\n".join(str(row) for row in conn.execute("SELECT * FROM raw.calls").fetchall()).upper()
    leaked = sorted(v for v in values if v.upper() in dump)
    assert leaked == []
    columns = [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw'"
        )
    ]
    assert not identifying & set(columns)
