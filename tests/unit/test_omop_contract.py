"""The OMOP models' dbt contracts agree with OHDSI's CDM 5.4 specification, column by column."""

from pathlib import Path

import pytest
import yaml

from contact_platform.settings import DBT_PROJECT_DIR
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
        assert column.get("description"), column["name"]


def test_type_mapping_follows_ohdsi_postgres_ddl():
    assert postgres_type("datetime") == "timestamp"
    assert postgres_type("float") == "numeric"
    assert postgres_type("varchar(MAX)") == "text"
    assert postgres_type("Integer") == "integer"
