"""The dashboard's figures: `GET /assist/stats?days=30` (the API token or an agent's).

Per day of the last `days` (1–366, in the stats' time zone, ASSISTANT_TIME_ZONE): the
conversations, those answered without a person, those handed to one, fallbacks, 👍 and
👎; the period's totals; and the question types asked most. A day without data is zeros.
One indexed read of the daily counts the records keep (stores/records/daily.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Text

from sanic.request import Request
from sanic.response import HTTPResponse

from actions.answers import TOPICS
from channels.web.guards import answers_refusals, int_arg, json_response, loaded_records, requires_token
from stores.records.daily import CONVERSATIONS, DOWN, FALLBACKS, HANDED_OFF, QUESTION, UP, time_zone

MOST_DAYS = 366
TOP_QUESTIONS = 10
FIGURES = (CONVERSATIONS, "answered", HANDED_OFF, FALLBACKS, UP, DOWN)


@requires_token
@answers_refusals
async def stats(request: Request) -> HTTPResponse:
    """The figures of each of the last `days` days, their totals and the top question types."""
    days = int_arg(request, "days", default=30, low=1, high=MOST_DAYS)
    zone = time_zone()
    today = dt.datetime.now(zone).date()
    period = [(today - dt.timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]
    counted = loaded_records(request).daily_counts(period[0])
    rows = [{"day": day, **figures(counted.get(day, {}))} for day in period]
    return json_response(
        {
            "time_zone": str(zone),
            "days": rows,
            "totals": {name: sum(row[name] for row in rows) for name in FIGURES},
            "questions": top_questions(counted),
        }
    )


def figures(counts: Dict[Text, int]) -> Dict[Text, int]:
    """A day's figures from its counts; answered without a person: the conversations not handed off."""
    conversations, handed_off = counts.get(CONVERSATIONS, 0), counts.get(HANDED_OFF, 0)
    return {
        CONVERSATIONS: conversations,
        "answered": max(0, conversations - handed_off),
        HANDED_OFF: handed_off,
        FALLBACKS: counts.get(FALLBACKS, 0),
        UP: counts.get(UP, 0),
        DOWN: counts.get(DOWN, 0),
    }


def top_questions(counted: Dict[Text, Dict[Text, int]]) -> List[Dict[Text, Any]]:
    """The question types asked most in the period, with their titles."""
    totals: Dict[Text, int] = {}
    for counts in counted.values():
        for name, count in counts.items():
            intent = name[len(QUESTION) :] if name.startswith(QUESTION) else ""
            if intent in TOPICS:
                totals[intent] = totals.get(intent, 0) + count
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_QUESTIONS]
    return [{"intent": intent, "title": TOPICS[intent].title, "count": count} for intent, count in ranked]
