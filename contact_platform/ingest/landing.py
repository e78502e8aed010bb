"""The landing zone: `incoming/` is watched, `archive/` keeps what was loaded, `quarantine/` keeps
what was refused, each refused delivery beside a `.reason.txt` that says why.

A delivery is ready when its manifest is there: associations write the manifest last. Files
are moved, never copied then deleted, so nothing leaves incoming/ before it is archived or
quarantined.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from contact_platform.contract.delivery import MANIFEST_SUFFIX, DeliveryName, parse_name


@dataclass(frozen=True)
class ReadyDelivery:
    name: DeliveryName
    manifest: Path
    files: tuple[Path, ...]  # every file of incoming/ whose name belongs to this delivery

    @property
    def paths(self) -> tuple[Path, ...]:
        return (*self.files, self.manifest)


def ready_deliveries(incoming: Path) -> list[ReadyDelivery]:
    """Deliveries whose manifest has arrived, oldest period and sequence first."""
    if not incoming.exists():
        return []
    ready = []
    for manifest in incoming.rglob("*" + MANIFEST_SUFFIX):
        name, _ = parse_name(manifest.name)
        files = tuple(sorted(manifest.parent.glob(f"{name.stem}_*.csv")))
        ready.append(ReadyDelivery(name, manifest, files))
    return sorted(
        ready,
        key=lambda delivery: (
            delivery.name.period,
            delivery.name.sequence,
            delivery.name.association_id,
        ),
    )


def unrecognised_files(incoming: Path) -> list[Path]:
    """Files in incoming/ whose names the contract does not define."""
    found = []
    for path in sorted(p for p in incoming.rglob("*") if p.is_file()) if incoming.exists() else []:
        try:
            parse_name(path.name)
        except ValueError:
            found.append(path)
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(paths: tuple[Path, ...], archive_dir: Path, association_id: str) -> None:
    """Move loaded files out of incoming/, under archive/<association>/."""
    for path in paths:
        _move(path, archive_dir / association_id)


def quarantine(paths: tuple[Path, ...], quarantine_dir: Path, reason: str) -> None:
    """Move refused files out of incoming/, each with the reason beside it."""
    for path in paths:
        target = _move(path, quarantine_dir)
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    suffix = 1
    while target.exists():
        target = folder / f"{path.name}.{suffix}"
        suffix += 1
    shutil.move(path, target)
    return target


def archived_delivery(archive_dir: Path, delivery_id: str) -> ReadyDelivery | None:
    """The latest archived sequence of a delivery, to re-materialise it after it was loaded."""
    association = delivery_id.rsplit("_", 1)[0]
    manifests = sorted((archive_dir / association).glob(f"{delivery_id}_*{MANIFEST_SUFFIX}"))
    for manifest in reversed(manifests):
        name, _ = parse_name(manifest.name)
        files = tuple(sorted(manifest.parent.glob(f"{name.stem}_*.csv")))
        return ReadyDelivery(name, manifest, files)
    return None
