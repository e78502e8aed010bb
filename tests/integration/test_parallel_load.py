"""Loading deliveries over several processes gives exactly what loading them one by one gives."""

import psycopg
import pytest

from contact_platform.contract import ENTITIES
from contact_platform.ingest.landing import ReadyDelivery, ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables
from contact_platform.ingest.parallel import load_deliveries
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY
from tests.integration.test_loader import _resequence, _rewrite_file

SPEC = GeneratorSpec(days=2, scale=0.02, associations=("paris", "lyon", "bordeaux"))


@pytest.fixture(scope="module")
def deliveries(tmp_path_factory: pytest.TempPathFactory) -> list[ReadyDelivery]:
    """Six deliveries, a correction (sequence 2) of the first, and one that breaks its manifest."""
    folder = tmp_path_factory.mktemp("parallel")
    generate(SPEC, folder / "incoming", workers=1)
    ready = ready_deliveries(folder / "incoming")
    correction = _resequence(ready[0], 2, folder / "correction")
    _rewrite_file(correction, "calls", lambda text: text.replace(";phone;", ";web;", 1))
    broken = _resequence(ready[1], 2, folder / "broken")
    calls = broken.manifest.parent / broken.name.file_name("calls")
    calls.write_text(calls.read_text()[:-200])  # truncated in transit: its SHA-256 differs
    return [*ready, correction, broken]


def _load(url: str, deliveries: list[ReadyDelivery], workers: int) -> tuple[list[str], dict]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS raw CASCADE")
        ensure_raw_tables(conn)
    outcomes = list(load_deliveries(url, deliveries, TEST_KEY, workers))
    refusals = sorted(o.refusal for o in outcomes if o.refusal is not None)
    with psycopg.connect(url) as conn:
        contents = {name: _digest(conn, name) for name in ["deliveries", *ENTITIES]}
        contents["sequences"] = conn.execute(
            "SELECT array_agg(sequence ORDER BY delivery_id) FROM raw.deliveries"
        ).fetchone()[0]
    return refusals, contents


def _digest(conn: psycopg.Connection, table: str) -> str:
    """Every row of a raw table but its load and change times (they differ from load to load)."""
    columns = [
        name
        for (name,) in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = %s "
            "AND column_name NOT IN ('loaded_at', 'changed_at') "
            "ORDER BY ordinal_position",
            (table,),
        )
    ]
    return conn.execute(
        f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) "
        f"FROM (SELECT {', '.join(columns)} FROM raw.{table}) AS t"
    ).fetchone()[0]


def test_parallel_load_equals_one_by_one_and_keeps_corrections_in_order(
    empty_warehouse: str, deliveries: list[ReadyDelivery]
):
    one_by_one = _load(empty_warehouse, deliveries, workers=1)
    parallel = _load(empty_warehouse, deliveries, workers=2)

    refusals, contents = parallel
    assert len(refusals) == 1 and "SHA-256 differs" in refusals[0]
    # The correction was loaded after what it corrects, never refused as superseded.
    assert sorted(contents["sequences"]) == [1, 1, 1, 1, 1, 2]
    assert parallel == one_by_one  # every raw table, row by row
