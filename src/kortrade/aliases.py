"""How much a file's aliases repeat, and a refusal at the alias that takes it too far.

An alias costs nothing in the composed nodes (it is the anchored node again) but
everything after them: each fact reading ``statement: *s`` holds the whole text,
in the index, in every answer. 896 KB (one 400 KB statement, then 8,000 facts
aliasing it) made a 5.4 GB index. So every alias counts what it repeats, as the
facts will hold it (a ``<<`` merge brings a mapping's keys once, as
:class:`~kortrade.validation.Checker` reads them), and the file is refused at the alias
that takes the sum past :data:`MAX_REPEATED`, before anything is expanded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from kortrade.errors import DataError, Problem

if TYPE_CHECKING:
    import yaml

    from kortrade.lines import LineCounter

# What all the aliases of one file may repeat together, in characters (each value and key
# counting one more, so that empty ones count too): as much again as the largest file
# kortrade answers within its bounds (1 MB). Legitimate anchors repeat a source, a list of
# entities or a mapping to merge: a few hundred characters, a few thousand times at most.
MAX_REPEATED: Final = 1_000_000


def check_aliases(root: yaml.Node, text: str, name: str, lines: LineCounter, limit: int = MAX_REPEATED) -> None:
    """Raise :class:`DataError` at the first alias (in file order) whose repetition passes ``limit``."""
    if "*" not in text:
        return  # no alias is written without one
    import yaml

    from kortrade.validation import Checker

    sizes = _Sizes(Checker(name, lines))
    seen: set[int] = set()
    stack = [root]
    aliases = repeated = 0
    # Depth first in file order: a node met again is an alias, met where its AliasEvent is.
    while stack:
        node = stack.pop()
        if id(node) in seen:
            aliases += 1
            size = sizes.of(node)
            repeated += size
            if repeated > limit:
                raise DataError([_problem(text, name, lines, aliases, size, limit)])
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


class _Sizes:
    """A node's size as the facts hold it: a scalar's characters, plus one for every node."""

    def __init__(self, checker: object) -> None:
        self._checker = checker
        self._sizes: dict[int, int] = {}

    def of(self, top: yaml.Node) -> int:
        import yaml

        sizes = self._sizes
        work: list[tuple[yaml.Node, bool]] = [(top, False)]
        while work:
            node, children_done = work.pop()
            if children_done:
                sizes[id(node)] = 1 + sum(sizes[id(child)] for child in self._children(node))
                continue
            if id(node) in sizes:
                continue
            if isinstance(node, yaml.ScalarNode):
                sizes[id(node)] = 1 + len(node.value)
                continue
            sizes[id(node)] = 1  # until its children are counted: an alias inside itself counts one
            work.append((node, True))
            work.extend((child, False) for child in self._children(node) if id(child) not in sizes)
        return sizes[id(top)]

    def _children(self, node: yaml.Node) -> list[yaml.Node]:
        import yaml

        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            # Merged keys once each, explicit keys first: a chain of merges stays the size it reads as.
            pairs = self._checker.flattened(node)  # type: ignore[attr-defined]
            return [n for pair in pairs for n in pair]
        return []


def _problem(text: str, name: str, lines: LineCounter, number: int, size: int, limit: int) -> Problem:
    """The problem at the ``number``-th alias of the file, found again in its events."""
    import yaml

    from kortrade.load import _loader_class

    loader = _loader_class()(text)
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
                count += 1
                if count == number:
                    line, column = lines.position(event.start_mark)  # type: ignore[arg-type]
                    message = (
                        f"alias '*{event.anchor}' repeats {size:,} characters, which takes what the file's "
                        f"aliases repeat past {limit:,} (a YAML bomb?); write the value out or repeat less"
                    )
                    return Problem(name, line, column, message, "yaml")
    finally:
        loader.dispose()
    return Problem(name, None, None, f"aliases repeat more than {limit:,} characters (a YAML bomb?)", "yaml")
