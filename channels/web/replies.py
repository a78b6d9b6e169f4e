"""Agents talking to merchants: a reply stored in the conversation and sent to the widget
as it is written; the hand-back to the assistant; the widget's polling for replies.

- `POST /assist/conversations/<sender>/reply` `{"text": "…"}`: a `BotUttered` with the
  agent in its metadata, stored under the conversation's lock (the agent takes the
  conversation over: paused, if it was not); sent to the merchant's sockets as
  `bot_uttered` with `agent` and `reply_id`.
- `POST /assist/conversations/<sender>/hand-back`: `ConversationResumed` and the assistant
  listening again, under the lock: the assistant answers the next message, slots kept.
- `GET /web/agent-replies?sender=…&after=N`: the agent replies after number N, for the
  widget on REST (it polls) and after a reconnection.

With a Redis lock store (several Rasa servers), a reply goes through Redis to every
server, and each sends it to the sockets of the merchant it holds.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.socketio import SocketIOInput
from rasa.core.lock_store import RedisLockStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, ConversationResumed, Event
from redis import asyncio as aioredis
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.incoming import json_object, origin_refused, path_sender, sender_id
from channels.web.guards import (
    MAX_TEXT_CHARACTERS,
    append_events,
    answers_refusals,
    error_response,
    int_arg,
    json_response,
    loaded_agent,
    loaded_records,
    maybe_await,
    requires_token,
    text_field,
)
from channels.web.sessions import request_session
from stores.records import AGENT, AgentReply
from stores.tracker_store import turn

logger = logging.getLogger(__name__)

REDIS_CHANNEL = "assistant:agent-replies"
LARGEST_REPLY_NUMBER = 2**53  # what a browser's number holds exactly


@requires_token
@answers_refusals
async def reply(request: Request, sender: Text) -> HTTPResponse:
    """Stores the agent's reply in the conversation and sends it to the merchant."""
    sender = path_sender(sender)
    text = text_field(json_object(request.body or b""), "text", MAX_TEXT_CHARACTERS)
    by = {AGENT: request.ctx.agent_name}
    said = BotUttered(text, metadata=by)
    refused = await append_events(request, sender, [said], pause=ConversationPaused(metadata=by))
    if refused:
        return refused
    sent = loaded_records(request).agent_reply(sender, said.timestamp)
    if sent is None:
        return error_response(503, "the reply was stored in the conversation, but not recorded for the merchant")
    await Delivery.of(request.app).send(sender, reply_json(sent))
    return json_response({"reply": reply_json(sent)})


@requires_token
@answers_refusals
async def hand_back(request: Request, sender: Text) -> HTTPResponse:
    """Gives the conversation back to the assistant, which answers the merchant's next message."""
    sender = path_sender(sender)
    by = {AGENT: request.ctx.agent_name}
    refused = await append_events(request, sender, [ConversationResumed(metadata=by), ActionExecuted(ACTION_LISTEN_NAME)])
    return refused or json_response({"handed_back": True})


@answers_refusals
async def agent_replies(request: Request) -> HTTPResponse:
    """The agent replies to `sender` after the reply numbered `after`, oldest first."""
    refused = origin_refused(request)
    if refused:
        return refused
    sender = sender_id(request.args.get("sender"))
    request_session(request).check(sender)
    after = int_arg(request, "after", default=0, low=0, high=LARGEST_REPLY_NUMBER)
    return json_response({"replies": [reply_json(r) for r in loaded_records(request).agent_replies(sender, after)]})


def reply_json(sent: AgentReply) -> Dict[Text, Any]:
    """An agent reply as the widget receives it, over the socket or by polling."""
    return {"text": sent.text, "agent": sent.agent, "reply_id": sent.id}


class Delivery:
    """Sends agent replies to the merchant's sockets: on this server, or through Redis on
    every server when the lock store is Redis."""

    def __init__(self, sockets: Optional[SocketIOInput], redis: Optional[aioredis.Redis]) -> None:
        self.sockets = sockets
        self.redis = redis
        self.listening: Optional[asyncio.Task] = None

    @classmethod
    def of(cls, app: Sanic) -> "Delivery":
        """The server's delivery (made when first needed, where the server did not start it)."""
        if getattr(app.ctx, "delivery", None) is None:
            sockets = next((c for c in getattr(app.ctx, "input_channels", []) if isinstance(c, SocketIOInput)), None)
            lock_store = getattr(getattr(app.ctx, "agent", None), "lock_store", None)
            redis = _redis_like(lock_store) if isinstance(lock_store, RedisLockStore) else None
            app.ctx.delivery = cls(sockets, redis)
        return app.ctx.delivery

    async def send(self, sender: Text, message: Dict[Text, Any]) -> None:
        if self.redis is None:
            await self._emit(sender, message)
        else:
            await self.redis.publish(REDIS_CHANNEL, json.dumps({"sender": sender, "message": message}))

    async def _emit(self, sender: Text, message: Dict[Text, Any]) -> None:
        if self.sockets is not None and self.sockets.sio is not None:
            await self.sockets.sio.emit(self.sockets.bot_message_evt, message, room=sender)

    def listen(self) -> None:
        """Starts passing replies sent through Redis (by any server) to this server's sockets."""
        if self.redis is not None and self.listening is None:
            self.listening = asyncio.get_running_loop().create_task(self._listen())

    async def _listen(self) -> None:
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(REDIS_CHANNEL)
                    async for item in pubsub.listen():
                        if item.get("type") == "message":
                            sent = json.loads(item["data"])
                            await self._emit(sent["sender"], sent["message"])
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Agent replies: lost Redis; listening again in a second.")
                await asyncio.sleep(1)

    async def stop(self) -> None:
        if self.listening is not None:
            self.listening.cancel()
        if self.redis is not None:
            await self.redis.close()


def _redis_like(lock_store: RedisLockStore) -> aioredis.Redis:
    """An asyncio Redis client to the lock store's server."""
    settings = lock_store.red.connection_pool.connection_kwargs
    keys = ("host", "port", "db", "username", "password", "ssl")
    return aioredis.Redis(**{key: settings[key] for key in keys if key in settings})


async def start_delivery(app: Sanic, _: Any) -> None:
    """After the server starts (its agent and lock store loaded): listen for replies."""
    Delivery.of(app).listen()


async def stop_delivery(app: Sanic, _: Any) -> None:
    delivery = getattr(app.ctx, "delivery", None)
    if delivery is not None:
        await delivery.stop()
