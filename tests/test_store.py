"""Queries over the facts: filters, lookup by id with nearest-id hints, topic counts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kortrade import FactQuery, FactStore, NotFoundError, UsageError, load_dataset
from kortrade.errors import ExitCode
from kortrade.records import fact_record
from support.facts import WriteFacts

TOPICS = ["trade", "relations", "partnerships", "visit", "cooperation", "industry", "agreements"]
TRADE_IDS = ["trade-volume-2024", "trade-growth-since-1992", "china-top-partner-of-rok", "rok-rank-as-china-partner"]
SAMSUNG_IDS = ["samsung-exports-growth-2024", "samsung-exports-value-2024", "samsung-largest-market"]


@pytest.fixture
def store(classic: Path) -> Iterator[FactStore]:
    """The classic 25 facts, whose ids, topics and counts these tests know."""
    opened = FactStore.open(classic)
    yield opened
    opened.close()


def ids(
    store: FactStore,
    *,
    topic: str | None = None,
    entity: str | None = None,
    tag: str | None = None,
    year: int | None = None,
    limit: int | None = None,
) -> list[str]:
    query = FactQuery(topic=topic, entity=entity, tag=tag, year=year, limit=limit)
    return [str(f["id"]) for f in store.facts(query)]


def test_no_filters_gives_every_fact_in_file_order(store: FactStore, classic: Path) -> None:
    all_ids = ids(store)
    assert len(all_ids) == 25
    lines = classic.read_text(encoding="utf-8").splitlines()
    in_file = [line.removeprefix("  - id: ") for line in lines if line.startswith("  - id: ")]
    assert all_ids == in_file[1:]  # the first is the source's id
    assert store.facts() == [fact_record(f) for f in load_dataset(classic).facts]


def test_path(store: FactStore, classic: Path) -> None:
    assert store.path == str(classic)


@pytest.mark.parametrize("topic", ["trade", "TRADE", "Trade"])
def test_topic_ignores_case(store: FactStore, topic: str) -> None:
    assert ids(store, topic=topic) == TRADE_IDS


def test_unknown_topic_is_a_usage_error_listing_topics(store: FactStore) -> None:
    with pytest.raises(UsageError) as info:
        store.facts(FactQuery(topic="tariffs"))
    assert str(info.value) == (
        "unknown topic 'tariffs'; topics are: trade, relations, partnerships, visit, cooperation, industry, agreements"
    )
    assert info.value.exit_code == ExitCode.USAGE


def test_topic_prefix_is_not_a_topic(store: FactStore) -> None:
    with pytest.raises(UsageError):
        store.facts(FactQuery(topic="trad"))


@pytest.mark.parametrize("entity", ["samsung", "SAMSUNG", "Samsung Gr", "sung group"])
def test_entity_is_a_substring_ignoring_case(store: FactStore, entity: str) -> None:
    assert ids(store, entity=entity) == SAMSUNG_IDS


def test_entity_matching_nothing(store: FactStore) -> None:
    assert ids(store, entity="Japan") == []


def test_entity_substring_spans_names(store: FactStore) -> None:
    assert ids(store, entity="great hall") == ["leaders-meeting-beijing"]
    assert ids(store, entity="shanghai") == [
        "journalist-luncheon-shanghai",
        "ai-startup-meeting-shanghai",
        "business-delegation",
    ]


@pytest.mark.parametrize("tag", ["timeline", "TIMELINE", "Timeline"])
def test_tag_is_exact_ignoring_case(store: FactStore, tag: str) -> None:
    assert ids(store, tag=tag) == [
        "lee-visit-concluded",
        "leaders-meeting-beijing",
        "business-forum-beijing",
        "journalist-luncheon-shanghai",
    ]


def test_tag_is_not_a_substring(store: FactStore) -> None:
    assert ids(store, tag="time") == []
    assert ids(store, tag="trade") == []


def test_year_in_a_range(store: FactStore) -> None:
    assert ids(store, year=2028) == ["five-year-plan-2026-2030"]
    assert ids(store, year=2000) == ["trade-growth-since-1992"]


def test_year_covers_dates_and_range_ends(store: FactStore) -> None:
    assert ids(store, year=2026) == [
        "lee-visit-concluded",
        "leaders-meeting-beijing",
        "business-forum-beijing",
        "journalist-luncheon-shanghai",
        "five-year-plan-2026-2030",
    ]
    assert ids(store, year=2030) == ["five-year-plan-2026-2030"]
    assert ids(store, year=1992) == ["trade-growth-since-1992", "diplomatic-relations-1992"]


def test_year_of_a_single_year(store: FactStore) -> None:
    assert ids(store, year=2024) == [
        "trade-volume-2024",
        "trade-growth-since-1992",
        *SAMSUNG_IDS,
    ]


def test_year_outside_every_period(store: FactStore) -> None:
    assert ids(store, year=1991) == []
    assert ids(store, year=2031) == []
    assert ids(store, year=2025) == []


def test_facts_without_period_never_match_a_year(store: FactStore) -> None:
    undated = {f["id"] for f in store.facts() if f["period"] is None}
    assert "lee-state-visit" in undated
    for year in (1992, 2024, 2026, 2028):
        assert undated.isdisjoint(ids(store, year=year))


@pytest.mark.parametrize(
    ("limit", "expected"), [(1, TRADE_IDS[:1]), (2, TRADE_IDS[:2]), (4, TRADE_IDS), (50, TRADE_IDS)]
)
def test_limit(store: FactStore, limit: int, expected: list[str]) -> None:
    assert ids(store, topic="trade", limit=limit) == expected


def test_limit_applies_after_filters(store: FactStore) -> None:
    assert ids(store, tag="company", limit=2) == SAMSUNG_IDS[:2]
    assert ids(store, year=2026, limit=3) == [
        "lee-visit-concluded",
        "leaders-meeting-beijing",
        "business-forum-beijing",
    ]


def test_combined_filters(store: FactStore) -> None:
    assert ids(store, topic="Visit", entity="shanghai", year=2026) == ["journalist-luncheon-shanghai"]
    assert ids(store, topic="partnerships", tag="exports", year=2024) == SAMSUNG_IDS[:2]
    assert ids(store, topic="trade", entity="korea", tag="ranking") == [
        "china-top-partner-of-rok",
        "rok-rank-as-china-partner",
    ]
    assert ids(store, topic="relations", tag="company") == []


def test_get_exact(store: FactStore) -> None:
    fact = store.get("trade-volume-2024")
    assert (fact["id"], fact["value"], fact["unit"], fact["qualifier"]) == (
        "trade-volume-2024",
        328080000000,
        "USD",
        "exact",
    )


@pytest.mark.parametrize("asked", ["TRADE-VOLUME-2024", "Trade-Volume-2024"])
def test_get_ignores_case(store: FactStore, asked: str) -> None:
    assert store.get(asked)["id"] == "trade-volume-2024"


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (
            "trade-volume-2023",
            "no fact with id 'trade-volume-2023'; nearest: trade-volume-2024, samsung-exports-value-2024, "
            "trade-growth-since-1992",
        ),
        (
            "samsung",
            "no fact with id 'samsung'; nearest: samsung-exports-growth-2024, samsung-exports-value-2024, "
            "samsung-largest-market",
        ),
        ("visit", "no fact with id 'visit'; nearest: lee-state-visit"),
        ("zzz", "no fact with id 'zzz'; list ids with: kortrade facts --fields id"),
    ],
)
def test_unknown_id_names_the_nearest(store: FactStore, asked: str, message: str) -> None:
    with pytest.raises(NotFoundError) as info:
        store.get(asked)
    assert str(info.value) == message
    assert info.value.exit_code == ExitCode.NOT_FOUND


def test_topics_counts_in_first_appearance_order(store: FactStore) -> None:
    assert list(store.topics().items()) == [
        ("trade", 4),
        ("relations", 1),
        ("partnerships", 6),
        ("visit", 7),
        ("cooperation", 2),
        ("industry", 3),
        ("agreements", 2),
    ]
    assert sum(store.topics().values()) == 25


def test_sources_and_counts(store: FactStore) -> None:
    assert [(s["id"], s["facts"]) for s in store.sources()] == [("cgtn-2026-01-09", 25)]


def test_query_describe() -> None:
    assert FactQuery().describe() == "no filters"
    assert FactQuery(limit=3).describe() == "no filters"
    assert FactQuery(topic="trade", entity="ROK", tag="x", year=2024).describe() == (
        "topic=trade, entity=ROK, tag=x, year=2024"
    )


def test_store_on_a_small_file(minimal: Path) -> None:
    store = FactStore.open(minimal)
    assert list(store.topics().items()) == [("trade", 1), ("visit", 1)]
    assert ids(store, year=2026) == ["fact-two"]
    assert ids(store, year=2024) == ["fact-one"]
    assert ids(store, tag="TRADE-VOLUME") == ["fact-one"]
    assert ids(store, entity="lee") == ["fact-two"]
    assert ids(store, entity="of kor") == ["fact-one"]
    with pytest.raises(UsageError) as info:
        store.facts(FactQuery(topic="relations"))
    assert str(info.value) == "unknown topic 'relations'; topics are: trade, visit"
    store.close()


def test_topic_order_follows_the_file(write_facts: WriteFacts) -> None:
    text = (
        "version: 1\nsources:\n  - id: s\n    title: T\n    publisher: P\n    published: 2026-01-01\n"
        "    url: https://e.org\nfacts:\n"
        + "".join(
            f"  - id: f-{n}\n    topic: {topic}\n    statement: S{n}.\n    source: s\n"
            for n, topic in enumerate(["zeta", "alpha", "zeta", "mid", "alpha", "zeta"])
        )
    )
    store = FactStore.open(write_facts(text, "facts.yaml"))
    assert list(store.topics().items()) == [("zeta", 3), ("alpha", 2), ("mid", 1)]
    assert ids(store, topic="zeta") == ["f-0", "f-2", "f-5"]
    store.close()
