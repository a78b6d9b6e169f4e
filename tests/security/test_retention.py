"""Personal data expires (issue 28, finding 2): a conversation older than the retention
period is purged when the server starts; a merchant (or a trusted backend) can have a
conversation deleted, an agent or another merchant cannot."""

import asyncio
import time
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from scripts.stack import ROOT, UNLIMITED, Assistant, Stack, bearer
from stores.records import RecordsBroker, engine_for
from stores.tracker_store import StrictSQLTrackerStore

DAY = 86400


def seed(db: Path, sender: str, days_ago: float) -> None:
    """A conversation whose only message was `days_ago` days ago, stored as the server stores it."""
    records = RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=str(db))))
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db), event_broker=records)
    said = UserUttered("我的手机号 13812345678", intent={"name": "nlu_fallback", "confidence": 0.3})
    said.timestamp = time.time() - days_ago * DAY
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, [said], slots=domain.slots)))


def said(assistant: Assistant, sender: str) -> List[str]:
    """What the merchant said in the conversation (the tracker API starts an empty one anew)."""
    return [e["text"] for e in assistant.tracker(sender)["events"] if e["event"] == "user"]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("retention")
    seed(workdir / "conversations.db", "expired", days_ago=31)
    seed(workdir / "conversations.db", "kept", days_ago=29)
    env = {**UNLIMITED, "ASSISTANT_RETENTION_DAYS": "30"}
    with Stack(workdir, env=env).running() as running:
        yield running


def test_conversations_past_the_retention_period_are_purged_at_start(served):
    assistant = served.assistant
    assert said(assistant, "kept")
    deadline = time.monotonic() + 30
    while said(assistant, "expired") and time.monotonic() < deadline:
        time.sleep(0.5)  # the purge runs beside the first requests
    assert said(assistant, "expired") == []


def test_a_merchant_deletes_their_conversation_and_nobody_else_can(served):
    records = RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=served.env["ASSISTANT_SQLITE_PATH"])))
    agent = bearer(records.add_agent("王芳"))
    assistant = served.assistant
    sender = f"forget-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "我的手机号 13812345678，橱窗加不了联盟商品")
    path = f"/assist/conversations/{sender}"
    assert assistant.call("DELETE", path)[0] == 401
    assert assistant.call("DELETE", path, headers=agent)[0] == 401
    assert assistant.call("DELETE", path, headers=assistant.merchant("someone-else"))[0] == 403
    assert said(assistant, sender)
    status, body = assistant.call("DELETE", path, headers=assistant.merchant(sender))
    assert (status, body) == (200, {"deleted": True})
    assert said(assistant, sender) == []
    assert assistant.call("DELETE", path, headers=assistant.trusted)[0] == 404
