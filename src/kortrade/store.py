"""Queries over a validated dataset: filter facts, find one by id, list topics."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

from kortrade.errors import NotFoundError, UsageError
from kortrade.model import Dataset, Fact, Source


@dataclass(frozen=True, slots=True)
class FactQuery:
    """Filters for :meth:`FactStore.facts`; text matching ignores case."""

    topic: str | None = None
    entity: str | None = None
    tag: str | None = None
    year: int | None = None
    limit: int | None = None

    def describe(self) -> str:
        parts = [f"{k}={v}" for k in ("topic", "entity", "tag", "year") if (v := getattr(self, k))]
        return ", ".join(parts) or "no filters"


class FactStore:
    """The one place that answers questions about the facts."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @property
    def path(self) -> str:
        return self.dataset.path

    def topics(self) -> Counter[str]:
        """Each topic with its number of facts, in order of first appearance."""
        return Counter(f.topic for f in self.dataset.facts)

    def sources(self) -> tuple[Source, ...]:
        return self.dataset.sources

    def facts_per_source(self) -> Counter[str]:
        return Counter(f.source.id for f in self.dataset.facts)

    def facts(self, query: FactQuery = FactQuery()) -> list[Fact]:
        """Facts matching every filter, in file order; an unknown topic is a usage error."""
        topic = self._known_topic(query.topic) if query.topic else None
        entity = query.entity.casefold() if query.entity else None
        tag = query.tag.casefold() if query.tag else None
        found: list[Fact] = []
        for fact in self.dataset.facts:
            if query.limit is not None and len(found) >= query.limit:
                break
            if topic is not None and fact.topic != topic:
                continue
            if entity is not None and not any(entity in e.casefold() for e in fact.entities):
                continue
            if tag is not None and tag not in (t.casefold() for t in fact.tags):
                continue
            if query.year is not None and not (fact.period and fact.period.overlaps_year(query.year)):
                continue
            found.append(fact)
        return found

    def get(self, fact_id: str) -> Fact:
        """The fact with this id; :class:`NotFoundError` names the nearest ids."""
        fact = self.dataset.by_id.get(fact_id) or self.dataset.by_id.get(fact_id.casefold())
        if fact is None:
            raise NotFoundError(self._unknown_id_message(fact_id))
        return fact

    def nearest_ids(self, fact_id: str, n: int = 3) -> list[str]:
        ids = list(self.dataset.by_id)
        close = difflib.get_close_matches(fact_id.casefold(), ids, n=n, cutoff=0.5)
        if not close:
            close = [i for i in ids if fact_id.casefold() in i][:n]
        return close

    def _unknown_id_message(self, fact_id: str) -> str:
        nearest = self.nearest_ids(fact_id)
        hint = f"; nearest: {', '.join(nearest)}" if nearest else "; list ids with: kortrade facts --fields id"
        return f"no fact with id '{fact_id}'{hint}"

    def _known_topic(self, topic: str) -> str:
        wanted = topic.casefold()
        topics = list(self.topics())
        if wanted in topics:
            return wanted
        raise UsageError(f"unknown topic '{topic}'; topics are: {', '.join(topics)}")
