"""The generator: contract-conformant, deterministic, realistic, defects as recorded."""

import csv
import hashlib
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from contact_platform.contract import ENTITIES
from contact_platform.contract.delivery import Manifest, parse_name
from contact_platform.contract.icpc2 import icpc2_codes
from contact_platform.contract.reader import read_extract
from contact_platform.privacy.nir import is_valid_nir
from contact_platform.synthetic.defects import DEFECTS
from contact_platform.synthetic.generator import GeneratorSpec, clock_text, generate

SMALL = GeneratorSpec(
    start=date(2025, 1, 6),
    days=3,
    scale=0.02,
    associations=("paris", "lyon", "la-reunion", "ajaccio"),
)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _records(folder: Path, entity: str) -> list[dict]:
    found = []
    for path in sorted(folder.rglob(f"*_{entity}.csv")):
        found += [record for _, record in read_extract(path, ENTITIES[entity])]
    return found


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("deliveries")
    truth = tmp_path_factory.mktemp("truth")
    generate(SMALL, out, truth, workers=1)
    return out, truth


def test_same_seed_gives_identical_bytes_whatever_the_workers(small, tmp_path: Path):
    out, truth = small
    generate(SMALL, tmp_path / "out", tmp_path / "truth", workers=2)
    assert _digests(tmp_path / "out") == _digests(out)
    assert _digests(tmp_path / "truth") == _digests(truth)
    other = GeneratorSpec(**{**SMALL.__dict__, "seed": 43})
    generate(other, tmp_path / "other", None, workers=1)
    assert _digests(tmp_path / "other") != _digests(out)


def test_every_file_meets_the_contract_and_its_manifest(small):
    out, _ = small
    manifests = sorted(out.rglob("*.manifest.json"))
    assert len(manifests) == 4 * 3
    for path in manifests:
        manifest = Manifest.from_json(path.read_text())
        assert {entry.entity for entry in manifest.files} == set(ENTITIES)
        for entry in manifest.files:
            file = path.parent / entry.name
            assert hashlib.sha256(file.read_bytes()).hexdigest() == entry.sha256
            _, entity = parse_name(entry.name)
            assert len(list(read_extract(file, entity))) == entry.rows


def test_records_hang_together(small):
    out, _ = small
    calls = _records(out, "calls")
    encounters = _records(out, "encounters")
    call_keys = {(c["association_id"], c["call_id"]) for c in calls}
    linked = [e for e in encounters if e["call_id"]]
    assert all((e["association_id"], e["call_id"]) in call_keys for e in linked)
    assert len(linked) < len(encounters), "walk-in consultations have no call"
    assert all(e["ended_at"] > e["started_at"] for e in encounters)
    encounter_keys = {(e["association_id"], e["encounter_id"]) for e in encounters}
    for entity in ("diagnoses", "vital_signs", "prescriptions"):
        assert all(
            (r["association_id"], r["encounter_id"]) in encounter_keys
            for r in _records(out, entity)
        )
    diagnoses = _records(out, "diagnoses")
    assert {d["icpc2_code"] for d in diagnoses} <= set(icpc2_codes())
    nirs = [c["patient_nir"] for c in calls if c["patient_nir"]]
    assert 0.4 < len(nirs) / len(calls) < 0.7
    assert all(is_valid_nir(nir) for nir in nirs)
    reunion = "".join(p.read_text() for p in (out / "la-reunion").glob("*_calls.csv"))
    paris = "".join(p.read_text() for p in (out / "paris").glob("*_calls.csv"))
    assert "+04:00;" in reunion and "+01:00;" not in reunion
    assert "+01:00;" in paris


def test_ground_truth_links_records_to_persons_and_notes_to_identifiers(small):
    out, truth = small
    persons = Counter()
    for path in (truth / "records").glob("*.csv"):
        with path.open() as handle:
            persons.update(row["person"] for row in csv.DictReader(handle, delimiter=";"))
    assert any(count > 1 for count in persons.values()), "some persons have several records"
    notes = {
        (c["association_id"], c["call_id"]): c["call_reason_text"] for c in _records(out, "calls")
    }
    kinds = Counter()
    for path in (truth / "identifiers").glob("*.csv"):
        association = path.stem
        with path.open() as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                assert row["value"] in notes[(association, row["call_id"])]
                kinds[row["kind"]] += 1
    assert {"NOM", "TEL", "ADRESSE", "DATE_NAISSANCE"} <= set(kinds)


def _share(out: Path, spec: GeneratorSpec, code: str) -> float:
    generate(spec, out, None, workers=1)
    diagnoses = [d for d in _records(out, "diagnoses") if d["kind"] == "diagnosis"]
    return sum(d["icpc2_code"] == code for d in diagnoses) / len(diagnoses)


def test_influenza_peaks_in_winter_and_bronchiolitis_in_december(tmp_path: Path):
    base = dict(days=7, scale=0.05, associations=("paris", "lyon"))
    february = _share(tmp_path / "feb", GeneratorSpec(start=date(2025, 2, 3), **base), "R80")
    august = _share(tmp_path / "aug", GeneratorSpec(start=date(2025, 8, 4), **base), "R80")
    assert february > 5 * max(august, 0.002)
    assert _share(tmp_path / "dec", GeneratorSpec(start=date(2025, 12, 1), **base), "R78") > _share(
        tmp_path / "jun", GeneratorSpec(start=date(2025, 6, 2), **base), "R78"
    )


def test_calls_peak_in_the_evening_and_at_weekends(tmp_path: Path):
    spec = GeneratorSpec(start=date(2025, 3, 3), days=7, scale=0.05, associations=("paris",))
    generate(spec, tmp_path, None, workers=1)
    calls = _records(tmp_path, "calls")  # timestamps in UTC; Paris is UTC+1 in early March
    weekday = [c for c in calls if c["received_at"].weekday() < 5]
    evening = sum(19 <= (c["received_at"].hour + 1) % 24 <= 22 for c in weekday)
    afternoon = sum(13 <= (c["received_at"].hour + 1) % 24 <= 16 for c in weekday)
    assert evening > 1.5 * afternoon
    per_day = Counter(c["received_at"].date() for c in calls)
    assert per_day[date(2025, 3, 8)] > 1.3 * per_day[date(2025, 3, 4)]


def test_unknown_defect_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown defects"):
        generate(GeneratorSpec(defects=("typo",)), tmp_path)


def test_every_defect_is_planted_exactly_as_the_truth_records(tmp_path: Path):
    spec = GeneratorSpec(
        start=date(2025, 1, 6),
        days=2,
        scale=0.05,
        defects=tuple(DEFECTS),
        defect_rate=1.0,
        associations=("paris", "lyon", "nice"),
    )
    out, truth = tmp_path / "out", tmp_path / "truth"
    generate(spec, out, truth, workers=1)
    planted = []
    for path in (truth / "defects").glob("*.csv"):
        with path.open() as handle:
            planted += [(path.stem, row) for row in csv.DictReader(handle, delimiter=";")]
    kinds = Counter(row["kind"] for _, row in planted)
    assert set(kinds) == set(DEFECTS)

    def lines(association: str, name: str) -> list[list[str]]:
        data = (out / association / name).read_bytes().decode("utf-8", errors="replace")
        return [line.split(";") for line in data.split("\n")]

    truncated = {(a, row["file"]) for a, row in planted if row["kind"] == "truncated_file"}
    for association, row in planted:
        kind, name = row["kind"], row["file"]
        last_line_cut = (association, name) in truncated and int(row["line"] or 0) == len(
            lines(association, name)
        )
        if last_line_cut:
            continue  # the defect sits on the line that truncation cut
        if kind in (
            "duplicate_rows",
            "missing_mandatory",
            "invalid_nir_key",
            "unknown_icpc2",
            "implausible_vitals",
            "time_order",
        ):
            table = lines(association, name)
            fields = dict(zip(table[0], table[int(row["line"]) - 1], strict=True))
            if kind == "duplicate_rows":
                assert table.count(table[int(row["line"]) - 1]) == 2
            elif kind == "missing_mandatory":
                assert fields[row["column"]] == ""
            elif kind == "invalid_nir_key":
                assert not is_valid_nir(fields["patient_nir"])
            elif kind == "unknown_icpc2":
                assert fields["icpc2_code"] not in icpc2_codes()
            elif kind == "implausible_vitals":
                assert fields[row["column"]] in ("48.5", "130")
            else:
                assert fields["ended_at"] < fields["started_at"]
        elif kind == "latin1_file":
            with pytest.raises(UnicodeDecodeError):
                (out / association / name).read_bytes().decode("utf-8")
        elif kind == "truncated_file":
            assert not (out / association / name).read_bytes().endswith(b"\n")
        else:
            manifest = Manifest.from_json((out / association / name).read_text())
            if kind == "late_file":
                produced = datetime.fromisoformat(manifest.produced_at).replace(tzinfo=None)
                assert (produced - manifest.delivery.period_start).days >= 3
            else:
                assert manifest.sequence == 2

    # Nothing is defective but what the truth records.
    codes = Counter(
        d["icpc2_code"] in icpc2_codes()
        for path in out.rglob("*_diagnoses.csv")
        for d in csv.DictReader(path.open(encoding="utf-8"), delimiter=";")
    )
    assert codes[False] == kinds["unknown_icpc2"] * 1
    undecodable = 0
    for path in out.rglob("*.csv"):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            undecodable += 1
    assert undecodable == kinds["latin1_file"]


def test_a_time_before_midnight_is_written_on_the_evening_before():
    """A follow-up due at 23:50 the evening before its delivery day was once written three days
    later (a negative day index wrapped around), so its encounter ended before it started."""
    days = {-1: "2025-01-09", 0: "2025-01-10", 1: "2025-01-11"}
    assert clock_text(-600, days, "+01:00") == "2025-01-09T23:50:00+01:00"
    assert clock_text(86400 + 60, days, "+01:00") == "2025-01-11T00:01:00+01:00"
    with pytest.raises(KeyError):
        clock_text(-86400 - 1, days, "+01:00")  # never silently another day
