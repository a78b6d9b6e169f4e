"""Bad input, restarts and faults: every request gets a clear answer, no turn is lost.

The issue asks for answers within one second; `make bench` measures that. Here a request
only has to come back well within the 30 s that a 20,000-character message used to take,
so a busy CI machine does not make the tests flake.
"""

import asyncio
import json
import os
import subprocess
import time
import urllib.request
import uuid

import aiohttp
import pytest
import socketio

from scripts.bad_input import BAD_REQUESTS, WELL_FORMED
from scripts.socket_chat import SocketChat
from scripts.stack import BIN, ROOT
from tests.responses import response

SLOW = 5.0  # seconds; see the module docstring


@pytest.mark.parametrize("body, status", BAD_REQUESTS.values(), ids=list(BAD_REQUESTS))
def test_bad_request_gets_a_clear_error(assistant, body, status):
    started = time.monotonic()
    code, payload = assistant.call("POST", "/webhooks/rest/webhook", body, headers=assistant.trusted)
    assert time.monotonic() - started < SLOW
    assert code == status
    assert isinstance(payload, dict) and payload["error"]


@pytest.mark.parametrize("text", WELL_FORMED.values(), ids=list(WELL_FORMED))
def test_well_formed_message_gets_a_reply(assistant, text):
    started = time.monotonic()
    body = {"sender": f"bad-{uuid.uuid4().hex[:8]}", "message": text}
    code, replies = assistant.call("POST", "/webhooks/rest/webhook", body, headers=assistant.trusted)
    assert time.monotonic() - started < SLOW
    assert code == 200 and replies and replies[0].get("text")


def test_a_long_message_is_stored_cut(assistant):
    sender = f"long-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "橱窗" + "啊" * 20000)
    texts = [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert len(texts[-1]) == 2000


def test_requests_from_other_origins_are_refused(assistant):
    code, payload = assistant.call(
        "POST", "/webhooks/rest/webhook", {"sender": "o", "message": "hi"}, headers={"Origin": "http://evil.example"}
    )
    assert code == 403


def test_socketio_from_another_origin_is_refused_and_its_own_origin_gets_one_cors_header(assistant):
    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(SocketChat(assistant.url, assistant.token, origin="http://evil.example").connect())
    polling = urllib.request.Request(
        f"{assistant.url}/socket.io/?EIO=4&transport=polling", headers={"Origin": assistant.url}
    )
    with urllib.request.urlopen(polling, timeout=10) as reply:
        assert reply.headers.get_all("Access-Control-Allow-Origin") == [assistant.url]  # once: browsers reject two


async def raw_socket_event(url: str, token: str, packet: str) -> list:
    """What the server sends back to a socket.io event sent as raw text (a client library
    could not even encode these), within a few seconds."""
    received = []
    async with aiohttp.ClientSession() as session:
        address = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        async with session.ws_connect(address, headers={"Origin": url}) as socket:
            await socket.receive()  # engine.io's open packet
            await socket.send_str("40" + json.dumps({"token": token}))  # join the default namespace
            await socket.receive()
            await socket.send_str("42" + packet)
            try:
                while True:
                    received.append((await asyncio.wait_for(socket.receive(), 3)).data)
            except asyncio.TimeoutError:
                return received


@pytest.mark.parametrize(
    "packet, reason",
    [
        (
            '["user_uttered", {"session_id": "deep", "message": "hi", "metadata": ' + "[" * 30000 + "]" * 30000 + "}]",
            "nests deeper than 8",
        ),
        ('["user_uttered", {"session_id": "big", "message": "' + "好" * 30000 + '"}]', "over 65536 bytes"),
        ('["user_uttered", {"session_id": ', "not valid JSON"),
    ],
    ids=["nested 30,000 deep", "over 64 KB", "not JSON"],
)
def test_a_socketio_packet_that_cannot_be_read_gets_an_error_event(assistant, packet, reason):
    [answer] = asyncio.run(raw_socket_event(assistant.url, assistant.token, packet))
    assert answer.startswith('42["error"') and reason in answer, answer


def test_the_http_api_needs_the_token(assistant):
    code, _ = assistant.call("GET", "/conversations/x/tracker")
    assert code == 401
    assert assistant.api("GET", "/status")["model_id"]


def user_and_bot_events(tracker):
    return [(e["event"], e.get("text")) for e in tracker["events"] if e["event"] in ("user", "bot")]


# A blocked merchant is restricted whoever they are: answered without a question. Said
# next, the shop type alone gets that question's answer for the shop, scene kept.
BLOCKED = "橱窗加不了联盟商品"
ANSWERED = "不能。您的官方账号或授权号在橱窗只能添加本店商品"
ANSWERED_FOR_THE_SHOP = "不能。您个体店的官方账号或授权号在橱窗只能添加本店商品"


def test_conversations_survive_a_restart_of_both_servers(own_stack):
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assert own_stack.assistant.say(sender, BLOCKED)[0]["text"].startswith(ANSWERED)
    before = own_stack.assistant.tracker(sender)["events"]

    own_stack.stop()
    own_stack.start()

    after = own_stack.assistant.tracker(sender)["events"]
    assert after[: len(before)] == before
    assert own_stack.assistant.say(sender, "个体店")[0]["text"].startswith(ANSWERED_FOR_THE_SHOP)
    tracker = own_stack.assistant.tracker(sender)
    assert tracker["events"][: len(before)] == before
    said = [text for kind, text in user_and_bot_events(tracker) if kind == "user"]
    assert said == [BLOCKED, "个体店"]


def test_with_the_action_server_down_the_merchant_is_told_so_and_offered_a_human(own_stack):
    sender = f"down-{uuid.uuid4().hex[:8]}"
    own_stack.assistant.say(sender, BLOCKED)
    own_stack.stop_actions()
    try:
        replies = own_stack.assistant.say(sender, "个体店")
    finally:
        own_stack.start_actions()
    assert replies == [response("utter_no_reply", sender)]
    # back: the conversation goes on where it was
    assert own_stack.assistant.say(sender, "个体店")[0]["text"].startswith(ANSWERED_FOR_THE_SHOP)


def test_a_turn_that_cannot_be_stored_is_reported(own_stack):
    sender = f"db-{uuid.uuid4().hex[:8]}"
    own_stack.assistant.say(sender, "你好")
    database, away = own_stack.workdir / "db", own_stack.workdir / "db-away"
    database.rename(away)
    try:
        body = {"sender": sender, "message": "橱窗加不了"}
        code, replies = own_stack.assistant.call("POST", "/webhooks/rest/webhook", body, own_stack.assistant.trusted)
    finally:
        away.rename(database)
    assert code == 503
    assert "没能保存" in replies[-1]["text"]
    assert own_stack.assistant.say(sender, "谢谢") == [response("utter_thank", sender)]  # and it works again


def test_an_unreachable_database_stops_the_start_with_a_clear_error(tmp_path):
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "ACTIONS_URL": "http://localhost:9/webhook",
        "ASSISTANT_SQLITE_PATH": str(tmp_path / "missing" / "conversations.db"),
    }
    model = ROOT / os.environ.get("ASSISTANT_MODEL", "models/assistant.tar.gz")
    result = subprocess.run(
        [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(model),
            "--port",
            "0",
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode != 0
    assert "cannot reach the conversation database" in result.stdout + result.stderr


def test_logs_carry_no_token(stack):
    stack.assistant.tracker("log-check")  # a call that carries the token
    assert stack.token not in stack.log("rasa")
    assert stack.token not in stack.log("actions")
