"""The maintainer view: merchant messages the assistant could not help with, grouped."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Dict, Iterable, List, Optional, Set, Text, Tuple

from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.actions import ActionHandOff
from actions.answers import TOPICS
from actions.policy import fold
from actions.understanding import FALLBACK
from channels.web.feedback import FEEDBACK_SLOT
from channels.web.guards import answers_refusals, int_arg, json_response, loaded_agent, maybe_await, requires_token

logger = logging.getLogger(__name__)

HAND_OFF_ACTION = ActionHandOff().name()
# Merchant messages at least this similar (difflib ratio, folded text) are one group.
SIMILARITY = 0.8
# Merchant messages that only carry on a question (answers to the form, "转人工") point
# the maintainer view back to the question they belong to.
FOLLOW_UP_INTENTS = {"inform_profile", "request_human", "ask_details", "affirm", "deny"}


@dataclass
class Unanswered:
    """A merchant message the assistant could not help with, and why."""

    sender: Text
    text: Text
    timestamp: float
    reasons: Set[Text] = field(default_factory=set)


@requires_token
@answers_refusals
async def unanswered(request: Request) -> HTTPResponse:
    """Merchant messages that fell back, went to a human or got 👎, grouped, newest first."""
    limit = int_arg(request, "limit", default=100, low=1, high=1000)
    store = loaded_agent(request).tracker_store
    messages: List[Unanswered] = []
    for sender in await maybe_await(store.keys()):
        try:
            tracker = await _full_tracker(store, sender)
        except Exception as error:  # one unreadable conversation does not hide the others
            logger.warning("Maintainer view: skipped conversation %r: %s", sender, error)
            continue
        if tracker is not None:
            messages += unanswered_messages(sender, tracker.events)
    groups = group_similar(messages)
    return json_response({"groups": groups[:limit], "messages": len(messages), "total_groups": len(groups)})


def unanswered_messages(sender: Text, events: Iterable[Event]) -> List[Unanswered]:
    """The merchant's messages in one conversation that the assistant did not answer well.

    A message that fell back counts itself; a handoff and a 👎 count the merchant's
    question they follow (answers to the assistant's own questions and buttons that do
    not name a question are skipped back over).
    """
    events = list(events)
    found: Dict[int, Unanswered] = {}

    def mark(position: Optional[int], reason: Text) -> None:
        if position is None:
            return
        event = events[position]
        item = found.setdefault(position, Unanswered(sender, _merchant_words(event) or "", event.timestamp))
        item.reasons.add(reason)

    for position, event in enumerate(events):
        if isinstance(event, UserUttered) and event.intent_name == FALLBACK and _merchant_words(event):
            mark(position, "fallback")
        elif isinstance(event, ActionExecuted) and event.action_name == HAND_OFF_ACTION:
            mark(_question_before(events, position), "handoff")
        elif isinstance(event, SlotSet) and event.key == FEEDBACK_SLOT and _is_down(event.value):
            rated = _bot_message_before(events, position, event.value.get("text"))
            mark(_question_before(events, rated if rated is not None else position), "down")
    return [item for item in found.values() if item.text]


def group_similar(messages: Iterable[Unanswered]) -> List[Dict[Text, Any]]:
    """Messages grouped by near-equal folded text, newest group first, with counts."""
    groups: List[Tuple[Text, Dict[Text, Any]]] = []
    for message in sorted(messages, key=lambda m: m.timestamp, reverse=True):
        key = fold(message.text)
        group = next((g for k, g in groups if _similar(k, key)), None)
        if group is None:
            group = _new_group(message)
            groups.append((key, group))
        group["count"] += 1
        for reason in sorted(message.reasons):
            group["reasons"][reason] = group["reasons"].get(reason, 0) + 1
        if message.text not in group["examples"] and len(group["examples"]) < 5:
            group["examples"].append(message.text)
        if message.sender not in group["conversations"] and len(group["conversations"]) < 5:
            group["conversations"].append(message.sender)
    return [group for _, group in groups]


def _similar(one: Text, other: Text) -> bool:
    return one == other or SequenceMatcher(None, one, other, autojunk=False).ratio() >= SIMILARITY


def _new_group(newest: Unanswered) -> Dict[Text, Any]:
    return {
        "text": newest.text,
        "count": 0,
        "last_seen": _iso(newest.timestamp),
        "timestamp": newest.timestamp,
        "reasons": {},
        "examples": [],
        "conversations": [],
    }


def _merchant_words(event: Event) -> Optional[Text]:
    """What the merchant said; a button names its question; other buttons say nothing."""
    text = (getattr(event, "text", None) or "").strip()
    if not text.startswith("/"):
        return text or None
    intent = text[1:].split("{")[0]
    return f"〔按钮〕{TOPICS[intent].title}" if intent in TOPICS else None


def _question_before(events: List[Event], position: int) -> Optional[int]:
    """The merchant's latest message before `position` that is a question, not a follow-up."""
    said = [
        i for i in range(position - 1, -1, -1)
        if isinstance(events[i], UserUttered) and _merchant_words(events[i])
    ]
    question = next((i for i in said if events[i].intent_name not in FOLLOW_UP_INTENTS), None)
    return question if question is not None else (said[0] if said else None)


def _bot_message_before(events: List[Event], position: int, text: Any) -> Optional[int]:
    """The latest bot message before `position` with `text` (else the latest bot message)."""
    said = [i for i in range(position - 1, -1, -1) if isinstance(events[i], BotUttered)]
    return next((i for i in said if events[i].text == text), said[0] if said else None)


def _is_down(value: Any) -> bool:
    return isinstance(value, dict) and value.get("value") == "down"


def _iso(timestamp: float) -> Text:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).isoformat(timespec="seconds")


async def _full_tracker(store: Any, sender: Text) -> Any:
    """Every session of a conversation, where the store can give them."""
    retrieve = getattr(store, "retrieve_full_tracker", None) or store.retrieve
    return await maybe_await(retrieve(sender))
