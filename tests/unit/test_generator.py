import hashlib
from pathlib import Path

import pytest

from contact_platform.contract.icpc2 import icpc2_codes
from contact_platform.contract.reader import read_extract
from contact_platform.ingest.deliveries import parse_delivery
from contact_platform.synthetic.extract import ExtractSpec, generate_extract


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_same_seed_gives_identical_bytes(tmp_path: Path):
    generate_extract(ExtractSpec(days=2, seed=7), tmp_path / "a")
    generate_extract(ExtractSpec(days=2, seed=7), tmp_path / "b")
    generate_extract(ExtractSpec(days=2, seed=8), tmp_path / "c")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert _digests(tmp_path / "a") != _digests(tmp_path / "c")


def test_files_meet_the_contract_and_encounters_follow_calls(tmp_path: Path):
    paths = generate_extract(ExtractSpec(days=3), tmp_path)
    assert len(paths) == 6
    records = {}
    for path in paths:
        delivery = parse_delivery(path)
        records.setdefault(delivery.entity.name, []).extend(
            record for _, record in read_extract(path, delivery.entity)
        )
    call_ids = {r["call_id"] for r in records["calls"]}
    assert all(r["call_id"] in call_ids for r in records["encounters"])
    assert all(r["diagnosis_icpc2"] in icpc2_codes() for r in records["encounters"])
    assert all(r["ended_at"] >= r["started_at"] for r in records["encounters"])
    with_nir = sum(r["patient_nir"] is not None for r in records["calls"])
    assert 0 < with_nir < len(records["calls"])


def test_invalid_icpc2_defect_breaks_every_diagnosis(tmp_path: Path):
    paths = generate_extract(ExtractSpec(days=1, defects=("invalid_icpc2",)), tmp_path)
    encounters = next(p for p in paths if "encounters" in p.name)
    delivery = parse_delivery(encounters)
    codes = {r["diagnosis_icpc2"] for _, r in read_extract(encounters, delivery.entity)}
    assert codes and codes.isdisjoint(icpc2_codes())


def test_unknown_defect_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown defects"):
        generate_extract(ExtractSpec(defects=("typo",)), tmp_path)
