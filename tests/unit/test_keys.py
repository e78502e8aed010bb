from pathlib import Path

import pytest

from contact_platform.privacy.keys import DEMO_KEY, PseudonymKeyError, load_key

SECRET = "s" * 40


def test_demo_key_only_on_the_embedded_warehouse():
    assert load_key(None, None, allow_demo_key=True) == DEMO_KEY
    with pytest.raises(PseudonymKeyError, match="no pseudonymisation key"):
        load_key(None, None, allow_demo_key=False)
    with pytest.raises(PseudonymKeyError, match="demo key"):
        load_key(DEMO_KEY.decode(), None, allow_demo_key=False)


def test_key_from_environment_or_file(tmp_path: Path):
    assert load_key(SECRET, None, allow_demo_key=False) == SECRET.encode()
    key_file = tmp_path / "key"
    key_file.write_text(SECRET + "\n")
    assert load_key(None, key_file, allow_demo_key=False) == SECRET.encode()


def test_short_or_ambiguous_keys_are_refused(tmp_path: Path):
    with pytest.raises(PseudonymKeyError, match="at least 32 bytes"):
        load_key("short", None, allow_demo_key=False)
    key_file = tmp_path / "key"
    key_file.write_text(SECRET)
    with pytest.raises(PseudonymKeyError, match="not both"):
        load_key(SECRET, key_file, allow_demo_key=False)
