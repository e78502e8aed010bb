from contact_platform.contract import ENTITIES
from contact_platform.contract.icpc2 import icpc2_codes
from contact_platform.quality.suites import render, suite_from_contract, suite_path


def test_committed_suites_are_those_the_contract_generates():
    for entity in ENTITIES.values():
        stored = suite_path(entity).read_text(encoding="utf-8")
        assert stored == render(suite_from_contract(entity)), (
            f"{suite_path(entity).name} is stale: run `contact quality write-suites`"
        )


def test_encounter_suite_checks_icpc2_codes_and_time_order():
    suite = suite_from_contract(ENTITIES["encounters"])
    value_sets = {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
    }
    assert value_sets["diagnosis_icpc2"] == list(icpc2_codes())
    assert "R80" in value_sets["diagnosis_icpc2"]
    assert any(
        e["type"] == "expect_column_pair_values_a_to_be_greater_than_b"
        for e in suite["expectations"]
    )


def test_suites_never_expect_identity_columns():
    for entity in ENTITIES.values():
        text = render(suite_from_contract(entity))
        for column in (
            "patient_nir",
            "patient_birth_name",
            "patient_first_name",
            "patient_birth_date",
            "patient_postcode",
        ):
            assert column not in text
