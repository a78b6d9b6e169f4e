"""A turn that cannot be stored, over the widget's socket.io channel: the merchant is told
so, as a bot message, and the conversation's next turn is normal on both channels."""

import uuid
from typing import Iterator

import pytest
import yaml

from scripts.socket_chat import BlockingSocketChat
from scripts.stack import ROOT, Stack

SECONDS = 5.0  # a turn's answer; the property tests hold answers to 1 s
NOT_STORED = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]["utter_not_stored"][0]


@pytest.fixture(scope="module")
def db_stack(tmp_path_factory) -> Iterator[Stack]:
    """A stack whose database directory the test can take away (as test_robustness does)."""
    workdir = tmp_path_factory.mktemp("failed-saves")
    (workdir / "db").mkdir()
    stack = Stack(workdir, env={"ASSISTANT_SQLITE_PATH": str(workdir / "db" / "conversations.db")})
    stack.start()
    yield stack
    stack.stop()


def test_a_turn_not_stored_over_socketio_is_told_and_the_next_turn_is_normal(db_stack):
    sender = f"db-sio-{uuid.uuid4().hex[:8]}"
    chat = BlockingSocketChat(db_stack.assistant.url)
    try:
        chat.run(chat.chat.start_session(sender))
        chat.run(chat.chat.say(sender, "你好", timeout=SECONDS))
        database, away = db_stack.workdir / "db", db_stack.workdir / "db-away"
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
    code, replies = db_stack.assistant.call("POST", "/webhooks/rest/webhook", {"sender": sender, "message": "个体店"})
    assert code == 200, replies  # no failure left over for the other channel
    events = db_stack.assistant.tracker(sender)["events"]
    assert [event["text"] for event in events if event["event"] == "user"] == ["你好", "谢谢", "个体店"]
