"""The conversation store: a bounded read gives the tracker state a full read gives, and
every event is stored exactly once."""

import asyncio
from pathlib import Path
from typing import Any, List

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session

from stores import tracker_store
from stores.tracker_store import StrictSQLTrackerStore, TrackerStoreUnavailable, _deserialised

RECENT = 12  # small, so that a short conversation already outgrows the window


class CollectingBroker(EventBroker):
    def __init__(self) -> None:
        self.published: List[Any] = []

    def publish(self, event: Any) -> None:
        self.published.append(event)


def turn(number: int) -> List[Event]:
    """One merchant turn as Rasa records it: message, action, slots, reply, listen."""
    return [
        UserUttered(f"第{number}个问题", {"name": "ask_rule_scope", "confidence": 0.9}),
        ActionExecuted("action_answer_merchant"),
        SlotSet("question", f"q{number}"),
        SlotSet("shop_type", ["flagship"]) if number == 2 else SlotSet("scene", f"s{number % 3}"),
        BotUttered(f"第{number}个回答"),
        ActionExecuted("action_listen"),
    ]


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.fixture
def stores(domain: Domain, db: Path) -> Any:
    """The bounded store and Rasa's own SQL store over one database."""
    broker = CollectingBroker()
    bounded = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db), event_broker=broker, recent_events=RECENT)
    return bounded, SQLTrackerStore(domain, dialect="sqlite", db=str(db)), broker


def converse(store: StrictSQLTrackerStore, sender: str, turns: int, extra: Any = None) -> None:
    """`turns` turns, each read from and saved to the store as Rasa's processor does."""
    tracker = run(store.get_or_create_tracker(sender))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    for number in range(turns):
        tracker = run(store.retrieve(sender))
        for event in turn(number):
            tracker.update(event)
        if extra:
            extra(number, tracker)
        run(store.save(tracker))


def pause_at_seven(number: int, tracker: DialogueStateTracker) -> None:
    if number == 7:
        tracker.update(ConversationPaused())


def test_bounded_read_gives_the_state_of_a_full_read(stores):
    bounded, full, _ = stores
    converse(bounded, "m1", 20, pause_at_seven)
    mine, rasas = run(bounded.retrieve("m1")), run(full.retrieve("m1"))
    assert mine.current_slot_values() == rasas.current_slot_values()
    assert mine.current_slot_values()["shop_type"] == ["flagship"]  # set in turn 2, long out of the window
    assert mine.is_paused() and rasas.is_paused()
    assert mine.latest_message.text == rasas.latest_message.text == "第19个问题"
    assert mine.latest_action_name == rasas.latest_action_name == "action_listen"
    assert len(mine.events) <= RECENT + len(mine.current_slot_values()) + 1
    assert len(rasas.events) > 100


def test_a_resume_after_the_window_is_kept(stores):
    bounded, _, _ = stores
    converse(bounded, "m2", 3, pause_at_seven)
    tracker = run(bounded.retrieve("m2"))
    tracker.update(ConversationPaused())
    run(bounded.save(tracker))
    converse_more = run(bounded.retrieve("m2"))
    converse_more.update(ConversationResumed())
    run(bounded.save(converse_more))
    for number in range(5):
        tracker = run(bounded.retrieve("m2"))
        for event in turn(number):
            tracker.update(event)
        run(bounded.save(tracker))
    assert not run(bounded.retrieve("m2")).is_paused()


def test_every_event_is_stored_and_published_exactly_once(stores):
    bounded, full, broker = stores
    converse(bounded, "m3", 15)
    stored = run(full.retrieve_full_tracker("m3")).events
    expected = 3 + 15 * len(turn(0))  # a new tracker starts with action_listen
    assert len(stored) == expected
    assert [event.timestamp for event in stored] == sorted({event.timestamp for event in stored})
    assert len(broker.published) == expected


def test_a_new_conversation_through_rasas_fail_safe_is_appended_not_read_back(stores, monkeypatch):
    bounded, full, broker = stores
    server = FailSafeTrackerStore(bounded)  # as Rasa wraps the configured store

    async def first_turn() -> None:
        tracker = await server.get_or_create_tracker("m9")
        for event in turn(0):
            tracker.update(event)
        await server.save(tracker)

    monkeypatch.setattr(bounded, "_unread_events", None)  # the read-back path of a tracker it did not read
    run(first_turn())
    stored = run(full.retrieve_full_tracker("m9")).events
    assert len(stored) == len(broker.published) == 1 + len(turn(0))
    assert run(bounded.retrieve("m9")).current_slot_values()["question"] == "q0"


def test_a_read_starts_at_the_latest_session(stores):
    bounded, _, _ = stores
    converse(bounded, "m4", 3)
    tracker = run(bounded.retrieve("m4"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(bounded.save(tracker))
    events = run(bounded.retrieve("m4")).events
    assert isinstance(events[0], (ActionExecuted, SessionStarted))
    assert not any(isinstance(event, UserUttered) for event in events)


def test_trackers_it_did_not_read_are_stored_whole(stores, domain):
    bounded, full, _ = stores
    tracker = DialogueStateTracker.from_events("m5", [ActionExecuted("action_listen"), *turn(2)], domain.slots)
    run(bounded.save(tracker))
    assert len(run(full.retrieve_full_tracker("m5")).events) == 1 + len(turn(2))
    assert run(bounded.retrieve("m5")).current_slot_values()["shop_type"] == ["flagship"]


@pytest.mark.parametrize("read", [True, False], ids=["a tracker it read", "a tracker it did not read"])
def test_events_are_published_only_once_they_are_committed(stores, monkeypatch, read):
    bounded, full, broker = stores
    converse(bounded, "m8", 1)
    tracker = run((bounded if read else full).retrieve("m8"))
    tracker.update(UserUttered("还在吗"))
    published, stored = len(broker.published), len(run(full.retrieve_full_tracker("m8")).events)

    def failing_commit(session: Session) -> None:
        raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(sa.exc.OperationalError):
        run(bounded.save(tracker))
    monkeypatch.undo()
    assert broker.published[published:] == []  # the records show nothing the conversation lacks
    assert len(run(full.retrieve_full_tracker("m8")).events) == stored
    run(bounded.save(tracker))  # the turn sent again
    assert [event["text"] for event in broker.published[published:] if event["event"] == "user"] == ["还在吗"]


def test_events_are_read_back_as_rasa_reads_them():
    events = [event.as_dict() for event in [SessionStarted(), *turn(1), ConversationPaused()]]
    assert [event.as_dict() for event in _deserialised(events)] == [
        event.as_dict() for event in deserialise_events(events)
    ]


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path, domain: Domain):
    with pytest.raises(TrackerStoreUnavailable, match="cannot reach the conversation database"):
        StrictSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "missing" / "dir" / "c.db"))


def test_a_failed_save_marks_the_turn_it_happened_in_and_no_other(stores):
    bounded, _, _ = stores
    converse(bounded, "m6", 1)
    tracker = run(bounded.retrieve("m6"))
    tracker.update(UserUttered("还在吗"))
    with bounded.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE events")

    async def failing() -> bool:
        with tracker_store.turn() as current:
            await asyncio.sleep(0.01)
            with pytest.raises(Exception, match="no such table"):  # still raised, for Rasa's fail-safe
                await bounded.save(tracker)
            return current.saved

    async def concurrent() -> bool:
        with tracker_store.turn() as current:
            await asyncio.sleep(0.02)
            return current.saved

    async def both() -> List[bool]:
        return list(await asyncio.gather(failing(), concurrent()))

    assert run(both()) == [False, True]
    with tracker_store.turn() as next_turn:
        assert next_turn.saved


def test_text_the_database_cannot_encode_is_a_failed_save_not_an_exit(stores):
    bounded, _, _ = stores
    converse(bounded, "m7", 1)
    tracker = run(bounded.retrieve("m7"))
    tracker.update(SlotSet("question", "\udab6"))  # Rasa's session scope exited the process on this
    with tracker_store.turn() as current, pytest.raises(UnicodeEncodeError):
        run(bounded.save(tracker))
    assert not current.saved
