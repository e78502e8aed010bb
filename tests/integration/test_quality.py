"""Great Expectations suites run on real tables, pushed down to SQL."""

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import psycopg
import pytest

from contact_platform.contract import ENTITIES
from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.quality.data_docs import DataDocs
from contact_platform.quality.docs_server import docs_server
from contact_platform.quality.suites import expectation as ex
from contact_platform.quality.suites.raw import delivery_files_suite, raw_suite
from contact_platform.quality.suites.staging import staging_suite
from contact_platform.quality.validation import validate_table
from contact_platform.quality.window import recent_keys
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY

SPEC = GeneratorSpec(start=date(2025, 1, 6), days=2, scale=0.05, associations=("paris", "lyon"))


def _load(url: str, folder: Path, spec: GeneratorSpec) -> None:
    generate(spec, folder, workers=1)
    with psycopg.connect(url) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(folder):
            load_delivery(conn, delivery, TEST_KEY)


def _validate(url: str, entity: str):
    return validate_table(url, "raw", entity, raw_suite(ENTITIES[entity]))


def test_clean_deliveries_pass_every_expectation(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, SPEC)
    for name in ENTITIES:
        outcome = _validate(empty_warehouse, name)
        assert outcome.success, (name, [f.describe() for f in outcome.failed])
        assert outcome.success_percent == 100.0


@pytest.mark.parametrize(
    ("defect", "entity", "expectation", "column", "sample"),
    [
        ("unknown_icpc2", "diagnoses", "expect_column_values_to_be_in_set", "icpc2_code", "Q99"),
        ("implausible_vitals", "vital_signs", "expect_column_values_to_be_between", None, None),
        (
            "time_order",
            "encounters",
            "expect_column_pair_values_a_to_be_greater_than_b",
            None,
            None,
        ),
    ],
)
def test_a_planted_defect_fails_its_suite(
    empty_warehouse: str, tmp_path: Path, defect, entity, expectation, column, sample
):
    spec = GeneratorSpec(**{**SPEC.__dict__, "defects": (defect,), "defect_rate": 1.0})
    _load(empty_warehouse, tmp_path, spec)
    outcome = _validate(empty_warehouse, entity)
    assert not outcome.success
    assert expectation in {f.expectation for f in outcome.failed}
    if column:
        failure = next(f for f in outcome.failed if f.column == column)
        assert sample in failure.sample_values
        assert column in failure.describe()


def test_samples_never_show_free_text_or_pseudonyms(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path, SPEC)
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute(
            "UPDATE raw.calls SET patient_sex = 'X', call_reason_text = NULL WHERE source_line = 2"
        )
    outcome = _validate(empty_warehouse, "calls")
    [failure] = outcome.failed
    assert failure.column == "patient_sex" and set(failure.sample_values) == {"X"}


def test_an_empty_table_fails(empty_warehouse: str):
    with psycopg.connect(empty_warehouse) as conn:
        ensure_raw_tables(conn)
    outcome = _validate(empty_warehouse, "calls")
    assert "expect_table_row_count_to_be_between" in {f.expectation for f in outcome.failed}


def test_data_docs_keep_the_latest_validations_of_each_suite(empty_warehouse: str, tmp_path: Path):
    _load(empty_warehouse, tmp_path / "landing", SPEC)
    docs = DataDocs(tmp_path / "quality", "http://127.0.0.1:8090/", keep=2)
    suite = raw_suite(ENTITIES["calls"])

    for _ in range(3):
        assert validate_table(empty_warehouse, "raw", "calls", suite, docs).success

    results = list((docs.root / "uncommitted" / "validations" / "raw_calls").rglob("*.json"))
    assert len(results) == 2, "older validations are pruned"
    page = docs.page_of("raw_calls")
    assert page is not None
    assert docs.url_of(page).startswith("http://127.0.0.1:8090/validations/raw_calls/")
    assert not page.exists() and not docs.index.exists(), "rendered when looked at"
    assert "raw_calls" in docs.render().read_text(encoding="utf-8")
    assert page.exists()
    assert "postgresql" not in "".join(
        p.read_text(errors="ignore") for p in docs.root.rglob("*") if p.is_file()
    ), "the warehouse address is never written with the results"


def test_the_index_lists_only_the_latest_validations(empty_warehouse: str, tmp_path: Path):
    """The index page reads each validation it lists: it lists the latest few, so rendering
    it costs the same after a year of runs; older pages are rendered on demand."""
    _load(empty_warehouse, tmp_path / "landing", SPEC)
    docs = DataDocs(tmp_path / "quality", "http://127.0.0.1:8090/", index_lists=1)
    for entity in ("calls", "encounters"):
        suite = raw_suite(ENTITIES[entity])
        assert validate_table(empty_warehouse, "raw", entity, suite, docs).success

    index = docs.render().read_text(encoding="utf-8")
    assert "validations/raw_encounters/" in index
    assert "validations/raw_calls/" not in index, "older than the latest one"
    older = docs.page_of("raw_calls")
    assert older is not None and not older.exists(), "not rendered with the index"
    assert docs.render_page(older) and older.exists(), "rendered when asked for"
    assert not docs.render_page(docs.site / "validations" / "raw_calls" / "nothing.html")


def test_the_docs_server_renders_an_older_page_when_asked_for_it(
    empty_warehouse: str, tmp_path: Path
):
    _load(empty_warehouse, tmp_path / "landing", SPEC)
    docs = DataDocs(tmp_path / "quality", "http://127.0.0.1:8090/", index_lists=1)
    suite = raw_suite(ENTITIES["calls"])
    for _ in range(2):
        assert validate_table(empty_warehouse, "raw", "calls", suite, docs).success
    older = min((docs.root / "uncommitted" / "validations").rglob("*.json"))
    page = docs.site / "validations" / older.relative_to(older.parents[3]).with_suffix(".html")

    server = docs_server(docs, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        assert not page.exists(), "the server started by rendering the latest page only"
        served = urlopen(base + page.relative_to(docs.site).as_posix()).read().decode()
        assert "raw_calls" in served and page.exists()
        with pytest.raises(HTTPError) as missing:
            urlopen(base + "validations/raw_calls/__none__/nothing/nothing.html")
        assert missing.value.code == 404
    finally:
        server.shutdown()


def _deliveries(url: str, row_counts: list[int]) -> None:
    """One daily calls delivery of Paris per count, from 1 March 2025."""
    with psycopg.connect(url) as conn:
        ensure_raw_tables(conn)
        for day, rows in enumerate(row_counts, start=1):
            delivery = f"paris_202503{day:02d}"
            conn.execute(
                """INSERT INTO raw.deliveries (delivery_id, association_id, period, period_start,
                       sequence, produced_at, contract_version, manifest_sha256)
                   VALUES (%s, 'paris', %s, %s, 1, %s, '1.0', 'sha')""",
                (delivery, delivery[6:], f"2025-03-{day:02d}", f"2025-03-{day + 1:02d} 01:00Z"),
            )
            conn.execute(
                "INSERT INTO raw.delivery_files VALUES (%s, 'calls', 'f.csv', 'sha', %s, 0, 0)",
                (delivery, rows),
            )


@pytest.mark.parametrize(("last", "passes"), [(100, True), (180, True), (30, False), (400, False)])
def test_a_delivery_outside_the_28_day_band_of_its_association_fails(
    empty_warehouse: str, last: int, passes: bool
):
    _deliveries(empty_warehouse, [90, 110, 95, 105, 100, 120, 85] * 3 + [last])

    outcome = validate_table(empty_warehouse, "raw", "delivery_files", delivery_files_suite())

    assert outcome.success is passes
    if not passes:
        [failure] = outcome.failed
        assert failure.column == "row_count" and failure.unexpected_count == 1


def test_no_band_before_two_weeks_of_history(empty_warehouse: str):
    _deliveries(empty_warehouse, [100] * 10 + [5])
    assert validate_table(empty_warehouse, "raw", "delivery_files", delivery_files_suite()).success


def _shift(url: str, statement: str, days: int) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(statement, (days,))


AGE_DELIVERIES = "UPDATE raw.deliveries SET changed_at = changed_at - make_interval(days => %s)"
AGE_PASSES = "UPDATE quality.suite_passes SET passed_at = now() - make_interval(days => %s)"
BAD_SEX = "UPDATE raw.calls SET patient_sex = 'X' WHERE delivery_id = %s AND source_line = 2"


def test_routine_runs_validate_what_changed_since_the_suite_last_passed(
    empty_warehouse: str, tmp_path: Path
):
    _load(empty_warehouse, tmp_path, SPEC)
    suite = raw_suite(ENTITIES["calls"])
    first = validate_table(empty_warehouse, "raw", "calls", suite, window_days=2)
    assert first.success and first.validated_rows == "all", "a suite that never passed reads all"

    # Ten days on: an old delivery's row goes bad without any new delivery.
    _shift(empty_warehouse, AGE_DELIVERIES, 10)
    _shift(empty_warehouse, AGE_PASSES, 5)
    with psycopg.connect(empty_warehouse) as conn:
        old = conn.execute("SELECT min(delivery_id) FROM raw.deliveries").fetchone()[0]
        conn.execute(BAD_SEX, (old,))
    routine = validate_table(empty_warehouse, "raw", "calls", suite, window_days=2)
    assert routine.success and routine.validated_rows.startswith("changed after")
    full = validate_table(empty_warehouse, "raw", "calls", suite)
    assert not full.success and full.validated_rows == "all", "the full check reads every row"

    # Re-delivered four days ago, after the last pass, still bad: the suite keeps failing,
    # whatever the days since, until the rows are right.
    _shift(empty_warehouse, AGE_PASSES, 5)
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute(
            "UPDATE raw.deliveries SET changed_at = now() - interval '4 days' "
            "WHERE delivery_id = %s",
            (old,),
        )
    for _ in range(2):
        failing = validate_table(empty_warehouse, "raw", "calls", suite, window_days=2)
        assert not failing.success and {f.column for f in failing.failed} == {"patient_sex"}

    with psycopg.connect(empty_warehouse) as conn:
        conn.execute("UPDATE raw.calls SET patient_sex = 'F' WHERE patient_sex = 'X'")
        left = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'quality'"
        ).fetchall()
    assert left == [("suite_passes",)], "the windows' copies and keys are dropped after each"
    assert validate_table(empty_warehouse, "raw", "calls", suite, window_days=2).success
    with psycopg.connect(empty_warehouse) as conn:
        recent = conn.execute(
            "SELECT passed_at > now() - interval '1 minute' FROM quality.suite_passes "
            "WHERE suite = 'raw_calls'"
        ).fetchone()[0]
    assert recent, "a pass moves the window on"


def test_a_window_without_changes_passes_and_undated_tables_stay_whole(
    empty_warehouse: str, tmp_path: Path
):
    _load(empty_warehouse, tmp_path, SPEC)
    suite = raw_suite(ENTITIES["calls"])
    assert validate_table(empty_warehouse, "raw", "calls", suite, window_days=2).success
    _shift(empty_warehouse, AGE_DELIVERIES, 10)
    _shift(empty_warehouse, AGE_PASSES, 5)
    quiet = validate_table(empty_warehouse, "raw", "calls", suite, window_days=2)
    assert quiet.success, "no new delivery is no failure: row counts are the full check's"

    with psycopg.connect(empty_warehouse) as conn:
        conn.execute("CREATE TABLE raw.undated (code text)")
        conn.execute("INSERT INTO raw.undated VALUES ('a'), ('b')")
    undated = {"name": "raw_undated", "expectations": [ex.row_count(3, None, "three rows")]}
    for _ in range(2):
        outcome = validate_table(empty_warehouse, "raw", "undated", undated, window_days=2)
        assert not outcome.success and outcome.validated_rows == "all"


@pytest.mark.parametrize(
    ("columns", "key", "reads"),
    [
        ({"delivery_id", "changed_at"}, "delivery_id", "raw.deliveries"),
        ({"visit_occurrence_id", "person_id"}, "visit_occurrence_id", "intermediate.int_visits"),
        (
            {"episode_id", "person_id"},
            "episode_id",
            "SELECT episode_id FROM intermediate.int_visits",
        ),
        ({"encounter_key"}, "encounter_key", "staging.stg_encounters"),
        ({"call_key"}, "call_key", "staging.stg_calls"),
        ({"changed_at"}, "changed_at", None),
        ({"person_id", "year_of_birth"}, None, None),
    ],
)
def test_the_window_chooses_rows_as_the_dbt_tests_do(
    columns: set[str], key: str | None, reads: str | None
):
    since = datetime(2026, 11, 30, tzinfo=UTC)
    chosen = recent_keys(columns, since)
    if key is None:
        assert chosen is None
        return
    column, keys = chosen
    assert column == key
    if reads is None:
        assert keys is None, "the change stamp itself chooses the rows"
    else:
        assert reads in keys and "2026-11-30T00:00:00+00:00" in keys


_CALLS_KEPT = """
CREATE SCHEMA staging;
CREATE TABLE staging.stg_calls (call_key text, received_local_date date);
INSERT INTO staging.stg_calls VALUES ('kept', '2025-01-02');
CREATE TABLE staging.stg_encounters (
    delivery_id text, call_key text, started_at timestamptz, started_local_date date);
INSERT INTO staging.stg_encounters VALUES
    ('d1', 'kept', '2025-01-02 10:00Z', '2025-01-02'),
    ('d1', 'retained_away', '2025-01-02 09:00Z', '2025-01-02'),
    ('d1', null, '2025-01-03 10:00Z', '2025-01-03'),
    ('d2', 'never_delivered', '2025-01-03 11:00Z', '2025-01-03');
"""


def test_an_encounters_call_must_be_delivered_unless_retention_may_have_taken_it(
    empty_warehouse: str,
):
    rule = "an encounter's call was delivered"
    [expectation] = [
        e
        for e in staging_suite(ENTITIES["encounters"])["expectations"]
        if e["meta"]["rule"] == rule
    ]
    suite = {"name": "staging_stg_encounters", "expectations": [expectation]}
    with psycopg.connect(empty_warehouse) as conn:
        conn.execute(_CALLS_KEPT)

    outcome = validate_table(empty_warehouse, "staging", "stg_encounters", suite)
    assert not outcome.success
    [failure] = outcome.failed
    assert failure.unexpected_count == 1, "only the call missing after the oldest day kept"

    with psycopg.connect(empty_warehouse) as conn:
        conn.execute("DELETE FROM staging.stg_encounters WHERE call_key = 'never_delivered'")
    assert validate_table(empty_warehouse, "staging", "stg_encounters", suite).success
