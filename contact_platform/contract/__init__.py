"""The association extract contract: one definition used by the generator, loader and suites."""

from contact_platform.contract.entities import (
    CONTRACT_VERSION,
    ENTITIES,
    Column,
    ColumnType,
    Entity,
    Handling,
)

__all__ = ["CONTRACT_VERSION", "ENTITIES", "Column", "ColumnType", "Entity", "Handling"]
