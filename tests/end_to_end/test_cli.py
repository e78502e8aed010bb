"""The `contact` command's database and generator commands."""

from pathlib import Path

from typer.testing import CliRunner

from contact_platform.cli import app

runner = CliRunner()


def test_db_url_and_env_point_at_the_embedded_warehouse(warehouse_settings, warehouse_url):
    env = {"CONTACT_HOME": str(warehouse_settings.home), "CONTACT_DATABASE_URL": ""}
    url = runner.invoke(app, ["db", "url"], env=env)
    assert url.exit_code == 0, url.output
    assert url.output.strip() == warehouse_url
    exports = runner.invoke(app, ["db", "env"], env=env)
    socket_dir = warehouse_url.split("host=")[1]
    assert f"export PGHOST='{socket_dir}'" in exports.output
    assert "export PGDATABASE='contact'" in exports.output


def test_db_url_prefers_the_external_setting(tmp_path: Path):
    env = {"CONTACT_HOME": str(tmp_path), "CONTACT_DATABASE_URL": "postgresql://u@db:5433/x"}
    result = runner.invoke(app, ["db", "url"], env=env)
    assert result.output.strip() == "postgresql://u@db:5433/x"
    assert not (tmp_path / "pgdata").exists()


def test_db_stop_when_nothing_runs(tmp_path: Path):
    result = runner.invoke(app, ["db", "stop"], env={"CONTACT_HOME": str(tmp_path)})
    assert result.exit_code == 0
    assert "not running" in result.output


def test_generate_writes_deliveries_and_truth_apart(tmp_path: Path):
    out = tmp_path / "deliveries"
    result = runner.invoke(
        app,
        [
            "generate",
            "--out",
            str(out),
            "--days",
            "2",
            "--associations",
            "paris,lyon",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "4 deliveries, 24 files" in result.output
    assert len(list(out.rglob("*.manifest.json"))) == 4
    assert (tmp_path / "deliveries-truth" / "records" / "paris.csv").exists()
    assert not list(out.rglob("records"))


def test_generate_refuses_an_unknown_defect_or_association(tmp_path: Path):
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), "--defect", "typo"])
    assert result.exit_code == 2
    assert "unknown defects" in result.output
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), "--associations", "atlantis"])
    assert result.exit_code == 2
    assert "unknown association" in result.output


def test_vocab_commands_load_athena_and_refuse_a_bad_usagi_file(
    warehouse_settings, empty_warehouse, tmp_path: Path
):
    from tests.integration.test_vocabulary import usagi_file, write_athena

    env = {"CONTACT_HOME": str(warehouse_settings.home), "CONTACT_DATABASE_URL": ""}
    loaded = runner.invoke(
        app, ["vocab", "load-athena", str(write_athena(tmp_path / "a"))], env=env
    )
    assert loaded.exit_code == 0, loaded.output
    assert "concept: 26 rows from CONCEPT.csv" in loaded.output
    bad = usagi_file(tmp_path / "map.csv", [("Q99", "APPROVED", "8507")])
    refused = runner.invoke(app, ["vocab", "import-usagi", str(bad)], env=env)
    assert refused.exit_code == 1
    assert "map.csv, line 2, column sourceCode: 'Q99'" in refused.output
    assert "nothing was changed" in refused.output
    missing = runner.invoke(app, ["vocab", "load-athena", str(tmp_path / "nowhere")], env=env)
    assert missing.exit_code == 1 and "not a directory" in missing.output
