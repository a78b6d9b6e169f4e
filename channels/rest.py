"""Rasa's REST and socket.io channels behind input validation and an origin check.

Both channels clean a message the same way and answer every well-formed one with at
least one reply, even when the action server is down. Failures are told as they are:
bad input gets the reason (REST: 400, socket.io: an `error` event); a turn that could not
be stored gets `utter_not_stored` (REST: 503), and only then; any other error gets
`utter_no_reply` with its 转人工 button (REST: 500, as the server failed, not the message).
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import socketio
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, ConversationPaused
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels import action_calls
from channels.incoming import (
    BadRequest,
    SessionRefused,
    allowed_origins,
    json_value,
    origin_refused,
    parse_body,
    read_body,
    sender_id,
    validated,
)
from channels.web.guards import session_refused
from channels.web.sessions import NOBODY, Session, request_session, session_of
from channels.web.throttle import client_address, refusal, too_many, wait_of
from stores.records import AGENT
from stores.tracker_store import turn

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """A system notice: a response of the domain, and the HTTP status the REST channel sends it with."""

    response: Text
    status: int = 200


EMPTY = Notice("utter_empty_message")  # nothing left of the message once cleaned
HANDED_OFF = Notice("utter_handed_off")  # the conversation is paused: a human answers
HAND_OFF = Notice("utter_hand_off")  # the hand-off action could not run: the channel paused it
NO_REPLY = Notice("utter_no_reply")  # an action could not run (the action server is down)
FAILED = Notice("utter_no_reply", 500)  # an unexpected error; the message itself was fine
NOT_STORED = Notice("utter_not_stored", 503)  # the turn could not be stored: send it again later


def domain_response(domain: Domain, notice: Notice) -> Dict[Text, Any]:
    """The notice's text (and buttons), as the domain words it."""
    return dict((domain.responses.get(notice.response) or [{}])[0])


async def answer(
    agent: Agent,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    replied: Callable[[], bool],
) -> Optional[Notice]:
    """Handles `message` as one turn; the notice owed to the merchant besides the replies.

    An empty message is not handled. A save that fails during the turn outweighs anything
    else (the store marks the turn); any other error is FAILED, not a storage failure."""
    if not message.text:
        return EMPTY
    with turn() as current:
        try:
            await on_new_message(message)
            notice = None if replied() else await silence(agent.processor, message.sender_id)
        except Exception:
            logger.exception("A message could not be handled.")
            notice = FAILED
    return notice if current.saved else NOT_STORED


async def silence(processor: MessageProcessor, sender: Text) -> Optional[Notice]:
    """Why the assistant said nothing: paused (then nothing more once an agent has answered:
    the merchant is talking to a person), or an action failed. When the failed action was
    the hand-off, the conversation is paused here (under the conversation's lock, as every
    tracker write outside Rasa's own processing), so a human can take over."""
    async with processor.lock_store.lock(sender):
        tracker = await processor.get_tracker(sender)
        if tracker.is_paused():
            return None if agent_is_talking(tracker) else HANDED_OFF
        if tracker.latest_message and tracker.latest_message.intent.get("name") == "request_human":
            tracker.update(ConversationPaused())
            await processor.save_tracker(tracker)
            return HAND_OFF
    return NO_REPLY


def agent_is_talking(tracker: DialogueStateTracker) -> bool:
    """Whether an agent has replied since the conversation was last paused."""
    for event in reversed(tracker.events):
        if isinstance(event, ConversationPaused):
            return False
        if isinstance(event, BotUttered) and event.metadata.get(AGENT):
            return True
    return False


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

        # Streamed, so that a body over the limit is refused before the rest of it is read.
        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            refused = origin_refused(request) or refusal(request, "client", client_address(request))
            if refused:
                return refused
            try:
                session = request_session(request)
                incoming = parse_body(await read_body(request))
                session.check(incoming.sender)
            except BadRequest as error:
                logger.warning("A REST message was refused: %s", error)
                return response.json({"error": str(error)}, status=400)
            except SessionRefused as error:
                return session_refused(error)
            refused = refusal(request, "conversation", incoming.sender)
            if refused:
                return refused
            agent, collector = request.app.ctx.agent, CollectingOutputChannel()
            metadata = session.metadata(incoming.metadata)
            message = UserMessage(
                incoming.text, collector, incoming.sender, input_channel=self.name(), metadata=metadata
            )
            notice = await answer(agent, on_new_message, message, lambda: bool(collector.messages))
            if notice is None:
                return response.json(collector.messages)
            told = {"recipient_id": incoming.sender, **domain_response(agent.domain, notice)}
            return response.json(collector.messages + [told], status=notice.status)

        return webhook


# The event a socket.io packet that cannot be read becomes (CheckedPacket).
UNREADABLE = "unreadable_packet"


class _CheckedJson:
    """socket.io's JSON, within the channels' size and nesting limits: a packet past them
    (or not JSON) reads as the event UNREADABLE with the reason, not as an exception."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text: Text, *args: Any, **kwargs: Any) -> Any:
        try:
            return json_value(text, wrapping=1)  # socket.io wraps a message in [event, data]
        except BadRequest as error:
            logger.warning("A socket.io packet was refused: %s", error)
            return [UNREADABLE, str(error).replace("request body", "message")]


class CheckedPacket(socketio.packet.Packet):
    """A socket.io packet read with _CheckedJson."""

    json = _CheckedJson


class RepliesSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, remembering whether it sent the merchant anything."""

    def __init__(self, sio: AsyncServer, bot_message_evt: Text) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = False

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent = True
        await super().send_response(recipient_id, message)


async def socket_session(sio: AsyncServer, sid: Text) -> Session:
    """The session the socket's token opened at connect (none: refused at connect)."""
    session = (await sio.get_session(sid)).get("session")
    return session if isinstance(session, Session) else NOBODY


def refused_event(error: Exception) -> Dict[Text, Any]:
    """The `error` event of a refused socket.io event, with the HTTP status REST would send."""
    return {"error": str(error), "status": error.status if isinstance(error, SessionRefused) else 400}


class OriginCheckedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, accepting connections only from the allowed origins, with
    the REST channel's cleaning, validation and notices.

    Replies and notices go to the conversation's room, as Rasa's bot messages do; an event
    that is refused (not an object, a bad session id, a message that is not text) gets an
    `error` event with the reason, like REST's 400 body, on the socket that sent it."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by Rasa's blueprint
        # Sanic-CORS (`rasa run --cors`) writes the CORS headers of every route, socket.io's
        # too: engine.io writing them as well sent each twice, which browsers reject. Its
        # check of the origin is done on connect instead.
        sio.eio.cors_allowed_origins = []
        # A packet that cannot be read is answered with an `error` event, like REST's 400.
        sio.packet_class = CheckedPacket

        @sio.on(UNREADABLE, namespace=self.namespace)
        async def unreadable(sid: Text, reason: Any = None, *_: Any) -> None:
            await sio.emit("error", {"error": str(reason)}, room=sid)

        started: List[Sanic] = []  # the server's app, for its agent

        @socketio_webhook.listener("before_server_start")
        async def remember_app(app: Sanic, _: Any) -> None:
            started.append(app)

        # These replace Rasa's handlers of the same events (socket.io keeps one per event).
        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict[Text, Any], auth: Any = None, *_: Any) -> None:
            origin = environ.get("HTTP_ORIGIN")
            if origin and origin.rstrip("/") not in allowed_origins():
                raise socketio.exceptions.ConnectionRefusedError(f"origin {origin[:100]} is not allowed")
            token = auth.get("token") if isinstance(auth, dict) else None
            try:
                session = session_of(token if isinstance(token, str) else None)
            except SessionRefused as error:
                raise socketio.exceptions.ConnectionRefusedError(str(error), {"status": error.status}) from None
            request = environ.get("sanic.request")
            client = client_address(request) if request else "unknown"
            await sio.save_session(sid, {"client": client, "session": session})

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None, *_: Any) -> None:
            await self._confirm_session(sio, sid, data)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None, *_: Any) -> None:
            await self._receive(sio, started[0], on_new_message, sid, data)

        return socketio_webhook

    async def _confirm_session(self, sio: AsyncServer, sid: Text, data: Any) -> None:
        """Joins the socket to its conversation: the session id (the token's conversation
        when not given; a new one for a trusted backend), if the socket's token allows it."""
        data = {} if data is None else data
        session = await socket_session(sio, sid)
        try:
            if not isinstance(data, dict):
                raise BadRequest('expected an object like {"session_id": "..."}')
            given = data.get("session_id")
            session_id = sender_id(given, "session_id") if given is not None else session.subject or uuid.uuid4().hex
            session.check(session_id)
        except (BadRequest, SessionRefused) as error:
            await sio.emit("error", refused_event(error), room=sid)
            return
        if self.session_persistence:
            sio.enter_room(sid, session_id)
        await sio.emit("session_confirm", session_id, room=sid)

    async def _receive(
        self,
        sio: AsyncServer,
        app: Sanic,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sid: Text,
        data: Any,
    ) -> None:
        """A merchant's message from a socket: validated, limited, cleaned and answered as
        over REST."""
        agent = app.ctx.agent
        session = await socket_session(sio, sid)
        try:
            if not isinstance(data, dict):
                raise BadRequest('expected an object like {"session_id": "...", "message": "..."}')
            sender = data.get("session_id") if self.session_persistence else sid
            incoming = validated(sender, data.get("message"), data.get(self.metadata_key), "session_id")
            session.check(incoming.sender)
        except (BadRequest, SessionRefused) as error:
            await sio.emit("error", refused_event(error), room=sid)
            return
        client = (await sio.get_session(sid)).get("client", "unknown")
        wait = wait_of(app, "client", client) or wait_of(app, "conversation", incoming.sender)
        if wait:
            await sio.emit("error", too_many(wait), room=sid)
            return
        if self.session_persistence:
            sio.enter_room(sid, incoming.sender)  # the socket that sent a message hears the answer
        output = RepliesSocketIOOutput(sio, self.bot_message_evt)
        metadata = session.metadata(incoming.metadata)
        message = UserMessage(incoming.text, output, incoming.sender, input_channel=self.name(), metadata=metadata)
        notice = await answer(agent, on_new_message, message, lambda: output.sent)
        if notice is not None:
            await output.send_response(incoming.sender, domain_response(agent.domain, notice))
