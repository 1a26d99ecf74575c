"""Read a search as a question: the period, the measures and whose statistics it names.

``kortrade search two-way trade 2023``, ``2023년 대중 무역수지`` and ``2024年中韩贸易额``
all name a measure and a year. :func:`parse` finds them, in English, Korean and
Chinese, and leaves the other words to be searched; filler ("what was the", "얼마",
"是多少") is dropped so that it cannot make a search fail. The words people use are
data (:data:`MEASURE_WORDS`, :data:`BASIS_WORDS`, :data:`FILLER`), tested word by word.

Only a plain query is read this way: one with ``AND``, ``OR``, ``NOT``, parentheses or
a quoted phrase is the search grammar of :mod:`kortrade.query`, left as typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

BILATERAL: Final = "bilateral-trade"
EXPORTS: Final = "rok-exports-to-china"
IMPORTS: Final = "rok-imports-from-china"
BALANCE: Final = "rok-trade-balance-with-china"
KOREA: Final = "Republic of Korea"
CHINA: Final = "China"

# Words for a measure, in the three languages; the longest match wins ("대중 수출 비중"
# before "대중 수출"). English words match whole words; Korean and Chinese anywhere.
MEASURE_WORDS: Final[dict[str, str]] = {
    # Trade in both directions
    "two-way trade": BILATERAL,
    "two way trade": BILATERAL,
    "total trade": BILATERAL,
    "bilateral trade": BILATERAL,
    "trade volume": BILATERAL,
    "volume of trade": BILATERAL,
    "trade value": BILATERAL,
    "교역액": BILATERAL,
    "교역 규모": BILATERAL,
    "교역규모": BILATERAL,
    "교역": BILATERAL,
    "무역액": BILATERAL,
    "무역 규모": BILATERAL,
    "무역규모": BILATERAL,
    "贸易额": BILATERAL,
    "贸易总额": BILATERAL,
    "双边贸易": BILATERAL,
    "进出口总额": BILATERAL,
    "贸易规模": BILATERAL,
    # The ROK's exports to China
    "exports to china": EXPORTS,
    "export to china": EXPORTS,
    "exports to the prc": EXPORTS,
    "china's imports from korea": EXPORTS,
    "imports from korea": EXPORTS,
    "대중 수출": EXPORTS,
    "대중수출": EXPORTS,
    "대중국 수출": EXPORTS,
    "대중국수출": EXPORTS,
    "중국으로의 수출": EXPORTS,
    "对华出口": EXPORTS,
    "对中国出口": EXPORTS,
    "向中国出口": EXPORTS,
    "自韩进口": EXPORTS,
    "从韩国进口": EXPORTS,
    # The ROK's imports from China
    "imports from china": IMPORTS,
    "import from china": IMPORTS,
    "china's exports to korea": IMPORTS,
    "exports to korea": IMPORTS,
    "대중 수입": IMPORTS,
    "대중수입": IMPORTS,
    "대중국 수입": IMPORTS,
    "대중국수입": IMPORTS,
    "중국으로부터의 수입": IMPORTS,
    "自华进口": IMPORTS,
    "从中国进口": IMPORTS,
    "对韩出口": IMPORTS,
    # The ROK's balance with China
    "trade balance": BALANCE,
    "balance of trade": BALANCE,
    "trade deficit": BALANCE,
    "trade surplus": BALANCE,
    "deficit": BALANCE,
    "surplus": BALANCE,
    "무역수지": BALANCE,
    "무역 수지": BALANCE,
    "무역적자": BALANCE,
    "무역 적자": BALANCE,
    "무역흑자": BALANCE,
    "무역 흑자": BALANCE,
    "적자": BALANCE,
    "흑자": BALANCE,
    "贸易差额": BALANCE,
    "贸易平衡": BALANCE,
    "贸易逆差": BALANCE,
    "贸易顺差": BALANCE,
    "逆差": BALANCE,
    "顺差": BALANCE,
    # Shares and ranks, where the words leave no doubt which side
    "share of korea's exports": "china-share-of-rok-exports",
    "share of korean exports": "china-share-of-rok-exports",
    "share of exports": "china-share-of-rok-exports",
    "수출 비중": "china-share-of-rok-exports",
    "대중 수출 비중": "china-share-of-rok-exports",
    "对华出口占比": "china-share-of-rok-exports",
    "share of korea's trade": "china-share-of-rok-trade",
    "share of korean trade": "china-share-of-rok-trade",
    "교역 비중": "china-share-of-rok-trade",
    "share of korea's imports": "china-share-of-rok-imports",
    "share of china's imports": "rok-share-of-china-imports",
    "share of china's trade": "rok-share-of-china-trade",
    "largest trading partner": "china-rank-among-rok-trade-partners",
    "biggest trading partner": "china-rank-among-rok-trade-partners",
    "top trading partner": "china-rank-among-rok-trade-partners",
    "최대 교역국": "china-rank-among-rok-trade-partners",
    "최대 교역 상대국": "china-rank-among-rok-trade-partners",
    "最大贸易伙伴": "china-rank-among-rok-trade-partners",
    "largest export market": "china-rank-among-rok-export-markets",
    "biggest export market": "china-rank-among-rok-export-markets",
    "최대 수출국": "china-rank-among-rok-export-markets",
    "최대 수출 시장": "china-rank-among-rok-export-markets",
    "最大出口市场": "china-rank-among-rok-export-markets",
    "rank among china's trading partners": "rok-rank-among-china-trade-partners",
    "korea's rank among china's trading partners": "rok-rank-among-china-trade-partners",
}

# A word that hints at a measure but is searched as typed: it only puts that
# measure's facts first among those matching as many words ("trade 2023").
HINT_WORDS: Final[dict[str, str]] = {
    "trade": BILATERAL,
    "무역": BILATERAL,
    "贸易": BILATERAL,
    "exports": EXPORTS,
    "수출": EXPORTS,
    "出口": EXPORTS,
    "imports": IMPORTS,
    "수입": IMPORTS,
    "进口": IMPORTS,
}

# With a measure named, these make it its change on the year before, where the file has one.
GROWTH_WORDS: Final = (
    "growth", "grew", "growth rate", "change", "increase", "decrease", "rise", "rose", "fall", "fell",
    "year on year", "year-on-year", "증가율", "증감률", "성장률", "증가", "감소", "增长率", "增长", "增速",
    "增幅", "同比", "下降",
)  # fmt: skip
GROWTH_OF: Final[dict[str, str]] = {
    BILATERAL: "bilateral-trade-growth",
    EXPORTS: "rok-exports-to-china-growth",
    IMPORTS: "rok-imports-from-china-growth",
}

# Whose statistics a figure is: the basis country of the facts wanted.
BASIS_WORDS: Final[dict[str, str]] = {
    "korea's figures": KOREA,
    "korea's statistics": KOREA,
    "korea's data": KOREA,
    "korea's numbers": KOREA,
    "korean figures": KOREA,
    "korean statistics": KOREA,
    "korean data": KOREA,
    "korean customs": KOREA,
    "korea customs": KOREA,
    "rok statistics": KOREA,
    "rok figures": KOREA,
    "한국 통계": KOREA,
    "한국측 통계": KOREA,
    "한국 측 통계": KOREA,
    "한국 기준": KOREA,
    "관세청": KOREA,
    "韩方": KOREA,
    "韩国统计": KOREA,
    "韩国海关": KOREA,
    "china's figures": CHINA,
    "china's statistics": CHINA,
    "china's data": CHINA,
    "china's numbers": CHINA,
    "chinese figures": CHINA,
    "chinese statistics": CHINA,
    "chinese data": CHINA,
    "chinese customs": CHINA,
    "china customs": CHINA,
    "중국 통계": CHINA,
    "중국측 통계": CHINA,
    "중국 측 통계": CHINA,
    "중국 기준": CHINA,
    "중국 해관": CHINA,
    "中方": CHINA,
    "中国统计": CHINA,
    "中国海关": CHINA,
    "海关总署": CHINA,
}

# Words that never make a search fail: dropped wherever something else is left to go on.
FILLER: Final = frozenset(
    {
        "what", "what's", "whats", "was", "were", "is", "are", "be", "been", "the", "a", "an", "in", "of",
        "with", "between", "and", "for", "to", "from", "by", "on", "at", "how", "much", "many", "did", "does",
        "do", "during", "year", "years", "figure", "figures", "value", "amount", "tell", "me", "show", "give",
        "please", "about", "its", "it", "their", "according", "per", "as", "which", "who", "when", "there",
        "statistics", "stats", "data", "number", "numbers", "s", "i", "want", "know", "get", "find", "latest",
        "얼마", "얼마야", "얼마였나", "얼마였어", "얼마인가", "얼마나", "얼마임", "몇", "알려줘", "뭐야", "무엇",
        "연간", "년간", "규모", "기준", "통계", "총",
        "是多少", "多少", "是", "的", "了", "吗", "呢", "请问", "什么", "年度", "全年", "总", "统计", "数据",
    }
)  # fmt: skip
# Names of the two countries: filler once a measure is named, since every measure is about them.
COUNTRY_FILLER: Final = frozenset(
    {
        "china", "china's", "chinese", "korea", "korea's", "korean", "south", "rok", "rok's", "prc", "republic",
        "한중", "한·중", "중한", "중국", "한국", "대중", "대중국", "우리나라", "양국", "한중간", "양국간",
        "中韩", "韩中", "中国", "韩国", "两国", "中韩两国",
    }
)  # fmt: skip
# Particles left on a Korean or Chinese word once a measure or year is taken out of it.
_PARTICLES: Final = frozenset("은는이가을를의에도와과로만년월的了是在和与年月")

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_NAME: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
_YEAR: Final = r"((?:19|20)\d\d)"
_Y_SUFFIX: Final = r"(?:\s*(?:년도?|年度?))?"
_M_SUFFIX: Final = r"\s*(?:월|月(?:份)?)"
_TO: Final = r"\s*(?:-|~|to|through|till|until|부터|에서|至|到)\s*"
_HALF: Final = r"(h1|h2|1h|2h|first half(?: of)?|second half(?: of)?|상반기|하반기|上半年|下半年)"
_QUARTER: Final = r"(q[1-4]|[1-4]q|[1-4]분기|第?[一二三四1-4]季度)"
_AFTER: Final = r"(?![0-9]|\.[0-9])"
_BEFORE: Final = r"(?<![0-9$.,])"


@dataclass(frozen=True, slots=True)
class PeriodRange:
    """A period a question names: its first and last day, how fine it is, and how the file writes it."""

    start: dt.date
    end: dt.date
    granularity: str  # "year", "half", "quarter", "month", "months" or "years"
    text: str  # as the facts file writes it: 2023, 2024-01, 2024-01/2024-06, 2015-2025

    @property
    def first_year(self) -> int:
        return self.start.year

    @property
    def last_year(self) -> int:
        return self.end.year


@dataclass(frozen=True, slots=True)
class Question:
    """What :func:`parse` read in a search: measures, period, basis country, and the words left."""

    text: str
    measures: tuple[str, ...] = ()
    period: PeriodRange | None = None
    basis: str | None = None
    words: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()  # measures a word left in ``words`` points at
    named: tuple[str, ...] = ()  # the words that named each of ``measures``, as typed
    plain: bool = True  # False: the query uses the search grammar and was left as typed

    @property
    def query(self) -> str:
        """The words left, as one query for :mod:`kortrade.query`."""
        return " ".join(self.words)

    def answer_measures(self) -> tuple[str, ...]:
        """The measures to answer for: those named, or those a lone hint names ("trade 2023")."""
        if self.measures:
            return self.measures
        if self.hints and len(self.hints) == len(self.words):
            return tuple(dict.fromkeys(self.hints))
        return ()


def year_range(first: int, last: int) -> PeriodRange:
    """Whole years ``first`` to ``last``; :class:`ValueError` if they run backwards."""
    if not 0 < first <= last <= 9999:
        raise ValueError(f"{first}-{last}")
    text = str(first) if first == last else f"{first}-{last}"
    return PeriodRange(dt.date(first, 1, 1), dt.date(last, 12, 31), "year" if first == last else "years", text)


def month_range(year: int, first: int, last: int | None = None) -> PeriodRange:
    last = first if last is None else last
    if not 1 <= first <= last <= 12:
        raise ValueError(f"{year}-{first}-{last}")
    # The day before the next month's first (calendar.monthrange would cost an import at start-up).
    end = dt.date(year + last // 12, last % 12 + 1, 1) - dt.timedelta(days=1)
    if first == last:
        return PeriodRange(dt.date(year, first, 1), end, "month", f"{year}-{first:02d}")
    granularity = {(1, 6): "half", (7, 12): "half"}.get((first, last), "months")
    if last - first == 2 and first % 3 == 1:
        granularity = "quarter"
    return PeriodRange(dt.date(year, first, 1), end, granularity, f"{year}-{first:02d}/{year}-{last:02d}")


def parse(text: str) -> Question:
    """Read ``text`` as a question; a query in the search grammar comes back as typed."""
    if _uses_grammar(text):
        return Question(text, words=(text,), plain=False)
    work = _normal(text)
    period, work = _take_period(work)
    basis, work = _take_basis(work)
    measures, named, work = _take_measures(work)
    if measures:
        measures, work = _with_growth(measures, work)
    words = _words(work, countries_are_filler=bool(measures))
    if not (measures or period or basis or words):
        # Nothing but filler ("the"): search for it as typed rather than for nothing.
        words = [w for w in _SPLIT.split(_normal(text)) if w]
    hints = tuple(HINT_WORDS[w] for w in words if w in HINT_WORDS)
    return Question(text, measures, period, basis, tuple(words), hints, named)


def _uses_grammar(text: str) -> bool:
    return any(c in text for c in '"()') or any(w in ("AND", "OR", "NOT") for w in text.split())


def _normal(text: str) -> str:
    # NFKC: full-width digits and punctuation (U+FF12, U+FF1F) become the plain ones.
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").replace("·", "·")


def _blank(text: str, match: re.Match[str]) -> str:
    """``text`` with the match replaced by spaces: positions stay, and the words around stay apart."""
    return text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]


# Each period pattern, what it reads, and a cheap test for whether it can match at all: a
# pattern is compiled only when its test passes, so "trade 2023" compiles one or two, not eleven.
_PERIOD_PATTERNS: Final = (
    (rf"(?:between\s+|from\s+)?{_BEFORE}{_YEAR}{_Y_SUFFIX}{_TO}{_YEAR}{_Y_SUFFIX}(?:\s*까지)?{_AFTER}", "years", "2"),
    (rf"\bbetween\s+{_YEAR}\s+and\s+{_YEAR}{_AFTER}", "years", "2"),
    (rf"{_BEFORE}{_YEAR}{_Y_SUFFIX}\s*(\d{{1,2}})\s*(?:-|~|to)\s*(\d{{1,2}}){_M_SUFFIX}", "months", "월月"),
    (rf"{_BEFORE}{_YEAR}\s*(?:년|年)\s*(\d{{1,2}}){_M_SUFFIX}", "month", "월月"),
    (rf"{_BEFORE}{_YEAR}[-/.](0[1-9]|1[0-2]){_AFTER}", "month", "-/."),
    (rf"\b({_MONTH_NAME})\.?,?\s+(?:of\s+)?{_YEAR}{_AFTER}", "named-month", "abcdefghijklmnopqrstuvwxyz"),
    (rf"{_BEFORE}{_YEAR}\s+({_MONTH_NAME})\b", "year-named-month", "abcdefghijklmnopqrstuvwxyz"),
    (rf"\b{_HALF}\s*{_YEAR}{_AFTER}", "half", "hf상하半"),
    (rf"{_BEFORE}{_YEAR}{_Y_SUFFIX}\s*{_HALF}", "year-half", "hf상하半"),
    (rf"\b{_QUARTER}\s*{_YEAR}{_AFTER}", "quarter", "q분季"),
    (rf"{_BEFORE}{_YEAR}{_Y_SUFFIX}\s*{_QUARTER}", "year-quarter", "q분季"),
    (rf"(?:\bin\s+)?{_BEFORE}{_YEAR}{_Y_SUFFIX}{_AFTER}", "year", ""),
)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _take_period(text: str) -> tuple[PeriodRange | None, str]:
    if not any(c.isdigit() for c in text):
        return None, text  # every period has a year: nothing to compile for "battery"
    years = len(_compiled(rf"{_BEFORE}{_YEAR}").findall(text))
    for pattern, kind, needs in _PERIOD_PATTERNS:
        if needs == "2":
            if years < 2:
                continue
        elif needs and not any(c in text for c in needs):
            continue
        match = _compiled(pattern).search(text)
        if match is None:
            continue
        try:
            period = _period(kind, match.groups())
        except ValueError:
            continue
        return period, _blank(text, match)
    return None, text


def _period(kind: str, groups: tuple[str, ...]) -> PeriodRange:
    match kind:
        case "years":
            # A question is read forgivingly: 2025-2015 is the same years (--year is stricter).
            first, last = sorted((int(groups[0]), int(groups[1])))
            return year_range(first, last)
        case "months":
            return month_range(int(groups[0]), int(groups[1]), int(groups[2]))
        case "month":
            return month_range(int(groups[0]), int(groups[1]))
        case "named-month":
            return month_range(int(groups[1]), _MONTHS[groups[0]])
        case "year-named-month":
            return month_range(int(groups[0]), _MONTHS[groups[1]])
        case "half" | "year-half":
            half, year = (groups[0], groups[1]) if kind == "half" else (groups[1], groups[0])
            first = 1 if half in ("h1", "1h", "상반기", "上半年") or half.startswith("first") else 7
            return month_range(int(year), first, first + 5)
        case "quarter" | "year-quarter":
            quarter, year = (groups[0], groups[1]) if kind == "quarter" else (groups[1], groups[0])
            number = next(int(c) if c.isdigit() else "一二三四".index(c) + 1 for c in quarter if c in "1234一二三四")
            return month_range(int(year), number * 3 - 2, number * 3)
        case _:
            return year_range(int(groups[0]), int(groups[0]))


@functools.cache
def _phrases(table: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``(spelling, phrase)`` for each phrase, longest first; Korean and Chinese ones also without
    their spaces, as people write 대중수출 for 대중 수출."""
    spellings = {p: p for p in table}
    spellings.update({p.replace(" ", ""): p for p in table if not p.isascii() and " " in p})
    return tuple(sorted(spellings.items(), key=lambda item: len(item[0]), reverse=True))


def _find(text: str, spelling: str) -> tuple[int, int] | None:
    """Where ``spelling`` is in ``text``: English as whole words (a plural "s" or "es" allowed),
    Korean and Chinese anywhere. Plain string search: no pattern to compile at start-up."""
    start = text.find(spelling)
    while start >= 0:
        end = start + len(spelling)
        if not spelling.isascii():
            return start, end
        for suffix in ("", "s", "es"):
            if text.startswith(suffix, end) and _edge(text, start - 1) and _edge(text, end + len(suffix)):
                return start, end + len(suffix)
        start = text.find(spelling, start + 1)
    return None


def _edge(text: str, index: int) -> bool:
    return index < 0 or index >= len(text) or not (text[index].isascii() and text[index].isalnum())


def _take(text: str, table: tuple[str, ...]) -> tuple[str, str, int] | None:
    """The first phrase of ``table`` (longest first) in ``text``, ``text`` without it, and where it was."""
    for spelling, phrase in _phrases(table):
        found = _find(text, spelling)
        if found is not None:
            return phrase, text[: found[0]] + " " * (found[1] - found[0]) + text[found[1] :], found[0]
    return None


def _take_basis(text: str) -> tuple[str | None, str]:
    taken = _take(text, tuple(BASIS_WORDS))
    if taken is None:
        return None, text
    return BASIS_WORDS[taken[0]], taken[1]


def _take_measures(text: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    found: list[tuple[int, str]] = []
    while (taken := _take(text, tuple(MEASURE_WORDS))) is not None:
        phrase, text, where = taken
        found.append((where, phrase))
    measures: dict[str, str] = {}
    for _, phrase in sorted(found):  # in the order they were typed
        measures.setdefault(MEASURE_WORDS[phrase], phrase)
    return tuple(measures), tuple(measures.values()), text


def _with_growth(measures: tuple[str, ...], text: str) -> tuple[tuple[str, ...], str]:
    if not any(m in GROWTH_OF for m in measures):
        return measures, text
    taken = _take(text, GROWTH_WORDS)
    if taken is None:
        return measures, text
    return tuple(GROWTH_OF.get(m, m) for m in measures), taken[1]


# Spaces and punctuation, full-width too (what is left after NFKC: the ideographic comma and stop).
_SPLIT: Final = re.compile("[\\s?!,.;:\u3001\u3002]+")


def _words(text: str, *, countries_are_filler: bool) -> list[str]:
    filler = FILLER | COUNTRY_FILLER if countries_are_filler else FILLER
    kept: list[str] = []
    for word in _SPLIT.split(text):
        word = word.strip("'-")
        # "korea-china" is filler when both its parts are.
        if not word or all(part in filler for part in re.split(r"[-/]", word) if part):
            continue
        if word.isascii():
            kept.append(word)
        else:
            kept.extend(_without_cjk_filler(word, countries_are_filler=countries_are_filler))
    return kept


def _without_cjk_filler(word: str, *, countries_are_filler: bool) -> list[str]:
    """A Korean or Chinese word with the filler inside it taken out (是多少, 얼마야, a trailing 는)."""
    fillers = [f for f in FILLER if not f.isascii()]
    if countries_are_filler:
        fillers += [c for c in COUNTRY_FILLER if not c.isascii()]
    for filler in sorted(fillers, key=len, reverse=True):
        if len(filler) > 1 or word == filler:
            word = word.replace(filler, " ")
    return [p for p in word.split() if not (len(p) == 1 and p in _PARTICLES)]
