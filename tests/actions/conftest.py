"""Helpers to run an action against a tracker built by hand."""

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SLOTS = ("shop_type", "account_role", "scene", "product_source", "question", "handoff_summary", "requested_slot")
DOMAIN = {
    "slots": {name: {"type": "text", "mappings": [{"type": "custom"}]} for name in SLOTS},
    "forms": {"profile_form": {"required_slots": ["shop_type", "account_role", "scene"]}},
}


def tracker(
    slots: Optional[Dict[str, Any]] = None,
    text: str = "",
    intent: Optional[str] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    metadata: Optional[Dict[str, Any]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    active_loop: Optional[str] = None,
    candidates: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message is `text`, with `slots` set before it and the
    slot `candidates` Rasa extracted from it appended after it, as Rasa does."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "metadata": metadata or {},
        "intent_ranking": ranking or [{"name": intent, "confidence": 1.0}],
    }
    history = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
    history += [{"event": "slot", "name": k, "value": v} for k, v in (candidates or {}).items()]
    return Tracker(
        sender_id="test",
        slots={name: None for name in SLOTS} | dict(slots or {}) | dict(candidates or {}),
        latest_message=latest,
        events=history,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action, tracker: Tracker):
    """(events, messages) of one run of `action`."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot" and e["name"] != "requested_slot"}


@pytest.fixture
def slots_of():
    return slot_events
