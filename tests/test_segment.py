"""CJK segmentation for the search index: every Han, Hangul or kana character its own word."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kortrade.segment import segment, segment_map

# Samples of each script the segmenter splits: Hangul syllables and jamo, kana,
# CJK ideographs (basic, extension A, compatibility, extension B).
CJK_SAMPLES = "삼성전자한국가ㄱ中国三星电子がカ㐀豈𠀀𪛖"
cjk_chars = st.one_of(
    st.sampled_from(CJK_SAMPLES),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK unified ideographs
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # hiragana, katakana
)
# Text that mixes CJK with Latin words, digits, punctuation and white space.
mixed_text = st.lists(st.one_of(cjk_chars, st.characters(), st.sampled_from(" \t\nLG SK-2024 $45.")), max_size=40).map(
    "".join
)


@given(st.text())
@example("삼성전자 LG")
@example("")
def test_segment_is_the_text_of_segment_map(text: str) -> None:
    assert segment(text) == segment_map(text)[0]


@given(mixed_text)
def test_segment_is_the_text_of_segment_map_for_cjk(text: str) -> None:
    assert segment(text) == segment_map(text)[0]


def is_split(char: str) -> bool:
    """Whether the segmenter makes ``char`` a word of its own."""
    return segment(char) != char


@given(st.one_of(st.text(), mixed_text))
@example("三星集团 and 삼성그룹")
def test_dropping_inserted_characters_gives_back_the_text(text: str) -> None:
    segmented, origin = segment_map(text)
    assert len(origin) == len(segmented)
    kept = [(char, index) for char, index in zip(segmented, origin, strict=True) if index is not None]
    assert "".join(char for char, _ in kept) == text
    # Every original character is mapped once, in order, to where it came from.
    assert [index for _, index in kept] == list(range(len(text)))
    assert all(text[index] == char for char, index in kept)
    # What was inserted is white space only.
    assert all(char == " " for char, index in zip(segmented, origin, strict=True) if index is None)


@given(st.lists(cjk_chars, min_size=1, max_size=30).map("".join))
def test_a_run_of_cjk_characters_becomes_one_word_per_character(text: str) -> None:
    assert segment(text).split() == list(text)


@given(mixed_text)
def test_every_cjk_character_stands_alone(text: str) -> None:
    words = segment(text).split()
    for word in words:
        if any(is_split(char) for char in word):
            assert len(word) == 1, word
    # Nothing else moves: the non-CJK characters keep their order and neighbours.
    assert "".join(words) == "".join(text.split())


@given(st.one_of(st.text(), mixed_text))
def test_segment_works_character_by_character(text: str) -> None:
    assert segment(text) == "".join(segment(char) for char in text)
    for char in text:
        assert segment(char) in (char, f" {char} ")


@given(cjk_chars)
def test_each_cjk_character_is_split(char: str) -> None:
    assert segment(char) == f" {char} "
    assert segment_map(char) == (f" {char} ", [None, 0, None])


# Latin, Greek, Cyrillic, Arabic, Hebrew, Indic scripts, digits, punctuation: all below Hangul jamo.
@given(st.text(st.characters(max_codepoint=0x10FF)))
@example("Samsung Group's exports rose 54% in 2024.")
@example("Ünïcödé café — Ελληνικά кириллица العربية")
def test_text_without_cjk_is_unchanged(text: str) -> None:
    assert segment(text) == text
    assert segment_map(text) == (text, list(range(len(text))))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("삼성전자 LG", ["삼", "성", "전", "자", "LG"]),
        ("LG전자", ["LG", "전", "자"]),
        ("三星集团", ["三", "星", "集", "团"]),
        ("中国2024年", ["中", "国", "2024", "年"]),
        ("カタカナ", ["カ", "タ", "カ", "ナ"]),
        ("𠀀𠀁", ["𠀀", "𠀁"]),  # beyond the Basic Multilingual Plane
        ("battery exports", ["battery", "exports"]),
    ],
)
def test_examples(text: str, words: list[str]) -> None:
    assert segment(text).split() == words
    segmented, origin = segment_map(text)
    assert segmented == segment(text)
    assert "".join(c for c, o in zip(segmented, origin, strict=True) if o is not None) == text
