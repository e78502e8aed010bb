"""Loading deliveries into the raw schema on a real PostgreSQL: verified, atomic, idempotent,
and free of identifiers."""

import dataclasses
import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from contact_platform.contract import ENTITIES
from contact_platform.contract.delivery import Manifest
from contact_platform.contract.reader import ContractViolation
from contact_platform.ingest.landing import ReadyDelivery, ready_deliveries
from contact_platform.ingest.loader import DeliveryRefused, ensure_raw_tables, load_delivery
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY

SPEC = GeneratorSpec(days=1, scale=0.1, associations=("paris",))


@pytest.fixture
def conn(empty_warehouse: str):
    with psycopg.connect(empty_warehouse) as connection:
        ensure_raw_tables(connection)
        yield connection


@pytest.fixture
def delivery(tmp_path: Path) -> ReadyDelivery:
    generate(SPEC, tmp_path / "incoming", workers=1)
    [ready] = ready_deliveries(tmp_path / "incoming")
    return ready


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    return {
        name: conn.execute(f"SELECT count(*) FROM raw.{name}").fetchone()[0] for name in ENTITIES
    }


def _manifest(delivery: ReadyDelivery) -> Manifest:
    return Manifest.from_json(delivery.manifest.read_text())


def _rewrite_file(delivery: ReadyDelivery, entity: str, edit) -> None:
    """Change one file and re-sign the manifest, as a faulty association system would."""
    manifest = _manifest(delivery)
    entries = []
    for entry in manifest.files:
        if entry.entity == entity:
            path = delivery.manifest.parent / entry.name
            path.write_text(edit(path.read_text()))
            entry = dataclasses.replace(entry, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        entries.append(entry)
    delivery.manifest.write_text(dataclasses.replace(manifest, files=tuple(entries)).to_json())


def _resequence(delivery: ReadyDelivery, sequence: int, folder: Path) -> ReadyDelivery:
    """The same delivery sent again with another sequence number."""
    folder.mkdir()
    manifest = _manifest(delivery)
    name = dataclasses.replace(delivery.name, sequence=sequence)
    entries = []
    for entry in manifest.files:
        target = folder / name.file_name(entry.entity)
        shutil.copy(delivery.manifest.parent / entry.name, target)
        entries.append(dataclasses.replace(entry, name=target.name))
    (folder / name.manifest_name).write_text(
        dataclasses.replace(manifest, sequence=sequence, files=tuple(entries)).to_json()
    )
    [ready] = ready_deliveries(folder)
    return ready


def test_a_delivery_loads_every_entity_with_lineage(conn, delivery):
    result = load_delivery(conn, delivery, TEST_KEY)
    expected = {entry.entity: entry.rows for entry in _manifest(delivery).files}
    assert result.rows == expected == _counts(conn)
    assert expected["calls"] > 10
    lines = [r[0] for r in conn.execute("SELECT source_line FROM raw.calls ORDER BY 1")]
    assert lines == list(range(2, expected["calls"] + 2))
    files = conn.execute("SELECT count(*), sum(row_count) FROM raw.delivery_files").fetchone()
    assert files == (5, sum(expected.values()))


def test_kept_values_arrive_exactly_as_delivered(conn, delivery):
    """Every kept value of a vital signs row, typed and loaded: same instants, same digits."""
    vitals = ENTITIES["vital_signs"]
    _rewrite_file(delivery, "vital_signs", lambda text: _with_field(text, "temperature_c", "37.80"))
    load_delivery(conn, delivery, TEST_KEY)
    path = delivery.manifest.parent / delivery.name.file_name("vital_signs")
    delivered = dict(
        zip(vitals.column_names, path.read_text().split("\n")[1].split(";"), strict=True)
    )
    columns = ", ".join(f"{name}::text" for name in vitals.column_names)
    loaded = conn.execute(
        f"SELECT {columns}, measured_at = %s FROM raw.vital_signs WHERE source_line = 2",
        (datetime.fromisoformat(delivered["measured_at"]),),
    ).fetchone()
    assert loaded[-1]  # the same instant, whatever the offset it was written with
    as_text = dict(zip(vitals.column_names, loaded[:-1], strict=True))
    assert as_text["temperature_c"] == "37.80"
    for name in ("encounter_id", "association_id", "heart_rate_bpm", "spo2_percent"):
        assert as_text[name] == (delivered[name] or None)


def _with_field(text: str, column: str, value: str) -> str:
    """The file with `column` of its first data row set to `value`."""
    lines = text.split("\n")
    header = lines[0].split(";")
    fields = lines[1].split(";")
    fields[header.index(column)] = value
    lines[1] = ";".join(fields)
    return "\n".join(lines)


def test_loading_the_same_delivery_twice_changes_nothing(conn, delivery):
    load_delivery(conn, delivery, TEST_KEY)
    before = _counts(conn)
    assert load_delivery(conn, delivery, TEST_KEY).skipped
    assert _counts(conn) == before


def test_a_redelivery_replaces_the_earlier_one_and_an_older_one_is_refused(
    conn, delivery, tmp_path
):
    load_delivery(conn, delivery, TEST_KEY)
    second = _resequence(delivery, 2, tmp_path / "second")
    _rewrite_file(second, "calls", lambda text: "\n".join(text.split("\n")[:4]) + "\n")
    manifest = _manifest(second)
    fixed = [dataclasses.replace(e, rows=3) if e.entity == "calls" else e for e in manifest.files]
    second.manifest.write_text(dataclasses.replace(manifest, files=tuple(fixed)).to_json())

    load_delivery(conn, second, TEST_KEY)
    assert _counts(conn)["calls"] == 3
    assert conn.execute("SELECT sequence FROM raw.deliveries").fetchone()[0] == 2

    with pytest.raises(DeliveryRefused, match="superseded, sequence 2"):
        load_delivery(conn, delivery, TEST_KEY)
    assert _counts(conn)["calls"] == 3


def test_a_file_broken_halfway_leaves_the_previous_load_untouched(conn, delivery, tmp_path):
    load_delivery(conn, delivery, TEST_KEY)
    before = _counts(conn)
    broken = _resequence(delivery, 2, tmp_path / "broken")
    path = broken.manifest.parent / broken.name.file_name("prescriptions")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\xe9" + data[len(data) // 2 :])
    _rewrite_file(broken, "calls", lambda text: text)  # re-sign the manifest
    manifest = _manifest(broken)
    signed = [
        dataclasses.replace(e, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        if e.entity == "prescriptions"
        else e
        for e in manifest.files
    ]
    broken.manifest.write_text(dataclasses.replace(manifest, files=tuple(signed)).to_json())
    with pytest.raises(ContractViolation, match="not valid utf-8"):
        load_delivery(conn, broken, TEST_KEY)
    assert _counts(conn) == before
    assert conn.execute("SELECT sequence FROM raw.deliveries").fetchone()[0] == 1


def test_a_crash_in_the_middle_of_a_load_leaves_no_partial_rows(conn, delivery, monkeypatch):
    from contact_platform.ingest import loader

    calls = {"n": 0}
    real_maker = loader.raw_row_maker

    def crashing_maker(entity, key):
        real = real_maker(entity, key)

        def crash_on_the_thirtieth_row(record):
            calls["n"] += 1
            if calls["n"] == 30:
                raise MemoryError("simulated crash")
            return real(record)

        return crash_on_the_thirtieth_row

    monkeypatch.setattr(loader, "raw_row_maker", crashing_maker)
    with pytest.raises(MemoryError):
        load_delivery(conn, delivery, TEST_KEY)
    assert sum(_counts(conn).values()) == 0
    assert conn.execute("SELECT count(*) FROM raw.deliveries").fetchone()[0] == 0


def test_rows_that_cannot_be_typed_are_rejected_with_where_and_why(conn, delivery):
    path = delivery.manifest.parent / delivery.name.file_name("encounters")
    lines = path.read_text().split("\n")
    middle = len(lines) // 2
    bad_time = lines[middle].split(";")[7]

    def cut_offset(text: str) -> str:
        rows = text.split("\n")
        rows[middle] = rows[middle].replace("+01:00", "", 1)
        return "\n".join(rows)

    _rewrite_file(delivery, "encounters", cut_offset)
    result = load_delivery(conn, delivery, TEST_KEY)
    expected = {e.entity: e.rows for e in _manifest(delivery).files}
    assert result.rejected["encounters"] == 1
    assert result.rows["encounters"] == expected["encounters"] - 1
    reject = conn.execute(
        "SELECT file_name, line, column_name, value_class, reason FROM raw.rejects"
    ).fetchone()
    assert reject[0] == path.name and reject[1] == middle + 1
    assert reject[2] == "started_at" and reject[3].startswith("date-like")
    assert "offset" in reject[4]
    dump = str(conn.execute("SELECT * FROM raw.rejects").fetchall())
    assert bad_time[:10] not in dump


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            lambda d: (d.manifest.parent / d.name.file_name("calls")).write_bytes(
                (d.manifest.parent / d.name.file_name("calls")).read_bytes()[:-40]
            ),
            "SHA-256 differs",
        ),
        (lambda d: (d.manifest.parent / d.name.file_name("vital_signs")).unlink(), "files missing"),
        (
            lambda d: (
                (d.manifest.parent / f"{d.name.stem}_prescriptions.csv.bak").touch()
                or (d.manifest.parent / d.name.file_name("prescriptions")).rename(
                    d.manifest.parent / f"{d.name.stem}_extra.csv"
                )
            ),
            "files",
        ),
        (lambda d: d.manifest.write_text("{not json"), "unreadable manifest"),
    ],
)
def test_a_delivery_that_does_not_match_its_manifest_is_refused_whole(
    conn, delivery, damage, reason
):
    damage(delivery)
    [ready] = ready_deliveries(delivery.manifest.parent)
    with pytest.raises(DeliveryRefused, match=reason):
        load_delivery(conn, ready, TEST_KEY)
    assert sum(_counts(conn).values()) == 0


def test_a_row_count_that_differs_from_the_manifest_is_refused(conn, delivery):
    manifest = _manifest(delivery)
    wrong = [
        dataclasses.replace(e, rows=e.rows + 1) if e.entity == "diagnoses" else e
        for e in manifest.files
    ]
    delivery.manifest.write_text(dataclasses.replace(manifest, files=tuple(wrong)).to_json())
    with pytest.raises(DeliveryRefused, match="rows, the manifest says"):
        load_delivery(conn, delivery, TEST_KEY)
    assert sum(_counts(conn).values()) == 0


def test_no_identifier_reaches_the_database(conn, delivery):
    load_delivery(conn, delivery, TEST_KEY)
    identifying = {
        "patient_nir",
        "patient_birth_name",
        "patient_used_name",
        "patient_first_name",
        "patient_birth_date",
        "patient_phone",
        "patient_address",
        "patient_postcode",
    }
    values = set()
    for entity in ("calls", "encounters"):
        path = delivery.manifest.parent / delivery.name.file_name(entity)
        header, *rows = [line.split(";") for line in path.read_text().splitlines()]
        values |= {row[header.index(col)] for row in rows for col in identifying}
    values = {v for v in values if len(v) >= 4}
    dump = "\n".join(
        str(row)
        for entity in ENTITIES
        for row in conn.execute(f"SELECT * FROM raw.{entity}").fetchall()
    ).upper()
    assert sorted(v for v in values if v.upper() in dump) == []
    doctors = {
        line.split(";")[4]
        for line in (delivery.manifest.parent / delivery.name.file_name("encounters"))
        .read_text()
        .splitlines()[1:]
    }
    assert all(doctor not in dump.upper() for doctor in doctors), "doctors are pseudonymised too"
    columns = {
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw'"
        )
    }
    assert not identifying & columns
