from datetime import date
from pathlib import Path

import pytest

from contact_platform.ingest.deliveries import parse_delivery


def test_delivery_is_read_from_the_file_name():
    delivery = parse_delivery(Path("/in/paris_encounters_20250131.csv"))
    assert delivery.association_id == "paris"
    assert delivery.entity.name == "encounters"
    assert delivery.day == date(2025, 1, 31)
    assert delivery.delivery_id == "paris_encounters_20250131"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("paris_calls_2025013.csv", "name is not"),
        ("Paris_calls_20250131.csv", "name is not"),
        ("paris_prescriptions_20250131.csv", "unknown entity"),
        ("paris_calls_20250231.csv", "not a calendar day"),
        ("paris_calls_20250131.txt", "name is not"),
    ],
)
def test_bad_names_say_why(name, reason):
    with pytest.raises(ValueError, match=reason):
        parse_delivery(Path(name))
