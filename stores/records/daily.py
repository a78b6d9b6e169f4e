"""The dashboard's daily counts: per day, in the stats' time zone (ASSISTANT_TIME_ZONE,
Asia/Shanghai by default), conversations, those handed to a person, fallbacks, 👍 and 👎,
and each question type asked. Counted as events are recorded (stores/records/recording.py),
one row per day and name, so a month's figures are one indexed range read."""

from __future__ import annotations

import datetime as dt
import logging
import os
from functools import lru_cache
from typing import Text
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

TIME_ZONE = ("ASSISTANT_TIME_ZONE", "Asia/Shanghai")
# What is counted per day; a question type is counted as QUESTION + its intent.
CONVERSATIONS, HANDED_OFF, FALLBACKS, UP, DOWN = "conversations", "handed_off", "fallbacks", "up", "down"
QUESTION = "question:"


def time_zone() -> ZoneInfo:
    """The stats' time zone: ASSISTANT_TIME_ZONE when it names one, else Asia/Shanghai."""
    return _zone(os.environ.get(TIME_ZONE[0], "").strip() or TIME_ZONE[1])


@lru_cache(maxsize=8)
def _zone(name: Text) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("%s=%r is not a time zone such as Asia/Shanghai: %s is used", TIME_ZONE[0], name, TIME_ZONE[1])
        return ZoneInfo(TIME_ZONE[1])


def day_of(timestamp: float) -> Text:
    """The day (YYYY-MM-DD) a Unix time falls on in the stats' time zone."""
    return dt.datetime.fromtimestamp(timestamp, time_zone()).date().isoformat()
