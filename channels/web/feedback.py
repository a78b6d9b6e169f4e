"""The widget's routes: the welcome, and the merchant's 👍/👎 written into the conversation."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Text

from rasa.shared.core.events import SlotSet
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.actions import HUMAN_BUTTON, topic_buttons
from actions.answers import MAIN_TOPICS
from channels.incoming import MAX_SENDER_CHARACTERS, BadRequest, json_object, origin_refused
from channels.web.throttle import client_address, refusal
from channels.web.guards import (
    MAX_TEXT_CHARACTERS,
    append_events,
    answers_refusals,
    error_response,
    json_response,
    loaded_agent,
    maybe_await,
    text_field,
)
from channels.web.sessions import request_session
from stores.records import FEEDBACK_SLOT


@answers_refusals
async def welcome(request: Request) -> HTTPResponse:
    """The greeting, the most asked questions as buttons, and the handoff button."""
    variations = loaded_agent(request).domain.responses.get("utter_greet") or [{}]
    return json_response(
        {
            "text": variations[0].get("text", ""),
            "buttons": topic_buttons(list(MAIN_TOPICS)),
            "human": HUMAN_BUTTON,
        }
    )


@dataclass(frozen=True)
class Feedback:
    sender: Text
    value: Text
    text: Text
    message_index: int


def parse_feedback(body: bytes) -> Feedback:
    """The 👍/👎 in a request body, or BadRequest."""
    data = json_object(body)
    value = data.get("value")
    if value not in ("up", "down"):
        raise BadRequest('"value" must be "up" or "down"')
    index = data.get("message_index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise BadRequest('"message_index" must be a non-negative integer')
    return Feedback(
        sender=text_field(data, "sender", MAX_SENDER_CHARACTERS),
        value=value,
        text=text_field(data, "text", MAX_TEXT_CHARACTERS),
        message_index=index,
    )


@answers_refusals
async def feedback(request: Request) -> HTTPResponse:
    """Stores 👍/👎 on a bot message in the conversation, as the slot `feedback`."""
    refused = origin_refused(request) or refusal(request, "client", client_address(request))
    if refused:
        return refused
    session = request_session(request)
    rating = parse_feedback(request.body or b"")
    session.check(rating.sender)
    value = {
        "value": rating.value,
        "text": rating.text,
        "message_index": rating.message_index,
        "timestamp": time.time(),
    }
    refused = await append_events(request, rating.sender, [SlotSet(FEEDBACK_SLOT, value)])
    return refused or json_response({"stored": True, FEEDBACK_SLOT: value})
