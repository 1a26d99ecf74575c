"""Periods and publication dates as the facts file writes them.

A year, a month, a day, a time with its zone, a range of one of them, or "as of"
one; read here for validation, for the index and for anything that shows a period (a
briefing, the series), so that reading a date never needs the validator.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from kortrade.model import PartialDate, Period

# Patterns shared with the published JSON Schema (kortrade.json_schema).
DATE_PATTERN: Final = r"\d{4}-\d{2}-\d{2}"
YEAR_PATTERN: Final = r"\d{4}"
# Months 01-12 (the loader checks days against the calendar; the schema cannot).
MONTH_PATTERN: Final = r"\d{4}-(0[1-9]|1[0-2])"
# A time of day always carries its zone: "16:47" alone would mean different moments.
TIME_PATTERN: Final = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:[0-5]\d)"
RANGE_PATTERN: Final = r"(\d{4})-(\d{4})"
POINT_PATTERN: Final = f"{YEAR_PATTERN}|{MONTH_PATTERN}|{DATE_PATTERN}|{TIME_PATTERN}"
# A period as written: a point, two points of one precision joined by "/", the
# older year range, or "as of" a point ("../2020-12", ISO 8601-2's open start).
_SAME_PRECISION: Final = "|".join(f"{p}/{p}" for p in (YEAR_PATTERN, MONTH_PATTERN, DATE_PATTERN, TIME_PATTERN))
PERIOD_PATTERN: Final = f"(\\.\\./)?({POINT_PATTERN})|{_SAME_PRECISION}|{RANGE_PATTERN}"
PUBLISHED_PATTERN: Final = f"{YEAR_PATTERN}|{MONTH_PATTERN}|{DATE_PATTERN}"
_DATE_RE = re.compile(DATE_PATTERN)
_YEAR_RE = re.compile(YEAR_PATTERN)
_MONTH_RE = re.compile(MONTH_PATTERN)
_TIME_RE = re.compile(TIME_PATTERN)
_RANGE_RE = re.compile(RANGE_PATTERN)


def iso_date(text: str) -> dt.date | None:
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_period(text: str) -> Period | None:
    """A period as written in the file (see :class:`~kortrade.model.Period`), else None."""
    if text.startswith("../"):
        point = _point(text[3:])
        if point is None:
            return None
        # "As of" holds on its last day, and sorts there.
        order = point.order if point.precision == "time" else point.last.isoformat()
        return Period(text, point.last, point.last, None, point.end, order)
    if "/" in text:
        first, _, last = text.partition("/")
        a, b = _point(first), _point(last)
        if a is None or b is None or a.precision != b.precision or not _before(a, b):
            return None
        return Period(text, a.first, b.last, a.start, b.end, a.order)
    match = _RANGE_RE.fullmatch(text)
    if match:
        if not 0 < int(match[1]) < int(match[2]):
            return None
        return Period(text, dt.date(int(match[1]), 1, 1), dt.date(int(match[2]), 12, 31),
                      f"{match[1]}-01-01", f"{match[2]}-12-31", f"{match[1]}-01-01")  # fmt: skip
    point = _point(text)
    if point is None:
        return None
    return Period(text, point.first, point.last, point.start, point.end, point.order)


def _before(a: _Point, b: _Point) -> bool:
    """``a`` starts before ``b``: times by the moment (their zones may differ), others by date."""
    if a.precision == "time":
        return dt.datetime.fromisoformat(a.start) < dt.datetime.fromisoformat(b.start)
    return a.order < b.order


@dataclass(frozen=True, slots=True)
class _Point:
    precision: str  # "year", "month", "day" or "time"
    first: dt.date
    last: dt.date
    start: str
    end: str
    order: str


def _point(text: str) -> _Point | None:
    """One year, month, day or time of day (with its zone), with the days it covers."""
    if _YEAR_RE.fullmatch(text):
        year = int(text)
        if year == 0:
            return None
        return _Point(
            "year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{text}-01-01", f"{text}-12-31", f"{text}-01-01"
        )
    if _MONTH_RE.fullmatch(text):
        year, month = int(text[:4]), int(text[5:])
        if year == 0 or not 1 <= month <= 12:
            return None
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return _Point("month", dt.date(year, month, 1), last, f"{text}-01", last.isoformat(), f"{text}-01")
    day = iso_date(text)
    if day is not None:
        return _Point("day", day, day, text, text, text)
    if _TIME_RE.fullmatch(text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        offset = moment.utcoffset()
        if offset is None or abs(offset) > dt.timedelta(hours=14):
            return None
        local = moment.date()
        return _Point("time", local, local, text, text, moment.strftime("%Y-%m-%dT%H:%M:%S"))
    return None


def parse_published(text: str) -> PartialDate | None:
    """A publication date: a day, or the month or year when only that is known."""
    point = _point(text) if re.fullmatch(PUBLISHED_PATTERN, text) else None
    if point is None:
        return None
    return PartialDate(text, point.first, point.last)
