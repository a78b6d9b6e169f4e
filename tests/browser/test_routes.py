"""The web channel's routes on the real server, with the trained model and SQLite store."""

import sqlite3
import uuid

import pytest

from actions.policy import load_policy


def events_stored(web_stack) -> int:
    database = web_stack.workdir / "conversations.db"
    with sqlite3.connect(database) as connection:
        return connection.execute("select count(*) from events").fetchone()[0]


def auth(web_stack):
    return {"Authorization": f"Bearer {web_stack.token}"}


def test_suggest_parses_with_the_model_and_writes_no_conversation(web_stack):
    if not hasattr(web_stack, "workdir"):
        pytest.skip("needs the stack's own database")
    web_stack.assistant.say(f"merchant-{uuid.uuid4().hex}", "你好")  # the table exists
    before = events_stored(web_stack)
    status, body = web_stack.assistant.call(
        "POST", "/assist/suggest", {"text": "专营店 授权帐号 短视频挂不了别家的链接"}, headers=auth(web_stack)
    )
    assert status == 200, body
    assert body["intent"]["name"] in {"ask_why_cannot_add", "report_error_message"}
    assert body["reply"]["text"].startswith(("不能。", "可能已经不能。"))
    assert "专营店" in body["reply"]["text"] and "短视频管理" in body["reply"]["text"]
    assert {c["id"] for c in body["clauses"]} <= set(load_policy().clauses)
    assert events_stored(web_stack) == before


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/web/feedback", b"{oops"),
        ("POST", "/web/feedback", {"sender": "x", "value": "sideways", "text": "t", "message_index": 0}),
        ("POST", "/assist/suggest", b"\xff"),
        ("POST", "/assist/suggest", {"text": ["not", "text"]}),
        ("GET", "/assist/unanswered?limit=lots", None),
    ],
)
def test_bad_input_gets_400_from_the_real_server(web_stack, method, path, body):
    status, payload = web_stack.assistant.call(method, path, body, headers=auth(web_stack))
    assert status == 400, payload
    assert payload["error"]


def test_feedback_for_a_conversation_that_does_not_exist_is_404(web_stack):
    rating = {"sender": f"nobody-{uuid.uuid4().hex}", "value": "up", "text": "好", "message_index": 0}
    status, payload = web_stack.assistant.call("POST", "/web/feedback", rating, auth(web_stack))
    assert status == 404, payload


@pytest.mark.parametrize("path", ["/web/static/..%2F..%2Fcredentials.yml", "/web/static/%2e%2e%2fnlu%2f.built"])
def test_no_file_outside_the_bundles_is_served(web_stack, path):
    status, _ = web_stack.assistant.call("GET", path)
    assert status == 404


def test_the_agent_routes_need_the_token(web_stack):
    status, payload = web_stack.assistant.call("POST", "/assist/suggest", {"text": "你好"})
    assert status == 401 and payload["error"]
