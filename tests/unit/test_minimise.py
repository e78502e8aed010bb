import pytest

from contact_platform.privacy.minimise import department_from_postcode


@pytest.mark.parametrize(
    ("postcode", "department"),
    [
        ("75011", "75"),
        ("01000", "01"),
        ("20000", "2A"),
        ("20200", "2B"),
        ("97400", "974"),
        ("7501", None),
        ("ABCDE", None),
        (None, None),
        ("", None),
    ],
)
def test_department_from_postcode(postcode, department):
    assert department_from_postcode(postcode) == department
