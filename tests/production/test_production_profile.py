"""The production profile: PostgreSQL tracker store and Redis lock store shared by two
Rasa servers. Concurrent conversations go through both servers turn by turn; every
message must be stored exactly once and in order.

Needs Debian's postgresql and redis-server (`make test-production` installs them); the
servers are started here on loopback, in a temporary folder, and stopped afterwards.
"""

import asyncio
import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import pytest

from scripts.loadtest import SCRIPT
from scripts.stack import Stack, free_port

CONVERSATIONS = 8
TURNS = 10
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
        postgres_bin("pg_ctl"), "-D", str(data), "-l", str(sockets / "postgres.log"), "-w",
        "-o", f"-p {pg_port} -k {sockets} -c listen_addresses=127.0.0.1", "start",
    )
    subprocess.run(
        [postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(pg_port), "-U", "rasa", "rasa"],
        env={**os.environ, "PGPASSWORD": password}, check=True, timeout=60,
    )
    redis = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(workdir / "redis.log", "w"), stderr=subprocess.STDOUT,
    )
    env = {
        "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(pg_port), "POSTGRES_DB": "rasa",
        "POSTGRES_USER": "rasa", "POSTGRES_PASSWORD": password,
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis_port), "REDIS_DB": "1",
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
    first = Stack(tmp_path_factory.mktemp("first"), endpoints="endpoints.production.yml", env=services)
    first.start()
    second = Stack(
        tmp_path_factory.mktemp("second"), endpoints="endpoints.production.yml",
        env={**services, "ACTIONS_URL": first.env["ACTIONS_URL"]}, token=first.token,
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
    async with session.post(f"{server.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as response:
        assert response.status == 200, await response.text()
        assert await response.json()


async def run_conversations(servers):
    """Sequential turns alternating servers, then two messages at once, one through each."""
    senders = [f"prod-{uuid.uuid4().hex[:8]}" for _ in range(CONVERSATIONS)]
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300)) as session:
        sent = await asyncio.gather(*(converse(session, servers, s, TURNS) for s in senders))
        await asyncio.gather(*(send(session, server, s, text) for s in senders for server, text in zip(servers, SIMULTANEOUS)))
    return dict(zip(senders, sent))


def test_two_servers_share_conversations_exactly_once_and_in_order(two_servers):
    started = time.monotonic()
    conversations = asyncio.run(run_conversations(two_servers))
    print(f"{CONVERSATIONS} conversations × {TURNS} turns through two servers in {time.monotonic() - started:.1f} s")
    for sender, sent in conversations.items():
        for server in two_servers:  # both servers see the same, complete conversation
            events = server.tracker(sender)["events"]
            said = [e["text"] for e in events if e["event"] == "user"]
            assert said[: len(sent)] == sent
            assert sorted(said[len(sent):]) == sorted(SIMULTANEOUS)
            kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
            assert "user" not in [b for a, b in zip(kinds, kinds[1:]) if a == "user"], "turns interleaved"
            stamps = [e["timestamp"] for e in events]
            assert stamps == sorted(stamps)
            keys = [(e["event"], e["timestamp"], e.get("text"), e.get("name")) for e in events]
            assert len(keys) == len(set(keys)), "an event was stored twice"
            bot_turns = [e for e in events if e["event"] == "bot"]
            assert len(bot_turns) >= len(sent)
