"""The REST and socket.io channels' own logic: cleaning, the notice a turn ends with, and
the conversation lock around the channel's own tracker write. No model is needed."""

import asyncio
import json
from pathlib import Path
from typing import Any, Awaitable, Callable, List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.incoming import BadRequest, Incoming, clean, parse_body
from channels.rest import FAILED, HAND_OFF, HANDED_OFF, NOT_STORED, answer
from stores.tracker_store import StrictSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))


class Processor:
    """What the channel uses of Rasa's MessageProcessor; records whether each write held the lock."""

    def __init__(self, tracker_store: TrackerStore) -> None:
        self.tracker_store = tracker_store
        self.lock_store = InMemoryLockStore()
        self.writes_under_lock: List[bool] = []

    async def get_tracker(self, sender: str) -> DialogueStateTracker:
        return await self.tracker_store.get_or_create_tracker(sender)

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self.writes_under_lock.append(self.lock_store.is_someone_waiting(tracker.sender_id))
        await self.tracker_store.save(tracker)


class Agent:
    def __init__(self, tracker_store: TrackerStore) -> None:
        self.domain = DOMAIN
        self.processor = Processor(tracker_store)


def message(text: str = "橱窗加不了联盟商品", sender: str = "m1") -> UserMessage:
    return UserMessage(text, CollectingOutputChannel(), sender)


def saves_turn(agent: Agent, intent: str = "ask_rule_scope") -> Callable[[UserMessage], Awaitable[None]]:
    """An on_new_message that records the message and replies, as Rasa's processor does."""

    async def on_new_message(received: UserMessage) -> None:
        tracker = await agent.processor.get_tracker(received.sender_id)
        tracker.update(UserUttered(received.text, {"name": intent, "confidence": 0.9}))
        tracker.update(ActionExecuted("action_listen"))
        await agent.processor.save_tracker(tracker)

    return on_new_message


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


@pytest.fixture
def broken_store(tmp_path: Path) -> FailSafeTrackerStore:
    """Rasa's fail-safe around the project's store, whose database lost its events table."""
    store = StrictSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "conversations.db"))
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE events")
    return FailSafeTrackerStore(store)


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("橱窗\udab6加不了\ud800", "橱窗加不了"),  # unpaired surrogates, as JSON escapes decode
        ("a\ud83d\ude00b", "a😀b"),  # a pair is the character it encodes
        ("\ufdd0橱窗\ufffe\uffff\U0001fffe\U0010ffff", "橱窗"),  # non-characters
        ("\x00\x07橱窗\u200b\ufeff ", "橱窗"),  # control and invisible characters
        ("showcase 😭 联盟", "showcase 😭 联盟"),
    ],
)
def test_clean_keeps_only_what_every_library_can_encode(raw, cleaned):
    assert clean(raw) == cleaned
    clean(raw).encode("utf-8")


def test_text_and_metadata_of_a_request_are_cleaned():
    metadata = {"shop_type\udab6": "旗舰店\ud800", "account_role": "授权号"}
    body = json.dumps({"sender": "m1", "message": "\ud800橱窗\U0002fffe", "metadata": metadata})
    expected = {"shop_type": "旗舰店", "account_role": "授权号"}
    assert parse_body(body.encode()) == Incoming("m1", "橱窗", expected)


@pytest.mark.parametrize("sender", ["\u200b" * 100 + "b", "\udab6m1\uffff", " m1", "m1\n", "m\u202e1"])
def test_a_sender_id_that_cleaning_would_change_is_refused(sender):
    with pytest.raises(BadRequest, match="invisible or control characters"):
        parse_body(json.dumps({"sender": sender, "message": "hi"}).encode())


def test_metadata_keeps_only_the_pages_fields_as_short_text():
    metadata = {"shop_type": "旗舰店", "account_role": ["授权号"], "page": "/home", "scene": "x" * 10_000}
    body = json.dumps({"sender": "m1", "message": "hi", "metadata": {**metadata, "account_role ": "y" * 65}})
    assert parse_body(body.encode()).metadata == {"shop_type": "旗舰店"}
    assert parse_body(json.dumps({"sender": "m1", "message": "hi", "metadata": {"page": "/"}}).encode()).metadata is None


@pytest.mark.parametrize(
    "body, reason",
    [
        (json.dumps({"sender": "m1", "message": "啊" * 22_000}, ensure_ascii=False).encode(), "over 65536 bytes"),
        (b"[" * 30_000 + b"]" * 30_000, "nests deeper than 8"),
        (json.dumps({"sender": "m1", "message": "hi", "metadata": {"a": [[[[[[[1]]]]]]]}}).encode(), "nests deeper"),
    ],
    ids=["a body over 64 KB", "arrays nested 30,000 deep", "metadata nested 9 deep"],
)
def test_a_body_past_a_limit_is_refused_naming_the_limit(body, reason):
    with pytest.raises(BadRequest, match=reason):
        parse_body(body)


def test_the_limits_are_settings(monkeypatch):
    monkeypatch.setenv("ASSISTANT_MAX_BODY_BYTES", "100")
    monkeypatch.setenv("ASSISTANT_MAX_JSON_DEPTH", "1")
    with pytest.raises(BadRequest, match="over 100 bytes"):
        parse_body(json.dumps({"sender": "m1", "message": "x" * 100}).encode())
    with pytest.raises(BadRequest, match="deeper than 1"):
        parse_body(b'{"sender": "m1", "message": "hi", "metadata": {}}')


def test_an_error_that_is_not_a_storage_failure_is_not_told_as_one():
    agent = Agent(InMemoryTrackerStore(DOMAIN))

    async def crashes(_: UserMessage) -> None:
        "\udab6".encode("utf-8")

    notice = run(answer(agent, crashes, message(), lambda: False))
    assert notice == FAILED
    assert (notice.response, notice.status) == ("utter_no_reply", 500)


def test_a_turn_whose_save_failed_is_told_it_was_not_stored(broken_store):
    agent = Agent(broken_store)
    notice = run(answer(agent, saves_turn(agent), message(), lambda: True))
    assert notice == NOT_STORED
    assert (notice.response, notice.status) == ("utter_not_stored", 503)


def test_a_failed_save_is_told_only_to_its_own_turn(broken_store):
    broken, working = Agent(broken_store), Agent(InMemoryTrackerStore(DOMAIN))

    async def both() -> List[Any]:
        return await asyncio.gather(
            answer(broken, saves_turn(broken), message(sender="m1"), lambda: True),
            answer(working, saves_turn(working), message(sender="m1"), lambda: True),
        )

    assert run(both()) == [NOT_STORED, None]
    assert run(answer(working, saves_turn(working), message(sender="m1"), lambda: True)) is None


def test_a_hand_off_the_action_could_not_do_is_paused_under_the_conversation_lock():
    agent = Agent(InMemoryTrackerStore(DOMAIN))
    notice = run(answer(agent, saves_turn(agent, "request_human"), message("转人工"), lambda: False))
    assert notice == HAND_OFF
    assert agent.processor.writes_under_lock == [False, True]  # Rasa's own (unlocked here), the pause
    assert run(agent.processor.get_tracker("m1")).is_paused()


def test_while_an_agent_talks_with_the_merchant_their_messages_get_no_standing_notice():
    agent = Agent(InMemoryTrackerStore(DOMAIN))

    def add(event: Event) -> None:
        tracker = run(agent.processor.get_tracker("m1"))
        tracker.update(event)
        run(agent.processor.tracker_store.save(tracker))

    def notice_for_a_message() -> Any:
        return run(answer(agent, saves_turn(agent), message("店铺急着上架"), lambda: False))

    add(ConversationPaused())
    assert notice_for_a_message() == HANDED_OFF  # waiting for a person
    add(BotUttered("您好，我是客服王芳", metadata={"agent": "王芳"}))
    assert notice_for_a_message() is None  # the agent answers; the assistant stays quiet
    add(ConversationPaused())
    assert notice_for_a_message() == HANDED_OFF  # handed off again: waiting again
