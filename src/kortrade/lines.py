"""Lines and columns of YAML marks as editors count them (shared by reading and validation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import yaml


class LineCounter:
    """Lines and columns as editors and ``grep -n`` count them.

    YAML 1.1 (PyYAML) also breaks lines at NEL, U+2028 and U+2029; a file holding
    one would otherwise get every later position one line off. Only such files pay
    for the recount: positions come from each mark's character index.
    """

    _OTHER_BREAKS: Final = ("\x85", "\u2028", "\u2029")

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if any(mark in text for mark in self._OTHER_BREAKS):
            import re

            self.starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]

    def position(self, mark: yaml.Mark) -> tuple[int, int]:
        """1-based line and column of ``mark``."""
        if self.starts is None:
            return mark.line + 1, mark.column + 1
        import bisect

        line = bisect.bisect_right(self.starts, mark.index)
        return line, mark.index - self.starts[line - 1] + 1
