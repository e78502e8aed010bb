"""How a delivery is packaged: file names, and the manifest that makes it verifiable.

A delivery is everything one association sends for one period (a day, or an hour for near real
time): one CSV file per entity and a manifest, written last, that lists each file with its row
count and SHA-256. A re-delivery of the same period carries a higher sequence number and
replaces the earlier one whole.

    paris_20250106_01_calls.csv              paris_20250106T14_01_calls.csv   (hourly)
    paris_20250106_01.manifest.json          paris_20250106T14_01.manifest.json
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from contact_platform.contract.entities import CONTRACT_VERSION, ENTITIES, Entity

_NAME = re.compile(
    r"^(?P<association>[a-z0-9-]+)_(?P<period>\d{8}(?:T\d{2})?)_(?P<sequence>\d{2})"
    r"(?:_(?P<entity>[a-z_]+)\.csv|\.manifest\.json)$"
)
MANIFEST_SUFFIX = ".manifest.json"


class DeliveryNameError(ValueError):
    """A file whose name is not one the contract defines."""


@dataclass(frozen=True, order=True)
class DeliveryName:
    association_id: str
    period: str  # YYYYMMDD, or YYYYMMDDTHH for an hourly delivery
    sequence: int = 1

    @property
    def delivery_id(self) -> str:
        """Stable across re-deliveries: the association and period, not the sequence."""
        return f"{self.association_id}_{self.period}"

    @property
    def period_start(self) -> datetime:
        return datetime.strptime(self.period, "%Y%m%dT%H" if "T" in self.period else "%Y%m%d")

    @property
    def stem(self) -> str:
        return f"{self.association_id}_{self.period}_{self.sequence:02d}"

    def file_name(self, entity: str) -> str:
        return f"{self.stem}_{entity}.csv"

    @property
    def manifest_name(self) -> str:
        return self.stem + MANIFEST_SUFFIX


def parse_name(name: str) -> tuple[DeliveryName, Entity | None]:
    """The delivery a file belongs to, and its entity (None for the manifest)."""
    match = _NAME.match(name)
    if not match:
        raise DeliveryNameError(
            f"{name}: name is not <association>_<YYYYMMDD[THH]>_<NN>_<entity>.csv "
            "or <association>_<YYYYMMDD[THH]>_<NN>.manifest.json"
        )
    entity = None
    if match["entity"]:
        entity = ENTITIES.get(match["entity"])
        if entity is None:
            raise DeliveryNameError(f"{name}: unknown entity {match['entity']!r}")
    delivery = DeliveryName(match["association"], match["period"], int(match["sequence"]))
    try:
        delivery.period_start  # noqa: B018 - validates the calendar date
    except ValueError:
        raise DeliveryNameError(f"{name}: {match['period']} is not a calendar period") from None
    return delivery, entity


@dataclass(frozen=True)
class ManifestFile:
    name: str
    entity: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    association_id: str
    period: str
    sequence: int
    produced_at: str  # ISO 8601: when the association produced the delivery
    files: tuple[ManifestFile, ...] = field(default_factory=tuple)
    contract_version: str = CONTRACT_VERSION

    @property
    def delivery(self) -> DeliveryName:
        return DeliveryName(self.association_id, self.period, self.sequence)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        files = tuple(ManifestFile(**entry) for entry in data.pop("files"))
        return cls(files=files, **data)
