"""The human figure of a fact: ``$328.08 billion``, ``over 60-fold``, ``about 54%``."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from kortrade.model import Number

_SCALES: Final = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_HEDGES: Final = {
    "exact": "",
    "about": "about ",
    "over": "over ",
    "under": "under ",
    "nearly": "nearly ",
    "at-least": "at least ",
}
# Currencies written after the amount, as people write them: "1.62 billion yuan".
_CURRENCY_WORDS: Final = {"KRW": "won", "CNY": "yuan"}


def figure(value: Number | None, unit: str | None, qualifier: str | None, decimals: int | None = None) -> str | None:
    """The display string, or None for a fact without a value.

    ``decimals`` keeps the places the source wrote at the scale shown ("$18.0
    billion"), which the number itself cannot carry.
    """
    if value is None or unit is None:
        return None
    hedge = _HEDGES.get(qualifier or "exact", "")
    if value < 0 and hedge and qualifier != "about":
        # A hedge on a deficit bounds its size: "over -$18 billion" would say the opposite.
        return f"-({hedge}{_amount(-value, unit, decimals)})"
    return hedge + _amount(value, unit, decimals)


def _amount(value: Number, unit: str, decimals: int | None = None) -> str:
    sign = "-" if value < 0 else ""
    if unit == "USD":
        return f"{sign}${_scaled(abs(value), decimals)}"
    if unit in _CURRENCY_WORDS:
        return f"{sign}{_scaled(abs(value), decimals)} {_CURRENCY_WORDS[unit]}"
    if unit == "percent":
        return f"{_plain(value, decimals)}%"
    if unit == "fold":
        return f"{_plain(value, decimals)}-fold"
    if unit == "rank" and isinstance(value, int):
        return ordinal(value)
    noun = unit[:-1] if value == 1 and unit.endswith("s") else unit
    return f"{_grouped(value, decimals)} {noun}"


def _exact(value: Number) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.1 stays 0.1.
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def _places(amount: Decimal, decimals: int | None, spec: str) -> str:
    """``amount`` with at least ``decimals`` places (never fewer than it needs)."""
    amount = amount.normalize()
    exponent = amount.as_tuple().exponent
    needed = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(needed, decimals or 0)
    return format(amount, f"{spec}.{places}f")


def _plain(value: Number, decimals: int | None = None) -> str:
    return _places(_exact(value), decimals, "")


def _grouped(value: Number, decimals: int | None = None) -> str:
    return _places(_exact(value), decimals, ",")


def _scaled(value: Number, decimals: int | None = None) -> str:
    amount = _exact(value)
    for size, word in _SCALES:
        if amount >= size:
            return f"{_places(amount / size, decimals, '')} {word}"
    return _grouped(value, decimals)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
