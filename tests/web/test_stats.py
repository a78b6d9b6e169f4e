"""GET /assist/stats: the dashboard's figures per day, zeros for days without data."""

import datetime as dt
import time

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.records.daily import time_zone
from tests.web.conftest import TOKEN, run

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def today() -> str:
    return dt.datetime.now(time_zone()).date().isoformat()


def test_the_stats_need_a_token(client, agent, token):
    assert client.get("/assist/stats")[0] == 401


@pytest.mark.parametrize("days", ["0", "367", "month", "-1"])
def test_the_period_is_one_to_366_days(client, agent, token, days):
    assert client.get(f"/assist/stats?days={days}", headers=AUTH)[0] == 400


def test_days_without_data_are_zeros_in_the_stated_time_zone(client, agent, token):
    status, _, body = client.get("/assist/stats?days=7", headers=AUTH)
    assert status == 200, body
    assert body["time_zone"] == "Asia/Shanghai"
    assert [row["day"] for row in body["days"]][-1] == today() and len(body["days"]) == 7
    assert all(row == {"day": row["day"], **dict.fromkeys(body["totals"], 0)} for row in body["days"])
    assert body["questions"] == [] and set(body["totals"].values()) == {0}


def test_todays_conversations_are_counted(client, agent, token):
    now = time.time()
    asked = [UserUttered("什么时候生效", intent={"name": "ask_when_effective", "confidence": 0.9}, timestamp=now)]
    rated = SlotSet("feedback", {"value": "up", "text": "已经生效", "message_index": 0, "timestamp": now + 2})
    first = asked + [BotUttered("已经生效", timestamp=now + 1), rated]
    second = asked + [ActionExecuted("action_hand_off", timestamp=now + 1), ConversationPaused(timestamp=now + 1)]
    for sender, events in (("m1", first), ("m2", second)):
        run(agent.tracker_store.save(DialogueStateTracker.from_events(sender, events, slots=agent.domain.slots)))
    body = client.get("/assist/stats?days=1", headers=AUTH)[2]
    [day] = body["days"]
    assert day == {"day": today(), "conversations": 2, "answered": 1, "handed_off": 1, "fallbacks": 0, "up": 1, "down": 0}
    assert body["questions"] == [{"intent": "ask_when_effective", "title": "规则什么时候生效", "count": 2}]
