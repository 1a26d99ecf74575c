"""Small facts files, written by the tests: the shared head, a minimal file, and one item at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


@functools.cache
def plain_yaml(path: Path) -> Any:
    """A facts file as plain YAML, apart from kortrade's loader: what tests expect of it. Read once: do not alter it.

    libyaml's safe loader where PyYAML has it: the shipped file in a tenth of the time.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


# The write_facts fixture: (text or bytes, file name) -> the file in the test's tmp_path.
WriteFacts = Callable[[str | bytes, str], Path]

# One source, on lines 1-7; tests add "facts:" and their own facts below it.
SOURCES = """\
version: 1
sources:
  - id: src-a
    title: A source
    publisher: Pub
    published: 2026-01-09
    url: https://example.org/a
"""

MINIMAL = (
    SOURCES
    + """\
facts:
  - id: fact-one
    topic: trade
    statement: Trade came to $1.5 billion in 2024.
    value: 1500000000
    unit: USD
    qualifier: about
    period: 2024
    entities: [China, Republic of Korea]
    tags: [trade-volume]
    source: src-a
  - id: fact-two
    topic: visit
    statement: A visit ended on 7 January 2026.
    period: 2026-01-07
    entities: [Lee Jae Myung]
    note: Worked out from a weekday.
    source: src-a
"""
)

# The two countries and their customs services, whose statistics a fact's `basis` names;
# a file may list more entities after these.
ENTITIES = """\
entities:
  - name: China
    kind: country
  - name: Republic of Korea
    kind: country
  - name: Korea Customs Service
    kind: organisation
    country: Republic of Korea
  - name: General Administration of Customs
    kind: organisation
    country: China
"""


def entry(**fields: object) -> str:
    """One item of a list section (a fact, a source): ``fields`` in their order, one a line.

    Values are raw YAML text (a quoted period stays quoted); ``None`` leaves a key out.
    """
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"
