"""Merchant sessions (channels/web/sessions.py): signed tokens tie a request to one
conversation; the demo issuer; the merchant routes of the web channel behind them."""

import time

import jwt
import pytest

from channels.incoming import SessionRefused
from channels.web.sessions import Session, issue, session_of, sign
from tests.web.conftest import SESSION_KEY, TOKEN, merchant, run

API = {"Authorization": f"Bearer {TOKEN}"}


def claims(token: str) -> dict:
    return jwt.decode(token, SESSION_KEY, algorithms=["HS256"])


# --- tokens --------------------------------------------------------------------------------


def test_a_token_opens_its_subjects_conversation_with_its_profile():
    session = session_of(issue("m1", {"shop_type": "旗舰店", "account_role": "授权号"}))
    assert session == Session("m1") and session.profile == {"shop_type": "旗舰店", "account_role": "授权号"}
    session.check("m1")
    with pytest.raises(SessionRefused) as refused:
        session.check("m2")
    assert refused.value.status == 403


def test_the_profile_in_the_token_is_what_the_assistant_is_told_not_the_messages_metadata():
    session = session_of(issue("m1", {"shop_type": "个体店"}))
    assert session.metadata({"shop_type": "跨境店"}) == {"shop_type": "个体店"}
    assert session_of(issue("m2")).metadata({"shop_type": "跨境店"}) is None


def test_the_api_token_speaks_for_any_conversation_and_its_metadata(token):
    session = session_of(TOKEN)
    session.check("anyone")
    assert session.trusted and session.metadata({"shop_type": "跨境店"}) == {"shop_type": "跨境店"}


def test_only_the_profile_fields_a_page_may_pass_are_kept():
    token = sign("m1", {"shop_type": "旗舰店", "note": "x", "account_role": "y" * 500}, SESSION_KEY, 60)  # type: ignore[dict-item]
    assert session_of(token).profile == {"shop_type": "旗舰店"}


@pytest.mark.parametrize(
    "token, reason",
    [
        (None, "required"),
        ("", "required"),
        ("not-a-jwt", "not valid"),
        (sign("m1", None, "another-key-" + "x" * 32, 60), "not valid"),
        (sign("m1", None, SESSION_KEY, -10), "expired"),
        (jwt.encode({"sub": "m1", "exp": int(time.time()) + 60}, None, algorithm="none"), "not valid"),
        (jwt.encode({"sub": "m1"}, SESSION_KEY, algorithm="HS256"), "not valid"),  # no expiry
        (jwt.encode({"exp": int(time.time()) + 60}, SESSION_KEY, algorithm="HS256"), "not valid"),  # no subject
    ],
    ids=["none", "empty", "garbage", "other key", "expired", "alg none", "no exp", "no sub"],
)
def test_a_token_that_does_not_verify_is_refused_401(token, reason):
    with pytest.raises(SessionRefused) as refused:
        session_of(token)
    assert refused.value.status == 401 and reason in str(refused.value)


@pytest.mark.parametrize("key", ["", "short"])
def test_without_a_signing_key_merchant_sessions_are_off_503(monkeypatch, key):
    monkeypatch.setenv("ASSISTANT_SESSION_KEY", key)
    with pytest.raises(SessionRefused) as refused:
        session_of(sign("m1", None, "k" * 40, 60))
    assert refused.value.status == 503 and "ASSISTANT_SESSION_KEY" in str(refused.value)


# --- the merchant routes -------------------------------------------------------------------


def test_the_agent_reply_poll_needs_the_conversations_own_token(client, agent, token):
    path = "/web/agent-replies?sender=m1&after=0"
    status, headers, body = client.get(path)
    assert status == 401 and headers["www-authenticate"] == "Bearer" and "token" in body["error"]
    assert client.get(path, headers=merchant("m2"))[0] == 403
    assert client.get(path, headers=merchant("m1"))[0] == 200
    assert client.get(path, headers=API)[0] == 200


def test_feedback_needs_the_conversations_own_token(client, agent, token):
    rating = {"sender": "m1", "value": "up", "text": "好", "message_index": 0}
    assert client.post("/web/feedback", rating)[0] == 401
    assert client.post("/web/feedback", rating, headers=merchant("m2"))[0] == 403
    assert list(run(agent.tracker_store.keys())) == []  # nothing was written
    assert client.post("/web/feedback", rating, headers=merchant("m1"))[0] == 404  # allowed; no such conversation yet


# --- the demo issuer -----------------------------------------------------------------------


def test_the_demo_issuer_opens_a_new_conversation_with_the_pages_profile(client, agent):
    status, _, body = client.post("/web/session", {"metadata": {"shop_type": "旗舰店", "other": "x"}})
    assert status == 200, body
    assert len(body["session_id"]) == 32 and body["expires_in"] == 12 * 3600
    assert claims(body["token"])["sub"] == body["session_id"]
    assert claims(body["token"])["profile"] == {"shop_type": "旗舰店"}
    assert client.post("/web/session", {})[2]["session_id"] != body["session_id"]


def test_the_demo_issuer_renews_a_valid_token_for_the_same_conversation(client, agent):
    first = client.post("/web/session", {"metadata": {"account_role": "授权号"}})[2]
    status, _, renewed = client.post("/web/session", {}, headers={"Authorization": f"Bearer {first['token']}"})
    assert status == 200 and renewed["session_id"] == first["session_id"]
    assert claims(renewed["token"])["profile"] == {"account_role": "授权号"}


def test_the_demo_issuer_renews_no_expired_token_and_no_api_token(client, agent, token):
    expired = {"Authorization": f"Bearer {sign('m1', None, SESSION_KEY, -10)}"}
    assert client.post("/web/session", {}, headers=expired)[0] == 401
    assert client.post("/web/session", {}, headers=API)[0] == 400


@pytest.mark.parametrize("issuer", ["", "production", "DEMO"])
def test_the_demo_issuer_is_off_unless_set_to_demo(client, agent, monkeypatch, issuer):
    monkeypatch.setenv("ASSISTANT_SESSION_ISSUER", issuer)
    status, _, body = client.post("/web/session", {})
    assert status == 404 and "issuer is off" in body["error"]


def test_the_demo_issuer_without_a_key_says_why(client, agent, monkeypatch):
    monkeypatch.delenv("ASSISTANT_SESSION_KEY")
    status, _, body = client.post("/web/session", {})
    assert status == 503 and "ASSISTANT_SESSION_KEY is not set" in body["error"]
