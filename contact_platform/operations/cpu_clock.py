"""CPU time spent by the bench's own processes and by PostgreSQL, and the time the hypervisor
took from the machine (steal).

Wall time on a shared virtual machine varies from day to day with its neighbours; CPU seconds
per stage do not, so they are what compares runs made on different days. The steal share tells
how much of a stage's wall time the machine was not running at all.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass
from pathlib import Path

import psutil

_PROC_STAT = Path("/proc/stat")


@dataclass(frozen=True)
class CpuReading:
    python_seconds: float  # this process and every child it has waited for (workers, dbt)
    postgres_seconds: float  # the server, its ended backends and its live ones
    steal_ticks: int
    all_ticks: int

    def since(self, start: CpuReading) -> CpuUse:
        ticks = self.all_ticks - start.all_ticks
        return CpuUse(
            python_seconds=round(self.python_seconds - start.python_seconds, 1),
            postgres_seconds=round(self.postgres_seconds - start.postgres_seconds, 1),
            steal_share=round((self.steal_ticks - start.steal_ticks) / ticks, 3) if ticks else 0.0,
        )


@dataclass(frozen=True)
class CpuUse:
    python_seconds: float
    postgres_seconds: float
    steal_share: float


def read_cpu(postmaster_pid: int | None) -> CpuReading:
    """The counters now; subtract two readings with `since`."""
    steal, total = _machine_ticks()
    return CpuReading(_python_seconds(), _postgres_seconds(postmaster_pid), steal, total)


def _python_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _postgres_seconds(postmaster_pid: int | None) -> float:
    if postmaster_pid is None:
        return 0.0
    try:
        server = psutil.Process(postmaster_pid)
        times = server.cpu_times()  # children_*: backends already ended (reaped by the server)
        seconds = times.user + times.system + times.children_user + times.children_system
        for backend in server.children():
            try:
                seconds += sum(backend.cpu_times()[:2])
            except psutil.Error:
                continue  # ended while listed: counted among the reaped at the next reading
        return seconds
    except psutil.Error:
        return 0.0


def _machine_ticks() -> tuple[int, int]:
    """(steal, all) ticks of every CPU since boot; (0, 0) where /proc/stat does not exist."""
    if not _PROC_STAT.exists():
        return 0, 0
    fields = _PROC_STAT.read_text().split("\n", 1)[0].split()[1:]
    ticks = [int(value) for value in fields[:8]]  # user .. steal; guest time is inside user
    return (ticks[7] if len(ticks) > 7 else 0), sum(ticks)
