"""Linkage and scrubbing measured on generated data against the ground truth."""

from datetime import date
from pathlib import Path

import psycopg
import pytest

from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.loader import ensure_raw_tables, load_delivery
from contact_platform.privacy.evaluation import (
    pairwise_scores,
    planted_identifiers,
    scrub_scores,
    true_persons,
)
from contact_platform.synthetic.generator import GeneratorSpec, generate
from tests.conftest import TEST_KEY, run_dbt

SPEC = GeneratorSpec(
    start=date(2025, 1, 6),
    days=21,
    scale=0.08,
    associations=("paris", "hauts-de-seine", "lyon", "nice"),
)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, warehouse_url) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("privacy")
    generate(SPEC, folder / "deliveries", folder / "truth", workers=1)
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for schema in ("raw", "staging", "intermediate"):
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    with psycopg.connect(warehouse_url) as conn:
        ensure_raw_tables(conn)
        for delivery in ready_deliveries(folder / "deliveries"):
            load_delivery(conn, delivery, TEST_KEY)
    run_dbt(warehouse_url, ["+int_person_links"], folder / "target")
    return warehouse_url, folder / "truth"


def test_linkage_meets_its_precision_and_recall_targets(loaded):
    url, truth = loaded
    with psycopg.connect(url) as conn:
        predicted = dict(
            conn.execute(
                "SELECT record_key, person_key FROM intermediate.int_person_links"
            ).fetchall()
        )
    scores = pairwise_scores(predicted, true_persons(truth))
    assert scores.true_pairs > 500, "enough repeat contacts to measure"
    assert scores.precision >= 0.995, scores
    assert scores.recall >= 0.97, scores


def test_scrubbing_catches_the_planted_identifiers(loaded):
    url, truth = loaded
    with psycopg.connect(url) as conn:
        notes = conn.execute(
            "SELECT association_id, call_id, call_reason_text FROM raw.calls"
        ).fetchall()
    scores = scrub_scores(notes, planted_identifiers(truth))
    assert set(scores.planted_by_kind) >= {"NOM", "PRENOM", "TEL", "DATE_NAISSANCE", "ADRESSE"}
    for kind, recall in scores.recall_by_kind.items():
        assert recall >= 0.995, (kind, recall, scores.planted_by_kind[kind])
    assert scores.recall >= 0.995
    assert scores.precision >= 0.9, scores
