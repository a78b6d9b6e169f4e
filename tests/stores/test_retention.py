"""Retention (stores/retention.py): conversations past the period are forgotten with all
their records; the groups of the maintainer view are counted again from what is left."""

import asyncio
from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, ConversationPaused, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels.incoming import limit
from channels.web.retention import RETENTION_DAYS
from stores.records import RecordsBroker, engine_for
from stores.retention import Stores, forget, purge
from stores.tracker_store import StrictSQLTrackerStore

DAY = 86400.0
NOW = 1_000 * DAY


@pytest.fixture
def records(db: Path) -> RecordsBroker:
    return RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=str(db))))


@pytest.fixture
def store(db: Path, domain: Domain, records: RecordsBroker) -> StrictSQLTrackerStore:
    return StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db), event_broker=records)


@pytest.fixture
def stores(store: StrictSQLTrackerStore, records: RecordsBroker) -> Stores:
    return Stores(store.engine, records.engine)


def save(store: StrictSQLTrackerStore, sender: str, events: List[Event]) -> None:
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=store.domain.slots)))


def unanswered(text: str, at: float) -> List[Event]:
    """A message the assistant did not understand, then a hand-off: in the inbox and the groups."""
    return [
        UserUttered(text, intent={"name": "nlu_fallback", "confidence": 0.3}, timestamp=at),
        BotUttered("抱歉", timestamp=at + 1),
        ConversationPaused(timestamp=at + 2),
    ]


def groups(records: RecordsBroker) -> list:
    return [(g.text, g.count) for g in records.unanswered(100)[0]]


def test_conversations_past_the_period_are_forgotten_with_their_records(store, stores, records):
    save(store, "old", unanswered("退货运费险怎么开", NOW - 200 * DAY))
    save(store, "recent", unanswered("退货运费险怎么开", NOW - 10 * DAY))
    assert groups(records) == [("退货运费险怎么开", 2)] and len(records.inbox()) == 2
    version = records.inbox_version()

    assert purge(stores, 180, now=NOW) == 1

    assert asyncio.run(store.retrieve("old")) is None
    assert asyncio.run(store.retrieve("recent")) is not None
    assert [w.sender_id for w in records.inbox()] == ["recent"]
    assert records.inbox_version() != version  # the agents' inbox hears of it
    assert groups(records) == [("退货运费险怎么开", 1)]
    assert purge(stores, 180, now=NOW) == 0


def test_a_conversation_with_a_recent_event_is_kept_whole(store, stores):
    save(store, "long", unanswered("在吗", NOW - 400 * DAY) + [UserUttered("还在吗", timestamp=NOW - DAY)])
    assert purge(stores, 180, now=NOW) == 0
    assert len(asyncio.run(store.retrieve_full_tracker("long")).events) == 4


def test_forgetting_one_conversation_removes_its_group_when_it_was_the_last(store, stores, records):
    save(store, "a", unanswered("只有我问过", NOW))
    save(store, "b", unanswered("别的问题", NOW + 10))
    assert forget(stores, ["a"]) == 1
    assert groups(records) == [("别的问题", 1)]
    assert forget(stores, ["a", "nobody"]) == 0


def test_an_empty_database_has_nothing_to_purge(tmp_path, records):
    fresh = engine_for(EndpointConfig(dialect="sqlite", db=str(tmp_path / "fresh.db")))
    assert purge(Stores(fresh, records.engine), 180) == 0


@pytest.mark.parametrize("raw, days", [(None, 180), ("30", 30), ("0", 180), ("-5", 180), ("half a year", 180)])
def test_the_retention_period_is_a_setting(monkeypatch, raw, days):
    if raw is None:
        monkeypatch.delenv("ASSISTANT_RETENTION_DAYS", raising=False)
    else:
        monkeypatch.setenv("ASSISTANT_RETENTION_DAYS", raw)
    assert limit(RETENTION_DAYS) == days
