from contact_platform.contract import ENTITIES
from contact_platform.contract.icpc2 import icpc2_codes
from contact_platform.quality.suites import render, suite_from_contract, suite_path


def _of_type(entity: str, kind: str) -> list[dict]:
    return [e for e in suite_from_contract(ENTITIES[entity])["expectations"] if e["type"] == kind]


def test_committed_suites_are_those_the_contract_generates():
    for entity in ENTITIES.values():
        stored = suite_path(entity).read_text(encoding="utf-8")
        assert stored == render(suite_from_contract(entity)), (
            f"{suite_path(entity).name} is stale: run `contact quality write-suites`"
        )


def test_diagnoses_are_checked_against_the_icpc2_code_list():
    value_sets = {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in _of_type("diagnoses", "expect_column_values_to_be_in_set")
    }
    assert value_sets["icpc2_code"] == list(icpc2_codes())
    assert "R80" in value_sets["icpc2_code"] and "Q99" not in value_sets["icpc2_code"]


def test_business_rules_and_plausible_ranges():
    pairs = _of_type("encounters", "expect_column_pair_values_a_to_be_greater_than_b")
    assert pairs[0]["kwargs"]["column_A"] == "ended_at"
    ranges = {
        e["kwargs"]["column"]: (e["kwargs"]["min_value"], e["kwargs"]["max_value"])
        for e in _of_type("vital_signs", "expect_column_values_to_be_between")
    }
    assert ranges["temperature_c"] == (33, 43) and ranges["spo2_percent"] == (50, 100)
    diagnosis_ranges = _of_type("diagnoses", "expect_column_values_to_be_between")
    assert [e["kwargs"]["column"] for e in diagnosis_ranges] == ["position"], (
        "patient rules only apply to entities that describe a patient"
    )


def test_suites_never_expect_identity_columns():
    identity = [c.name for c in ENTITIES["calls"].columns if c.handling.value == "identity"]
    assert "patient_nir" in identity
    for entity in ENTITIES.values():
        text = render(suite_from_contract(entity))
        for column in identity:
            if column != "patient_sex":  # sex survives ingestion as a coarse trait
                assert f'"{column}"' not in text
