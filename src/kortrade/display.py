"""The human figure of a fact: ``$328.08 billion``, ``over 60-fold``, ``about 54%``."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from kortrade.model import Number

_SCALES: Final = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_HEDGES: Final = {"exact": "", "about": "about ", "over": "over ", "under": "under "}


def figure(value: Number | None, unit: str | None, qualifier: str | None) -> str | None:
    """The display string, or None for a fact without a value."""
    if value is None or unit is None:
        return None
    return _HEDGES.get(qualifier or "exact", "") + _amount(value, unit)


def _amount(value: Number, unit: str) -> str:
    if unit == "USD":
        sign = "-" if value < 0 else ""
        return f"{sign}${_scaled(abs(value))}"
    if unit == "percent":
        return f"{_plain(value)}%"
    if unit == "fold":
        return f"{_plain(value)}-fold"
    if unit == "rank" and isinstance(value, int):
        return ordinal(value)
    noun = unit[:-1] if value == 1 and unit.endswith("s") else unit
    return f"{_grouped(value)} {noun}"


def _exact(value: Number) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.1 stays 0.1.
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _plain(value: Number) -> str:
    return format(_exact(value).normalize(), "f")


def _grouped(value: Number) -> str:
    return format(_exact(value).normalize(), ",f")


def _scaled(value: Number) -> str:
    amount = _exact(value)
    for size, word in _SCALES:
        if amount >= size:
            return f"{format((amount / size).normalize(), 'f')} {word}"
    return _grouped(value)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
