"""Incremental linkage: relinking only the records near a change gives exactly the links of a
full computation, through merges, splits, re-deliveries with other traits and removals."""

import random
from pathlib import Path

import psycopg
import pytest

from contact_platform.ingest.loader import ensure_raw_tables
from tests.conftest import run_dbt

pytestmark = pytest.mark.slow

LINKS = "+int_person_links"
LINK_COLUMNS = "record_key, nir_pseudonym, traits_pseudonym, person_key"


def links(conn: psycopg.Connection) -> list[tuple]:
    """The links of the records in staging (removed records stay as tombstones)."""
    return conn.execute(
        f"SELECT {LINK_COLUMNS} FROM intermediate.int_person_links WHERE is_present "
        "ORDER BY record_key"
    ).fetchall()


def stamps(conn: psycopg.Connection) -> dict[str, tuple]:
    return {
        record: (person, changed_at)
        for record, person, changed_at in conn.execute(
            "SELECT record_key, person_key, changed_at FROM intermediate.int_person_links "
            "WHERE is_present"
        )
    }


def random_keys(draw: random.Random) -> tuple[str | None, str]:
    """Keys from small pools, so that chains of shared NIRs and traits are common."""
    nir = f"n{draw.randrange(40):02d}" if draw.random() < 0.6 else None
    return nir, f"t{draw.randrange(60):02d}"


def stage(conn: psycopg.Connection, call: int, keys: tuple[str | None, str]) -> None:
    """A call (re)staged now, as a staging run writes it: deleted, then appended, stamped."""
    conn.execute("DELETE FROM staging.stg_calls WHERE call_key = %s", (f"a:{call}",))
    conn.execute(
        "INSERT INTO staging.stg_calls (call_key, nir_pseudonym, traits_pseudonym, staged_at) "
        "VALUES (%s, %s, %s, now())",
        (f"a:{call}", *keys),
    )


def remove(conn: psycopg.Connection, call: int) -> None:
    """A call purged, as a staging run records it in the change feed."""
    conn.execute("DELETE FROM staging.stg_calls WHERE call_key = %s", (f"a:{call}",))
    conn.execute(
        "INSERT INTO operations.staging_removals VALUES ('stg_calls', %s, now())", (f"a:{call}",)
    )


def test_incremental_links_equal_a_full_computation(empty_warehouse, tmp_path: Path):
    draw = random.Random(7)
    target = tmp_path / "target"
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        ensure_raw_tables(conn)
        run_dbt(empty_warehouse, [LINKS], target)  # empty staging, empty links
        present = set(range(150))
        for call in present:
            stage(conn, call, random_keys(draw))
        run_dbt(empty_warehouse, ["int_person_links"], target)
        merges = 0
        for _ in range(4):
            before = stamps(conn)
            for call in range(max(present) + 1, max(present) + 16):  # new calls
                stage(conn, call, random_keys(draw))
                present.add(call)
            for call in draw.sample(sorted(present), 5):  # re-delivered with other keys
                stage(conn, call, random_keys(draw))
            purged = draw.sample(sorted(present), 4)
            for call in purged:
                remove(conn, call)
                present.discard(call)
            run_dbt(empty_warehouse, ["int_person_links"], target)
            incremental, after = links(conn), stamps(conn)
            assert {record for record, *_ in incremental} == {f"call:a:{c}" for c in present}
            tombstones = conn.execute(
                "SELECT count(*) FROM intermediate.int_person_links WHERE NOT is_present "
                "AND previous_person_key = person_key AND nir_pseudonym IS NULL "
                "AND traits_pseudonym IS NULL"
            ).fetchone()[0]
            linked_before = [call for call in purged if f"call:a:{call}" in before]
            assert tombstones == len(linked_before), "purged: person kept, keys not"

            run_dbt(empty_warehouse, ["int_person_links"], target, "--full-refresh")
            assert links(conn) == incremental
            merges += sum(
                1
                for record, (person, _) in after.items()
                if record in before and before[record][0] != person
            )
            # A record whose person did not change keeps its stamp: nothing downstream redone.
            assert all(
                after[record][1] == before[record][1]
                for record in after
                if record in before and before[record][0] == after[record][0]
            )
        assert merges > 10, "the scenario relinked existing records"


def test_incremental_links_reach_six_links_along_a_chain(empty_warehouse, tmp_path: Path):
    """A chain of records, each sharing one key with the next, is where a change's effect
    travels furthest: the records three links away are relinked from records six links away."""
    draw = random.Random(11)
    target = tmp_path / "target"
    length = 24
    names = [f"t{rank:02d}" for rank in range(length)]
    with psycopg.connect(empty_warehouse, autocommit=True) as conn:
        ensure_raw_tables(conn)
        run_dbt(empty_warehouse, [LINKS], target)
        draw.shuffle(names)
        for record in range(length):  # record 2k and 2k+1 share a traits key, 2k+1 and 2k+2 a NIR
            stage(conn, record, (f"n{(record + 1) // 2:02d}", names[record // 2]))
        run_dbt(empty_warehouse, ["int_person_links"], target)
        # Record 12 takes the smallest traits key; record 9 reaches it by NIR, traits, NIR
        # (9-10, 10-11, 11-12), so its person changes too, three links from the change.
        stage(conn, 12, ("n06", "a00"))
        run_dbt(empty_warehouse, ["int_person_links"], target)
        assert stamps(conn)["call:a:9"][0] == "a00"
        for _ in range(6):
            record = draw.randrange(length)
            nir = f"n{(record + 1) // 2:02d}" if draw.random() < 0.5 else None
            stage(conn, record, (nir, f"t{draw.randrange(length):02d}"))
            run_dbt(empty_warehouse, ["int_person_links"], target)
            incremental = links(conn)
            run_dbt(empty_warehouse, ["int_person_links"], target, "--full-refresh")
            assert links(conn) == incremental
