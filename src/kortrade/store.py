"""Every question about the facts, answered from the SQLite index.

``facts``, ``show`` and ``search`` all read the same index, so they agree at any
size, and each reads only the rows it returns. Answers are records: dicts in the
JSON contract of :mod:`kortrade.records` (what ``--format json`` prints).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final, TypeVar

from kortrade.errors import ExitCode, KortradeError, NotFoundError, UsageError
from kortrade.index import IndexStatus, index_path_for, memory_index, open_index
from kortrade.index_tables import RANK_WEIGHTS
from kortrade.records import Record

if TYPE_CHECKING:
    from kortrade.model import Period

T = TypeVar("T")
# SQLite's highlight() marks matches with these; text holding them is left unmarked.
_OPEN, _CLOSE = "\x02", "\x03"
# Past this many ids, "did you mean" looks only at ids sharing the first letters.
_NEAREST_SCAN_LIMIT: Final = 5000


class IndexDamaged(KortradeError):
    """The index turned out damaged after part of an answer was written."""

    exit_code = ExitCode.INTERNAL


@dataclass(frozen=True, slots=True)
class FactQuery:
    """Filters for :meth:`FactStore.facts`; text matching ignores case."""

    topic: str | None = None
    entity: str | None = None
    tag: str | None = None
    year: int | None = None
    limit: int | None = None
    measure: str | None = None
    # A range of years (either end open): facts whose period touches it.
    from_year: int | None = None
    to_year: int | None = None
    # First and last day (ISO): facts whose period touches them, as a question's "January 2024".
    days: tuple[str, str] | None = None
    # Whose statistics: a fact's basis country.
    basis: str | None = None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k in ("topic", "entity", "tag", "year") if (v := getattr(self, k))]
        if self.from_year is not None and self.from_year == self.to_year:
            parts.append(f"year={self.from_year}")
        elif self.from_year is not None and self.to_year is not None:
            parts.append(f"year={self.from_year}-{self.to_year}")
        else:
            parts += [f"{k}={v}" for k in ("from_year", "to_year") if (v := getattr(self, k)) is not None]
        parts += [f"{k}={v}" for k in ("measure", "basis") if (v := getattr(self, k))]
        if self.days:
            parts.append(f"period={self.days[0]}/{self.days[1]}")
        return ", ".join(p.replace("from_year=", "from=").replace("to_year=", "to=") for p in parts) or "no filters"


@dataclass(frozen=True, slots=True)
class Signal:
    """One thing a question asks for: words (in :mod:`kortrade.query`'s grammar), or a measure
    (a fact of it counts; so does one matching ``text``, the words that named it)."""

    text: str | None
    measure: str | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the fact, its rank score (lower is better) and matched spans of its statement."""

    record: Record
    score: float
    marks: tuple[tuple[int, int], ...]
    matched: bool = True  # False: a partial match, which has only some of the words


class FactStore:
    """The one place that answers questions about the facts."""

    def __init__(self, conn: sqlite3.Connection, status: IndexStatus) -> None:
        self.conn = conn
        self.status = status

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> FactStore:
        """The store for a facts file (default: ``KORTRADE_DATA``, then the shipped file)."""
        return cls(*open_index(path))

    @property
    def path(self) -> str:
        return self.status.data_path

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- queries ----------------------------------------------------------------

    def facts(self, query: FactQuery = FactQuery()) -> list[Record]:
        """Facts matching every filter, in file order; an unknown topic is a usage error."""
        where, params = self._filters(query)
        return self._retrying(lambda: [json.loads(row[0]) for row in self._fact_rows(where, params, query.limit)])

    def iter_facts(self, query: FactQuery = FactQuery()) -> Iterator[Record]:
        """:meth:`facts` one at a time, read from the index as they are used.

        The filters are checked at once (an unknown topic raises here, not later).
        """
        where, params = self._filters(query)
        cursor = self._retrying(lambda: self._fact_rows(where, params, query.limit))
        return self._stream(cursor)

    def iter_fact_texts(self, query: FactQuery = FactQuery()) -> Iterator[str]:
        """:meth:`iter_facts` as the text ``--format json`` lists each record with, unparsed."""
        where, params = self._filters(query)
        cursor = self._retrying(lambda: self._fact_rows(where, params, query.limit))
        return (str(text) for (text,) in cursor)

    def _fact_rows(self, where: list[str], params: list[object], limit: int | None) -> sqlite3.Cursor:
        sql = f"SELECT record FROM facts WHERE {' AND '.join(where) or '1'} ORDER BY position"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, limit]
        return self.conn.execute(sql, _sqlite_params(params))

    def _stream(self, cursor: sqlite3.Cursor) -> Iterator[Record]:
        try:
            for (record,) in cursor:
                yield json.loads(record)
        except sqlite3.DatabaseError:
            # Part of the answer may be out already, so it cannot be retried here:
            # drop the index, and the next run builds a sound one.
            if self.status.index_path is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self.status.index_path)
            raise IndexDamaged(f"the index {self.status.index_path or ''} broke while being read; run again") from None

    def timeline(self, *, topic: str | None = None, query: FactQuery = FactQuery()) -> list[Record]:
        """Facts with a period, oldest first (by first day, then last day, then file order);
        ``query`` filters them further (years, measure...)."""
        where, params = self._filters(replace(query, topic=topic or query.topic))
        sql = f"SELECT record FROM facts WHERE first_day IS NOT NULL{''.join(' AND ' + w for w in where)}"
        sql += " ORDER BY sort_key, last_day, position"
        return [json.loads(row[0]) for row in self._rows(sql, params)]

    def get(self, fact_id: str) -> Record:
        """The fact with this id (ids ignore case); :class:`NotFoundError` names the nearest ids."""
        record = self.find(fact_id)
        if record is None:
            raise NotFoundError(self._unknown_id_message(fact_id))
        return record

    def find(self, fact_id: str) -> Record | None:
        """The fact with this id (ids ignore case), or None; nothing is worked out on a miss."""
        rows = self._rows("SELECT record FROM facts WHERE id = ?", [fact_id.casefold()])
        if not rows:
            return None
        record: Record = json.loads(rows[0][0])
        return record

    def search(
        self,
        text: str,
        *,
        topic: str | None = None,
        limit: int | None = None,
        query: FactQuery = FactQuery(),
        boost: tuple[str, ...] = (),
    ) -> list[Hit]:
        """Facts matching a search (see :mod:`kortrade.query`), best first; ``query`` filters them,
        and facts of a ``boost`` measure come before the others."""
        from kortrade.query import to_fts

        expression = to_fts(text)
        ranked = self._ranked(expression, replace(query, topic=topic or query.topic), limit, boost)
        if not ranked:
            return []
        return self._hits(ranked, expression)

    def _hits(
        self, ranked: list[tuple[int, float]], expression: str | None, partial: frozenset[int] = frozenset()
    ) -> list[Hit]:
        # Records and highlights for the winners only: at 100,000 facts a common word
        # matches tens of thousands, and reading them all would double the time.
        marked_sql = (
            "SELECT f.position, f.record, highlight(fact_text, 0, char(2), char(3))"
            " FROM fact_text JOIN facts AS f ON f.position = fact_text.rowid"
            " WHERE fact_text MATCH ? AND fact_text.rowid IN (SELECT value FROM json_each(?))"
        )
        positions = json.dumps([position for position, _ in ranked])
        found: dict[int, tuple[str, str | None]] = {}
        if expression is not None:
            found = {row[0]: row[1:] for row in self._rows(marked_sql, [expression, positions])}
        # A fact found by its measure alone has no words to mark.
        missing = [p for p, _ in ranked if p not in found]
        if missing:
            found.update((p, (json.dumps(r), None)) for p, r in self._records_at(missing).items())
        hits = []
        for position, score in ranked:
            record_text, marked = found[position]
            record = json.loads(record_text)
            hits.append(Hit(record, score, _spans(str(record["statement"]), marked), position not in partial))
        return hits

    def _ranked(
        self, expression: str, query: FactQuery, limit: int | None, boost: tuple[str, ...] = ()
    ) -> list[tuple[int, float]]:
        """``(position, score)`` of the best matches, best first (BM25; ties in file order)."""
        weights = ", ".join(str(w) for w in RANK_WEIGHTS)
        sql = f"SELECT rowid, bm25(fact_text, {weights}) AS score FROM fact_text WHERE fact_text MATCH ?"
        params: list[object] = [expression]
        where, filters = self._filters(replace(query, limit=None))
        if where:
            sql += f" AND rowid IN (SELECT position FROM facts WHERE {' AND '.join(where)})"
            params.extend(filters)
        order = []
        if boost:
            marks = ", ".join("?" * len(boost))
            order.append(f"rowid IN (SELECT position FROM facts WHERE measure IN ({marks})) DESC")
            params.extend(boost)
        if query.days:
            # A question's period itself (2023) before the periods that touch it.
            order.append("rowid IN (SELECT position FROM facts WHERE first_day = ? AND last_day = ?) DESC")
            params.extend(query.days)
        sql += f" ORDER BY {''.join(o + ', ' for o in order)}score, rowid"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(position, score) for position, score in self._rows(sql, params)]

    def search_signals(
        self,
        signals: list[Signal],
        *,
        query: FactQuery = FactQuery(),
        boost: tuple[str, ...] = (),
        limit: int | None = None,
    ) -> tuple[list[Hit], bool]:
        """Facts matching a question's signals, best first, and whether they match every one.

        The facts that match every signal come if there are any; else those matching
        most of them (a partial match, ``Hit.matched`` False). Among equals, facts of a
        ``boost`` measure come first, then those whose period lies inside ``query.days``,
        then by BM25 and file order. ``query`` filters (topic, period, basis, measure).
        """
        from kortrade.query import to_fts

        where, filters = self._filters(replace(query, limit=None))
        texts = [to_fts(s.text) for s in signals if s.text]
        if not signals:
            return self._listing(where, filters, query.days, limit), True
        parts: list[str] = []
        params: list[object] = []
        for signal in signals:
            chosen = []
            if signal.text:
                chosen.append("SELECT rowid AS p FROM fact_text WHERE fact_text MATCH ?")
                params.append(to_fts(signal.text))
            if signal.measure:
                chosen.append("SELECT position AS p FROM facts WHERE measure = ?")
                params.append(signal.measure)
            parts.append(" UNION ".join(chosen))
        any_text = "(" + " OR ".join(texts) + ")" if texts else None
        weights = ", ".join(str(w) for w in RANK_WEIGHTS)
        scores = (
            f"SELECT rowid AS p, bm25(fact_text, {weights}) AS score FROM fact_text WHERE fact_text MATCH ?"
            if any_text
            else "SELECT NULL AS p, 0.0 AS score WHERE 0"
        )
        order = ["h.n DESC"]
        if boost:
            order.append(f"f.measure IN ({', '.join('?' * len(boost))}) DESC")
        if query.days:
            # The period asked for itself (2023), then periods inside it (January-May 2023).
            order += ["(f.first_day = ? AND f.last_day = ?) DESC", "(f.first_day >= ? AND f.last_day <= ?) DESC"]
        sql = (
            f"WITH hits AS (SELECT p, count(*) AS n FROM ({' UNION ALL '.join(parts)}) GROUP BY p),"
            f" scores AS ({scores})"
            " SELECT h.p, coalesce(s.score, 0.0), h.n FROM hits AS h JOIN facts AS f ON f.position = h.p"
            " LEFT JOIN scores AS s ON s.p = h.p"
            f" WHERE {' AND '.join(where) or '1'}"
            f" ORDER BY {', '.join(order)}, coalesce(s.score, 0.0), h.p"
        )
        params = [*params, *([any_text] if any_text else []), *filters, *boost, *(query.days or ()) * 2]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._rows(sql, params)
        every = bool(rows) and rows[0][2] == len(signals)
        if every:
            rows = [row for row in rows if row[2] == len(signals)]
        partial = frozenset(p for p, _, n in rows if n < len(signals))
        return self._hits([(p, score) for p, score, _ in rows], any_text, partial), every

    def _listing(
        self, where: list[str], params: list[object], days: tuple[str, str] | None, limit: int | None
    ) -> list[Hit]:
        """Facts matching filters alone: a question that names only a period. Those of that very
        period first, then those inside it, then the rest; oldest first within each."""
        order = "sort_key, last_day, position"
        if days is not None:
            order = "(first_day = ? AND last_day = ?) DESC, (first_day >= ? AND last_day <= ?) DESC, " + order
            params = [*params, *days, *days]
        sql = f"SELECT position FROM facts WHERE {' AND '.join(where) or '1'} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, limit]
        positions = [row[0] for row in self._rows(sql, params)]
        records = self._records_at(positions)
        return [Hit(records[p], 0.0, ()) for p in positions]

    def topics(self) -> dict[str, int]:
        """Each topic with its number of facts, in order of first appearance."""
        rows = self._rows("SELECT topic, count(*) FROM facts GROUP BY topic ORDER BY min(position)", [])
        return dict(rows)

    def sources(self, *, kind: str | None = None, language: str | None = None) -> list[Record]:
        """Each source with the number of facts that cite it, in file order; ``kind`` and
        ``language`` keep those of that kind or language (a language matches its variants:
        ``zh`` finds ``zh-Hant``)."""
        counts = dict(self._rows("SELECT source, count(*) FROM facts GROUP BY source", []))
        rows = self._rows("SELECT id, record FROM sources ORDER BY position", [])
        found = []
        for source_id, record_text in rows:
            record = json.loads(record_text)
            if kind and record["kind"] != kind.casefold():
                continue
            if language and not _same_language(record["language"], language):
                continue
            found.append({**record, "facts": counts.get(source_id, 0)})
        return found

    def source(self, source_id: str) -> Record:
        """One source with its fact count; :class:`NotFoundError` names the nearest ids."""
        rows = self._rows("SELECT record FROM sources WHERE id = ?", [source_id.casefold()])
        if not rows:
            import difflib

            ids = [row[0] for row in self._rows("SELECT id FROM sources ORDER BY position", [])]
            close = difflib.get_close_matches(source_id.casefold(), ids, n=3, cutoff=0.5)
            close = close or [i for i in ids if source_id.casefold() in i][:3]
            hint = f"; nearest: {', '.join(close)}" if close else "; list them with: kortrade sources"
            raise NotFoundError(f"no source with id '{source_id}'{hint}")
        record: Record = json.loads(rows[0][0])
        (count,) = self._rows("SELECT count(*) FROM facts WHERE source = ?", [record["id"]])[0]
        return {**record, "facts": count}

    def source_facts(self, source_id: str) -> list[Record]:
        """The facts citing a source, in file order."""
        rows = self._rows("SELECT record FROM facts WHERE source = ? ORDER BY position", [source_id])
        return [json.loads(row[0]) for row in rows]

    def entities(self) -> list[Record]:
        """Each listed entity with its names and number of facts, in file order."""
        counts = dict(self._rows("SELECT entity, count(*) FROM fact_entities GROUP BY entity", []))
        rows = self._rows("SELECT name, record FROM entities ORDER BY position", [])
        found = []
        for name, record_text in rows:
            record = json.loads(record_text)
            country = record.pop("country", None)
            found.append({**record, "facts": counts.get(name, 0), "country": country})
        return found

    def measures(self) -> list[Record]:
        """Each measure with how many facts and sources state it, in file order."""
        sql = "SELECT measure, count(*), count(DISTINCT source) FROM facts WHERE measure IS NOT NULL GROUP BY measure"
        counts = {measure: (facts, sources) for measure, facts, sources in self._rows(sql, [])}
        rows = self._rows("SELECT id, record FROM measures ORDER BY position", [])
        found = []
        for measure_id, record in rows:
            facts, sources = counts.get(measure_id, (0, 0))
            found.append({**json.loads(record), "facts": facts, "sources": sources})
        return found

    def compare(
        self,
        measure: str | None = None,
        *,
        period: str | None = None,
        conflicts: bool = False,
        days: tuple[str, str] | None = None,
    ) -> list[Record]:
        """Facts of one measure side by side, a group per period and country's statistics, each with its verdict.

        With no measure, every group that two or more facts make; ``conflicts`` keeps
        the groups whose figures differ (each group is one country's statistics, or none stated);
        ``period`` keeps the groups whose facts touch that period (any form a fact's
        period takes: 2023, 2023-12, 2023-01/2023-05); ``days``, its first and last day
        already worked out (ISO), does so without reading a period.
        """
        where: list[str] = []
        params: list[object] = []
        if measure:
            where.append("measure = ?")
            params.append(self.known_measure(measure))
        else:
            where.append("json_array_length(facts) > 1")
        if conflicts:
            where.append("verdict = 'differ'")
        if period:
            from kortrade.periods import parse_period

            wanted = parse_period(period.strip())
            if wanted is None:
                raise UsageError(
                    f"--period takes a year (2024), month (2024-07), day or range (2024-01/2024-07), got '{period}'"
                )
            days = (wanted.first.isoformat(), wanted.last.isoformat())
        if days is not None:
            where.append("first_day <= ? AND last_day >= ?")
            params.extend((days[1], days[0]))
        sql = f"SELECT facts, record FROM comparisons WHERE {' AND '.join(where)} ORDER BY position"
        groups = self._rows(sql, params)
        positions = sorted({p for facts, _ in groups for p in json.loads(facts)})
        records = self._records_at(positions)
        found = [_group(json.loads(record), json.loads(facts), records) for facts, record in groups]
        official = self._official_for(found)
        for group in found:
            group["official"] = _official_of(group, official)
        return found

    def _official_for(self, groups: list[Record]) -> dict[tuple[str, str, str], Record]:
        """The official data files' figures (the series the index keeps) for these groups' slots."""
        slots = {(str(g["measure"]), str(g["period"])) for g in groups if g["period"] and g["statistics"]}
        found: dict[tuple[str, str, str], Record] = {}
        for measure, period in sorted(slots):
            for row in self.official_rows(measure, period):
                if row.get("observations"):
                    found[(measure, period, str(row["basis_country"]))] = row
        return found

    def official(self, fact_id: str) -> Record | None:
        """The fact's official counterpart, whether it agrees and the gap (``show``'s ``official``,
        :mod:`kortrade.check`), or None when it has none."""
        rows = self._rows("SELECT official FROM officials WHERE fact = ?", [fact_id.casefold()])
        return json.loads(rows[0][0]) if rows else None

    def differing_figures(self) -> list[Record]:
        """Every reported figure that differs from its official counterpart, largest gap first
        (``check``'s rows, :data:`kortrade.check.CHECK_FIELDS`)."""
        rows = self._rows("SELECT row FROM officials WHERE agrees = 0 ORDER BY rank", [])
        return [json.loads(row) for (row,) in rows]

    def corroboration(self, fact_id: str) -> Record | None:
        """Which other sources state the fact's measure (and period), and whether they agree with it:
        those on the same statistics are compared with it; those on another country's (or on none
        stated, beside two countries') are listed with ``agrees`` None."""
        sql = (
            "SELECT c.position, c.facts, c.record, f.position FROM facts AS f"
            " JOIN fact_comparisons AS fc ON fc.fact = f.position JOIN comparisons AS c ON c.position = fc.comparison"
            " WHERE f.id = ?"
        )
        rows = self._rows(sql, [fact_id.casefold()])
        if not rows:
            return None
        mine, _, record_text, own = rows[0]
        from kortrade.agreement import agrees

        group = json.loads(record_text)
        siblings = self._rows(
            "SELECT position, facts, record FROM comparisons"
            " WHERE family = (SELECT family FROM comparisons WHERE position = ?) ORDER BY position",
            [mine],
        )
        # In file order, as one group listed them before groups were split by statistics.
        members = sorted(((n, p) for n, facts, _ in siblings for p in json.loads(facts)), key=lambda m: m[1])
        records = self._records_at([p for _, p in members])
        ranges = {
            p: r
            for _, facts, record in siblings
            for p, r in zip(json.loads(facts), json.loads(record)["ranges"], strict=True)
        }
        others = []
        for number, position in members:
            if position == own:
                continue
            other = records[position]
            source = other["source"]
            agreeing = None
            if number == mine:
                agreeing = agrees(records[own], ranges[own], other, ranges[position], str(group["kind"]))
            others.append(
                {
                    "id": other["id"],
                    "display": other["display"],
                    "period": other["period"],
                    "basis": other["basis"],
                    "source": {k: source[k] for k in ("id", "publisher", "published")},  # type: ignore[index]
                    "agrees": agreeing,
                }
            )
        return {
            "measure": group["measure"],
            "period": group["period"],
            "verdict": group["verdict"],
            "spread": group["spread"],
            "others": others,
        }

    def _records_at(self, positions: list[int]) -> dict[int, Record]:
        if not positions:
            return {}
        sql = "SELECT position, record FROM facts WHERE position IN (SELECT value FROM json_each(?))"
        return {p: json.loads(r) for p, r in self._rows(sql, [json.dumps(positions)])}

    def comparisons(self) -> int:
        """How many groups of facts state one measure (0 when no fact names a measure)."""
        (count,) = self._rows("SELECT count(*) FROM comparisons", [])[0]
        return int(count)

    def has_measure(self, measure: str) -> bool:
        """Whether the file lists this measure (a question may name one a small file lacks)."""
        return bool(self._rows("SELECT 1 FROM measures WHERE id = ?", [measure.casefold()]))

    def measure_label(self, measure: str) -> str:
        """A measure's label (its id if the file has no such measure)."""
        rows = self._rows("SELECT record FROM measures WHERE id = ?", [measure.casefold()])
        return str(json.loads(rows[0][0])["label"]) if rows else measure

    def known_measure(self, measure: str) -> str:
        """The measure as stored (any case); :class:`UsageError` with the nearest ids if unknown."""
        wanted = measure.casefold()
        if self._rows("SELECT 1 FROM measures WHERE id = ?", [wanted]):
            return wanted
        import difflib

        ids = [row[0] for row in self._rows("SELECT id FROM measures ORDER BY position", [])]
        close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5) or [i for i in ids if wanted in i][:3]
        hint = f"; nearest: {', '.join(close)}" if close else "; list them with: kortrade measures"
        raise UsageError(f"unknown measure '{measure}'{hint}")

    def names(self, entities: list[str]) -> dict[str, dict[str, list[str]]]:
        """The names of each entity by language (an unlisted entity has only its own)."""
        placeholders = ", ".join("?" * len(entities))
        rows = self._rows(f"SELECT name, record FROM entities WHERE name IN ({placeholders})", list(entities))
        from kortrade.model import LANGUAGES

        listed = {name: json.loads(record)["names"] for name, record in rows}
        return {e: listed.get(e) or {lang: [e] if lang == "en" else [] for lang in LANGUAGES} for e in entities}

    def completions(self, kind: str, prefix: str, limit: int = 200) -> list[str]:
        """Values starting with ``prefix`` (ignoring case) for shell completion: ids, topics, tags, entities;
        ``shown``: the ids ``show`` takes, of facts and observations."""
        sql = {
            "id": "SELECT id FROM facts WHERE id >= ? ORDER BY id",
            "shown": "SELECT id FROM facts WHERE id >= ? ORDER BY id",
            "topic": "SELECT DISTINCT topic FROM facts WHERE topic >= ? ORDER BY topic",
            "tag": "SELECT DISTINCT tag FROM fact_tags WHERE tag >= ? ORDER BY tag",
            "entity": "SELECT DISTINCT name FROM entity_names WHERE folded >= ? ORDER BY folded",
            "measure": "SELECT id FROM measures WHERE id >= ? ORDER BY id",
            "source": "SELECT id FROM sources WHERE id >= ? ORDER BY id",
        }[kind]
        wanted = prefix.casefold()
        found = self._starting(sql, wanted, limit)
        if kind == "shown":
            observed = self._starting("SELECT id FROM observations WHERE id >= ? ORDER BY id", wanted, limit)
            found = sorted(found + observed)
        return found[:limit]

    def _starting(self, sql: str, wanted: str, limit: int) -> list[str]:
        found: list[str] = []
        # Sorted from the prefix on: stop at the first value that no longer starts with it.
        for (value,) in self._rows(sql + " LIMIT ?", [wanted, limit * 4]):
            if not str(value).casefold().startswith(wanted):
                break
            found.append(str(value))
        return found

    # -- observations: rows of the official data files of the `series` data package ----

    def observations(
        self,
        *,
        reporter: str | None = None,
        partner: str | None = None,
        flow: str | None = None,
        granularity: str | None = None,
        year: int | None = None,
        start: str | None = None,
        end: str | None = None,
        resource: str | None = None,
        source: str | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        """Observations matching every filter, in file order (resource by resource, row by row).

        ``reporter`` and ``partner`` are entity names (any case; ``World`` for all partners);
        ``flow`` is exports, imports or balance; ``granularity`` year or month; ``year`` keeps
        the periods within that year; ``start`` and ``end`` (a year or month, e.g. 2020 or
        2020-07) keep the periods within that range, inclusive. An unknown value is a
        :class:`UsageError` naming the known ones.
        """
        where: list[str] = []
        params: list[object] = []
        for column, value in (("reporter", reporter), ("partner", partner), ("resource", resource)):
            if value:
                where.append(f"{column} = ?")
                params.append(self._known_observation_value(column, value))
        if source:
            where.append("source = ?")
            params.append(source.casefold())
        for column, value, choices in (
            ("flow", flow, ("exports", "imports", "balance")),
            ("granularity", granularity, ("year", "month")),
        ):
            if value:
                if value.casefold() not in choices:
                    raise UsageError(f"unknown {column} '{value}'; expected one of: {', '.join(choices)}")
                where.append(f"{column} = ?")
                params.append(value.casefold())
        if year is not None:
            where.append("first_day >= ? AND last_day <= ?")
            params.extend((f"{year:04d}-01-01", f"{year:04d}-12-31"))
        if start:
            where.append("first_day >= ?")
            params.append(_period_bound(start, "start").first.isoformat())
        if end:
            where.append("last_day <= ?")
            params.append(_period_bound(end, "end").last.isoformat())
        sql = f"SELECT record FROM observations WHERE {' AND '.join(where) or '1'} ORDER BY position"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._with_sources([row[0] for row in self._rows(sql, params)])

    def official_rows(self, measure: str, period: str) -> list[Record]:
        """The official series' rows of ``measure`` for exactly ``period`` (a year or a month),
        one per country's statistics, as the index keeps them (:mod:`kortrade.series`)."""
        sql = "SELECT record FROM official WHERE measure = ? AND period = ? ORDER BY position"
        return [json.loads(row[0]) for row in self._rows(sql, [measure, period])]

    def official_series_rows(self, measures: Sequence[str], bases: Sequence[str], *, monthly: bool) -> list[Record]:
        """The official series' rows of ``measures`` on ``bases``' statistics, yearly or monthly, as kept."""
        if not measures or not bases:
            return []
        sql = (
            f"SELECT record FROM official WHERE measure IN ({', '.join('?' * len(measures))})"
            f" AND basis IN ({', '.join('?' * len(bases))}) AND length(period) = ? ORDER BY position"
        )
        return [json.loads(row[0]) for row in self._rows(sql, [*measures, *bases, 7 if monthly else 4])]

    def latest_month(self, reporter: str) -> str | None:
        """The latest month of ``reporter``'s monthly observations with another partner."""
        sql = "SELECT max(period) FROM observations WHERE reporter = ? AND partner != ? AND granularity = 'month'"
        rows = self._rows(sql, [reporter, reporter])
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def official_latest(self) -> dict[tuple[str, str, bool], str]:
        """The latest year (``False``) and month (``True``) of each measure's official series on
        each country's statistics, as the index keeps them."""
        sql = "SELECT measure, basis, length(period) = 7, MAX(period) FROM official GROUP BY 1, 2, 3"
        return {(str(m), str(b), bool(monthly)): str(p) for m, b, monthly, p in self._rows(sql, [])}

    def observation_ends(self) -> list[tuple[str, str, str, str, str]]:
        """Each data file's latest period by reporter and granularity: (resource, file, reporter,
        granularity, period), in one query (for ``info``, which must stay quick)."""
        sql = (
            "SELECT resource, file, reporter, granularity, MAX(period) FROM observations "
            "GROUP BY resource, file, reporter, granularity ORDER BY file, reporter, granularity"
        )
        return [tuple(row) for row in self._rows(sql, [])]

    def observation_rows(
        self,
        reporters: Sequence[str],
        partners: Sequence[str],
        *,
        months_only: bool = False,
        first_day: str | None = None,
        last_day: str | None = None,
    ) -> list[tuple[Any, ...]]:
        """The observations between these reporters and partners, as bare columns:
        (id, source id, reporter, partner, flow, period, first day, last day, value, unit,
        resource), in no set order; ``first_day`` and ``last_day`` (ISO days) keep the periods
        within them. For work over thousands of rows (the series), which a record each would
        spend most of its time parsing."""
        if not reporters or not partners:
            return []
        where = [
            f"reporter IN ({', '.join('?' * len(reporters))})",
            f"partner IN ({', '.join('?' * len(partners))})",
        ]
        params: list[object] = [*reporters, *partners]
        if months_only:
            where.append("granularity = 'month'")
        if first_day is not None:
            where.append("first_day >= ?")
            params.append(first_day)
        if last_day is not None:
            where.append("last_day <= ?")
            params.append(last_day)
        sql = (
            "SELECT id, source, reporter, partner, flow, period, first_day, last_day, value, unit, resource"
            f" FROM observations WHERE {' AND '.join(where)}"
        )
        # In the index's order, not the file's: every caller groups them (a sort of 100,000 rows is 0.3 s).
        return self._rows(sql, params)

    def observation(self, observation_id: str) -> Record:
        """The observation with this id (ids ignore case); :class:`NotFoundError` names the nearest."""
        found = self.find_observation(observation_id)
        if found is None:
            import difflib

            wanted = observation_id.casefold()
            sql = "SELECT id FROM observations WHERE substr(id, 1, 8) = ? ORDER BY position"
            ids = [row[0] for row in self._rows(sql, [wanted[:8]])]
            close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.8)
            hint = f"; nearest: {', '.join(close)}" if close else ""
            raise NotFoundError(f"no observation with id '{observation_id}'{hint}")
        return found

    def find_observation(self, observation_id: str) -> Record | None:
        """The observation with this id, or None."""
        rows = self._rows("SELECT record FROM observations WHERE id = ?", [observation_id.casefold()])
        return self._with_sources([rows[0][0]])[0] if rows else None

    def is_observation_id(self, text: str) -> bool:
        """Does ``text`` start as an observation id does (a resource name and a dash)?"""
        wanted = text.casefold()
        return any(wanted.startswith(f"{name}-") for (name,) in self._rows(_RESOURCES, []))

    def _known_observation_value(self, column: str, value: str) -> str:
        sql = f"SELECT DISTINCT {column} FROM observations ORDER BY {column}"
        known = [str(row[0]) for row in self._rows(sql, [])]
        for name in known:
            if name.casefold() == value.casefold():
                return name
        listed = ", ".join(known) or f"none (the facts file has no series data package: {self.path})"
        raise UsageError(f"unknown {column} '{value}' among the observations; known: {listed}")

    def _with_sources(self, texts: list[str]) -> list[Record]:
        """Observation records with their source's record in place of its id."""
        records: list[Record] = [json.loads(text) for text in texts]
        wanted: list[object] = [*sorted({str(r["source"]) for r in records})]
        if not wanted:
            return records
        placeholders = ", ".join("?" * len(wanted))
        sources = {
            source_id: json.loads(record)
            for source_id, record in self._rows(f"SELECT id, record FROM sources WHERE id IN ({placeholders})", wanted)
        }
        return [{**r, "source": sources[str(r["source"])]} for r in records]

    def meta(self) -> dict[str, object]:
        return dict(self._rows("SELECT key, value FROM meta", []))

    def info(self) -> Record:
        """The data file, its checksum and counts, and where the index is and how fresh."""
        from kortrade.version import __version__

        meta = self.meta()
        index = self.status.index_path
        index_size = None
        if index is not None:
            with contextlib.suppress(OSError):
                index_size = os.stat(index).st_size
        built = meta.get("built_at_ns")
        return {
            "data": self.status.data_path,
            "sha256": self.status.sha256,
            "size": meta.get("size"),
            "facts": meta.get("facts"),
            "sources": meta.get("sources"),
            "entities": meta.get("entities"),
            "index": index,
            "index_size": index_size,
            "index_state": self.status.state,
            "index_reason": self.status.reason,
            "built_at": _iso_time(built) if isinstance(built, int) else None,
            "kortrade": __version__,
            "measures": meta.get("measures"),
            # Added with observations: after the keys above.
            "observations": meta.get("observations"),
            "series": meta.get("series"),
        }

    # -- helpers -------------------------------------------------------------------

    def _filters(self, query: FactQuery) -> tuple[list[str], list[object]]:
        where: list[str] = []
        params: list[object] = []
        if query.topic:
            where.append("topic = ?")
            params.append(self.known_topic(query.topic))
        if query.entity:
            where.append(
                "position IN (SELECT fact FROM fact_entities WHERE entity IN "
                "(SELECT entity FROM entity_names WHERE instr(folded, ?) > 0))"
            )
            params.append(query.entity.casefold())
        if query.tag:
            where.append("position IN (SELECT fact FROM fact_tags WHERE tag = ?)")
            params.append(query.tag.casefold())
        if query.year is not None:
            where.append("first_year <= ? AND last_year >= ?")
            params.extend((query.year, query.year))
        if query.from_year is not None:
            where.append("last_year >= ?")
            params.append(query.from_year)
        if query.to_year is not None:
            where.append("first_year <= ?")
            params.append(query.to_year)
        if query.days is not None:
            where.append("first_day <= ? AND last_day >= ?")
            params.extend((query.days[1], query.days[0]))
        if query.measure:
            where.append("measure = ?")
            params.append(self.known_measure(query.measure))
        if query.basis:
            where.append("json_extract(record, '$.basis_country') = ?")
            params.append(query.basis)
        return where, params

    def known_topic(self, topic: str) -> str:
        """The topic as stored (any case matches); :class:`UsageError` lists the topics if unknown."""
        wanted = topic.casefold()
        if self._rows("SELECT 1 FROM facts WHERE topic = ? LIMIT 1", [wanted]):
            return wanted
        raise UsageError(f"unknown topic '{topic}'; topics are: {', '.join(self.topics())}")

    def nearest_ids(self, fact_id: str, n: int = 3) -> list[str]:
        wanted = fact_id.casefold()
        (count,) = self._rows("SELECT count(*) FROM facts", [])[0]
        if count <= _NEAREST_SCAN_LIMIT:
            ids = [row[0] for row in self._rows("SELECT id FROM facts ORDER BY position", [])]
        else:
            sql = "SELECT id FROM facts WHERE substr(id, 1, 3) = ? OR instr(id, ?) > 0 LIMIT ?"
            ids = [row[0] for row in self._rows(sql, [wanted[:3], wanted, _NEAREST_SCAN_LIMIT])]
        import difflib

        close = difflib.get_close_matches(wanted, ids, n=n, cutoff=0.5)
        return close or [i for i in ids if wanted in i][:n]

    def _unknown_id_message(self, fact_id: str) -> str:
        nearest = self.nearest_ids(fact_id)
        hint = f"; nearest: {', '.join(nearest)}" if nearest else "; list ids with: kortrade facts --fields id"
        return f"no fact with id '{fact_id}'{hint}"

    def _rows(self, sql: str, params: list[object]) -> list[Any]:
        safe = _sqlite_params(params)
        return self._retrying(lambda: self.conn.execute(sql, safe).fetchall())

    def _retrying(self, read: Callable[[], T]) -> T:
        """Run ``read``; if the index turns out damaged, rebuild it and run it once more."""
        try:
            return read()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc):  # a query FTS5 cannot parse; to_fts should make this impossible
                raise UsageError(f"cannot search for that: {exc}") from None
            raise
        except sqlite3.DatabaseError:
            self._rebuild()
        try:
            return read()
        except sqlite3.DatabaseError:
            # Still damaged: the cache cannot be repaired (read-only?); answer from memory.
            self.conn.close()
            self.conn, self.status = memory_index(self.status.data_path, "the index file is damaged")
            return read()

    def _rebuild(self) -> None:
        self.conn.close()
        if self.status.index_path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.status.index_path)
        self.conn, self.status = open_index(self.status.data_path)


_RESOURCES: Final = "SELECT DISTINCT resource FROM observations"


def _period_bound(text: str, which: str) -> Period:
    from kortrade.periods import parse_period

    period = parse_period(text.strip())
    if period is None or period.as_of:
        raise UsageError(f"{which} must be a year (2020) or a month (2020-07), got '{text}'")
    return period


def _sqlite_params(params: list[object]) -> list[object]:
    return [_encodable(p) if isinstance(p, str) and not p.isascii() else p for p in params]


def _encodable(text: str) -> str:
    """``text`` as SQLite can take it: lone surrogates (bytes that were not UTF-8 on the
    command line) become U+FFFD, which no valid facts file contains next to them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def _same_language(code: object, wanted: str) -> bool:
    if not isinstance(code, str):
        return False
    code, wanted = code.casefold(), wanted.casefold()
    return code == wanted or code.startswith(wanted + "-")


def _iso_time(ns: int) -> str:
    import datetime as dt

    moment = dt.datetime.fromtimestamp(ns / 1e9, tz=dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def _spans(text: str, marked: str | None) -> tuple[tuple[int, int], ...]:
    """Where SQLite's highlight() marked ``text`` (after segmenting), as spans of ``text`` itself."""
    if marked is None or _OPEN in text or _CLOSE in text:
        return ()
    from kortrade.segment import segment_map

    _, origin = segment_map(text)
    spans: list[tuple[int, int]] = []
    position, start = 0, None
    for char in marked:
        if char == _OPEN:
            start = position
        elif char == _CLOSE and start is not None:
            chars = [o for o in origin[start:position] if o is not None]
            if chars:
                spans.append((chars[0], chars[-1] + 1))
            start = None
        else:
            position += 1
    return tuple(spans)


__all__ = ["FactQuery", "FactStore", "Hit", "Signal", "index_path_for"]


def _official_of(group: Record, official: dict[tuple[str, str, str], Record]) -> Record | None:
    """The official data files' figure for the group's measure, period and statistics, and which
    of its facts agree with it (their reading holds it) and which differ; None where there is none."""
    row = official.get((str(group["measure"]), str(group["period"]), str(group["statistics"])))
    if row is None:
        return None
    value = row["value"]
    agree: list[str] = []
    differ: list[str] = []
    for fact in group["facts"]:  # type: ignore[attr-defined]
        if fact["unit"] != row["unit"]:
            continue
        reading = fact["range"]
        if isinstance(reading, dict) and isinstance(value, int | float):
            (agree if _holds(reading, value) else differ).append(str(fact["id"]))
    return {
        "display": row["display"],
        "value": value,
        "unit": row["unit"],
        "source": row["source"],
        "worked_out": row["worked_out"],
        "how": row["how"],
        "observations": row["observations"],
        "agree": agree,
        "differ": differ,
    }


def _holds(reading: Record, value: float) -> bool:
    """Whether a figure's reading (``low``/``high``, None unbounded, ends open or not) holds ``value``."""
    low, high = reading.get("low"), reading.get("high")
    if isinstance(low, int | float) and (value < low or (value == low and reading.get("low_open"))):
        return False
    return not (isinstance(high, int | float) and (value > high or (value == high and reading.get("high_open"))))


def _group(stored: Record, positions: list[int], records: dict[int, Record]) -> Record:
    """A comparison as ``compare`` gives it: the group's keys, its facts each with its reading and
    flags, then the keys added since (appended, so the contract's order holds)."""
    ranges, flags = stored["ranges"], stored["flags"]
    facts = [
        {**records[p], "range": r, "flags": f}
        for p, r, f in zip(positions, ranges, flags, strict=True)  # type: ignore[call-overload]
    ]
    return {
        **{k: stored[k] for k in ("measure", "period", "basis", "verdict", "spread")},
        "facts": facts,
        "statistics": stored["statistics"],
        "reference": stored["reference"],
    }
