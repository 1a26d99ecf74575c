"""Sources as reference-manager records: CSL-JSON, BibTeX (biblatex ``@online``) and RIS.

Zotero, EndNote, JabRef and pandoc read these; writers keep their references there,
not in kortrade. Everything here works on source *records* (the ``source`` object of
the JSON contract), so a key the record does not have yet is simply not written:

- ``id`` is the citation key in every format;
- ``publisher`` is the outlet; ``via`` (when a page relays an agency's report) is the
  agency, which becomes the author, so a reference names both ("Yonhap. 2025.
  "Title." Korea JoongAng Daily");
- ``published`` may be a day (``2026-01-05``), a month (``2025-09``), a year
  (``2025``) or unknown (``None``), and each format gets exactly what is known, never
  a padded day;
- ``language`` and ``date_note`` go where each format keeps them;
- a ``title`` that is a bracketed description (an untitled page, cited as APA 7 says:
  ``[Report on ...]``) keeps its brackets, literal, in every format, and is marked so that
  no style recapitalises it: one brace group in BibTeX, a ``nocase`` span in CSL-JSON.

Text from the data stays inert: control characters and line breaks are shown as
escapes (``\\x1b``), as everywhere in kortrade, so no value can start an RIS tag or a
new BibTeX line; BibTeX escapes every character TeX or BibTeX would act on.
The three formats were checked against pandoc (it renders the same references from
the BibTeX and from the CSL-JSON), bibtexparser and rispy: see tests/test_references.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from kortrade.choices import ReferenceFormat, SourcesFormat
from kortrade.errors import UsageError
from kortrade.render import Format
from kortrade.terminal import escape_controls
from kortrade.titles import is_description

SourceRecord = Mapping[str, object]


def split_sources_format(
    fmt: SourcesFormat | None, as_json: bool, fields: str | None
) -> tuple[Format | None, ReferenceFormat | None]:
    """The listing or reference format ``--format`` asks for; a reference file takes no --json or --fields."""
    if fmt is None or fmt.value in Format.__members__.values():
        return (None if fmt is None else Format(fmt.value)), None
    reference = ReferenceFormat(fmt.value)
    if as_json:
        raise UsageError(f"--json conflicts with --format {reference.value}")
    if fields is not None:
        raise UsageError(f"--fields does not apply to --format {reference.value}: a reference file has its own fields")
    return None, reference


# -- dates --------------------------------------------------------------------------------

_DATE_RE: Final = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class KnownDate:
    """A publication date to the precision the source gives: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p is not None]

    def iso(self) -> str:
        """``2025``, ``2025-09`` or ``2025-09-03``: EDTF, as biblatex's ``date`` takes it."""
        return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(self.parts))


def known_date(source: SourceRecord) -> KnownDate | None:
    """The record's ``published`` date, or None when it is unknown (or not a date we can read)."""
    text = source.get("published")
    if text is None:
        return None
    match = _DATE_RE.fullmatch(str(text))
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return KnownDate(year, month, day)


# -- what every format shares ---------------------------------------------------------------


def clean(value: object) -> str:
    """Data text on one line, control characters shown as escapes: nothing in it can act."""
    return escape_controls(str(value), one_line=True).strip()


def _optional(source: SourceRecord, key: str) -> str | None:
    value = source.get(key)
    if value is None or not str(value).strip():
        return None
    return clean(value)


def author(source: SourceRecord) -> str:
    """Who a reference is by: the agency a page relays, else its outlet."""
    return _optional(source, "via") or clean(source["publisher"])


_URI_UNSAFE: Final = frozenset('{}\\"<>^`|')


def reference_url(source: SourceRecord) -> str:
    """The source's URL as a URI every format can hold as it is.

    Characters a URI may not contain raw (non-ASCII, braces, backslashes, quotes...)
    are %-escaped as UTF-8, which names the same page; ``%`` and ``#`` stay, since
    biblatex reads ``url`` verbatim. One spelling for all three formats, so they agree.
    """
    url = clean(source["url"])
    return "".join(c if "!" <= c <= "~" and c not in _URI_UNSAFE else _percent(c) for c in url)


def _percent(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode())


# Keys every consumer accepts: BibTeX and pandoc take these characters in a key unquoted.
_KEY_RE: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_:.\-+/]*")


def citation_key(source: SourceRecord) -> str:
    """The source id, which is the citation key; ids are slugs, so this never fails on real data."""
    key = str(source["id"])
    if not _KEY_RE.fullmatch(key) or key[-1] in ":.-+/":
        raise ValueError(f"source id {key!r} cannot be a citation key")
    return key


def unique_sources(sources: Iterable[SourceRecord]) -> list[SourceRecord]:
    """Each source once (by id), in order of first appearance."""
    seen: dict[str, SourceRecord] = {}
    for source in sources:
        seen.setdefault(str(source["id"]), source)
    return list(seen.values())


# -- CSL-JSON -------------------------------------------------------------------------------


def csl_item(source: SourceRecord) -> dict[str, object]:
    """The source as a CSL-JSON item (type ``webpage``): what pandoc's citeproc and Zotero read.

    The outlet is ``publisher`` because pandoc reads biblatex's ``organization`` into
    ``publisher``: the same field here means the same reference from either file.
    """
    item: dict[str, object] = {
        "id": citation_key(source),
        "type": "webpage",
        "title": csl_title(source),
        # A literal name: an outlet is not split into given and family names.
        "author": [{"literal": author(source)}],
        "publisher": clean(source["publisher"]),
    }
    date = known_date(source)
    if date is not None:
        item["issued"] = {"date-parts": [date.parts]}
    item["URL"] = reference_url(source)
    language = _optional(source, "language")
    if language is not None:
        item["language"] = language
    note = _optional(source, "date_note")
    if note is not None:
        item["note"] = note
    return item


def csl_title(source: SourceRecord) -> str:
    """The title; a bracketed description in a ``nocase`` span, CSL's mark for text no style may recase."""
    title = _curly_quotations(clean(source["title"]))
    return f'<span class="nocase">{title}</span>' if is_description(title) else title


def _curly_quotations(text: str) -> str:
    """Straight quotes that pair up as typographic ones, as BibTeX's ``\\enquote`` gives them:
    pandoc reads a straight quote after "…" as an apostrophe, and the two files would differ."""
    pairs = _paired_quotes(text)
    if not pairs:
        return text
    return "".join(("“" if pairs[i] else "”") if i in pairs else char for i, char in enumerate(text))


def to_csl_json(sources: Iterable[SourceRecord]) -> str:
    items = [csl_item(s) for s in unique_sources(sources)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# -- BibTeX (biblatex) ----------------------------------------------------------------------

# Characters TeX or BibTeX act on, as text commands every reader tested decodes.
_TEX: Final = {
    "\\": r"\textbackslash{}",
    "%": r"\%",
    "#": r"\#",
    "$": r"\$",
    "&": r"\&",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    # A backtick would open a curly quote (and ?` or !` make ¿ and ¡); the grave accent
    # command on nothing prints the backtick itself.
    "`": r"\`{}",
}
# TeX ligatures pandoc and LaTeX would turn into dashes: split by {}.
_LIGATURES: Final = re.compile(r"-(?=-)")
# biblatex names for the languages a source may be in (its ``langid``).
BIBLATEX_LANGUAGES: Final = {
    "en": "english",
    "ko": "korean",
    "zh": "chinese",
    "ja": "japanese",
    "it": "italian",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "ru": "russian",
}


def tex_escape(text: str, *, protect_case: bool = False) -> str:
    """``text`` as the inside of a braced BibTeX field, typeset exactly as written.

    Braces are the hard part: BibTeX counts ``\\{`` as a brace, so a field with an odd
    one would run on. Braces that pair up are written ``\\{`` and ``\\}`` (read back by
    pandoc and LaTeX); a lone one becomes ``\\textbraceleft{}`` or ``\\textbraceright{}``,
    which LaTeX prints and pandoc drops, so no file ever has unbalanced braces.

    Quotes in pairs become ``\\enquote{...}`` (csquotes, which biblatex works with):
    pandoc reads CSL-JSON's quoted words as a quotation, and reads ``\\enquote`` the
    same way, so both files give the same reference. A quote without a partner is
    TeX's opening or closing quote, by where it stands.

    ``protect_case`` puts each word (or part of a hyphenated word) that has a capital
    in braces, so biblatex and pandoc keep its case: without them pandoc lowercases an
    English title's capitalised words and a sentence-case style prints "china"; with
    them a title-case style still capitalises the other words, as it does from
    CSL-JSON (title case makes "Jae-myung" "Jae-Myung", hence the parts).
    """
    braces = _paired_braces(text)
    quotes = _paired_quotes(text)
    out: list[str] = []
    segment: list[str] = []
    capital = False

    def end_segment() -> None:
        nonlocal capital
        joined = "".join(segment)
        out.append(f"{{{joined}}}" if protect_case and capital else joined)
        segment.clear()
        capital = False

    for index, char in enumerate(text):
        if index in quotes or char in " -":
            # Words, parts of hyphenated words and quotations are protected one by one,
            # so a brace of ours never straddles an \enquote.
            end_segment()
            out.append((r"\enquote{" if quotes[index] else "}") if index in quotes else char)
            continue
        capital = capital or char.isupper()
        if char in "{}":
            if index in braces:
                segment.append("\\" + char)
            else:
                segment.append(r"\textbraceleft{}" if char == "{" else r"\textbraceright{}")
        elif char in "'\"":
            segment.append(_tex_quote(text, index))
        else:
            segment.append(_TEX.get(char, char))
    end_segment()
    return _LIGATURES.sub(lambda m: m.group() + "{}", "".join(out))


def _quote_place(text: str, index: int) -> tuple[bool, bool]:
    """Whether the quote at ``index`` can open (after a space or bracket, before text) or close."""
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    # After a space or any punctuation ("(", "…", "-"), before text: as pandoc reads quotes.
    opens = (before.isspace() or unicodedata.category(before).startswith("P")) and not after.isspace()
    # Korean, Chinese and Japanese run particles on after a quotation ('투자'로): no space follows.
    closes = not before.isspace() and (not after.isalnum() or _unspaced(after))
    return opens, closes


def _unspaced(char: str) -> bool:
    """A Hangul or CJK character: scripts whose words a quotation's end runs straight into."""
    name = unicodedata.name(char, "")
    return name.startswith(("HANGUL", "CJK", "HIRAGANA", "KATAKANA"))


def _paired_quotes(text: str) -> dict[int, bool]:
    """Positions of quotes that open (True) or close (False) a quotation; apostrophes are neither."""
    pairs: dict[int, bool] = {}
    opened: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char not in "'\"":
            continue
        opens, closes = _quote_place(text, index)
        if opens:
            opened.append((char, index))
        elif closes:
            for depth in range(len(opened) - 1, -1, -1):
                if opened[depth][0] == char:
                    pairs[opened[depth][1]], pairs[index] = True, False
                    del opened[depth:]  # quotes opened inside and never closed stay quote marks
                    break
    return pairs


def _tex_quote(text: str, index: int) -> str:
    """A straight quote without a partner as TeX's opening (`` ` ``, ``` `` ```) or closing quote."""
    opens, _ = _quote_place(text, index)
    if text[index] == "'":
        return "`" if opens else "'"
    return "``" if opens else "''"


def _paired_braces(text: str) -> set[int]:
    """Positions of the braces in ``text`` that open and close a pair."""
    paired: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            paired.update((opened.pop(), index))
    return paired


def bibtex_title(title: str) -> str:
    """A title with its capitalised words protected; a bracketed description whole in one brace
    group, brackets included, so that a title-case style leaves it as written."""
    if is_description(title):
        return f"{{{tex_escape(title)}}}"
    return tex_escape(title, protect_case=True)


def bibtex_entry(source: SourceRecord) -> str:
    """The source as a biblatex ``@online`` entry keyed by its id."""
    fields: list[tuple[str, str]] = [
        # Double braces: a corporate name, never split into first and last names.
        ("author", f"{{{tex_escape(author(source))}}}"),
        ("title", bibtex_title(clean(source["title"]))),
        # biblatex's field for who publishes an @online resource; pandoc reads it as publisher.
        # A list field ("A and B" is two), so in braces: an outlet named "X and Y" is one.
        ("organization", f"{{{tex_escape(clean(source['publisher']))}}}"),
    ]
    date = known_date(source)
    if date is not None:
        fields.append(("date", date.iso()))
    fields.append(("url", reference_url(source)))
    language = _optional(source, "language")
    if language is not None:
        primary = language.split("-")[0].casefold()
        fields.append(("langid", tex_escape(BIBLATEX_LANGUAGES.get(primary, language))))
    note = _optional(source, "date_note")
    if note is not None:
        fields.append(("note", tex_escape(note)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@online{{{citation_key(source)},\n{body}}}\n"


def to_bibtex(sources: Iterable[SourceRecord]) -> str:
    return "\n".join(bibtex_entry(s) for s in unique_sources(sources))


# -- RIS ------------------------------------------------------------------------------------


def ris_record(source: SourceRecord) -> str:
    """The source as an RIS record of type ELEC (a web page), one ``TAG  - value`` a line."""
    lines = [
        ("TY", "ELEC"),
        ("ID", citation_key(source)),
        ("TI", clean(source["title"])),
        ("AU", author(source)),
        # Zotero and EndNote read T2 of a web page as the site's name: the outlet.
        ("T2", clean(source["publisher"])),
    ]
    date = known_date(source)
    if date is not None:
        lines.append(("PY", f"{date.year:04d}"))
        # RIS dates are YYYY/MM/DD; only the parts that are known are written.
        lines.append(("DA", "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(date.parts))))
    lines.append(("UR", reference_url(source)))
    language = _optional(source, "language")
    if language is not None:
        lines.append(("LA", language))
    note = _optional(source, "date_note")
    if note is not None:
        lines.append(("N1", note))
    # "ER  - " keeps its trailing space, as the RIS specification writes it.
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


def to_ris(sources: Iterable[SourceRecord]) -> str:
    return "\n".join(ris_record(s) for s in unique_sources(sources))


# -- one place that picks the format ----------------------------------------------------------


def references_text(sources: Iterable[SourceRecord], fmt: ReferenceFormat) -> str:
    """The sources (each once, in the order given) as a file in ``fmt``."""
    if fmt is ReferenceFormat.csl_json:
        return to_csl_json(sources)
    if fmt is ReferenceFormat.bibtex:
        return to_bibtex(sources)
    return to_ris(sources)


def fact_sources(facts: Iterable[Mapping[str, object]]) -> list[SourceRecord]:
    """The sources the facts cite, each once, in order of first citation."""
    found: list[SourceRecord] = []
    for fact in facts:
        source = fact["source"]
        assert isinstance(source, Mapping)
        found.append(source)
    return unique_sources(found)
