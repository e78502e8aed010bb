"""Ingestion as Dagster runs it: partitions per delivery, the landing sensor, quarantine."""

import dataclasses
import hashlib
import json

import dagster as dg
import psycopg
import pytest

from contact_platform.contract.delivery import Manifest
from contact_platform.definitions import build_definitions
from contact_platform.ingest.assets import association_deliveries
from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.partitions import DELIVERIES, register
from contact_platform.ingest.resource import LandingZoneResource
from contact_platform.privacy.resource import PseudonymisationResource
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.warehouse.resource import WarehouseResource

SPEC = GeneratorSpec(days=2, scale=0.05, associations=("paris", "lyon"))


@pytest.fixture
def landing(empty_warehouse, warehouse_settings) -> LandingZoneResource:
    generate(SPEC, warehouse_settings.incoming_dir, workers=1)
    return LandingZoneResource.from_settings(warehouse_settings)


@pytest.fixture
def resources(landing, warehouse_settings) -> dict:
    return {
        "warehouse": WarehouseResource.from_settings(warehouse_settings),
        "landing_zone": landing,
        "pseudonymisation": PseudonymisationResource.from_settings(warehouse_settings),
    }


def _materialise(instance, resources, key: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [association_deliveries],
        partition_key=key,
        resources=resources,
        instance=instance,
        raise_on_error=False,
    )


def _raw_calls(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM raw.calls").fetchone()[0]


def test_a_partition_loads_its_delivery_and_archives_it(resources, landing, empty_warehouse):
    with dg.instance_for_test() as instance:
        keys = register(instance, [d.name.delivery_id for d in ready_deliveries(landing.incoming)])
        assert keys == ["lyon_20250106", "lyon_20250107", "paris_20250106", "paris_20250107"]
        result = _materialise(instance, resources, "paris_20250106")
        assert result.success
        assert not list(landing.incoming.rglob("paris_20250106_*"))
        assert len(list((landing.archive / "paris").glob("paris_20250106_01*"))) == 6
        loaded = _raw_calls(empty_warehouse)
        assert loaded > 0
        # Re-materialising the partition reloads it from the archive: same rows, no duplicate.
        assert _materialise(instance, resources, "paris_20250106").success
        assert _raw_calls(empty_warehouse) == loaded


def _break(landing: LandingZoneResource, entity: str, edit) -> None:
    """Damage one file of paris_20250107 and re-sign its manifest, as a faulty system would."""
    manifest_path = next(landing.incoming.rglob("paris_20250107_01.manifest.json"))
    manifest = Manifest.from_json(manifest_path.read_text())
    entries = []
    for entry in manifest.files:
        if entry.entity == entity:
            path = manifest_path.parent / entry.name
            path.write_bytes(edit(path.read_bytes()))
            entry = dataclasses.replace(entry, sha256=hashlib.sha256(path.read_bytes()).hexdigest())
        entries.append(entry)
    manifest_path.write_text(dataclasses.replace(manifest, files=tuple(entries)).to_json())


@pytest.mark.parametrize(
    ("entity", "edit", "reason"),
    [
        ("calls", lambda data: b"\xef\xbb\xbf" + data, "byte-order mark"),
        ("calls", lambda data: data.decode().replace(";", ",").encode(), "missing columns"),
        ("calls", lambda data: data.decode().encode("latin-1"), "not valid utf-8"),
        ("encounters", lambda data: data.replace(b";outcome;", b";"), "missing columns"),
        ("encounters", lambda data: data.replace(b"\n", b";bonus\n", 1), "unexpected columns"),
        ("diagnoses", lambda data: b"", "empty file"),
    ],
)
def test_a_broken_file_quarantines_its_delivery_and_fails_the_run(
    resources, landing, empty_warehouse, entity, edit, reason
):
    _break(landing, entity, edit)
    with dg.instance_for_test() as instance:
        register(instance, ["paris_20250107"])
        result = _materialise(instance, resources, "paris_20250107")
    assert not result.success
    failure = result.failure_data_for_node("association_deliveries").error.message
    assert "1 quarantined" in failure and reason in failure
    quarantined = sorted(p.name for p in landing.quarantine.iterdir())
    assert len([n for n in quarantined if n.endswith(".reason.txt")]) == 6
    reasons = {(landing.quarantine / n).read_text() for n in quarantined if n.endswith(".txt")}
    assert len(reasons) == 1 and reason in reasons.pop()
    assert not list(landing.incoming.rglob("paris_20250107_*")), "nothing left in incoming"
    assert _raw_calls(empty_warehouse) == 0, "nothing of the delivery was loaded"


def test_a_file_whose_name_is_not_in_the_contract_is_quarantined(resources, landing):
    stray = landing.incoming / "paris" / "extraction finale.xlsx"
    stray.write_text("not a delivery")
    with dg.instance_for_test() as instance:
        register(instance, ["lyon_20250106"])
        result = _materialise(instance, resources, "lyon_20250106")
    assert not result.success
    assert (
        (landing.quarantine / "extraction finale.xlsx.reason.txt")
        .read_text()
        .startswith("extraction finale.xlsx: name is not")
    )


def test_the_sensor_requests_each_delivery_once(landing, warehouse_settings):
    sensor = build_definitions(warehouse_settings).get_sensor_def("incoming_deliveries")
    with dg.instance_for_test() as instance:
        first = sensor(
            dg.build_sensor_context(instance=instance, resources={"landing_zone": landing})
        )
        keys = sorted(request.partition_key for request in first.run_requests)
        assert keys == ["lyon_20250106", "lyon_20250107", "paris_20250106", "paris_20250107"]
        [added] = first.dynamic_partitions_requests
        assert added.partitions_def_name == DELIVERIES.name
        assert sorted(added.partition_keys) == keys

        again = sensor(
            dg.build_sensor_context(
                instance=instance, cursor=first.cursor, resources={"landing_zone": landing}
            )
        )
        assert again.run_requests == []

        racing = sensor(
            dg.build_sensor_context(instance=instance, resources={"landing_zone": landing})
        )
        assert {r.run_key for r in racing.run_requests} == {r.run_key for r in first.run_requests}

        # A delivery that has left incoming/ is forgotten by the cursor.
        for path in next(landing.incoming.rglob("paris_20250106_01.manifest.json")).parent.glob(
            "paris_20250106_01*"
        ):
            path.unlink()
        after = sensor(
            dg.build_sensor_context(
                instance=instance, cursor=first.cursor, resources={"landing_zone": landing}
            )
        )
        assert len(json.loads(after.cursor)) == 3


def test_two_runs_racing_on_the_same_delivery_load_it_once(resources, landing, empty_warehouse):
    with dg.instance_for_test() as instance:
        register(instance, ["lyon_20250106"])
        assert _materialise(instance, resources, "lyon_20250106").success
        once = _raw_calls(empty_warehouse)
        assert _materialise(instance, resources, "lyon_20250106").success
    assert _raw_calls(empty_warehouse) == once


def test_the_sensor_targets_every_key_of_the_ingest_asset(warehouse_settings):
    from contact_platform.definitions import RAW_ASSETS

    graph = build_definitions(warehouse_settings).resolve_asset_graph()
    assert RAW_ASSETS.resolve(graph) == set(association_deliveries.keys)
