"""Loading many deliveries at once: one process per core, one transaction per delivery.

Parsing, pseudonymising and scrubbing are Python work bound to one core, and deliveries are
independent transactions, so a backfill spreads them over worker processes, each with its own
connection, opened once: a connection per delivery forked a server backend per delivery, whose
start and exit doubled the server's CPU time of a month's load (15 -> 32 s).

Deliveries of the same association and period (sequences 1, 2, ...) stay together in
one worker, in order, so a correction always lands after what it corrects.
"""

from __future__ import annotations

import atexit
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import psycopg

from contact_platform.contract.delivery import DeliveryNameError
from contact_platform.contract.reader import ContractViolation
from contact_platform.ingest.landing import ReadyDelivery
from contact_platform.ingest.loader import (
    DeliveryRefused,
    LoadResult,
    ensure_raw_tables,
    load_delivery,
)

REFUSALS = (ContractViolation, DeliveryRefused, DeliveryNameError)


@dataclass(frozen=True)
class Outcome:
    """What became of one delivery: loaded (`result`) or refused (`refusal`, the reason)."""

    delivery: ReadyDelivery
    result: LoadResult | None = None
    refusal: str | None = None


def load_deliveries(
    url: str, deliveries: Iterable[ReadyDelivery], key: bytes, workers: int = 1
) -> Iterator[Outcome]:
    """Load every delivery, yielding each outcome as soon as it is known.

    A refused delivery is an outcome, not an error: the others still load. Any other failure (the
    database gone, a bug) is raised, and deliveries not yet started are not started."""
    groups = _by_period(deliveries)
    with psycopg.connect(url) as conn:
        ensure_raw_tables(conn)
        if workers <= 1 or len(groups) <= 1:
            for group in groups:
                yield from _load_group(conn, group, key)
            return
    # spawn, not fork: the caller may be a threaded Dagster process.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(groups)), mp_context=context) as pool:
        futures = [pool.submit(_load_group_in_worker, url, group, key) for group in groups]
        try:
            for future in as_completed(futures):
                yield from future.result()
        except BaseException:  # a failure, or the caller stopped reading: start nothing more
            for future in futures:
                future.cancel()
            raise


def _by_period(deliveries: Iterable[ReadyDelivery]) -> list[list[ReadyDelivery]]:
    """Deliveries grouped by association and period, each group in the order given."""
    groups: dict[str, list[ReadyDelivery]] = {}
    for delivery in deliveries:
        groups.setdefault(delivery.name.delivery_id, []).append(delivery)
    # Largest first, so a long delivery does not start last and leave the other cores idle.
    return sorted(groups.values(), key=lambda group: -sum(_bytes(d) for d in group))


def _bytes(delivery: ReadyDelivery) -> int:
    return sum(path.stat().st_size for path in delivery.files)


def _load_group(
    conn: psycopg.Connection, group: list[ReadyDelivery], key: bytes
) -> Iterator[Outcome]:
    for delivery in group:
        try:
            yield Outcome(delivery, result=load_delivery(conn, delivery, key))
        except REFUSALS as refusal:
            yield Outcome(delivery, refusal=str(refusal))


_worker_connections: dict[str, psycopg.Connection] = {}  # a worker process's own, by URL


def _worker_connection(url: str) -> psycopg.Connection:
    """The worker process's connection to `url`, opened at its first delivery and kept."""
    conn = _worker_connections.get(url)
    if conn is None or conn.closed:
        conn = _worker_connections[url] = psycopg.connect(url)
        atexit.register(conn.close)
    return conn


def _load_group_in_worker(url: str, group: list[ReadyDelivery], key: bytes) -> list[Outcome]:
    """A worker's share, on the worker's connection; refusals come back as text (always
    picklable)."""
    try:
        return list(_load_group(_worker_connection(url), group, key))
    except Exception as error:
        # Database errors do not always survive pickling: send back what they say.
        names = ", ".join(delivery.name.stem for delivery in group)
        raise RuntimeError(f"loading {names} failed: {type(error).__name__}: {error}") from None
