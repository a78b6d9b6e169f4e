"""`make purge` (scripts/purge.py) on the profile's database."""

import asyncio
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from scripts import purge
from scripts.stack import ROOT
from stores.records import RecordsBroker, engine_for
from stores.tracker_store import StrictSQLTrackerStore


def test_make_purge_forgets_what_is_older_than_the_days_given(tmp_path, monkeypatch, capsys):
    db = tmp_path / "conversations.db"
    monkeypatch.setenv("ASSISTANT_SQLITE_PATH", str(db))
    monkeypatch.delenv("ASSISTANT_PROFILE", raising=False)
    domain = Domain.load(str(ROOT / "domain.yml"))
    records = RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=str(db))))
    store = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db), event_broker=records)
    for sender, days in (("old", 10), ("new", 1)):
        said = UserUttered("你好", timestamp=time.time() - days * 86400)
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, [said], slots=domain.slots)))
    assert purge.main(["--days", "5"]) == 0
    assert "已删除 1 个超过 5 天的对话" in capsys.readouterr().out
    assert asyncio.run(store.retrieve("old")) is None and asyncio.run(store.retrieve("new")) is not None


def test_make_purge_on_a_machine_that_never_ran_the_assistant(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_SQLITE_PATH", str(tmp_path / "none.db"))
    monkeypatch.delenv("ASSISTANT_PROFILE", raising=False)
    assert purge.main([]) == 0
    assert "已删除 0 个超过 180 天的对话" in capsys.readouterr().out


def test_make_purge_refuses_fewer_than_one_day(monkeypatch):
    with pytest.raises(SystemExit):
        purge.main(["--days", "0"])
