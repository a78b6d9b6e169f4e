"""Rasa's REST and socket.io channels behind input validation and an origin check.

Every request gets an answer below 500 (bad input: 400 with the reason), and every
well-formed message gets at least one reply, even when the action server is down.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from rasa.shared.core.events import ConversationPaused
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import action_calls
from stores.tracker_store import UnsavedTurns

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARACTERS = 2000  # kept of a message; the NLU reads the first 500
MAX_SENDER_CHARACTERS = 128
DEFAULT_ORIGINS = "http://localhost:5005,http://127.0.0.1:5005"
# Control characters other than tab and newline, zero-width and direction marks, BOM.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


class BadRequest(ValueError):
    """A request the channel refuses; the message says why."""


@dataclass(frozen=True)
class Incoming:
    sender: Text
    text: Text
    metadata: Optional[Dict[Text, Any]]


def allowed_origins() -> List[Text]:
    """Origins the widget may be served from (ASSISTANT_ALLOWED_ORIGINS, comma-separated)."""
    configured = os.environ.get("ASSISTANT_ALLOWED_ORIGINS") or DEFAULT_ORIGINS
    return [origin.strip().rstrip("/") for origin in configured.split(",") if origin.strip()]


def clean(text: Text) -> Text:
    """Text without invisible characters, stripped."""
    return _INVISIBLE.sub("", text).strip()


def json_object(body: bytes, example: Text = "{...}") -> Dict[Text, Any]:
    """The JSON object in a request body, or BadRequest naming what is wrong."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None
    except json.JSONDecodeError:
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(f"expected a JSON object like {example}")
    return data


def origin_refused(request: Request) -> Optional[HTTPResponse]:
    """403 for a browser request from an origin that may not embed the widget."""
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") not in allowed_origins():
        return response.json({"error": f"origin {origin[:100]} is not allowed"}, status=403)
    return None


def parse_body(body: bytes) -> Incoming:
    """The message in a request body, or BadRequest naming what is wrong."""
    data = json_object(body, '{"sender": "...", "message": "..."}')
    sender, message, metadata = data.get("sender"), data.get("message"), data.get("metadata")
    if not isinstance(sender, str) or not clean(sender):
        raise BadRequest('"sender" must be non-empty text')
    if len(sender) > MAX_SENDER_CHARACTERS:
        raise BadRequest(f'"sender" must be at most {MAX_SENDER_CHARACTERS} characters')
    if not isinstance(message, str):
        raise BadRequest('"message" must be text')
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest('"metadata" must be a JSON object')
    return Incoming(clean(sender), clean(message)[:MAX_MESSAGE_CHARACTERS], metadata)


def notice(request: Request, response_name: Text, sender: Text) -> Dict[Text, Any]:
    """A system notice from the domain's responses, as the REST channel sends messages."""
    variations = request.app.ctx.agent.domain.responses.get(response_name) or [{}]
    return {"recipient_id": sender, **variations[0]}


class ValidatedRestInput(RestInput):
    """POST /webhooks/rest/webhook, as Rasa's REST channel, with validated input."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "ValidatedRestInput":
        """The channel, once per server: also makes the action calls cheaper (action_calls)."""
        action_calls.install()
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("validated_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = origin_refused(request)
            if refused:
                return refused
            try:
                incoming = parse_body(request.body or b"")
            except BadRequest as error:
                return response.json({"error": str(error)}, status=400)
            if not incoming.text:
                return response.json([notice(request, "utter_empty_message", incoming.sender)])
            return await self._handle(request, incoming, on_new_message)

        return webhook

    async def _handle(
        self,
        request: Request,
        incoming: Incoming,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        collector = CollectingOutputChannel()
        message = UserMessage(
            incoming.text, collector, incoming.sender, input_channel=self.name(), metadata=incoming.metadata
        )
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("A message could not be handled.")
            UnsavedTurns.pop(incoming.sender)
            return response.json([notice(request, "utter_not_stored", incoming.sender)], status=503)
        if UnsavedTurns.pop(incoming.sender):
            replies = collector.messages + [notice(request, "utter_not_stored", incoming.sender)]
            return response.json(replies, status=503)
        return response.json(collector.messages or [await self._no_reply(request, incoming.sender)])

    @staticmethod
    async def _no_reply(request: Request, sender: Text) -> Dict[Text, Any]:
        """What to say when the assistant said nothing: paused, or an action failed."""
        processor = request.app.ctx.agent.processor
        tracker = await processor.get_tracker(sender)
        if tracker.is_paused():
            return notice(request, "utter_handed_off", sender)
        if tracker.latest_message and tracker.latest_message.intent.get("name") == "request_human":
            # The hand-off action could not run: pause here, so a human can take over.
            tracker.update(ConversationPaused())
            await processor.save_tracker(tracker)
            return notice(request, "utter_hand_off", sender)
        return notice(request, "utter_no_reply", sender)


class OriginCheckedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, accepting connections only from the allowed origins."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        self.sio.eio.cors_allowed_origins = allowed_origins()
        return socketio_webhook
