"""The records broker: what the maintainer view and the agent inbox read, written from
the events the tracker store publishes once each."""

import asyncio
import logging
from pathlib import Path
from typing import Any, List

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from stores.records import RecordsBroker, RecordsUnavailable, group_key, token_digest
from stores.tracker_store import StrictSQLTrackerStore


def connect(db: Path) -> RecordsBroker:
    config = EndpointConfig.from_dict({"type": "stores.records.RecordsBroker", "dialect": "sqlite", "db": str(db)})
    return asyncio.run(RecordsBroker.from_endpoint_config(config))


@pytest.fixture
def records(db: Path) -> RecordsBroker:
    return connect(db)


def user(text: str, intent: str, at: float) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=at)


def bot(text: str, at: float, agent: str = "") -> BotUttered:
    return BotUttered(text, timestamp=at, metadata={"agent": agent} if agent else None)


def down(text: str, at: float) -> SlotSet:
    return SlotSet("feedback", {"value": "down", "text": text, "message_index": 0, "timestamp": at}, timestamp=at)


def hand_off(at: float) -> List[Event]:
    return [
        user("转人工", "request_human", at),
        ActionExecuted("action_hand_off", timestamp=at + 1),
        SlotSet("handoff_summary", "问题：什么时候生效\n店铺类型：旗舰店", timestamp=at + 1),
        ConversationPaused(timestamp=at + 1),
    ]


def say(records: RecordsBroker, sender: str, events: List[Event]) -> None:
    """Publishes `events` as a tracker store publishes a turn's new events."""
    for event in events:
        records.publish({"sender_id": sender, **event.as_dict()})


def groups(records: RecordsBroker) -> List[Any]:
    return [(g.text, g.count, g.reasons) for g in records.unanswered(100)[0]]


# --- the maintainer view -------------------------------------------------------------


def test_fallbacks_handoffs_and_thumbs_down_are_listed_newest_first(records):
    say(
        records,
        "a",
        [
            user("这个规则是啥意思啊", "nlu_fallback", 10.0),
            bot("抱歉，我没完全明白", 11.0),
            user("橱窗加不了联盟商品", "ask_why_cannot_add", 20.0),
            bot("请问您的店铺是哪种类型？", 21.0),
            user("个体店", "inform_profile", 22.0),
            bot("不能。个体店…", 24.0),
            down("不能。个体店…", 25.0),
        ],
    )
    say(
        records, "b", [user("我想开发票", "out_of_scope", 30.0), bot("抱歉，这个问题我帮不上忙", 31.0), *hand_off(32.0)]
    )
    found, messages, total = records.unanswered(100)
    assert groups(records) == [
        ("我想开发票", 1, {"handoff": 1}),
        ("橱窗加不了联盟商品", 1, {"down": 1}),
        ("这个规则是啥意思啊", 1, {"fallback": 1}),
    ]
    assert (messages, total) == (3, 3)
    assert found[0].last_seen == 30.0 and found[0].conversations == ["b"]


def test_a_thumbs_down_counts_for_the_question_the_rated_answer_answered(records):
    say(
        records,
        "a",
        [
            user("直播间能加联盟商品吗", "ask_why_cannot_add", 10.0),
            bot("不能。直播间…", 11.0),
            user("什么时候生效", "ask_when_effective", 12.0),
            bot("已经生效", 13.0),
            down("不能。直播间…", 14.0),
        ],
    )
    assert groups(records) == [("直播间能加联盟商品吗", 1, {"down": 1})]


def test_near_equal_messages_are_one_group_with_a_count(records):
    say(records, "a", [user("这个规则是啥意思啊", "nlu_fallback", 10.0)])
    say(records, "b", [user("這個規則是啥意思？", "nlu_fallback", 50.0)])
    say(records, "c", [user("这个规则是 啥意思啊!", "nlu_fallback", 30.0)])
    say(records, "d", [user("能开发票吗", "nlu_fallback", 40.0)])
    [first, second] = records.unanswered(100)[0]
    assert (first.text, first.count, second.text, second.count) == ("這個規則是啥意思？", 3, "能开发票吗", 1)
    assert first.examples == ["這個規則是啥意思？", "这个规则是 啥意思啊!", "这个规则是啥意思啊"]
    assert first.conversations == ["b", "c", "a"]
    assert group_key("专卖店授全号") == group_key("專賣店 授权号") != group_key("专营店授权号")


def test_a_message_counted_for_several_reasons_counts_once(records):
    say(
        records,
        "a",
        [
            user("这咋整", "nlu_fallback", 10.0),
            bot("抱歉，我没完全明白", 11.0),
            down("抱歉，我没完全明白", 12.0),
            *hand_off(13.0),
        ],
    )
    assert groups(records) == [("这咋整", 1, {"down": 1, "fallback": 1, "handoff": 1})]


def test_a_thumbs_down_carried_into_a_new_session_is_not_counted_again(records):
    say(records, "a", [user("什么时候生效", "ask_when_effective", 10.0), bot("已经生效", 11.0), down("已经生效", 12.0)])
    say(records, "a", [SessionStarted(timestamp=2000.0), down("已经生效", 12.0)])
    assert groups(records) == [("什么时候生效", 1, {"down": 1})]
    assert records.inbox() == []


def test_the_page_is_limited_and_the_totals_count_everything(records):
    for n in range(5):
        say(records, f"s{n}", [user(f"完全不同的问题{'甲乙丙丁戊'[n] * 8}", "nlu_fallback", n + 1.0)])
    found, messages, total = records.unanswered(2)
    assert [g.text[-1] for g in found] == ["戊", "丁"] and (messages, total) == (5, 5)


def test_two_servers_writing_one_conversation_keep_one_record(tmp_path):
    """The state lives in the database: two brokers (two servers) alternate turns."""
    first, second = connect(tmp_path / "shared.db"), connect(tmp_path / "shared.db")
    say(first, "a", [user("这咋整", "nlu_fallback", 10.0), bot("抱歉，我没完全明白", 11.0)])
    say(second, "a", [user("还是不懂", "nlu_fallback", 12.0), bot("抱歉，我没完全明白", 13.0)])
    say(first, "a", [down("抱歉，我没完全明白", 14.0)])
    assert groups(second) == [("还是不懂", 1, {"down": 1, "fallback": 1}), ("这咋整", 1, {"fallback": 1})]
    assert [w.reasons for w in first.inbox()] == [["fallbacks"]]


# --- the inbox -----------------------------------------------------------------------


def test_a_hand_off_waits_with_its_summary_and_the_merchants_words(records):
    say(records, "a", [user("什么时候生效", "ask_when_effective", 10.0), bot("已经生效", 11.0), *hand_off(12.0)])
    [waiting] = records.inbox()
    assert (waiting.sender_id, waiting.reasons, waiting.waiting_since) == ("a", ["handoff"], 13.0)
    assert waiting.summary.startswith("问题：什么时候生效")
    assert (waiting.last_words, waiting.agent) == ("转人工", None)


@pytest.mark.parametrize(
    "events, waits",
    [
        ([user("这咋整", "nlu_fallback", 1.0), user("还是不懂", "nlu_fallback", 2.0)], ["fallbacks"]),
        (
            [
                user("这咋整", "nlu_fallback", 1.0),
                user("什么时候生效", "ask_when_effective", 2.0),
                user("还是不懂", "nlu_fallback", 3.0),
            ],
            [],
        ),
        ([bot("不能", 1.0), down("不能", 2.0), bot("已经生效", 3.0), down("已经生效", 4.0)], ["downs"]),
        ([bot("不能", 1.0), down("不能", 2.0)], []),
    ],
    ids=["two fallbacks in a row", "fallbacks apart", "thumbs down twice", "thumbs down once"],
)
def test_two_fallbacks_in_a_row_or_two_thumbs_down_call_for_a_person(records, events, waits):
    say(records, "a", events)
    assert [w.reasons for w in records.inbox()] == ([waits] if waits else [])


def test_an_agent_answers_the_merchant_waits_again_and_the_hand_back_ends_it(records):
    say(records, "a", [user("什么时候生效", "ask_when_effective", 10.0), *hand_off(11.0)])
    say(records, "a", [user("在吗", "greet", 20.0), user("急", "nlu_fallback", 21.0)])
    [waiting] = records.inbox()
    assert (waiting.last_words, waiting.waiting_since) == ("急", 12.0)  # since the hand-off, not the latest words
    before = records.inbox_version()

    say(records, "a", [bot("您好，我是王芳", 30.0, agent="王芳")])
    [answered] = records.inbox()
    assert (answered.agent, answered.waiting_since) == ("王芳", None)
    assert records.inbox_version() > before
    assert [(r.text, r.agent) for r in records.agent_replies("a", 0)] == [("您好，我是王芳", "王芳")]
    assert records.agent_replies("a", records.agent_replies("a", 0)[-1].id) == []

    say(records, "a", [user("好的 谢谢", "thank", 40.0)])
    assert records.inbox()[0].waiting_since == 40.0

    say(records, "a", [ConversationResumed(timestamp=50.0)])
    assert records.inbox() == []
    say(records, "a", [user("这咋整", "nlu_fallback", 60.0)])  # counted afresh after the hand-back
    assert records.inbox() == []


def test_the_inbox_lists_the_longest_waiting_first_then_the_answered(records):
    say(records, "late", [*hand_off(30.0)])
    say(records, "early", [*hand_off(10.0)])
    say(records, "answered", [*hand_off(5.0), bot("您好", 6.0, agent="王芳")])
    assert [w.sender_id for w in records.inbox()] == ["early", "late", "answered"]


def test_an_agent_taking_over_is_not_a_hand_off(records):
    say(records, "a", [user("什么时候生效", "ask_when_effective", 10.0)])
    say(records, "a", [ConversationPaused(timestamp=11.0, metadata={"agent": "王芳"}), bot("我来帮您", 11.0, "王芳")])
    [waiting] = records.inbox()
    assert (waiting.reasons, waiting.agent) == (["agent"], "王芳")
    assert groups(records) == []


# --- through the tracker store, and when writing fails ----------------------------------------


def test_the_tracker_store_publishes_each_event_once(db, domain):
    records = connect(db)
    store = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db), event_broker=records, recent_events=4)
    tracker = DialogueStateTracker.from_events("a", [user("这咋整", "nlu_fallback", 10.0)], slots=domain.slots)
    asyncio.run(store.save(tracker))
    for at in (20.0, 30.0):
        tracker = asyncio.run(store.retrieve("a"))
        tracker.update(bot("抱歉，我没完全明白", at))
        tracker.update(user("还是不懂", "nlu_fallback", at + 1))
        asyncio.run(store.save(tracker))
    assert groups(records) == [("还是不懂", 2, {"fallback": 2}), ("这咋整", 1, {"fallback": 1})]


def test_a_record_that_cannot_be_written_is_logged_and_the_turn_saved(records, domain, caplog):
    store = InMemoryTrackerStore(domain, event_broker=records)
    with records.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE unanswered_messages")
    tracker = DialogueStateTracker.from_events("a", [user("这咋整", "nlu_fallback", 10.0)], slots=domain.slots)
    with caplog.at_level(logging.ERROR, logger="stores.records"):
        asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("a")) is not None
    assert "Could not record a user event" in caplog.text


# --- agents --------------------------------------------------------------------------


def test_agents_have_their_own_tokens_stored_as_hashes_only(records):
    token = records.add_agent("王芳")
    assert records.agent_named(token) == "王芳"
    assert records.agent_named(token + "x") is None
    with records.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT name, token_sha256 FROM agents").all()
    assert stored == [("王芳", token_digest(token))] and token not in str(stored)

    renewed = records.add_agent("王芳")  # a lost token is replaced
    assert records.agent_named(token) is None and records.agent_named(renewed) == "王芳"
    assert records.remove_agent("王芳") and records.agent_named(renewed) is None


def test_an_unreachable_database_is_named_at_the_start(tmp_path):
    with pytest.raises(RecordsUnavailable, match="cannot reach the conversation database at .*missing"):
        connect(tmp_path / "missing" / "conversations.db")
