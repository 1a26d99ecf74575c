"""Read a facts file and turn it into a validated :class:`~kortrade.model.Dataset`.

Reading is strict and never constructs Python objects from YAML tags: the file is
*composed* into YAML nodes (safe loader, positions kept) and :mod:`kortrade.validation`
builds the model from those nodes, reporting every problem as ``FILE:LINE:COL``.
"""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

from kortrade.errors import DataError, Problem, UsageError
from kortrade.lines import LineCounter

if TYPE_CHECKING:
    import yaml

    from kortrade.model import Dataset

DATA_ENV = "KORTRADE_DATA"
_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# UTF-32-LE's BOM starts with UTF-16-LE's: look for these first.
UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


def default_data_path() -> str:
    """The shipped facts file: inside the wheel, or ``data/`` of a source checkout."""
    packaged = os.path.join(_PACKAGE_DIR, "data", "facts.yaml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), "data", "facts.yaml")


def resolve_data_path(path: str | os.PathLike[str] | None) -> str:
    """The option wins over ``KORTRADE_DATA``, which wins over the shipped file.

    An empty ``KORTRADE_DATA`` counts as unset, as git treats its variables; an empty
    path given on purpose (``--data ''``, a variable that expanded to nothing) is an
    error, never a quiet read of the shipped facts in its place.
    """
    if path is not None:
        if os.fspath(path) == "":
            raise UsageError("the facts file's path is empty; name a file, or leave out --data for the shipped one")
        return os.fspath(path)
    from_env = os.environ.get(DATA_ENV, "")
    return from_env or default_data_path()


def load_dataset(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load and validate a facts file; raise :class:`DataError` with every problem."""
    resolved = resolve_data_path(path)
    raw, _ = read_snapshot(resolved)
    return parse_dataset(raw, str(resolved))


def parse_dataset(raw: bytes, name: str) -> Dataset:
    """Validate the bytes of a facts file named ``name`` (for messages)."""
    import gc

    from kortrade.aliases import check_aliases
    from kortrade.validation import build_dataset

    # Composing makes millions of small objects in a big file and none of them
    # form cycles; the cyclic collector would only rescan them, again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        text = decode_utf8(raw, name)
        lines = LineCounter(text)
        root = compose_yaml(text, name, lines)
        check_aliases(root, text, name, lines)
        return build_dataset(root, name, lines)
    finally:
        if enabled:
            gc.enable()


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text as UTF-8; the file is opened read-only and never written."""
    raw, _ = read_snapshot(path)
    return decode_utf8(raw, str(path))


def same_version(a: os.stat_result, b: os.stat_result) -> bool:
    """Same file, same size, same modification and change times (to the nanosecond)."""
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_dev,
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )


def read_snapshot(path: str | os.PathLike[str], attempts: int = 3) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its status as read, from one unchanged version of the file.

    If the file changes while it is read (an editor saving, a ``git pull``), it is
    read again, so the caller never gets a mix of old and new content.
    """
    for _ in range(attempts):
        raw, before = _read_once(path)
        if stat.S_ISFIFO(before.st_mode):
            return raw, before  # a pipe (--data <(...)) is read once, as it flows
        try:
            after = os.stat(path)
        except OSError:
            continue
        if same_version(before, after):
            return raw, before
    raise DataError([Problem(str(path), None, None, "the file kept changing while it was read; try again", "file")])


def _read_once(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    name = str(path)
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not (stat.S_ISREG(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
                # A device such as /dev/zero would never end.
                raise DataError(
                    [Problem(name, None, None, "is a device, not a file; expected a YAML facts file", "file")]
                )
            return handle.read(), status
    except FileNotFoundError:
        raise DataError([Problem(name, None, None, "no such file; expected a YAML facts file", "file")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, None, None, "is a directory; expected a YAML facts file", "file")]) from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DataError([Problem(name, None, None, f"cannot read: {reason}", "file")]) from None


def decode_utf8(raw: bytes, name: str) -> str:
    for encoding, boms in (("UTF-32", UTF32_BOMS), ("UTF-16", UTF16_BOMS)):
        if raw.startswith(boms):
            message = f"file is {encoding}; expected UTF-8 (save it as UTF-8)"
            raise DataError([Problem(name, 1, 1, message, "encoding")])
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        message = f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; expected UTF-8 text"
        raise DataError([Problem(name, line, column, message, "encoding")]) from None


def compose_yaml(text: str, name: str, lines: LineCounter | None = None) -> yaml.Node:
    """One YAML document as a node tree; syntax errors become a :class:`DataError`."""
    import yaml

    loader_class = _loader_class()
    # libyaml reports reader errors at a byte offset, the pure-Python reader at a character.
    offsets_in_bytes = hasattr(yaml, "CSafeLoader")
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise DataError([_syntax_problem(exc, name, lines or LineCounter(text))]) from None
    except yaml.reader.ReaderError as exc:
        raise DataError([_reader_problem(exc, text, name, offsets_in_bytes)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, None, None, f"YAML error: {exc}", "yaml")]) from None
    except RecursionError:
        raise DataError([Problem(name, None, None, "YAML nesting is too deep", "yaml")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise DataError(
            [Problem(name, 1, 1, "file is empty; expected a mapping with version, sources, facts", "empty")]
        )
    return node


def _loader_class() -> type[yaml.SafeLoader]:
    """libyaml's safe loader (the pure-Python one without it) with a memory for repeated scalars.

    In a big file the same keys and values (``topic``, ``USD``, ``about``) come back
    thousands of times; PyYAML resolves each one's tag in Python, which is a good part
    of the time spent reading.
    """
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    cache: dict[tuple[str, tuple[bool, bool]], str] = {}

    class CachingLoader(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
            if kind is not yaml.ScalarNode or len(value) > 40:
                return str(super().resolve(kind, value, implicit))
            key = (value, implicit)
            tag = cache.get(key)
            if tag is None:
                tag = cache[key] = super().resolve(kind, value, implicit)
                if len(cache) > 10_000:
                    cache.clear()
            return tag

    return CachingLoader


def _reader_problem(exc: yaml.reader.ReaderError, text: str, name: str, offsets_in_bytes: bool) -> Problem:
    """Characters YAML refuses (NUL, other C0 controls) at their line and column."""
    if offsets_in_bytes:
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
    else:
        before = text[: exc.position]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(exc.character)
    message = f"control character U+{char:04X} is not allowed in YAML; expected printable text"
    return Problem(name, line, column, message, "yaml")


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str, lines: LineCounter) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark is not None and "end of stream" in str(exc.problem):
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opens
    what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
    what = what.replace("\n", " ")
    if what == "expected a single document in the stream but found another document":
        what = "expected a single YAML document, found a second one ('---')"
    if mark is None:
        return Problem(name, None, None, f"YAML syntax error: {what}", "yaml")
    line, column = lines.position(mark)
    return Problem(name, line, column, f"YAML syntax error: {what}", "yaml")
