"""When people call SOS Médecins: seasons, epidemics, weekdays, public holidays, hours.

Curves are smooth bumps over the day of the year; each returns 0 outside its season and 1 at
its peak. Figures are illustrative, shaped on Santé publique France's published patterns.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import cache

import numpy as np


def _bump(day: date, peak_day_of_year: int, width_days: float) -> float:
    delta = (day.timetuple().tm_yday - peak_day_of_year + 182) % 365 - 182
    return math.exp(-0.5 * (delta / width_days) ** 2)


def epidemic_intensity(day: date) -> dict[str, float]:
    """0..1 intensity of each seasonal driver on `day`."""
    return {
        "influenza": _bump(day, 38, 16),  # peak early February
        "gastro": _bump(day, 2, 18),  # peak around New Year
        "bronchiolitis": _bump(day, 340, 20),  # peak early December, infants
        "heat": _bump(day, 200, 12),  # mid-July heat waves
        "covid": 0.3 + 0.7 * _bump(day, 330, 30),
        "none": 1.0,
    }


def _easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    return date(year, month, (h + l_ - 7 * m + 114) % 31 + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    easter = _easter(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    movable = [easter + timedelta(days=n) for n in (1, 39, 50)]
    return frozenset([date(year, m, d) for m, d in fixed] + movable)


def is_out_of_hours_day(day: date) -> bool:
    return day.weekday() >= 5 or day in public_holidays(day.year)


def volume_factor(day: date) -> float:
    """Calls on `day` relative to an ordinary weekday outside epidemics."""
    intensity = epidemic_intensity(day)
    seasonal = (
        1
        + 0.45 * intensity["influenza"]
        + 0.25 * intensity["gastro"]
        + 0.15 * intensity["bronchiolitis"]
        + 0.1 * intensity["heat"]
    )
    weekly = 1.6 if is_out_of_hours_day(day) else (1.0 if day.weekday() < 4 else 1.1)
    return seasonal * weekly


# Share of calls per local hour: weekdays peak in the evening when GP surgeries close;
# weekends and holidays are busy all day.
_WEEKDAY_HOURS = np.array(
    [
        2.5,
        1.8,
        1.3,
        1.0,
        0.8,
        0.8,
        1.5,
        3.5,
        5.5,
        5.5,
        4.5,
        4.0,
        3.5,
        3.5,
        3.8,
        4.0,
        4.8,
        6.0,
        8.0,
        9.5,
        9.0,
        7.0,
        5.0,
        3.5,
    ]
)
_HOLIDAY_HOURS = np.array(
    [
        3.0,
        2.2,
        1.6,
        1.2,
        1.0,
        1.0,
        1.6,
        3.5,
        6.5,
        7.5,
        7.5,
        7.0,
        6.0,
        5.5,
        5.5,
        5.8,
        6.2,
        6.5,
        7.0,
        7.0,
        6.5,
        5.5,
        4.5,
        3.5,
    ]
)


def hour_weights(day: date) -> np.ndarray:
    weights = _HOLIDAY_HOURS if is_out_of_hours_day(day) else _WEEKDAY_HOURS
    return weights / weights.sum()
