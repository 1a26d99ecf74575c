"""The closed sets of words a command line takes: formats, styles and kinds.

They live apart from the modules that act on them so that the CLI can name them in
its options without importing those modules: ``kortrade timeline`` needs to know that
``--style`` exists on ``cite``, not how a BibTeX entry is written (about 8 ms of every
command, before this module).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

ENTITY_KINDS: Final = ("country", "city", "company", "person", "place", "organisation", "ministry", "event")
SOURCE_KINDS: Final = (
    "news-agency", "newspaper", "broadcaster", "magazine", "news-site",
    "government", "statistics", "trade-body", "research", "journal",
)  # fmt: skip


class ReferenceFormat(StrEnum):
    csl_json = "csl-json"
    bibtex = "bibtex"
    ris = "ris"


class SourcesFormat(StrEnum):
    """``kortrade sources --format``: every listing format (render.Format) and the reference formats.

    The listing formats are render.py's; the reference formats are :class:`ReferenceFormat`,
    since a reference file is not a view of records but a file of its own (tests check the
    two enumerations together cover both).
    """

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    csl_json = "csl-json"
    bibtex = "bibtex"
    ris = "ris"


class Style(StrEnum):
    """``kortrade cite --style``."""

    plain = "plain"
    markdown = "markdown"
    apa = "apa"
    chicago = "chicago"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"

    @property
    def reference_format(self) -> ReferenceFormat | None:
        """The reference-manager format this style is, or None for text to paste."""
        return ReferenceFormat(self.value) if self.value in set(ReferenceFormat) else None


class BriefOutput(StrEnum):
    """``kortrade brief --format``: the briefing's formats (kortrade.commands.BriefFormat) and pandoc."""

    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"
    pandoc = "pandoc"


class ExportFormat(StrEnum):
    """``kortrade export --format``."""

    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    csl_json = "csl-json"
    bibtex = "bibtex"
    ris = "ris"
