"""Turn what a person types after ``kortrade search`` into a safe SQLite FTS5 query.

The grammar is small and forgiving: words (``battery``), prefixes (``semi*``),
quoted phrases (``"new energy"``), ``AND`` / ``OR`` / ``NOT`` in capitals and
parentheses; words side by side must all match. Every word reaches FTS5 as a
quoted string, so no input can be read as FTS5 syntax (column filters, ``NEAR``,
``^``) or make it fail: a mistake is a :class:`~kortrade.errors.UsageError` that
says what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kortrade.errors import UsageError
from kortrade.segment import segment

OPERATORS: Final = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'\s*(?:(")|([()])|([^\s"()]+))')
EXAMPLE: Final = 'e.g. kortrade search battery OR "new energy" NOT samsung'


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "term", "phrase", "op", "(" or ")"
    text: str
    prefix: bool = False


def to_fts(query: str) -> str:
    """The FTS5 MATCH expression for ``query``; :class:`UsageError` if it has no word to find."""
    tokens = tokenize(query)
    if not any(t.kind in ("term", "phrase") for t in tokens):
        raise UsageError(f"search needs a word to look for, {EXAMPLE}")
    parser = _Parser(tokens)
    expression = parser.parse()
    return expression


def tokenize(query: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(query):
        match = _TOKEN.match(query, pos)
        if match is None:  # only trailing white space is left
            break
        quote, paren, word = match.groups()
        pos = match.end()
        if quote:
            end = query.find('"', pos)
            if end < 0:
                raise UsageError(f'unbalanced quote in search: {query.strip()!r}; close the phrase with "')
            tokens.append(_text_token("phrase", query[pos:end], prefix=query.startswith("*", end + 1)))
            pos = end + 1 + query.startswith("*", end + 1)
        elif paren:
            tokens.append(Token(paren, paren))
        elif word in OPERATORS:
            tokens.append(Token("op", word))
        else:
            tokens.append(_text_token("term", word.rstrip("*"), prefix=word.endswith("*")))
    return [t for t in tokens if t.kind not in ("term", "phrase") or t.text]


def _text_token(kind: str, text: str, *, prefix: bool) -> Token:
    # Words with nothing SQLite indexes ("$", "—") would be empty phrases: drop them.
    if not any(_is_word_char(c) for c in text):
        return Token(kind, "")
    return Token(kind, text, prefix)


def _is_word_char(char: str) -> bool:
    if char.isascii():
        return char.isalnum()
    import unicodedata

    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def fts_string(token: Token) -> str:
    # FTS5 ends a string at NUL; it is no word character, so it may as well be a space.
    quoted = '"' + segment(token.text).replace('"', '""').replace("\x00", " ") + '"'
    return quoted + "*" if token.prefix else quoted


class _Parser:
    """or := and ("OR" and)* ; and := not (["AND"] not)* ; not := atom ("NOT" atom)*."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def parse(self) -> str:
        expression = self._or()
        if self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            if token.kind == ")":
                raise UsageError(f"unbalanced ')' in search, {EXAMPLE}")
            raise UsageError(f"unexpected '{token.text}' in search, {EXAMPLE}")
        return expression

    def _peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _is_op(self, name: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == "op" and token.text == name

    def _or(self) -> str:
        parts = [self._and()]
        while self._is_op("OR"):
            self.pos += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while True:
            if self._is_op("AND"):
                self.pos += 1
            elif not self._starts_atom():
                break
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def _not(self) -> str:
        expression = self._atom()
        while self._is_op("NOT"):
            self.pos += 1
            expression = f"({expression} NOT {self._atom()})"
        return expression

    def _starts_atom(self) -> bool:
        token = self._peek()
        return token is not None and token.kind in ("term", "phrase", "(")

    def _atom(self) -> str:
        token = self._peek()
        if token is None:
            previous = self.tokens[self.pos - 1].text if self.pos else ""
            raise UsageError(f"'{previous}' needs a word after it, {EXAMPLE}")
        if token.kind == "op":
            where = "before and after it" if token.text != "NOT" or self.pos == 0 else "after it"
            raise UsageError(f"'{token.text}' needs a word {where}, {EXAMPLE}")
        if token.kind == ")":
            raise UsageError(f"unbalanced ')' in search, {EXAMPLE}")
        self.pos += 1
        if token.kind == "(":
            inner = self._or()
            if self._peek() is None or self.tokens[self.pos].kind != ")":
                raise UsageError(f"unbalanced '(' in search; close it with ')', {EXAMPLE}")
            self.pos += 1
            return inner
        return fts_string(token)
