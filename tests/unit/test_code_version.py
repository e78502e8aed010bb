"""Bench results name the code they measured: the commit, and whether it was modified."""

import subprocess
from pathlib import Path

from contact_platform.operations.bench import code_version


def _git(folder: Path, *args: str) -> str:
    command = ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def test_a_checkout_gives_its_commit_and_whether_it_was_modified(tmp_path: Path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "model.sql").write_text("select 1\n")
    (tmp_path / "untracked.json").write_text("{}\n")
    _git(tmp_path, "add", "model.sql")
    _git(tmp_path, "commit", "-q", "-m", "first")
    head = _git(tmp_path, "rev-parse", "HEAD")

    # An untracked file (a new results file) does not make the code modified.
    assert code_version(tmp_path) == {"commit": head, "modified": False}
    (tmp_path / "model.sql").write_text("select 2\n")
    assert code_version(tmp_path) == {"commit": head, "modified": True}


def test_outside_a_checkout_there_is_no_version(tmp_path: Path):
    (tmp_path / "site-packages").mkdir()
    _git(tmp_path, "init", "-q")  # an enclosing repository is not the code's own
    assert code_version(tmp_path / "site-packages") is None
