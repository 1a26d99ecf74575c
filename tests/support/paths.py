"""Where the tests' data lives."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "data" / "facts.yaml"
# The shipped file as it was before 2.0's data (25 facts, one source: CGTN), kept unchanged:
# tests of behaviour on known data (search hits, the briefing, exports, exact output) run on
# it, so they hold whatever the shipped file grows to. Tests of the shipped file use SHIPPED.
CLASSIC = REPO / "tests" / "data" / "cgtn-25.yaml"
