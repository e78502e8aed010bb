"""`contact bench`: the platform's speed and memory, measured stage by stage on the embedded
warehouse, written to benchmarks/results/<timestamp>.json and printed as a table.

Stages: generate, ingest (parse, validate, pseudonymise, scrub, COPY) compared with a raw COPY
of the same files into an unindexed table (the physical reference), dbt build, every
expectation suite, one incremental day from file drop to updated marts, and one large
delivery loaded on its own to show that ingestion memory does not grow with a file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psutil
import psycopg

from contact_platform.contract import ENTITIES
from contact_platform.contract.entities import DELIMITER
from contact_platform.ingest.landing import ready_deliveries
from contact_platform.ingest.parallel import load_deliveries
from contact_platform.operations.cpu_clock import read_cpu
from contact_platform.privacy.evaluation import (
    pairwise_scores,
    planted_identifiers,
    scrub_scores,
    true_persons,
)
from contact_platform.privacy.keys import DEMO_KEY
from contact_platform.quality.resource import QualityResource
from contact_platform.quality.suites import stored_targets
from contact_platform.quality.validation import validate_table
from contact_platform.quality.window import RECENT_WINDOW_DAYS
from contact_platform.settings import DBT_PROJECT_DIR, REPO_DIR, Settings
from contact_platform.synthetic.generator import GeneratorSpec, generate
from contact_platform.transform.assets import DbtBuildConfig, dbt_build_args
from contact_platform.transform.project import dbt_executable
from contact_platform.vocabulary.athena import ensure_vocabulary
from contact_platform.warehouse import embedded
from contact_platform.warehouse.connection import libpq_environment

SCHEMAS = (
    "raw",
    "staging",
    "intermediate",
    "omop",
    "marts",
    "operations",
    "quality",
    "reference",
    "vocab",
    "bench",
)


@dataclass
class Stage:
    name: str
    seconds: float
    rows: int = 0
    python_peak_mb: float = 0.0
    postgres_peak_mb: float = 0.0
    database_mb: float = 0.0
    python_cpu_seconds: float = 0.0
    postgres_cpu_seconds: float = 0.0
    steal_share: float = 0.0  # of the machine's time during the stage, taken by the hypervisor
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return round(self.rows / self.seconds, 1) if self.seconds and self.rows else 0.0


class _PeakMemory:
    """Samples resident memory of this process tree and of the PostgreSQL server's processes.

    PostgreSQL's figure is the largest single process (a backend doing the work), since shared
    buffers are counted again in every process's RSS."""

    def __init__(self, postmaster_pid: int | None) -> None:
        self.postmaster_pid = postmaster_pid
        self.python_peak = self.postgres_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        # Sampled at once and at the end too: a stage shorter than the interval still counts.
        self._sample()
        while not self._stop.wait(0.1):
            self._sample()
        self._sample()

    def _sample(self) -> None:
        me = psutil.Process()
        try:
            tree = [me, *me.children(recursive=True)]
            self.python_peak = max(self.python_peak, max(_rss(p) for p in tree))
            if self.postmaster_pid:
                server = psutil.Process(self.postmaster_pid)
                backends = [server, *server.children()]
                self.postgres_peak = max(self.postgres_peak, max(_rss(p) for p in backends))
        except psutil.Error:
            return  # a process ended while being listed: the next sample sees the others

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


class NoBenchHistory(RuntimeError):
    """`--next-day` on a home where no bench has run."""


@dataclass(frozen=True)
class BenchSpec:
    scale: float = 0.01
    days: int = 7
    start: date = date(2025, 1, 1)
    seed: int = 42
    big_delivery_mb: float = 200.0
    home: Path = Path(".contact/bench")
    results_dir: Path = Path("benchmarks/results")


class Bench:
    def __init__(self, spec: BenchSpec, say: Callable[[str], None]) -> None:
        self.spec, self.say = spec, say
        self.settings = Settings.from_env({"CONTACT_HOME": str(spec.home.resolve())})
        self.url = embedded.start(self.settings.pgdata_dir)
        self.postmaster = embedded.postmaster_pid(self.settings.pgdata_dir)
        self.stages: list[Stage] = []
        self.measures: dict[str, object] = {}
        self.work = self.settings.home / "work"

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        self.say(f"{name}...")
        record = Stage(name, 0.0)
        cpu = read_cpu(self.postmaster)
        started = time.perf_counter()
        with _PeakMemory(self.postmaster) as memory:
            yield record
        record.seconds = round(time.perf_counter() - started, 2)
        used = read_cpu(self.postmaster).since(cpu)
        record.python_cpu_seconds = used.python_seconds
        record.postgres_cpu_seconds = used.postgres_seconds
        record.steal_share = used.steal_share
        record.python_peak_mb = round(memory.python_peak / 2**20, 1)
        record.postgres_peak_mb = round(memory.postgres_peak / 2**20, 1)
        record.database_mb = round(self._database_bytes() / 2**20, 1)
        self.stages.append(record)
        self.say(f"  {record.seconds:.1f} s, {record.rows:,} rows")

    def run(self) -> Path:
        self._reset()
        history = GeneratorSpec(self.spec.start, self.spec.days, self.spec.scale, self.spec.seed)
        with self.stage("generate") as stage:
            report = generate(history, self.work / "incoming", self.work / "truth")
            stage.rows = sum(report.rows.values())
            stage.notes = {"deliveries": report.deliveries, "rows": dict(report.rows)}
        with self.stage("raw COPY reference") as reference:
            reference.rows = self._raw_copy(self.work / "incoming")
        with self.stage("ingest") as stage:
            stage.rows = self._ingest(self.work / "incoming")
        stage.notes["share_of_raw_copy_throughput"] = round(
            stage.rows_per_second / max(reference.rows_per_second, 1e-9), 3
        )
        with self.stage("dbt build") as stage:
            # The first build of a warehouse tests everything, as the weekly full check does.
            stage.notes = self._dbt_build(DbtBuildConfig(test_window_days=None))
        # The rows of the tables validated, counted before the stage's clock starts.
        validated = sum(self._count(f"{t.schema}.{t.table}") for t in stored_targets())
        with self.stage("expectation suites") as stage:
            stage.rows = validated
            stage.notes = self._suites(window_days=None)  # as the full check
        self.measures = self._privacy_measures()
        self._age_history(history.days)
        self._incremental_day(
            GeneratorSpec(
                history.start + timedelta(days=history.days), 1, history.scale, history.seed + 1
            ),
            history.days,
        )
        self._big_delivery()
        return self._write()

    def next_day(self) -> Path:
        """One more incremental day on the warehouse an earlier run left in this home, without
        generating or building its history again: the day after a year, measured again in
        minutes instead of an hour. Deliveries loaded but not staged yet are built first
        (untimed), and only the change stamps of the last days are aged (a few hundred thousand
        rows: ageing a year's 20 million again rewrites gigabytes first)."""
        try:
            last = date.fromisoformat((self.work / _LAST_DAY).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NoBenchHistory(
                f"no bench history in {self.spec.home}: run `contact bench` there first"
            ) from None
        if self._unstaged_deliveries():
            self._dbt_build(DbtBuildConfig())
        self._age_history(self.spec.days, recent_only=True)
        day = last + timedelta(days=1)
        self._incremental_day(
            GeneratorSpec(day, 1, self.spec.scale, self.spec.seed + day.toordinal()),
            self.spec.days,
        )
        return self._write()

    # -- stages -------------------------------------------------------------------------------
    def _reset(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        with psycopg.connect(self.url, autocommit=True) as conn:
            for schema in SCHEMAS:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def _raw_copy(self, folder: Path) -> int:
        """The physical reference: the same bytes COPYed into unindexed text tables."""
        rows = 0
        with psycopg.connect(self.url) as conn:
            conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
            for entity in ENTITIES.values():
                columns = ", ".join(f"{name} text" for name in entity.column_names)
                conn.execute(f"CREATE UNLOGGED TABLE bench.{entity.name} ({columns})")
            for path in sorted(folder.rglob("*.csv")):
                entity = _entity_of(path)
                with conn.cursor() as cursor, path.open("rb") as handle:
                    copy = (
                        f"COPY bench.{entity} FROM STDIN "
                        f"(FORMAT csv, DELIMITER '{DELIMITER}', HEADER)"
                    )
                    with cursor.copy(copy) as stream:
                        while block := handle.read(1 << 20):
                            stream.write(block)
                    rows += cursor.rowcount
            conn.commit()
            conn.execute("DROP SCHEMA bench CASCADE")
            conn.commit()
        return rows

    def _ingest(self, folder: Path) -> int:
        """The loader as the ingestion asset runs it, one process per core by default."""
        rows = 0
        deliveries = ready_deliveries(folder)
        for outcome in load_deliveries(
            self.url, deliveries, DEMO_KEY, self.settings.ingest_workers
        ):
            if outcome.result is None:
                raise RuntimeError(f"the bench's own delivery was refused: {outcome.refusal}")
            rows += sum(outcome.result.rows.values()) + sum(outcome.result.rejected.values())
        return rows

    def _dbt_build(self, config: DbtBuildConfig) -> dict[str, object]:
        """`dbt build` as Dagster runs it with `config`; notes the statuses and slowest nodes."""
        with psycopg.connect(self.url) as conn:
            ensure_vocabulary(conn)
        env = {**os.environ, **libpq_environment(self.url), "DO_NOT_TRACK": "1"}
        command = [
            str(dbt_executable()),
            *dbt_build_args(config),
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(self.work / "dbt_target"),
        ]
        completed = subprocess.run(command, env=env, capture_output=True, text=True)
        if completed.returncode:
            raise RuntimeError(f"dbt build failed:\n{completed.stdout[-3000:]}")
        results = json.loads((self.work / "dbt_target" / "run_results.json").read_text())
        statuses: dict[str, int] = {}
        for result in results["results"]:
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        slowest = sorted(results["results"], key=lambda result: -result["execution_time"])[:8]
        return {
            "statuses": statuses,
            "test_window_days": config.test_window_days,
            "seconds_in_tests": round(
                sum(
                    result["execution_time"]
                    for result in results["results"]
                    if result["unique_id"].startswith("test.")
                ),
                1,
            ),
            "slowest": {r["unique_id"]: round(r["execution_time"], 1) for r in slowest},
        }

    def _suites(self, window_days: int | None) -> dict[str, object]:
        """Every stored suite on its table, as the checks run them (results and Data Docs
        included), on every row or on those changed in the last `window_days` days."""
        outcomes = {}
        docs = QualityResource.from_settings(self.settings).data_docs()
        for target in stored_targets():
            started = time.perf_counter()
            outcome = validate_table(
                self.url, target.schema, target.table, target.load(), docs, window_days
            )
            outcomes[target.name] = {
                "success": outcome.success,
                "failed": [failure.describe() for failure in outcome.failed],
                "validated_rows": outcome.validated_rows,
                "seconds": round(time.perf_counter() - started, 1),
            }
        started = time.perf_counter()
        docs.render()  # the run's pages and the index, as `contact demo` renders them
        return {"suites": outcomes, "site_seconds": round(time.perf_counter() - started, 1)}

    def _incremental_day(self, day: GeneratorSpec, history_days: int) -> None:
        """One more day dropped in, then ingested, built and validated as routine runs do: the
        daily cost on top of history."""
        shutil.rmtree(self.work / "day", ignore_errors=True)
        with self.stage("incremental day (drop to marts)") as stage:
            generate(day, self.work / "day")
            stage.rows = self._ingest(self.work / "day")
            stage.notes = self._dbt_build(DbtBuildConfig())  # a routine build
            started = time.perf_counter()
            suites = self._suites(window_days=RECENT_WINDOW_DAYS)
            stage.notes["suites_seconds"] = round(time.perf_counter() - started, 1)
            stage.notes.update(suites)
            stage.notes["history_days"] = history_days
            stage.notes["day"] = day.start.isoformat()
        (self.work / _LAST_DAY).write_text(day.start.isoformat(), encoding="utf-8")

    def _age_history(self, days: int, *, recent_only: bool = False) -> None:
        """The bench loads in minutes what production receives over `days` days. Routine builds
        test the changes of the last two days of wall-clock time, so the change stamps are moved
        back by `days` days (consistently, so no incremental model sees a change): the day's
        build then tests what a production day's build would, not the whole history. The
        update rewrites every row of the tables it touches: they are vacuumed and analysed before
        the day, as autovacuum keeps them in production, or the day would pay for the bench's
        own dead rows and stale statistics (10 million in each of int_visits and
        int_person_links after a year). `recent_only` ages only the stamps of the routine
        window, those an earlier run has not aged already: a few days' rows, which autovacuum
        would leave for later too, so only the stamps' statistics are refreshed, as the run that
        wrote them left them (vacuuming int_visits again took 53 s of a cold disk before a day)."""
        shift = "changed_at - make_interval(days => %s)"
        recent = " WHERE changed_at > now() - make_interval(days => %s)" if recent_only else ""
        with psycopg.connect(self.url, autocommit=True) as conn:
            for table in _CHANGE_STAMPED:
                conn.execute(
                    f"UPDATE {table} SET changed_at = {shift}{recent}",
                    (days, RECENT_WINDOW_DAYS) if recent_only else (days,),
                )
                conn.execute(
                    f"ANALYZE {table} (changed_at)" if recent_only else f"VACUUM (ANALYZE) {table}"
                )

    def _big_delivery(self) -> None:
        """One association-day large enough to weigh `big_delivery_mb`, loaded on its own."""
        per_mb_scale = 1.8  # paris, one June day: about 1 MB of files per 1.8 of scale
        spec = GeneratorSpec(
            date(2024, 6, 3),
            1,
            self.spec.big_delivery_mb * per_mb_scale,
            self.spec.seed,
            ("paris",),
        )
        # Generated in a child process, so that the figure below is ingestion's memory alone.
        child = multiprocessing.get_context("fork").Process(
            target=generate, args=(spec, self.work / "big")
        )
        child.start()
        child.join()
        size = sum(p.stat().st_size for p in (self.work / "big").rglob("*.csv"))
        with self.stage("one large delivery") as stage:
            stage.rows = self._ingest(self.work / "big")
            stage.notes = {"delivery_mb": round(size / 2**20, 1)}
        self._unload(self.work / "big")

    def _unload(self, folder: Path) -> None:
        """Remove the deliveries of `folder` from raw, never built: the large delivery measures
        ingestion alone, and `next_day` must find the history and its day as they were."""
        loaded = [delivery.name.delivery_id for delivery in ready_deliveries(folder)]
        with psycopg.connect(self.url) as conn:
            for entity in ENTITIES:
                conn.execute(f"DELETE FROM raw.{entity} WHERE delivery_id = any(%s)", (loaded,))
            conn.execute("DELETE FROM raw.deliveries WHERE delivery_id = any(%s)", (loaded,))

    def _unstaged_deliveries(self) -> int:
        with psycopg.connect(self.url) as conn:
            return conn.execute(
                """SELECT count(*) FROM raw.deliveries AS d WHERE NOT EXISTS (
                       SELECT FROM operations.staged_deliveries AS s
                       WHERE s.delivery_id = d.delivery_id AND s.changed_at = d.changed_at)"""
            ).fetchone()[0]

    def _privacy_measures(self) -> dict[str, object]:
        """Linkage and scrubbing against the generator's ground truth (docs/privacy.md), in a
        child process: the links and notes it reads (gigabytes on a year) stayed in this
        process's memory and were counted in the peaks of the stages after it (1.4 GB instead
        of 0.4 in six year runs out of nine)."""
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            return pool.submit(privacy_measures, self.url, self.work / "truth").result()

    # -- helpers ------------------------------------------------------------------------------
    def _count(self, table: str) -> int:
        with psycopg.connect(self.url) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def _database_bytes(self) -> int:
        with psycopg.connect(self.url) as conn:
            return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]

    def _write(self) -> Path:
        self.spec.results_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = self.spec.results_dir / f"{stamp}.json"
        document = {
            "started": stamp,
            "spec": {k: str(v) for k, v in asdict(self.spec).items()},
            "machine": _machine(),
            "code": code_version(REPO_DIR),
            "stages": [{**asdict(s), "rows_per_second": s.rows_per_second} for s in self.stages],
            "privacy": self.measures,
            "end_to_end_seconds": round(
                sum(s.seconds for s in self.stages if s.name in _END_TO_END), 1
            ),
        }
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return path


_END_TO_END = ("generate", "ingest", "dbt build", "expectation suites")
# The last day a run added to a bench home, in its work folder: `next_day` continues from it.
_LAST_DAY = "last_day"


# Every table whose changed_at drives incremental work or the routine tests' window.
_CHANGE_STAMPED = (
    "raw.deliveries",
    "operations.staged_deliveries",
    "intermediate.int_visits",
    "intermediate.int_person_links",
)


def privacy_measures(url: str, truth: Path) -> dict[str, object]:
    """Linkage and scrubbing scores of the warehouse at `url` against the ground truth."""
    with psycopg.connect(url) as conn:
        links = dict(
            conn.execute(
                "SELECT record_key, person_key FROM intermediate.int_person_links"
            ).fetchall()
        )
        notes = conn.execute(
            "SELECT association_id, call_id, call_reason_text FROM raw.calls"
        ).fetchall()
    linkage = pairwise_scores(links, true_persons(truth))
    scrubbing = scrub_scores(notes, planted_identifiers(truth))
    return {
        "linkage_precision": round(linkage.precision, 5),
        "linkage_recall": round(linkage.recall, 5),
        "linkage_true_pairs": linkage.true_pairs,
        "scrubbing_recall": round(scrubbing.recall, 5),
        "scrubbing_recall_by_kind": {k: round(v, 5) for k, v in scrubbing.recall_by_kind.items()},
        "scrubbing_precision": round(scrubbing.precision, 5),
    }


def _entity_of(path: Path) -> str:
    stem = path.stem
    return next(name for name in ENTITIES if stem.endswith("_" + name))


def _machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def code_version(checkout: Path) -> dict[str, object] | None:
    """The commit a bench ran and whether the checkout had uncommitted changes, so that every
    result names the code it measured; None outside a git checkout (an installed wheel, even
    in a virtual environment inside some other repository)."""
    if not (checkout / ".git").exists():
        return None

    def git(*args: str) -> str:
        command = ["git", "-C", str(checkout), *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        modified = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "modified": modified}


def _cpu_cell(stage: dict) -> str:
    """Python and PostgreSQL CPU seconds; results written before they were measured have none."""
    return f"{stage.get('python_cpu_seconds', 0):.0f}/{stage.get('postgres_cpu_seconds', 0):.0f}"


def format_table(path: Path) -> str:
    document = json.loads(path.read_text(encoding="utf-8"))
    header = (
        f"{'stage':<34}{'seconds':>9}{'rows':>12}{'rows/s':>11}"
        f"{'python MB':>11}{'postgres MB':>13}{'db MB':>9}{'cpu py/pg s':>14}{'steal':>7}"
    )
    lines = [header, "-" * len(header)]
    for s in document["stages"]:
        lines.append(
            f"{s['name']:<34}{s['seconds']:>9.1f}{s['rows']:>12,}"
            f"{s['rows_per_second']:>11,.0f}{s['python_peak_mb']:>11.0f}"
            f"{s['postgres_peak_mb']:>13.0f}{s['database_mb']:>9.0f}"
            f"{_cpu_cell(s):>14}{s.get('steal_share', 0):>7.0%}"
        )
    ingest = next((s for s in document["stages"] if s["name"] == "ingest"), None)
    if ingest is None:  # a day added to an earlier run's history (`--next-day`)
        return "\n".join(lines)
    lines.append(
        f"ingestion / raw COPY throughput: {ingest['notes']['share_of_raw_copy_throughput']:.0%}"
    )
    lines.append(
        f"end to end (generate, ingest, dbt build, suites): {document['end_to_end_seconds']:.0f} s"
    )
    privacy = document["privacy"]
    lines.append(
        f"linkage precision {privacy['linkage_precision']:.2%}, recall "
        f"{privacy['linkage_recall']:.2%} ({privacy['linkage_true_pairs']:,} true pairs); "
        f"scrubbing recall {privacy['scrubbing_recall']:.2%}"
    )
    return "\n".join(lines)
