"""A turn that cannot be stored, over the widget's socket.io channel: the merchant is told
so, as a bot message, and the conversation's next turn is normal on both channels."""

import uuid

import yaml

from scripts.socket_chat import BlockingSocketChat
from scripts.stack import ROOT

SECONDS = 5.0  # a turn's answer, as the property tests bound it
NOT_STORED = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]["utter_not_stored"][0]


def test_a_turn_not_stored_over_socketio_is_told_and_the_next_turn_is_normal(own_stack):
    sender = f"db-sio-{uuid.uuid4().hex[:8]}"
    chat = BlockingSocketChat(own_stack.assistant.url, own_stack.assistant.merchant_token(sender))
    try:
        chat.run(chat.chat.start_session(sender))
        chat.run(chat.chat.say(sender, "你好", timeout=SECONDS))
        database, away = own_stack.workdir / "db", own_stack.workdir / "db-away"
        database.rename(away)
        try:
            lost = chat.run(chat.chat.say(sender, "橱窗加不了", timeout=SECONDS))
        finally:
            away.rename(database)
        after = chat.run(chat.chat.say(sender, "谢谢", timeout=SECONDS))
    finally:
        chat.close()
    assert lost[-1] == ("bot_uttered", NOT_STORED)  # as the channel sends every bot message
    assert after and all(data != NOT_STORED for _, data in after)
    body = {"sender": sender, "message": "个体店"}
    code, replies = own_stack.assistant.call(
        "POST", "/webhooks/rest/webhook", body, own_stack.assistant.merchant(sender)
    )
    assert code == 200, replies  # no failure left over for the other channel
    events = own_stack.assistant.tracker(sender)["events"]
    assert [event["text"] for event in events if event["event"] == "user"] == ["你好", "谢谢", "个体店"]
