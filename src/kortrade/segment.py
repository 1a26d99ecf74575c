"""Split Chinese, Japanese and Korean text into one-character words for the search index.

SQLite's ``unicode61`` tokenizer treats a run of Han or Hangul characters as one word,
so 三星 would never be found inside 三星集团, nor 삼성 inside 삼성전자는. Putting a space
around each such character makes every character a word; a search term becomes a
phrase of its characters, which matches any substring. Latin words are untouched,
so English keeps its stemming.
"""

from __future__ import annotations

import functools
import re
from typing import Final

# Hangul (syllables, jamo, compatibility jamo), kana, CJK ideographs and their extensions.
_CJK_CLASS: Final = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\U00020000-\U0003134f"
)


@functools.cache
def cjk_char() -> re.Pattern[str]:
    # Compiled on first use: English-only searches never need it.
    return re.compile(f"[{_CJK_CLASS}]")


def segment(text: str) -> str:
    """``삼성전자 LG`` → ``삼 성 전 자  LG``: each CJK character its own word."""
    if text.isascii() or not cjk_char().search(text):
        return text
    return cjk_char().sub(r" \g<0> ", text)


def segment_map(text: str) -> tuple[str, list[int | None]]:
    """:func:`segment` and, for each character of its result, the index it came from.

    Inserted spaces map to None, so spans found in the segmented text (such as the
    matches SQLite marks) can be carried back to the original text.
    """
    out: list[str] = []
    origin: list[int | None] = []
    pattern = cjk_char()
    for index, char in enumerate(text):
        if char >= "\u1100" and pattern.match(char):
            out.extend((" ", char, " "))
            origin.extend((None, index, None))
        else:
            out.append(char)
            origin.append(index)
    return "".join(out), origin
