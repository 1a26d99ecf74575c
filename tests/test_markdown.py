"""Data text in Markdown output renders as exactly that text in a CommonMark renderer."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kortrade.markdown import escape

md = MarkdownIt("commonmark")


def rendered_text(markdown: str) -> str:
    """The text a reader sees: the HTML a CommonMark renderer makes, without its tags."""
    out = md.render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


@pytest.mark.parametrize(
    "text",
    [
        "Exports of $45 billion and $328 billion",
        "*bold* and _italic_ and `code`",
        "[a link](https://example.org) and ![an image](x.png)",
        "<script>alert(1)</script>",
        "# not a heading",
        "> not a quote",
        "- not a list",
        "+ not a list",
        "1992. Not a numbered list",
        "2) Not one either",
        "=== not a rule",
        "a | b \\ c",
        "R&D and &amp; and &#169;",
        "~~not struck~~",
        "삼성전자 三星 and emoji 🚢",
    ],
)
def test_markdown_special_text_renders_as_typed(text: str) -> None:
    assert rendered_text(escape(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF, exclude_categories=("Cc", "Cs")), max_size=40))
def test_any_printable_line_renders_as_typed(text: str) -> None:
    # CommonMark collapses and trims spaces; compare what a reader can see.
    expected = " ".join(text.split())
    assert " ".join(rendered_text(escape(text)).split()) == expected
