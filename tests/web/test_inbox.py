"""The agent inbox and live takeover: the inbox and its event stream, a conversation's
transcript and suggested reply, an agent's reply stored and delivered, the hand-back."""

import asyncio
import json
import time
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.web.replies import Delivery
from tests.web.conftest import TOKEN, merchant, parse, run

AUTH = {"Authorization": f"Bearer {TOKEN}"}
SUMMARY = "问题：什么时候生效\n店铺类型：旗舰店\n账号身份：授权号\n场景：未知\n商家原话：转人工\n助手已答复：已经生效"


def said(text: str, intent: str, at: float, entities: Optional[List[Tuple[str, str]]] = None) -> UserUttered:
    return UserUttered(text, parse_data=parse(text, intent, 0.9, entities), timestamp=at)


def handed_off(agent, sender: str, extra: Optional[List[Any]] = None) -> None:
    """A conversation as Rasa stores a hand-off: the question, its answer, 转人工, the pause."""
    events = [
        said(
            "旗舰店授权号什么时候生效",
            "ask_when_effective",
            10.0,
            [("shop_type", "旗舰店"), ("account_role", "授权号")],
        ),
        SlotSet("shop_type", ["flagship"], timestamp=10.5),
        SlotSet("account_role", ["authorized"], timestamp=10.5),
        BotUttered("已经生效", timestamp=11.0),
        said("/request_human", "request_human", 12.0),
        ActionExecuted("action_hand_off", timestamp=13.0),
        SlotSet("handoff_summary", SUMMARY, timestamp=13.0),
        ConversationPaused(timestamp=13.0),
        *(extra or []),
    ]
    tracker = DialogueStateTracker.from_events(sender, events, slots=agent.domain.slots)
    run(agent.tracker_store.save(tracker))


def called_for_a_person(agent, sender: str, first: str, second: str) -> None:
    """Two messages not understood in a row (the assistant said 抱歉 between them): the
    conversation enters the inbox without a hand-off."""
    events = [said(first, "nlu_fallback", 1.0), BotUttered("抱歉", timestamp=2.0), said(second, "nlu_fallback", 3.0)]
    run(agent.tracker_store.save(DialogueStateTracker.from_events(sender, events, slots=agent.domain.slots)))


def get(client, path: str, headers: Dict[str, str] = AUTH) -> Any:
    status, _, body = client.get(path, headers=headers)
    assert status == 200, body
    return body


def post(client, path: str, body: Any = None, headers: Dict[str, str] = AUTH) -> Tuple[int, Any]:
    status, _, answer = client.post(path, body if body is not None else {}, headers=headers)
    return status, answer


# --- the inbox -------------------------------------------------------------------------


def test_the_inbox_lists_a_hand_off_with_its_summary_and_the_merchants_words(client, agent, token):
    handed_off(agent, "m1")
    [item] = get(client, "/assist/inbox")["conversations"]
    assert (item["sender"], item["reasons"], item["agent"]) == ("m1", ["handoff"], None)
    assert item["summary"][:2] == [{"label": "问题", "value": "什么时候生效"}, {"label": "店铺类型", "value": "旗舰店"}]
    assert item["last_words"]["text"] == "旗舰店授权号什么时候生效"
    assert item["waiting_seconds"] >= 0 and item["waiting_since"].startswith("1970-01-01T00:00:13")


def test_a_conversation_that_called_for_a_person_without_a_hand_off_gets_a_summary(client, agent, token):
    called_for_a_person(agent, "m2", "这啥情况", "咋整")
    [item] = get(client, "/assist/inbox")["conversations"]
    assert item["reasons"] == ["fallbacks"]
    lines = {line["label"]: line["value"] for line in item["summary"]}
    assert lines["商家原话"] == "这啥情况 / 咋整" and lines["助手已答复"] == "抱歉"
    assert agent.records.waiting("m2").summary  # written once, not worked out again


def test_a_merchant_cannot_add_a_line_to_the_hand_off_summary(client, agent, token):
    """「店铺类型：跨境店（已核实）」 on a line of its own in a message stays the merchant's words."""
    forged = "店铺类型：跨境店（已核实）"
    called_for_a_person(agent, "m4", f"这啥情况\n{forged}", f"咋整\n{forged}")
    [item] = get(client, "/assist/inbox")["conversations"]
    labels = [line["label"] for line in item["summary"]]
    assert labels == ["问题", "店铺类型", "账号身份", "场景", "商家原话", "助手已答复"]
    lines = {line["label"]: line["value"] for line in item["summary"]}
    assert lines["店铺类型"] == "未知" and forged in lines["商家原话"]


def test_personal_data_is_masked_where_it_is_browsed_but_not_in_the_transcript(client, agent, token):
    phone = "13812345678"
    called_for_a_person(agent, "m5", f"这啥情况 我电话{phone}", f"咋整 回电{phone}")
    [item] = get(client, "/assist/inbox")["conversations"]
    lines = {line["label"]: line["value"] for line in item["summary"]}
    assert item["last_words"]["text"] == "咋整 回电〔手机号〕" and "〔手机号〕" in lines["商家原话"]
    unanswered = json.dumps(get(client, "/assist/unanswered"), ensure_ascii=False)
    assert phone not in unanswered + json.dumps(item, ensure_ascii=False) and "〔手机号〕" in unanswered
    said_ = [m["text"] for m in get(client, "/assist/conversations/m5")["messages"] if m["role"] == "merchant"]
    assert said_ == [f"这啥情况 我电话{phone}", f"咋整 回电{phone}"]


def test_the_event_stream_sends_the_inbox_then_what_changes(client, agent, token):
    handed_off(agent, "m1")
    with event_stream(client.url + "/assist/inbox/events") as events:
        kind, first = next(events)
        assert kind == "inbox" and [item["sender"] for item in first["conversations"]] == ["m1"]
        started = time.monotonic()
        handed_off(agent, "m2")
        kind, changed = next(events)
        assert time.monotonic() - started < 2 and kind == "changes" and changed["version"] > first["version"]
        assert [item["sender"] for item in changed["upserted"]] == ["m2"]  # m1 did not change
        listed = [item["sender"] for item in get(client, "/assist/inbox")["conversations"]]
        assert (changed["order"], changed["removed"], changed["total"]) == (listed, [], 2)
        assert set(changed["waiting"]) == {"m1", "m2"}
        assert post(client, "/assist/conversations/m1/hand-back")[0] == 200
        kind, gone = next(events)
        assert (kind, gone["upserted"], gone["removed"], gone["order"]) == ("changes", [], ["m1"], ["m2"])


def test_the_inbox_comes_in_pages(client, agent, token):
    for sender in ("m1", "m2", "m3"):
        handed_off(agent, sender)
    first = get(client, "/assist/inbox?limit=2")
    rest = get(client, "/assist/inbox?limit=2&offset=2")
    assert (first["total"], len(first["conversations"]), len(rest["conversations"])) == (3, 2, 1)
    senders = [item["sender"] for item in first["conversations"] + rest["conversations"]]
    assert sorted(senders) == ["m1", "m2", "m3"]
    for bad in ("limit=0", "limit=201", "offset=-1", "limit=many"):
        assert client.get(f"/assist/inbox?{bad}", headers=AUTH)[0] == 400


def test_the_event_stream_needs_the_token(client, agent, token):
    status, _, _ = client.get("/assist/inbox/events")
    assert status == 401


# --- a conversation ---------------------------------------------------------------------


def test_a_conversation_shows_every_message_by_who_said_it_and_the_facts(client, agent, token):
    handed_off(agent, "m1", [BotUttered("您好，我是王芳", timestamp=20.0, metadata={"agent": "王芳"})])
    body = get(client, "/assist/conversations/m1")
    assert [(m["role"], m["text"]) for m in body["messages"]] == [
        ("merchant", "旗舰店授权号什么时候生效"),
        ("assistant", "已经生效"),
        ("merchant", "〔按钮〕转人工客服"),
        ("agent", "您好，我是王芳"),
    ]
    assert body["messages"][-1]["agent"] == "王芳"
    assert [(f["input"], f["label"]) for f in body["facts"]] == [("店铺类型", "旗舰店"), ("账号身份", "授权号")]
    assert body["paused"] is True and body["inbox"]["agent"] == "王芳"
    assert client.get("/assist/conversations/nobody", headers=AUTH)[0] == 404


def test_the_suggestion_answers_the_latest_question_with_the_facts_known(client, agent, token):
    later = [
        said("那橱窗还能加联盟商品吗", "ask_why_cannot_add", 30.0, [("scene", "橱窗")]),
        said("转人工", "request_human", 31.0),
    ]
    handed_off(agent, "m1", later)
    body = get(client, "/assist/conversations/m1/suggestion")
    assert body["for"]["text"] == "那橱窗还能加联盟商品吗"  # not 转人工
    assert body["reply"]["text"].startswith("不能。")
    assert all(word in body["reply"]["text"] for word in ("旗舰店", "授权号", "橱窗"))  # slots and the message
    assert body["clauses"] and all(c["quote"] for c in body["clauses"])


# --- replies and the hand-back --------------------------------------------------------------


def test_an_agents_reply_is_stored_attributed_and_polled_by_the_widget(client, agent, token):
    handed_off(agent, "m1")
    status, body = post(client, "/assist/conversations/m1/reply", {"text": "  您好，我来帮您看看  "})
    assert status == 200, body
    assert body["reply"] == {"text": "您好，我来帮您看看", "agent": "值班客服", "reply_id": body["reply"]["reply_id"]}
    stored = run(agent.tracker_store.retrieve("m1")).events[-1]
    assert isinstance(stored, BotUttered) and stored.text == "您好，我来帮您看看"
    assert stored.metadata == {"agent": "值班客服"}
    polled = get(client, "/web/agent-replies?sender=m1&after=0", headers=merchant("m1"))["replies"]
    assert polled == [body["reply"]]
    after = body["reply"]["reply_id"]
    assert get(client, f"/web/agent-replies?sender=m1&after={after}", headers=merchant("m1"))["replies"] == []


def test_an_agent_with_a_token_of_their_own_is_named(client, agent, monkeypatch):
    monkeypatch.delenv("ASSISTANT_TOKEN", raising=False)
    handed_off(agent, "m1")
    own = {"Authorization": f"Bearer {agent.records.add_agent('王芳')}"}
    status, body = post(client, "/assist/conversations/m1/reply", {"text": "您好"}, headers=own)
    assert (status, body["reply"]["agent"]) == (200, "王芳")
    assert get(client, "/assist/inbox", headers=own)["conversations"][0]["agent"] == "王芳"
    assert post(client, "/assist/conversations/m1/reply", {"text": "您好"}, headers=AUTH)[0] == 401


def test_a_reply_takes_over_a_conversation_that_was_not_handed_off(client, agent, token):
    events = [said("这啥情况", "nlu_fallback", 1.0), BotUttered("抱歉", timestamp=2.0)]
    run(agent.tracker_store.save(DialogueStateTracker.from_events("m3", events, slots=agent.domain.slots)))
    assert post(client, "/assist/conversations/m3/reply", {"text": "我来帮您"})[0] == 200
    tracker = run(agent.tracker_store.retrieve("m3"))
    assert tracker.is_paused()
    [item] = get(client, "/assist/inbox")["conversations"]
    assert (item["sender"], item["agent"], item["waiting_since"]) == ("m3", "值班客服", None)


def test_the_hand_back_resumes_the_conversation_with_its_facts_and_empties_the_inbox(client, agent, token):
    handed_off(agent, "m1")
    status, body = post(client, "/assist/conversations/m1/hand-back")
    assert (status, body) == (200, {"handed_back": True})
    tracker = run(agent.tracker_store.retrieve("m1"))
    assert not tracker.is_paused()
    assert [e.type_name for e in list(tracker.events)[-2:]] == ["resume", "action"]
    assert tracker.latest_action_name == "action_listen"
    assert tracker.get_slot("shop_type") == ["flagship"]
    assert get(client, "/assist/inbox")["conversations"] == []


@pytest.mark.parametrize(
    "path, body, status",
    [
        ("/assist/conversations/nobody/reply", {"text": "您好"}, 404),
        ("/assist/conversations/nobody/hand-back", {}, 404),
        ("/assist/conversations/m1/reply", {"text": "   "}, 400),
        ("/assist/conversations/m1/reply", {"message": "您好"}, 400),
        ("/assist/conversations/m1/reply", {"text": "长" * 5001}, 400),
        (f"/assist/conversations/{'x' * 200}/reply", {"text": "您好"}, 400),
    ],
)
def test_replies_to_no_conversation_or_without_text_are_refused(client, agent, token, path, body, status):
    handed_off(agent, "m1")
    assert post(client, path, body)[0] == status
    assert agent.records.agent_replies("m1", 0) == []


@pytest.mark.parametrize(
    "path",
    ["/assist/inbox", "/assist/conversations/m1", "/assist/conversations/m1/suggestion"],
)
def test_the_inbox_routes_need_the_token(client, agent, token, path):
    assert client.get(path)[0] == 401
    assert client.post("/assist/conversations/m1/reply", {"text": "您好"})[0] == 401
    assert client.post("/assist/conversations/m1/hand-back", {})[0] == 401


@pytest.mark.parametrize(
    "query, status",
    [("?sender=m1&after=-1", 400), ("?after=0", 400), ("?sender=m1&after=abc", 400), ("?sender=m1", 200)],
)
def test_the_widgets_polling_checks_its_arguments(client, agent, query, status):
    assert client.get("/web/agent-replies" + query, headers=merchant("m1"))[0] == status


def test_the_widgets_polling_is_refused_to_another_origin(client, agent, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ALLOWED_ORIGINS", "https://fxg.jinritemai.com")
    assert client.get("/web/agent-replies?sender=m1", headers={"Origin": "https://evil.example"})[0] == 403


# --- delivery to the merchant's sockets ---------------------------------------------------------


class Sockets:
    """What Delivery uses of Rasa's socket.io channel."""

    bot_message_evt = "bot_uttered"

    def __init__(self) -> None:
        self.emitted: List[Tuple[str, Any, str]] = []
        self.sio = self

    async def emit(self, event: str, data: Any, room: str) -> None:
        self.emitted.append((event, data, room))


def test_a_reply_goes_to_the_merchants_room(client, agent, token):
    sockets = Sockets()
    asyncio.run(Delivery(sockets, None).send("m1", {"text": "您好", "agent": "王芳", "reply_id": 1}))
    assert sockets.emitted == [("bot_uttered", {"text": "您好", "agent": "王芳", "reply_id": 1}, "m1")]


# --- helpers -------------------------------------------------------------------------------------


class event_stream:
    """The events of a server-sent event stream: (event, its data as parsed JSON)."""

    def __init__(self, url: str) -> None:
        self.response = urllib.request.urlopen(urllib.request.Request(url, headers=AUTH), timeout=5)

    def __enter__(self) -> Iterator[Tuple[str, Dict[str, Any]]]:
        return self._events()

    def __exit__(self, *_: Any) -> None:
        self.response.close()

    def _events(self) -> Iterator[Tuple[str, Dict[str, Any]]]:
        kind, data = None, None
        for raw in self.response:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                kind = line[len("event: ") :]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: ") :])
            elif not line and kind and data is not None:
                yield kind, data
                kind, data = None, None


def test_a_sender_with_spaces_or_chinese_is_reached_by_its_percent_encoded_path(client, agent, token):
    sender = "商家 甲/1"
    handed_off(agent, sender)
    path = f"/assist/conversations/{urllib.parse.quote(sender, safe='')}"
    assert get(client, path)["sender"] == sender
    assert get(client, f"{path}/suggestion")["for"] is not None
    status, body = post(client, f"{path}/reply", {"text": "您好"})
    assert status == 200, body
    assert run(agent.tracker_store.retrieve(sender)).events[-1].text == "您好"
    assert post(client, f"{path}/hand-back")[0] == 200
    assert run(agent.tracker_store.retrieve(urllib.parse.quote(sender, safe=""))) is None  # nothing under the raw id
