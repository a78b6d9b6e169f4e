"""The web channel's routes on a real Sanic server in this process, with a stub agent.

The agent has the project's domain, Rasa's in-memory tracker and lock stores (the tracker
store publishing to the records broker, on a SQLite file of its own), and a parse_message
that answers from a table: no model is needed.
"""

import asyncio
import json
import socket
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest
from rasa.core.channels.channel import register
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic
from limits.storage import MemoryStorage

from channels.web import WebInput
from stores.records import RecordsBroker, engine_for
from channels.web.sessions import issue
from channels.web.throttle import Throttle
from scripts.stack import UNLIMITED

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-4f1c9a"
SESSION_KEY = "test-session-key-" + "k" * 32


def parse(
    text: str,
    intent: str,
    confidence: float = 0.95,
    entities: Optional[List[Tuple[str, str]]] = None,
    ranking: Optional[List[Tuple[str, float]]] = None,
) -> Dict[str, Any]:
    """What the NLU would say about `text`; entities as (entity, value) in order said."""
    found = []
    for entity, value in entities or []:
        start = text.find(value)
        found.append({"entity": entity, "value": value, "start": start, "end": start + len(value)})
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": found,
        "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [(intent, confidence)])],
    }


class StubAgent:
    """What the routes use of rasa.core.agent.Agent."""

    def __init__(self, records_db: Path) -> None:
        self.domain = Domain.load(str(ROOT / "domain.yml"))
        self.records = RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=str(records_db))))
        self.tracker_store: Any = InMemoryTrackerStore(self.domain, event_broker=self.records)
        self.lock_store = InMemoryLockStore()
        self.parses: Dict[str, Dict[str, Any]] = {}
        self.parsed: List[str] = []

    def is_ready(self) -> bool:
        return True

    async def parse_message(self, text: str) -> Dict[str, Any]:
        self.parsed.append(text)
        return self.parses.get(text) or parse(text, "nlu_fallback", 0.55)


class Client:
    """HTTP to the in-process server: (status, headers, parsed JSON or raw bytes)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: Optional[bytes] = None,
        headers: Optional[Dict[str, str]] = None,
    ) -> Tuple[int, Dict[str, str], Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, _lower(reply.headers), _decode(reply.read(), reply.headers)
        except urllib.error.HTTPError as error:
            return error.code, _lower(error.headers), _decode(error.read(), error.headers)

    def get(self, path: str, **kwargs: Any) -> Tuple[int, Dict[str, str], Any]:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Tuple[int, Dict[str, str], Any]:
        return self.call("POST", path, body, **kwargs)


def _lower(headers: Any) -> Dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _decode(content: bytes, headers: Any) -> Any:
    if "json" in (headers.get("Content-Type") or ""):
        try:
            return json.loads(content)
        except ValueError:
            pass
    return content


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[Client, Sanic]]:
    """A Sanic app with only the web channel, served on a free port in a thread."""
    app = Sanic("web_channel_test")
    register([WebInput()], app, route="/webhooks/")
    app.ctx.agent = StubAgent(tmp_path_factory.mktemp("records") / "records.db")
    with pytest.MonkeyPatch.context() as patch:  # these tests send faster than a merchant
        for name, rates in UNLIMITED.items():
            patch.setenv(name, rates)
        app.ctx.throttle = Throttle(MemoryStorage())
    port = _free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        running = loop.run_until_complete(
            app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
        )
        loop.run_until_complete(running.startup())
        started.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    assert started.wait(30), "the test server did not start"
    yield Client(f"http://127.0.0.1:{port}"), app
    loop.call_soon_threadsafe(loop.stop)


@pytest.fixture
def client(server: Tuple[Client, Sanic]) -> Client:
    return server[0]


@pytest.fixture
def agent(server: Tuple[Client, Sanic], tmp_path: Path) -> Iterator[StubAgent]:
    """A fresh stub agent for each test."""
    server[1].ctx.agent = StubAgent(tmp_path / "records.db")
    yield server[1].ctx.agent


@pytest.fixture(autouse=True)
def session_key(monkeypatch: pytest.MonkeyPatch) -> str:
    """The key merchant session tokens are signed with (the demo issuer on)."""
    monkeypatch.setenv("ASSISTANT_SESSION_KEY", SESSION_KEY)
    monkeypatch.setenv("ASSISTANT_SESSION_ISSUER", "demo")
    return SESSION_KEY


def merchant(sender: str, **profile: str) -> Dict[str, str]:
    """The header of the merchant whose session token is for conversation `sender`."""
    return {"Authorization": f"Bearer {issue(sender, profile or None)}"}


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ASSISTANT_TOKEN", TOKEN)
    return TOKEN


def run(coroutine: Any) -> Any:
    """Runs a store call from the test's thread (the stores keep no loop-bound state)."""
    return asyncio.new_event_loop().run_until_complete(coroutine)
