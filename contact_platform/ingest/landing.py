"""The landing zone: `incoming/` is watched, `archive/` keeps what was loaded, `quarantine/` keeps
what was refused, each refused file beside a `.reason.txt` that says why."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def incoming_files(incoming: Path) -> list[Path]:
    """Delivered files waiting to be loaded, oldest name first (names sort by day)."""
    return sorted(path for path in incoming.rglob("*.csv") if path.is_file())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive(path: Path, archive_dir: Path) -> Path:
    """Move a loaded file out of incoming; a re-delivery keeps the earlier file beside it."""
    return _move(path, archive_dir)


def quarantine(path: Path, quarantine_dir: Path, reason: str) -> Path:
    """Move a refused file out of incoming, with its reason beside it."""
    target = _move(path, quarantine_dir)
    target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def _move(path: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    suffix = 1
    while target.exists():
        target = folder / f"{path.stem}.{suffix}{path.suffix}"
        suffix += 1
    shutil.move(path, target)
    return target
