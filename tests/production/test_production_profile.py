"""The production profile: PostgreSQL tracker store and Redis lock store shared by two
Rasa servers. Concurrent conversations go through both servers turn by turn; every
message must be stored exactly once and in order.

Needs Debian's postgresql and redis-server (`make test-production` installs them); the
servers are started here on loopback, in a temporary folder, and stopped afterwards.
"""

import asyncio
import glob
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import pytest
from rasa.utils.endpoints import EndpointConfig

from scripts.loadtest import SCRIPT
from scripts.socket_chat import SocketChat
from scripts.stack import UNLIMITED, Stack, free_port
from stores.records import RecordsBroker, engine_for
from tests.responses import response as response_named

CONVERSATIONS = 8
TURNS = 10
# Rate limits of both servers, counted in Redis: no client is limited here, a conversation
# only past what the conversations below send.
PER_CONVERSATION = 15
# The production servers' settings: a conversation's rate limit the test reaches; no demo
# session issuer (the host page issues the merchants' tokens).
LIMITS = {**UNLIMITED, "ASSISTANT_RATE_PER_CONVERSATION": f"{PER_CONVERSATION}/minute", "ASSISTANT_SESSION_ISSUER": ""}
SIMULTANEOUS = ("谢谢", "再见")  # sent to the same conversation at once, one through each server


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.fail("PostgreSQL is not installed: run `make test-production`, which installs it")
    return found[-1]


def as_postgres(*command: str) -> None:
    result = subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def services():
    """PostgreSQL and Redis on loopback ports of their own."""
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed: run `make test-production`, which installs it")
    # Not pytest's tmp_path: PostgreSQL runs as its own user and must reach the folder.
    with tempfile.TemporaryDirectory(prefix="assistant-services-") as folder:
        yield from _services(Path(folder))


def _services(workdir: Path):
    data, sockets = workdir / "pg", workdir / "pg-sockets"
    for folder in (data, sockets):
        folder.mkdir()
        shutil.chown(folder, "postgres", "postgres")
    os.chmod(workdir, 0o755)
    pg_port, redis_port = free_port(), free_port()
    password = uuid.uuid4().hex
    (workdir / "pwfile").write_text(password)
    shutil.chown(workdir / "pwfile", "postgres", "postgres")
    as_postgres(postgres_bin("initdb"), "-D", str(data), "-U", "rasa", "--pwfile", str(workdir / "pwfile"), "-A", "md5")
    as_postgres(
        postgres_bin("pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(sockets / "postgres.log"),
        "-w",
        "-o",
        f"-p {pg_port} -k {sockets} -c listen_addresses=127.0.0.1",
        "start",
    )
    subprocess.run(
        [postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(pg_port), "-U", "rasa", "rasa"],
        env={**os.environ, "PGPASSWORD": password},
        check=True,
        timeout=60,
    )
    with open(workdir / "redis.log", "w") as log:  # redis-server keeps its own copy
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    env = {
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(pg_port),
        "POSTGRES_DB": "rasa",
        "POSTGRES_USER": "rasa",
        "POSTGRES_PASSWORD": password,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_port),
        "REDIS_DB": "1",
    }
    try:
        yield env
    finally:
        redis.terminate()
        redis.wait(timeout=30)
        as_postgres(postgres_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop")


@pytest.fixture(scope="module")
def two_servers(services, tmp_path_factory):
    """One action server and two Rasa servers sharing PostgreSQL and Redis."""
    first = Stack(tmp_path_factory.mktemp("first"), endpoints="endpoints.production.yml", env={**services, **LIMITS})
    first.start()
    second = Stack(
        tmp_path_factory.mktemp("second"),
        endpoints="endpoints.production.yml",
        env={**services, **LIMITS, "ACTIONS_URL": first.env["ACTIONS_URL"]},
        token=first.token,
        session_key=first.session_key,
    )
    try:
        second.start_rasa()
        yield first.assistant, second.assistant
    finally:
        second.stop()
        first.stop()


async def converse(session, servers, sender, turns):
    sent = []
    for turn in range(turns):
        text = SCRIPT[turn % len(SCRIPT)]
        await send(session, servers[turn % 2], sender, text)  # alternate between the servers
        sent.append(text)
    return sent


async def send(session, server, sender, text):
    body = {"sender": sender, "message": text}  # as the merchant, whose token either server accepts
    async with session.post(
        f"{server.url}/webhooks/rest/webhook", json=body, headers=server.merchant(sender)
    ) as response:
        assert response.status == 200, await response.text()
        replies = await response.json()
        assert response_named("utter_no_reply", sender) not in replies, f"no answer to {text!r}"


async def run_conversations(servers):
    """Sequential turns alternating servers, then two messages at once, one through each."""
    senders = [f"prod-{uuid.uuid4().hex[:8]}" for _ in range(CONVERSATIONS)]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        sent = await asyncio.gather(*(converse(session, servers, s, TURNS) for s in senders))
        await asyncio.gather(
            *(
                send(session, server, s, text)
                for s in senders
                for server, text in zip(servers, SIMULTANEOUS, strict=True)
            )
        )
    return dict(zip(senders, sent, strict=True))


def test_two_servers_share_conversations_exactly_once_and_in_order(two_servers):
    started = time.monotonic()
    conversations = asyncio.run(run_conversations(two_servers))
    print(f"{CONVERSATIONS} conversations × {TURNS} turns through two servers in {time.monotonic() - started:.1f} s")
    for sender, sent in conversations.items():
        for server in two_servers:  # both servers see the same, complete conversation
            events = server.tracker(sender)["events"]
            said = [e["text"] for e in events if e["event"] == "user"]
            assert said[: len(sent)] == sent
            assert sorted(said[len(sent) :]) == sorted(SIMULTANEOUS)
            kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
            assert "user" not in [b for a, b in itertools.pairwise(kinds) if a == "user"], "turns interleaved"
            stamps = [e["timestamp"] for e in events]
            assert stamps == sorted(stamps)
            keys = [(e["event"], e["timestamp"], e.get("text"), e.get("name")) for e in events]
            assert len(keys) == len(set(keys)), "an event was stored twice"
            bot_turns = [e for e in events if e["event"] == "bot"]
            assert len(bot_turns) >= len(sent)


# --- a hand-off that reaches a person, across the two servers ------------------------------

LIVE = 2.0  # seconds within which each side sees what the other did


def test_the_servers_count_a_conversation_s_messages_together(two_servers):
    """A conversation's limit holds across both servers: its messages alternate between
    them, and the one past the limit is refused on either (the counts live in Redis)."""
    sender = f"prod-limit-{uuid.uuid4().hex[:8]}"
    body = {"sender": sender, "message": "你好"}
    merchant = two_servers[0].merchant(sender)
    statuses = [
        two_servers[turn % 2].call("POST", "/webhooks/rest/webhook", body, merchant)[0]
        for turn in range(PER_CONVERSATION)
    ]
    assert statuses == [200] * PER_CONVERSATION
    assert [server.call("POST", "/webhooks/rest/webhook", body, merchant)[0] for server in two_servers] == [429, 429]


def test_an_agent_on_one_server_answers_a_merchant_on_the_other(services, two_servers):
    """The merchant talks over socket.io to server 2; the agent works on server 1."""
    config = EndpointConfig(
        dialect="postgresql",
        url=services["POSTGRES_HOST"],
        port=services["POSTGRES_PORT"],
        db=services["POSTGRES_DB"],
        username=services["POSTGRES_USER"],
        password=services["POSTGRES_PASSWORD"],
    )
    token = RecordsBroker(engine_for(config)).add_agent("王芳")
    timings = asyncio.run(hand_off_across(*two_servers, {"Authorization": f"Bearer {token}"}))
    print(", ".join(f"{what} after {seconds:.2f} s" for what, seconds in timings.items()))
    assert all(seconds < LIVE for seconds in timings.values()), timings


async def hand_off_across(first, second, auth):
    session = uuid.uuid4().hex
    chat = SocketChat(second.url, second.merchant_token(session))
    await chat.connect()
    await chat.start_session(session)
    timings = {}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
            answer = await bot_text(chat, session, "我们是个体店的授权号 橱窗加不了联盟商品")
            assert "个体店" in answer and "授权号" in answer
            async with http.get(f"{first.url}/assist/inbox/events", headers=auth) as stream:
                events = inbox_events(stream)
                assert session not in senders(await anext(events))
                await chat.say(session, "转人工", timeout=30)
                started = time.monotonic()
                while session not in senders(await anext(events)):
                    pass
                timings["hand-off in server 1's inbox"] = time.monotonic() - started
            for turn, text in enumerate(("第一条：店铺刚开", "第二条：急")):  # while waiting, through both servers
                await send(http, (first, second)[turn % 2], session, text)
            unanswered = await call(http, "GET", f"{first.url}/assist/unanswered", auth)  # PostgreSQL's grouping
            [group] = [g for g in unanswered["groups"] if session in g["conversations"]]
            assert (group["text"], group["reasons"]) == ("我们是个体店的授权号 橱窗加不了联盟商品", {"handoff": 1})
            conversation = await call(http, "GET", f"{first.url}/assist/conversations/{session}", auth)
            said = [m["text"] for m in conversation["messages"] if m["role"] == "merchant"]
            assert said[-2:] == ["第一条：店铺刚开", "第二条：急"]
            suggested = await call(http, "GET", f"{first.url}/assist/conversations/{session}/suggestion", auth)
            text = suggested["reply"]["text"] + "\n如还有疑问，请随时告诉我。"
            before = len(chat.received)
            started = time.monotonic()
            await call(http, "POST", f"{first.url}/assist/conversations/{session}/reply", auth, {"text": text})
            reply = await received(chat, before, lambda data: data.get("agent"))
            timings["agent's reply on server 2's socket"] = time.monotonic() - started
            assert (reply["text"], reply["agent"]) == (text, "王芳")
            await call(http, "POST", f"{second.url}/assist/conversations/{session}/hand-back", auth, {})
            answer = await bot_text(chat, session, "那直播间呢 能挂联盟商品吗")
            assert "个体店" in answer and "授权号" in answer and "直播间" in answer
    finally:
        await chat.close()
    for server in (first, second):
        events = server.tracker(session)["events"]
        stored = [e for e in events if e["event"] == "bot" and (e.get("metadata") or {}).get("agent") == "王芳"]
        assert [e["text"] for e in stored] == [text]
    return timings


async def bot_text(chat, session, text):
    replies = await chat.say(session, text, timeout=30)
    return "\n".join(data["text"] for event, data in replies if event == "bot_uttered" and data.get("text"))


async def received(chat, after, wanted, seconds=10.0):
    """The first bot message the socket got after its first `after` events that is `wanted`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [data for event, data in chat.received[after:] if event == "bot_uttered" and wanted(data)]
        if found:
            return found[0]
        await asyncio.sleep(0.02)
    raise AssertionError(f"nothing wanted arrived: {chat.received[after:]}")


async def call(http, method, url, headers, body=None):
    async with http.request(method, url, headers=headers, json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()


async def inbox_events(stream):
    """The JSON of each server-sent event: the inbox's first page, then its changes."""
    kind = None
    async for raw in stream.content:
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            kind = line[len("event: ") :]
        elif line.startswith("data: ") and kind in ("inbox", "changes"):
            yield json.loads(line[len("data: ") :])


def senders(event):
    """The conversations of the inbox's page after an event (`changes` give their order)."""
    return event["order"] if "order" in event else [item["sender"] for item in event["conversations"]]


def test_production_servers_issue_no_demo_sessions(two_servers):
    """Merchants' tokens come from the host page there: the demo issuer is off."""
    for server in two_servers:
        status, payload = server.call("POST", "/web/session", {})
        assert status == 404 and "issuer is off" in payload["error"]
