"""The dashboard's daily counts (stores/records/daily.py) agree with a count made
directly on the conversations' events for a seeded month."""

import asyncio
import datetime as dt
import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.answers import TOPICS
from channels.web.stats import figures, top_questions
from stores.records import RecordsBroker, engine_for
from stores.records.daily import day_of, time_zone
from stores.tracker_store import StrictSQLTrackerStore

ZONE = time_zone()
QUESTIONS = sorted(TOPICS)


@pytest.fixture
def seeded(db: Path, domain: Domain) -> RecordsBroker:
    """A month of conversations, one to six a day, stored through the tracker store: questions,
    a fallback now and then, hand-offs, 👍 and 👎, some going on past midnight."""
    records = RecordsBroker(engine_for(EndpointConfig(dialect="sqlite", db=str(db))))
    store = StrictSQLTrackerStore(domain, dialect="sqlite", db=str(db), event_broker=records)
    rng = random.Random(30)
    today = dt.datetime.now(ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    for back in range(30):
        midnight = today - dt.timedelta(days=back)
        for n in range(rng.randint(1, 6)):
            start = midnight.timestamp() + rng.uniform(0, 86400 - 1) if back else midnight.timestamp() + 60 * n
            events: List[Event] = []
            at = start
            for turn in range(rng.randint(1, 4)):
                intent = "nlu_fallback" if turn == 1 and rng.random() < 0.3 else rng.choice(QUESTIONS)
                events += [UserUttered(f"问题{turn}", intent={"name": intent, "confidence": 0.9}, timestamp=at)]
                events += [BotUttered("答复", timestamp=at + 1)]
                if rng.random() < 0.3:
                    value = {
                        "value": rng.choice(["up", "down"]),
                        "text": "答复",
                        "message_index": turn,
                        "timestamp": at + 2,
                    }
                    events.append(SlotSet("feedback", value, timestamp=at + 2))
                at += rng.uniform(60, 4 * 3600) if back else 1
            if rng.random() < 0.25:
                events += [ActionExecuted("action_hand_off", timestamp=at), ConversationPaused(timestamp=at)]
            sender = f"m-{back}-{n}"
            asyncio.run(store.save(DialogueStateTracker.from_events(sender, events, slots=domain.slots)))
    return records


def counted_on_the_events(engine: sa.engine.Engine) -> Dict[str, Counter]:
    """The month counted straight from the events table, each day in the stats' time zone; a
    conversation is handed to a person by the hand-off or its second 👎 (no seeded
    conversation falls back twice in a row)."""
    days: Dict[str, Counter] = defaultdict(Counter)
    active, handed, downs = set(), set(), Counter()

    def hand_over(sender: str, day: str) -> None:  # to a person: once a conversation a day
        if (sender, day) not in handed:
            handed.add((sender, day))
            days[day]["handed_off"] += 1

    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sender_id, type_name, timestamp, data FROM events ORDER BY id"))
        for sender, kind, at, data in rows:
            day, event = day_of(at), json.loads(data)
            if kind == "user":
                intent = event["parse_data"]["intent"]["name"]
                if (sender, day) not in active:
                    active.add((sender, day))
                    days[day]["conversations"] += 1
                days[day]["fallbacks" if intent == "nlu_fallback" else f"question:{intent}"] += 1
            elif kind == "action" and event["name"] == "action_hand_off":
                hand_over(sender, day)
            elif kind == "slot" and event["name"] == "feedback":
                days[day][event["value"]["value"]] += 1
                downs[sender] += event["value"]["value"] == "down"
                if downs[sender] >= 2:  # two 👎 in a conversation call for a person
                    hand_over(sender, day)
    return days


def test_the_daily_counts_agree_with_a_count_made_on_the_events(seeded):
    first = (dt.datetime.now(ZONE).date() - dt.timedelta(days=29)).isoformat()
    direct = counted_on_the_events(seeded.engine)
    recorded = seeded.daily_counts(first)
    assert set(recorded) == set(direct) and len(direct) == 30
    for day, counts in direct.items():
        assert recorded[day] == dict(counts), day
        assert figures(recorded[day])["answered"] == counts["conversations"] - counts["handed_off"]
    asked = Counter()
    for counts in direct.values():
        asked.update({name[len("question:") :]: n for name, n in counts.items() if name.startswith("question:")})
    assert [(q["intent"], q["count"]) for q in top_questions(recorded)] == sorted(
        asked.items(), key=lambda i: (-i[1], i[0])
    )[:10]


def test_a_day_is_the_stats_time_zones(monkeypatch):
    at = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.timezone.utc).timestamp()  # 07:30 on the 8th in Shanghai
    assert day_of(at) == "2026-12-08"
    monkeypatch.setenv("ASSISTANT_TIME_ZONE", "UTC")
    assert day_of(at) == "2026-12-07"
    monkeypatch.setenv("ASSISTANT_TIME_ZONE", "Mars/Olympus_Mons")
    assert day_of(at) == "2026-12-08"  # not a time zone: Asia/Shanghai
