"""Helpers to run an action against a tracker built by hand."""

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SLOTS = (
    "shop_type",
    "account_role",
    "scene",
    "product_source",
    "question",
    "asked_for",
    "ruled_out",
    "handoff_summary",
)
DOMAIN = {"slots": {name: {"type": "any", "mappings": [{"type": "custom"}]} for name in SLOTS}}


def tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    metadata: Optional[Dict[str, Any]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    confidence: float = 1.0,
) -> Tracker:
    """A tracker whose latest message is `text`, with `slots` as Rasa leaves them after
    extracting this message's entities."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        "metadata": metadata or {},
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    history = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(
        sender_id="test",
        slots=dict.fromkeys(SLOTS) | dict(slots or {}),
        latest_message=latest,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, tracker: Tracker):
    """(events, messages) of one run of `action`."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def entity(name: str, value: str, role: Optional[str] = None) -> Dict[str, Any]:
    """An entity as components/merchant_facts.py leaves it."""
    return {"entity": name, "value": value, "start": 0, "end": 0, **({"role": role} if role else {})}


@pytest.fixture
def slots_of():
    return slot_events
