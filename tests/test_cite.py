"""``kortrade cite``: statements with their citations, in four styles, ready to paste."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from support.cli import Cli
from support.facts import WriteFacts

URL = "https://news.cgtn.com/news/2026-01-09/Charting-the-Future-of-China-ROK-Trade-and-Innovation-1JIfGfIBvJC/p.html"
TITLE = "Charting the Future of China-ROK Trade and Innovation"
TRADE = "Trade in both directions between China and the ROK came to $328.08 billion in 2024."
SAMSUNG = "Samsung Group's exports to China were worth about $45 billion in 2024."
IDS = ("trade-volume-2024", "samsung-exports-value-2024")

EXPECTED = {
    "plain": f'{TRADE} (CGTN, "{TITLE}", 2026-01-09, {URL})\n\n{SAMSUNG} (CGTN, "{TITLE}", 2026-01-09, {URL})\n',
    "markdown": (
        "Trade in both directions between China and the ROK came to \\$328.08 billion in 2024.[^1]\n"
        "\n"
        "Samsung Group's exports to China were worth about \\$45 billion in 2024.[^1]\n"
        "\n"
        f'[^1]: CGTN, "{TITLE}", 9 January 2026, <{URL}>.\n'
    ),
    "apa": (
        "Trade in both directions between China and the ROK came to $328.08 billion in 2024 (CGTN, 2026).\n"
        "\n"
        "Samsung Group's exports to China were worth about $45 billion in 2024 (CGTN, 2026).\n"
        "\n"
        f"CGTN. (2026, January 9). {TITLE}. {URL}\n"
    ),
    "chicago": f'{TRADE}\u00b9\n\n{SAMSUNG}\u00b9\n\n1. CGTN, "{TITLE}," January 9, 2026, {URL}.\n',
}

# Two sources; the first fact cites the second source, so it gets number 1.
TWO_SOURCES = """\
version: 1
sources:
  - id: src-alpha
    title: Alpha report
    publisher: Alpha Press
    published: 2025-03-02
    url: https://example.org/alpha
  - id: src-zeta
    title: Zeta report
    publisher: Zeta News
    published: 2026-05-31
    url: https://example.org/zeta
facts:
  - id: zeta-one
    topic: trade
    statement: Zeta says trade grew
    source: src-zeta
  - id: alpha-one
    topic: trade
    statement: Alpha says 1992 mattered.
    source: src-alpha
  - id: zeta-two
    topic: trade
    statement: Zeta adds *stars* and $5 and <b>tags</b>.
    source: src-zeta
"""


# No colour, width or data settings of whoever runs the tests.
pytestmark = pytest.mark.usefixtures("plain_environment")


@pytest.fixture
def two_sources(write_facts: WriteFacts) -> Path:
    return write_facts(TWO_SOURCES, "two.yaml")


def cited(cli: Cli, *args: str) -> str:
    result = cli("cite", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


@pytest.mark.parametrize("style", list(EXPECTED))
def test_each_style_exactly(cli: Cli, style: str) -> None:
    assert cited(cli, *IDS, "--style", style) == EXPECTED[style]


def test_plain_is_the_default(cli: Cli) -> None:
    assert cited(cli, *IDS) == EXPECTED["plain"]


@pytest.mark.parametrize("spelling", ["MARKDOWN", "Markdown", "mArKdOwN"])
def test_style_ignores_case(cli: Cli, spelling: str) -> None:
    assert cited(cli, *IDS, "--style", spelling) == EXPECTED["markdown"]


def test_short_style_option(cli: Cli) -> None:
    assert cited(cli, *IDS, "-s", "APA") == EXPECTED["apa"]


def test_bad_style_is_a_usage_error(cli: Cli) -> None:
    result = cli("cite", *IDS, "--style", "mla")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kortrade cite: ")
    assert "'mla' is not one of 'plain', 'markdown', 'apa', 'chicago'" in lines[0]


def test_unknown_id_names_the_nearest(cli: Cli) -> None:
    result = cli("cite", "trade-volume")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "kortrade: no fact with id 'trade-volume'; nearest: trade-volume-2024\n"


def test_unknown_id_among_known_ones_prints_nothing(cli: Cli) -> None:
    result = cli("cite", "trade-volume-2024", "samsung-exports-2024", "--style", "markdown")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("kortrade: no fact with id 'samsung-exports-2024'; nearest: ")
    assert "samsung-exports-value-2024" in result.stderr
    assert result.stderr.count("\n") == 1


def test_no_id_is_a_usage_error(cli: Cli) -> None:
    result = cli("cite")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_ids_ignore_case(cli: Cli) -> None:
    assert cited(cli, "TRADE-VOLUME-2024", "--style", "apa") == cited(cli, "trade-volume-2024", "--style", "apa")


def test_same_fact_twice_keeps_one_note(cli: Cli) -> None:
    out = cited(cli, "trade-volume-2024", "trade-volume-2024", "--style", "markdown")
    assert out.count("[^1]:") == 1
    assert "[^2]" not in out


def test_apa_in_text_citation_before_the_final_period(cli: Cli) -> None:
    out = cited(cli, "rok-rank-as-china-partner", "--style", "apa")
    first = out.splitlines()[0]
    assert first == "Among China's trading partners, the ROK ranks second (CGTN, 2026)."
    assert not first.endswith(".).")


def test_sources_numbered_by_first_use(cli: Cli, two_sources: Path) -> None:
    args = ("zeta-one", "alpha-one", "zeta-two", "--data", str(two_sources))
    assert cited(cli, *args, "--style", "markdown") == (
        "Zeta says trade grew[^1]\n"
        "\n"
        "Alpha says 1992 mattered.[^2]\n"
        "\n"
        "Zeta adds \\*stars\\* and \\$5 and \\<b\\>tags\\</b\\>.[^1]\n"
        "\n"
        '[^1]: Zeta News, "Zeta report", 31 May 2026, <https://example.org/zeta>.\n'
        '[^2]: Alpha Press, "Alpha report", 2 March 2025, <https://example.org/alpha>.\n'
    )
    assert cited(cli, *args, "--style", "chicago") == (
        "Zeta says trade grew\u00b9\n"
        "\n"
        "Alpha says 1992 mattered.\u00b2\n"
        "\n"
        "Zeta adds *stars* and $5 and <b>tags</b>.\u00b9\n"
        "\n"
        '1. Zeta News, "Zeta report," May 31, 2026, https://example.org/zeta.\n'
        '2. Alpha Press, "Alpha report," March 2, 2025, https://example.org/alpha.\n'
    )


def test_apa_without_final_period_and_reference_list_alphabetical(cli: Cli, two_sources: Path) -> None:
    out = cited(cli, "zeta-one", "alpha-one", "--data", str(two_sources), "--style", "apa")
    assert out == (
        "Zeta says trade grew (Zeta News, 2026).\n"
        "\n"
        "Alpha says 1992 mattered (Alpha Press, 2025).\n"
        "\n"
        "Alpha Press. (2025, March 2). Alpha report. https://example.org/alpha\n"
        "Zeta News. (2026, May 31). Zeta report. https://example.org/zeta\n"
    )


def test_plain_style_with_two_sources(cli: Cli, two_sources: Path) -> None:
    out = cited(cli, "alpha-one", "zeta-one", "--data", str(two_sources))
    assert out == (
        'Alpha says 1992 mattered. (Alpha Press, "Alpha report", 2025-03-02, https://example.org/alpha)\n'
        "\n"
        'Zeta says trade grew (Zeta News, "Zeta report", 2026-05-31, https://example.org/zeta)\n'
    )


# -- Markdown style as CommonMark --------------------------------------------------------

md = MarkdownIt("commonmark")


def paragraphs(markdown: str) -> list[str]:
    """The text of each paragraph a CommonMark renderer makes (tags removed, entities decoded)."""
    rendered = md.render(markdown)
    return [html.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", rendered, re.S)]


def test_markdown_style_shape_and_rendering(cli: Cli, two_sources: Path) -> None:
    # mdit_py_plugins (the footnote plugin) is not installed: check the footnote shape by hand.
    out = cited(cli, "zeta-one", "alpha-one", "zeta-two", "--data", str(two_sources), "--style", "markdown")
    body, notes = out.split("\n\n[^1]: ")
    statements = body.split("\n\n")
    refs = [re.fullmatch(r".*\[\^(\d+)\]", s, re.S) for s in statements]
    assert all(refs)
    used = [int(m.group(1)) for m in refs if m]
    definitions = re.findall(r"^\[\^(\d+)\]: ", "[^1]: " + notes, re.M)
    assert [int(n) for n in definitions] == sorted(set(used)) == [1, 2]
    # Each statement renders as typed: nothing turned into emphasis, HTML or maths.
    rendered = paragraphs("\n\n".join(statements))
    assert rendered == [
        "Zeta says trade grew[^1]",
        "Alpha says 1992 mattered.[^2]",
        "Zeta adds *stars* and $5 and <b>tags</b>.[^1]",
    ]
    assert "<b>" not in md.render(out)
    assert "<em>" not in md.render(out)


def test_markdown_style_shipped_renders_literal_numbers(cli: Cli) -> None:
    out = cited(cli, *IDS, "--style", "markdown")
    rendered = paragraphs(out)
    assert rendered[:2] == [f"{TRADE}[^1]", f"{SAMSUNG}[^1]"]
    assert "$328.08 billion" in rendered[0]
    # The note's URL is an autolink to the source.
    assert f'<a href="{URL}">{URL}</a>' in md.render(out)


def test_markdown_style_hostile_statement_renders_as_typed(cli: Cli, write_facts: WriteFacts) -> None:
    path = write_facts(
        "version: 1\n"
        "sources:\n"
        "  - id: src-a\n"
        '    title: "T *x* <i>"\n'
        '    publisher: "P_q_ [a](b)"\n'
        "    published: 2026-01-09\n"
        "    url: https://example.org/a?b=<c>\n"
        "facts:\n"
        "  - id: odd\n"
        "    topic: trade\n"
        '    statement: "# Head *em* _u_ [l](https://x.example) <script>x</script> | $1 & $2 \\e[31m."\n'
        "    source: src-a\n",
        "odd.yaml",
    )
    out = cited(cli, "odd", "--data", str(path), "--style", "markdown")
    assert "\x1b" not in out
    rendered = paragraphs(out)
    assert rendered[0] == "# Head *em* _u_ [l](https://x.example) <script>x</script> | $1 & $2 \\x1b[31m.[^1]"
    assert rendered[1].startswith('[^1]: P_q_ [a](b), "T *x* <i>", 9 January 2026, ')
    assert "<script>" not in md.render(out)
    assert "<h1>" not in md.render(out)


# -- month names whatever the locale -----------------------------------------------------

_PROBE = "import datetime, locale; locale.setlocale(locale.LC_ALL, ''); print(datetime.date(2026, 3, 9).strftime('%B'))"


def _month_in(env: dict[str, str]) -> str:
    probe = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=False)
    return probe.stdout.strip()


@pytest.fixture(scope="module")
def foreign_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Settings for a German locale (made with localedef if none is installed), else C.UTF-8."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
    german = {**env, "LC_ALL": "de_DE.UTF-8"}
    if _month_in(german) == "März":
        return german
    localedef = shutil.which("localedef")
    if localedef:
        folder = tmp_path_factory.mktemp("locale")
        subprocess.run(
            [localedef, "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")],
            capture_output=True,
            check=False,
            timeout=60,
        )
        german = {**german, "LOCPATH": str(folder)}
        if _month_in(german) == "März":
            return german
    return {**env, "LC_ALL": "C.UTF-8"}


def test_month_names_are_english_in_any_locale(foreign_locale: dict[str, str], two_sources: Path) -> None:
    def cite_in_locale(style: str) -> str:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "kortrade",
                "cite",
                "alpha-one",
                "zeta-one",
                "--data",
                str(two_sources),
                "-s",
                style,
            ],
            env=foreign_locale,
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == b""
        return done.stdout.decode("utf-8")

    markdown, apa, chicago = cite_in_locale("markdown"), cite_in_locale("apa"), cite_in_locale("chicago")
    assert '"Alpha report", 2 March 2025, ' in markdown
    assert '"Zeta report", 31 May 2026, ' in markdown
    assert "Alpha Press. (2025, March 2). Alpha report." in apa
    assert "Zeta News. (2026, May 31). Zeta report." in apa
    assert 'Alpha Press, "Alpha report," March 2, 2025, ' in chicago
    assert 'Zeta News, "Zeta report," May 31, 2026, ' in chicago
    for text in (markdown, apa, chicago):
        assert "März" not in text
        assert "Mai" not in text


@pytest.mark.parametrize(
    ("published", "long", "chicago", "apa"),
    [
        ("2026-01-09", "9 January 2026", "January 9, 2026", "2026, January 9"),
        ("2025-09", "September 2025", "September 2025", "2025, September"),
        ("2025", "2025", "2025", "2025"),
        (None, "undated", "n.d.", "n.d."),
    ],
)
def test_each_style_writes_a_date_at_the_precision_it_is_known(
    published: str | None, long: str, chicago: str, apa: str
) -> None:
    from kortrade.cite import _styled_date, long_date
    from kortrade.references import known_date

    source: dict[str, object] = {"published": published}
    assert long_date(source) == long
    assert _styled_date(known_date(source), "us") == chicago
    assert _styled_date(known_date(source), "apa") == apa


# -- an untitled page, cited by a description in square brackets (APA 7) -----------------------

DESCRIPTION = "[Report on President Lee's arrival in Beijing]"
TAGGED = "[Korea-China ties at 30] Trade grew 47 times"
UNTITLED = f"""\
version: 1
sources:
  - id: src-untitled
    title: "{DESCRIPTION}"
    publisher: AsiaOne
    published: 2026-01-06
    url: https://example.org/untitled
    via: Reuters
  - id: src-tagged
    title: "{TAGGED}"
    publisher: China Review News
    published: "2022"
    url: https://example.org/tagged
facts:
  - id: untitled-one
    topic: visit
    statement: Lee arrived in Beijing.
    source: src-untitled
  - id: tagged-one
    topic: trade
    statement: Trade grew.
    source: src-tagged
"""


@pytest.fixture
def untitled(write_facts: WriteFacts) -> Path:
    return write_facts(UNTITLED, "untitled.yaml")


@pytest.mark.parametrize(
    ("title", "described"),
    [
        (DESCRIPTION, True),
        ("[Summary of Korea's outbound direct investment in 2023]", True),
        ("[Report on a [bracketed] word]", True),
        (TAGGED, False),  # a real title that opens with a bracketed tag
        ("[한중수교30년]①1·3·6·47·80…숫자로 본 한중수교", False),
        ("[Part one] and [part two]", False),
        ("Charting the Future of China-ROK Trade and Innovation", False),
        ("[", False),
        ("[]", True),
    ],
)
def test_a_description_is_a_title_wholly_in_one_pair_of_brackets(title: str, described: bool) -> None:
    from kortrade.titles import is_description

    assert is_description(title) is described


def test_each_style_leaves_a_bracketed_description_unquoted(cli: Cli, untitled: Path) -> None:
    args = ("untitled-one", "tagged-one", "--data", str(untitled), "--style")
    assert cited(cli, *args, "plain") == (
        f"Lee arrived in Beijing. (AsiaOne (Reuters), {DESCRIPTION}, 2026-01-06, https://example.org/untitled)\n"
        "\n"
        f'Trade grew. (China Review News, "{TAGGED}", 2022, https://example.org/tagged)\n'
    )
    # APA 7: "[Description]." in plain text, where a title would be; the site follows.
    assert cited(cli, *args, "apa").endswith(
        "\n\nChina Review News. (2022). [Korea-China ties at 30] Trade grew 47 times. https://example.org/tagged\n"
        f"Reuters. (2026, January 6). {DESCRIPTION}. AsiaOne. https://example.org/untitled\n"
    )
    # Chicago quotes a title, comma inside; a description goes bare, comma after it.
    assert cited(cli, *args, "chicago").endswith(
        f"1. AsiaOne (Reuters), {DESCRIPTION}, January 6, 2026, https://example.org/untitled.\n"
        f'2. China Review News, "{TAGGED}," 2022, https://example.org/tagged.\n'
    )


def test_markdown_style_renders_the_brackets_as_typed_not_as_a_link(cli: Cli, untitled: Path) -> None:
    out = cited(cli, "untitled-one", "--data", str(untitled), "--style", "markdown")
    assert out.endswith(
        "[^1]: AsiaOne (Reuters), \\[Report on President Lee's arrival in Beijing\\], 6 January 2026, "
        "<https://example.org/untitled>.\n"
    )
    rendered = paragraphs(out)
    assert rendered[1] == f"[^1]: AsiaOne (Reuters), {DESCRIPTION}, 6 January 2026, https://example.org/untitled."
    assert '"[' not in rendered[1]
    assert md.render(out).count("<a ") == 1  # the URL only
