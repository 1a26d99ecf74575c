"""Shell completion: commands, options, fact ids, topics, tags and entity names, in a real bash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.cli import Cli
from support.facts import SOURCES, WriteFacts
from support.hostile import UNSAFE, quoted

BIN = Path(sys.executable).parent

# Completions offer the classic file's ids, topics and names (KORTRADE_DATA), unless a test names its own.
pytestmark = pytest.mark.usefixtures("classic_data")


def bash_complete(*words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash offers after ``kortrade WORDS`` (the last word is the one being completed)."""
    script = (
        'eval "$(kortrade completion bash)"\n'
        f"COMP_WORDS=(kortrade {' '.join(_quote(w) for w in words)})\n"
        f"COMP_CWORD={len(words)}\n"
        "_kortrade_completion kortrade\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    full_env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=full_env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'" if word else "''"


def test_the_bash_script_defines_and_registers_its_function(cli: Cli) -> None:
    result = cli("completion", "bash")
    assert result.exit_code == 0
    assert "_kortrade_completion()" in result.stdout
    assert "complete -o default -F _kortrade_completion kortrade" in result.stdout


def test_commands_complete() -> None:
    assert bash_complete("s") == ["search", "show", "sources", "series", "schema"]
    assert bash_complete("ci") == ["cite"]


def test_show_completes_fact_ids() -> None:
    assert bash_complete("show", "samsung-") == [
        "samsung-exports-growth-2024",
        "samsung-exports-value-2024",
        "samsung-largest-market",
    ]
    assert bash_complete("show", "zz") == []


def test_cite_completes_fact_ids_for_each_argument() -> None:
    assert bash_complete("cite", "trade-volume-2024", "lee-v") == ["lee-visit-concluded"]


def test_facts_completes_topics() -> None:
    assert bash_complete("facts", "") == [
        "agreements", "cooperation", "industry", "partnerships", "relations", "trade", "visit",
    ]  # fmt: skip
    assert bash_complete("facts", "tr") == ["trade"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # One word on the command line: bash inserts COMPREPLY as it is, so the space is escaped.
        (("facts", "--entity", "Sam"), ["Samsung", "Samsung\\ Group"]),
        (("facts", "--entity", "삼"), ["삼성", "삼성그룹"]),
        (("facts", "-e", "上"), ["上海"]),
        (("facts", "--tag", "sup"), ["supply-chain"]),
        (("search", "x", "--topic", "vi"), ["visit"]),
        (("timeline", "--topic", "ag"), ["agreements"]),
    ],
)
def test_option_values_complete(words: tuple[str, ...], expected: list[str]) -> None:
    assert bash_complete(*words) == expected


def test_options_complete() -> None:
    assert set(bash_complete("facts", "--f")) == {"--format", "--fields", "--from"}


def test_values_come_from_the_data_in_use(minimal: Path) -> None:
    assert bash_complete("show", "--data", str(minimal), "fact-") == ["fact-one", "fact-two"]
    assert bash_complete("show", "fact-", env={"KORTRADE_DATA": str(minimal)}) == ["fact-one", "fact-two"]


def test_a_broken_data_file_completes_nothing_and_says_nothing(write_facts: object, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("facts: [", encoding="utf-8")
    assert bash_complete("show", "--data", str(broken), "") == []


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_and_their_protocol(cli: Cli, shell: str) -> None:
    result = cli("completion", shell)
    assert result.exit_code == 0
    assert "_KORTRADE_COMPLETE=complete_" + shell in result.stdout
    env = {
        **os.environ,
        "_KORTRADE_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "kortrade show samsung-exports-v",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    answer = subprocess.run([sys.executable, "-m", "kortrade"], capture_output=True, text=True, env=env, timeout=60)
    assert answer.returncode == 0
    assert "samsung-exports-value-2024" in answer.stdout
    assert "samsung-largest-market" not in answer.stdout


def test_unknown_shell_is_a_usage_error(cli: Cli) -> None:
    result = cli("completion", "tcsh")
    assert result.exit_code == 2
    assert "tcsh" in result.stderr


def test_measures_and_sources_complete_from_the_file_in_use(write_facts: WriteFacts) -> None:
    path = write_facts(
        SOURCES
        + "  - id: src-b\n    title: B\n    publisher: P\n    published: 2025\n    url: https://example.org/b\n"
        + "measures:\n  - id: bilateral-trade\n    label: Trade\n  - id: bilateral-trade-growth\n    label: Growth\n"
        + "  - id: summit-date\n    label: Date\n    kind: date\n    periodic: false\n"
        + "facts:\n  - id: f\n    topic: trade\n    statement: S.\n    source: src-a\n",
        "facts.yaml",
    )
    env = {"KORTRADE_DATA": str(path)}
    assert bash_complete("compare", "bil", env=env) == ["bilateral-trade", "bilateral-trade-growth"]
    assert bash_complete("facts", "--measure", "sum", env=env) == ["summit-date"]
    assert bash_complete("sources", "src-", env=env) == ["src-a", "src-b"]


def test_names_from_the_data_are_escaped_for_the_shell_and_lose_their_controls(
    write_facts: WriteFacts, tmp_path: Path
) -> None:
    """Entities named with an escape sequence and bell, a glob, quotes and a command substitution."""
    names = ["x\x1b]0;evil\x07", "/etc/*", "A B", "it's", "$(touch PWNED)", "삼성 전자"]
    path = write_facts(
        SOURCES
        + "facts:\n  - id: f\n    topic: trade\n    statement: S.\n    source: src-a\n"
        + f"    entities: [{', '.join(quoted(n) for n in names)}]\n",
        "facts.yaml",
    )
    env = {"KORTRADE_DATA": str(path)}
    offered = bash_complete("facts", "--entity", "", env=env)
    assert sorted(offered) == sorted(
        ["x\\]0\\;evil", "/etc/\\*", "A\\ B", "it\\'s", "\\$\\(touch\\ PWNED\\)", "삼성\\ 전자"]
    )
    assert not [word for word in offered if UNSAFE.search(word)]
    assert bash_complete("facts", "--entity", "/e", env=env) == ["/etc/\\*"]  # one word, not every file in /etc
    # Each word, read back by bash as the command line would read it, is the name without its controls.
    script = "".join(f"printf '%s\\n' {word}\n" for word in offered)
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert sorted(done.stdout.splitlines()) == sorted(["x]0;evil", *names[1:]])
    assert not (tmp_path / "PWNED").exists()
