from datetime import datetime

import pytest

from contact_platform.contract.delivery import (
    DeliveryName,
    DeliveryNameError,
    Manifest,
    ManifestFile,
    parse_name,
)


def test_file_and_manifest_names_round_trip():
    name = DeliveryName("paris", "20250131", 2)
    assert parse_name(name.file_name("encounters")) == (
        name,
        parse_name(name.file_name("encounters"))[1],
    )
    assert parse_name(name.file_name("encounters"))[1].name == "encounters"
    assert parse_name(name.manifest_name) == (name, None)
    assert name.delivery_id == "paris_20250131"
    assert name.period_start == datetime(2025, 1, 31)


def test_hourly_deliveries():
    name, entity = parse_name("la-reunion_20250131T14_01_calls.csv")
    assert name.period_start == datetime(2025, 1, 31, 14)
    assert name.delivery_id == "la-reunion_20250131T14"
    assert entity.name == "calls"


@pytest.mark.parametrize(
    ("file_name", "reason"),
    [
        ("paris_2025013_01_calls.csv", "name is not"),
        ("Paris_20250131_01_calls.csv", "name is not"),
        ("paris_20250131_calls.csv", "name is not"),
        ("paris_20250131_01_invoices.csv", "unknown entity"),
        ("paris_20250231_01_calls.csv", "not a calendar period"),
        ("paris_20250131_01_calls.txt", "name is not"),
    ],
)
def test_bad_names_say_why(file_name, reason):
    with pytest.raises(DeliveryNameError, match=reason):
        parse_name(file_name)


def test_manifest_json_round_trip():
    manifest = Manifest(
        "paris",
        "20250131",
        1,
        "2025-02-01T06:00:00+00:00",
        (ManifestFile("paris_20250131_01_calls.csv", "calls", 3, "ab" * 32),),
    )
    assert Manifest.from_json(manifest.to_json()) == manifest
    assert manifest.delivery == DeliveryName("paris", "20250131", 1)
