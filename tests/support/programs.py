"""Programs pip cannot install (Chromium, pandoc, a pager): found on PATH, else the test skips, or fails in CI."""

from __future__ import annotations

import os
import shutil

import pytest

# Set (or CI set, as CI services do) when a program pip cannot install must be
# there: a missing one then fails the run instead of skipping its tests.
REQUIRE_TOOLS_ENV = "KORTRADE_REQUIRE_TOOLS"


def tools_required() -> bool:
    """True in CI (``CI`` set to anything but ``0`` or ``false``) or with ``KORTRADE_REQUIRE_TOOLS=1``."""
    ci = os.environ.get("CI", "").strip().lower()
    return os.environ.get(REQUIRE_TOOLS_ENV) == "1" or ci not in ("", "0", "false")


def missing_message(names: tuple[str, ...], package: str, purpose: str) -> str:
    return f"{purpose} need {names[0]}, which pip cannot install: apt-get install {package} (Debian, Ubuntu)"


def need_program(names: tuple[str, ...], package: str, purpose: str) -> str:
    """The path of the first of ``names`` on PATH; else skip the test, or fail it where tools are required.

    Only for programs pip cannot install: whatever pip can is a test dependency
    in pyproject.toml and never skips.
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = missing_message(names, package, purpose)
    if tools_required():
        pytest.fail(f"{message}; it is required here ({REQUIRE_TOOLS_ENV}=1 or CI is set)", pytrace=False)
    pytest.skip(message)


# Fixtures that start a program pip cannot install: (names to look for, Debian package, who needs it).
PROGRAM_FIXTURES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "browser": (("chromium", "chromium-browser", "google-chrome"), "chromium", "the HTML tests"),
}
