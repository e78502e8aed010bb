from contact_platform.contract import ENTITIES
from contact_platform.contract.icpc2 import icpc2_codes
from contact_platform.quality.suites import SuiteTarget, generated_suites, render, stored_targets
from contact_platform.quality.suites.omop import omop_suite, omop_tables
from contact_platform.quality.suites.published import mart_suite
from contact_platform.quality.suites.raw import raw_suite
from contact_platform.quality.suites.staging import staging_suite
from contact_platform.transform.assets import DBT_LAYERS
from contact_platform.vocabulary.tables import VOCABULARY_TABLES


def _of_type(suite: dict, kind: str) -> list[dict]:
    return [e for e in suite["expectations"] if e["type"] == kind]


def test_committed_suites_are_those_the_generators_make():
    generated = generated_suites()
    assert set(stored_targets()) == set(generated), "run `contact quality write-suites`"
    for target, suite in generated.items():
        stored = target.path.read_text(encoding="utf-8")
        assert stored == render(suite), f"{target.path.name} is stale: run write-suites"


def test_every_raw_staging_omop_and_mart_table_has_a_suite():
    targets = set(stored_targets())
    dbt_tables = {SuiteTarget(*key.path) for layer in DBT_LAYERS for key in layer.keys}
    gated = {t for t in dbt_tables if t.schema in ("staging", "omop", "marts", "operations")}
    assert gated and gated <= targets
    assert {SuiteTarget("raw", name) for name in ENTITIES} <= targets
    assert {SuiteTarget("omop", table) for table in omop_tables()} <= targets
    assert {SuiteTarget("vocab", table) for table in VOCABULARY_TABLES} <= targets


def test_diagnoses_are_checked_against_the_icpc2_code_list():
    for suite in (raw_suite(ENTITIES["diagnoses"]), staging_suite(ENTITIES["diagnoses"])):
        value_sets = {
            e["kwargs"]["column"]: e["kwargs"]["value_set"]
            for e in _of_type(suite, "expect_column_values_to_be_in_set")
        }
        assert value_sets["icpc2_code"] == list(icpc2_codes())
        assert "R80" in value_sets["icpc2_code"] and "Q99" not in value_sets["icpc2_code"]


def test_business_rules_and_plausible_ranges():
    pairs = _of_type(
        raw_suite(ENTITIES["encounters"]), "expect_column_pair_values_a_to_be_greater_than_b"
    )
    assert pairs[0]["kwargs"]["column_A"] == "ended_at"
    ranges = {
        e["kwargs"]["column"]: (e["kwargs"]["min_value"], e["kwargs"]["max_value"])
        for e in _of_type(raw_suite(ENTITIES["vital_signs"]), "expect_column_values_to_be_between")
    }
    assert ranges["temperature_c"] == (33, 43) and ranges["spo2_percent"] == (50, 100)
    diagnosis_ranges = _of_type(
        raw_suite(ENTITIES["diagnoses"]), "expect_column_values_to_be_between"
    )
    assert [e["kwargs"]["column"] for e in diagnosis_ranges] == ["position"], (
        "patient rules only apply to entities that describe a patient"
    )


def test_omop_suites_follow_the_specification():
    suite = omop_suite("visit_occurrence")
    [columns] = _of_type(suite, "expect_table_columns_to_match_set")
    assert "visit_occurrence_id" in columns["kwargs"]["column_set"]
    order = {
        (e["kwargs"]["column_A"], e["kwargs"]["column_B"])
        for e in _of_type(suite, "expect_column_pair_values_a_to_be_greater_than_b")
    }
    assert ("visit_end_date", "visit_start_date") in order


def test_cross_table_rules_wrap_the_batch_so_that_it_can_be_aliased():
    for suite in (staging_suite(ENTITIES["vital_signs"]), mart_suite("mart_daily_activity")):
        for e in _of_type(suite, "expect_query_to_return_no_rows"):
            query = e["kwargs"]["unexpected_rows_query"]
            assert "(SELECT * FROM {batch})" in query and "{rows}" not in query


def test_suites_never_expect_identity_columns():
    identity = [c.name for c in ENTITIES["calls"].columns if c.handling.value == "identity"]
    assert "patient_nir" in identity
    for suite in generated_suites().values():
        text = render(suite)
        for column in identity:
            if column != "patient_sex":  # sex survives ingestion as a coarse trait
                assert f'"{column}"' not in text
