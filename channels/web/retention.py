"""Forgetting conversations: one on request, and every one past the retention period.

- `DELETE /assist/conversations/<sender>`: deletes the conversation and its records, for
  the merchant whose session it is or a trusted backend (the API token); agents may not.
- At start, then daily, conversations older than ASSISTANT_RETENTION_DAYS are purged
  (stores/retention.py), in a thread, so that no turn waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional, Text

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.incoming import limit, path_sender
from channels.web.guards import answers_refusals, error_response, json_response, loaded_agent, records_of
from channels.web.sessions import request_session
from stores.retention import Stores, forget, purge

logger = logging.getLogger(__name__)

RETENTION_DAYS = ("ASSISTANT_RETENTION_DAYS", 180)  # a conversation is kept this long after its latest message
PURGE_EVERY_SECONDS = 24 * 3600


def stores_of(agent: Any) -> Optional[Stores]:
    """The engines of the agent's conversations and records, when both are SQL databases."""
    store = getattr(agent, "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa wraps the store in a FailSafeTrackerStore
    conversations = getattr(store, "engine", None)
    records = records_of(agent)
    return Stores(conversations, records.engine) if conversations is not None and records else None


@answers_refusals
async def delete_conversation(request: Request, sender: Text) -> HTTPResponse:
    """Deletes the conversation and everything recorded of it, under its lock."""
    sender = path_sender(sender)
    request_session(request).check(sender)
    agent = loaded_agent(request)
    stores = stores_of(agent)
    if stores is None:
        return error_response(503, "conversations are not kept in a database here: nothing to delete")
    async with agent.lock_store.lock(sender):
        deleted = await asyncio.get_running_loop().run_in_executor(None, forget, stores, [sender])
    if not deleted:
        return error_response(404, "no conversation with this sender")
    logger.info("A conversation was deleted on request.")
    return json_response({"deleted": True})


async def start_retention(app: Sanic, _: Any) -> None:
    """After the server starts: purge now, then every day."""
    app.ctx.retention = asyncio.ensure_future(_purge_daily(app))


async def stop_retention(app: Sanic, _: Any) -> None:
    task = getattr(app.ctx, "retention", None)
    if task is not None:
        task.cancel()


async def _purge_daily(app: Sanic) -> None:
    while True:
        stores = stores_of(getattr(app.ctx, "agent", None))
        if stores is not None:
            try:
                days = limit(RETENTION_DAYS)
                forgotten = await asyncio.get_running_loop().run_in_executor(None, purge, stores, days)
                logger.info("Retention: %d conversations older than %d days were forgotten.", forgotten, days)
            except Exception:
                logger.exception("Retention: old conversations could not be purged; trying again tomorrow.")
        await asyncio.sleep(PURGE_EVERY_SECONDS)
