"""The columns of a dbt model as its folder's YAML documents them: what analysts are promised."""

from __future__ import annotations

from functools import cache

import yaml

from contact_platform.settings import DBT_PROJECT_DIR


@cache
def _documented_models(folder: str) -> dict[str, list[str]]:
    models: dict[str, list[str]] = {}
    for path in sorted((DBT_PROJECT_DIR / "models" / folder).glob("_*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            models[model["name"]] = [column["name"] for column in model.get("columns", [])]
    return models


def documented_columns(folder: str, model: str) -> list[str]:
    """The columns `model` of models/`folder` documents, in their order."""
    return _documented_models(folder)[model]
