"""The OMOP models' dbt contracts agree with OHDSI's CDM 5.4 specification, column by column."""

from pathlib import Path

import pytest
import yaml

from contact_platform.settings import DBT_PROJECT_DIR
from contact_platform.transform.omop_schema import SCHEMA_FILE, render
from contact_platform.transform.omop_spec import omop_fields, postgres_type

OMOP_DIR = DBT_PROJECT_DIR / "models" / "omop"


def _models() -> dict[str, dict]:
    models = {}
    for path in OMOP_DIR.glob("*.yml"):
        for model in yaml.safe_load(Path(path).read_text())["models"]:
            models[model["name"]] = model
    return models


MODELS = _models()


def test_every_omop_sql_model_is_declared():
    assert {path.stem for path in OMOP_DIR.glob("*.sql")} == set(MODELS)


@pytest.mark.parametrize("table", sorted(MODELS))
def test_columns_types_and_required_fields_match_the_specification(table):
    model = MODELS[table]
    assert model["config"]["contract"]["enforced"] is True
    declared = [(c["name"], c["data_type"]) for c in model["columns"]]
    expected = [(f.name, f.data_type) for f in omop_fields(table)]
    assert declared == expected
    for column, spec in zip(model["columns"], omop_fields(table), strict=True):
        constraints = {c["type"] for c in column.get("constraints", [])}
        assert ("not_null" in constraints) == spec.required, column["name"]
        assert ("primary_key" in constraints) == spec.primary_key, column["name"]
        # What a constraint enforces is not tested again (a test would re-read the table).
        tests = {t for t in column.get("data_tests", []) if isinstance(t, str)}
        assert not tests & {"not_null", "unique"}, column["name"]
        assert column.get("description"), column["name"]


def test_type_mapping_follows_ohdsi_postgres_ddl():
    assert postgres_type("datetime") == "timestamp"
    assert postgres_type("float") == "numeric"
    assert postgres_type("varchar(MAX)") == "text"
    assert postgres_type("Integer") == "integer"


def test_the_committed_schema_is_the_rendered_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), (
        "run: python -m contact_platform.transform.omop_schema --write"
    )


def test_concept_fields_are_checked_for_domain_and_standardness():
    columns = {c["name"]: c for c in MODELS["condition_occurrence"]["columns"]}
    [concept] = [t for t in columns["condition_concept_id"]["data_tests"] if "valid_concept" in t]
    assert concept["valid_concept"]["arguments"] == {"standard": True, "domain": "Condition"}
    [source] = [
        t for t in columns["condition_source_concept_id"]["data_tests"] if "valid_concept" in t
    ]
    assert source["valid_concept"]["arguments"] == {"standard": False}
    assert "within_visit" in columns["condition_start_date"]["data_tests"]
    assert {"relationships": {"arguments": {"to": "ref('person')", "field": "person_id"}}} in (
        columns["person_id"]["data_tests"]
    )
