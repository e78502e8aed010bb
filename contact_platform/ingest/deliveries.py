"""Naming of delivered files: `<association>_<entity>_<YYYYMMDD>.csv`, one file per delivery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from contact_platform.contract import ENTITIES, Entity

_FILE_NAME = re.compile(r"^(?P<association>[a-z0-9-]+)_(?P<entity>[a-z_]+)_(?P<day>\d{8})\.csv$")


@dataclass(frozen=True)
class Delivery:
    path: Path
    association_id: str
    entity: Entity
    day: date

    @property
    def delivery_id(self) -> str:
        """Stable across re-deliveries, so a re-delivery replaces what it delivered before."""
        return f"{self.association_id}_{self.entity.name}_{self.day:%Y%m%d}"


def file_name(association_id: str, entity: str, day: date) -> str:
    return f"{association_id}_{entity}_{day:%Y%m%d}.csv"


def parse_delivery(path: Path) -> Delivery:
    """The delivery a file is, or ValueError saying why its name is not one."""
    match = _FILE_NAME.match(path.name)
    if not match:
        raise ValueError(f"{path.name}: name is not <association>_<entity>_<YYYYMMDD>.csv")
    entity = ENTITIES.get(match["entity"])
    if entity is None:
        raise ValueError(f"{path.name}: unknown entity {match['entity']!r}")
    try:
        day = datetime.strptime(match["day"], "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{path.name}: {match['day']} is not a calendar day") from None
    return Delivery(path, match["association"], entity, day)
