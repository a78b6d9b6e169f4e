"""What every route of the web channel shares: JSON answers, the token and loading guards,
the records, the readers of request fields, and the access-log filter that hides tokens."""

from __future__ import annotations

import functools
import hmac
import inspect
import json
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text

from rasa.shared.core.events import Event
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.incoming import BadRequest, SessionRefused
from stores.records import RecordsBroker
from stores.tracker_store import turn

TOKEN_VARIABLE = "ASSISTANT_TOKEN"
SHARED_AGENT = "值班客服"  # who an agent with the shared token (ASSISTANT_TOKEN) is to merchants
MAX_TEXT_CHARACTERS = 5000  # of a text field: a merchant's question, a rated reply
_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s]*")

Handler = Callable[..., Awaitable[HTTPResponse]]


class AgentLoading(Exception):
    """The server has no ready agent yet: the model is still loading."""


class RecordsMissing(Exception):
    """The server records nothing for the maintainer view and the inbox (no event broker)."""


def json_response(body: Any, status: int = 200, headers: Optional[Dict[Text, Text]] = None) -> HTTPResponse:
    """`body` as JSON, Chinese left readable."""
    return response.json(body, status=status, headers=headers, dumps=json.dumps, ensure_ascii=False)


def error_response(status: int, message: Text, headers: Optional[Dict[Text, Text]] = None) -> HTTPResponse:
    """{"error": message} with `status`."""
    return json_response({"error": message}, status=status, headers=headers)


def requires_token(handler: Handler) -> Handler:
    """The handler, for support agents only: with the shared token (ASSISTANT_TOKEN) or an
    agent's own (`make agent`), whose name it leaves in `request.ctx.agent_name`. 401
    without a valid token, 503 when the server has no token at all."""

    @functools.wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        shared = os.environ.get(TOKEN_VARIABLE, "")
        records = records_of(getattr(request.app.ctx, "agent", None))
        name = token_holder(request)
        if name is None and not shared and not (records and records.has_agents()):
            return error_response(503, f"the agent routes are disabled: {TOKEN_VARIABLE} is not set on the server")
        if name is None:
            return error_response(401, "a valid token is required", headers={"WWW-Authenticate": "Bearer"})
        request.ctx.agent_name = name
        return await handler(request, *args, **kwargs)

    return guarded


def token_holder(request: Request) -> Optional[Text]:
    """Who holds the request's token (shared or an agent's own), or None."""
    given = given_token(request)
    if not given:
        return None
    if is_api_token(given):
        return SHARED_AGENT
    records = records_of(getattr(request.app.ctx, "agent", None))
    return records.agent_named(given) if records else None


def is_api_token(given: Text) -> bool:
    """Whether `given` is the server's API token (ASSISTANT_TOKEN), compared in constant time."""
    shared = os.environ.get(TOKEN_VARIABLE, "")
    return bool(shared) and hmac.compare_digest(given.encode("utf-8"), shared.encode("utf-8"))


def answers_refusals(handler: Handler) -> Handler:
    """The handler, with bad input (BadRequest) answered 400 and a loading assistant
    (AgentLoading, from `loaded_agent`) answered 503."""

    @functools.wraps(handler)
    async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        try:
            return await handler(request, *args, **kwargs)
        except BadRequest as error:
            return error_response(400, str(error))
        except SessionRefused as error:
            return session_refused(error)
        except AgentLoading:
            return error_response(503, "the assistant is still loading")
        except RecordsMissing:
            return error_response(503, "nothing is recorded: endpoints.yml needs the event broker stores.records")

    return guarded


def session_refused(error: SessionRefused) -> HTTPResponse:
    """The answer to a request its session does not allow (401 asks for a bearer token)."""
    challenge = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return error_response(error.status, str(error), headers=challenge)


def loaded_agent(request: Request) -> Any:
    """The server's agent, or AgentLoading while it has none ready."""
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        raise AgentLoading()
    return agent


def records_of(agent: Any) -> Optional[RecordsBroker]:
    """The records the agent's tracker store publishes to, if it does."""
    broker = getattr(getattr(agent, "tracker_store", None), "event_broker", None)
    return broker if isinstance(broker, RecordsBroker) else None


def loaded_records(request: Request) -> RecordsBroker:
    """The server's records, or AgentLoading / RecordsMissing."""
    records = records_of(loaded_agent(request))
    if records is None:
        raise RecordsMissing()
    return records


def text_field(data: Mapping[Text, Any], name: Text, longest: int) -> Text:
    """The non-empty text `data[name]`, stripped, or BadRequest."""
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f'"{name}" must be non-empty text')
    if len(value) > longest:
        raise BadRequest(f'"{name}" must be at most {longest} characters')
    return value.strip()


def int_arg(request: Request, name: Text, default: int, low: int, high: int) -> int:
    """The whole number in the query argument `name` (`default` when absent), or BadRequest."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f'"{name}" must be a whole number from {low} to {high}')
    return int(raw)


async def maybe_await(value: Any) -> Any:
    """The value, awaited when a store's method was async."""
    return await value if inspect.isawaitable(value) else value


def given_token(request: Request) -> Optional[Text]:
    """The request's bearer token, or its `token` query argument (EventSource cannot send headers)."""
    scheme, _, credentials = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.args.get("token")


class _TokenFilter(logging.Filter):
    """Blanks `token=` query values in Sanic's access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, str):
            record.request = _TOKEN_IN_URL.sub(r"\1***", request)
        return True


def hide_tokens_in_access_log() -> None:
    """Adds the token filter to Sanic's access log, once."""
    access = logging.getLogger("sanic.access")
    if not any(isinstance(f, _TokenFilter) for f in access.filters):
        access.addFilter(_TokenFilter())


async def append_events(
    request: Request, sender: Text, events: List[Event], pause: Optional[Event] = None
) -> Optional[HTTPResponse]:
    """Appends `events` (after `pause` when the conversation is not paused) to the stored
    conversation under its lock, as Rasa's own turns do; the refusal, if any."""
    agent = loaded_agent(request)
    async with agent.lock_store.lock(sender):
        tracker = await maybe_await(agent.tracker_store.retrieve(sender))
        if tracker is None:
            return error_response(404, "no conversation with this sender")
        for event in ([pause] if pause and not tracker.is_paused() else []) + events:
            tracker.update(event)
        with turn() as current:
            await maybe_await(agent.tracker_store.save(tracker))
    return None if current.saved else error_response(503, "the conversation could not be stored: please try again")
