"""Conversations belong to the merchant the host page vouches for (issue 28, finding 1):
without the conversation's own session token (or the API token) no request reads or
writes it, over REST, socket.io, the agent-reply poll or 👍/👎; the profile the assistant
is told is the token's, not the message's metadata."""

import asyncio
import uuid
from typing import Iterator

import pytest
import socketio

from scripts.socket_chat import BlockingSocketChat, SocketChat
from scripts.stack import UNLIMITED, Assistant, Stack

WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Assistant]:
    with Stack(tmp_path_factory.mktemp("sessions"), env=UNLIMITED).running() as running:
        yield running.assistant


@pytest.fixture
def victim(served: Assistant) -> str:
    """A merchant's conversation, with an agent's reply in it."""
    sender = f"victim-{uuid.uuid4().hex[:8]}"
    served.say(sender, "转人工")
    status, body = served.call("POST", f"/assist/conversations/{sender}/reply", {"text": "您好"}, served.trusted)
    assert status == 200, body
    return sender


def user_texts(assistant: Assistant, sender: str) -> list:
    return [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]


def test_rest_writes_a_conversation_only_with_its_own_token(served, victim):
    body = {"sender": victim, "message": "我要改成跨境店"}
    assert served.call("POST", WEBHOOK, body)[0] == 401
    assert served.call("POST", WEBHOOK, body, served.merchant("intruder"))[0] == 403
    assert user_texts(served, victim) == ["转人工"]  # nothing was written
    assert served.call("POST", WEBHOOK, body, served.merchant(victim))[0] == 200


def test_the_agent_reply_poll_reads_a_conversation_only_with_its_own_token(served, victim):
    path = f"/web/agent-replies?sender={victim}&after=0"
    assert served.call("GET", path)[0] == 401
    assert served.call("GET", path, headers=served.merchant("intruder"))[0] == 403
    status, body = served.call("GET", path, headers=served.merchant(victim))
    assert status == 200 and [r["text"] for r in body["replies"]] == ["您好"]


def test_feedback_is_left_only_with_the_conversations_own_token(served, victim):
    rating = {"sender": victim, "value": "down", "text": "您好", "message_index": 0}
    assert served.call("POST", "/web/feedback", rating)[0] == 401
    assert served.call("POST", "/web/feedback", rating, served.merchant("intruder"))[0] == 403
    slots = served.tracker(victim)["slots"]
    assert slots.get("feedback") is None
    assert served.call("POST", "/web/feedback", rating, served.merchant(victim))[0] == 200


def test_socketio_refuses_a_connection_without_a_valid_token(served):
    for token in ("", "not-a-token", served.merchant_token("m")[:-4] + "AAAA"):
        with pytest.raises(socketio.exceptions.ConnectionError):
            asyncio.run(SocketChat(served.url, token).connect())


def test_socketio_joins_and_writes_only_the_tokens_conversation(served, victim):
    chat = BlockingSocketChat(served.url, served.merchant_token("intruder"))
    try:
        [(event, data)] = chat.run(chat.chat.start_session(victim))
        assert event == "error" and data["status"] == 403
        [(event, data)] = chat.run(chat.chat.say(victim, "我要改成跨境店"))
        assert event == "error" and data["status"] == 403
        # the agent's next reply to the victim does not reach the intruder's socket
        served.call("POST", f"/assist/conversations/{victim}/reply", {"text": "第二条"}, served.trusted)
        chat.run(asyncio.sleep(0.5))
        assert not [data for event, data in chat.chat.received if event == "bot_uttered"]
        [(event, confirmed)] = chat.run(chat.chat.send("session_request", {}))
        assert (event, confirmed) == ("session_confirm", "intruder")  # no id given: the token's own
    finally:
        chat.close()
    assert user_texts(served, victim) == ["转人工"]


def test_the_profile_the_assistant_is_told_is_the_tokens_not_the_messages_metadata(served):
    sender = f"profile-{uuid.uuid4().hex[:8]}"
    header = served.merchant(sender, {"shop_type": "个体店", "account_role": "授权号"})
    body = {"sender": sender, "message": "橱窗能加联盟商品吗", "metadata": {"shop_type": "跨境店"}}
    status, replies = served.call("POST", WEBHOOK, body, header)
    assert status == 200, replies
    [said] = [e for e in served.tracker(sender)["events"] if e["event"] == "user"]
    assert {k: said["metadata"].get(k) for k in ("shop_type", "account_role")} == {
        "shop_type": "个体店",
        "account_role": "授权号",
    }
    assert "跨境店" not in replies[0]["text"]


def test_the_demo_issuer_gives_a_session_the_channels_accept(served):
    status, session = served.call("POST", "/web/session", {"metadata": {"shop_type": "旗舰店"}})
    assert status == 200, session
    header = {"Authorization": f"Bearer {session['token']}"}
    body = {"sender": session["session_id"], "message": "你好"}
    assert served.call("POST", WEBHOOK, body, header)[0] == 200
