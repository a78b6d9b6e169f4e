"""`RecordsBroker`: the Rasa event broker that writes the records, and reads them for the views."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import secrets
import time
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine import Connection, Engine

from stores.records.queries import RecordsQueries
from stores.records.recording import HANDLERS, Recording, new_state, recorded
from stores.records.tables import READ_STATE, agents, create_tables, engine_for, inbox, upsert

logger = logging.getLogger(__name__)


class RecordsUnavailable(RuntimeError):
    """The database of the conversations, where the records are kept, cannot be reached."""


def token_digest(token: Text) -> Text:
    """What is stored of an agent's token: its sha256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RecordsBroker(RecordsQueries, EventBroker):
    """Writes the records of each published event; answers the views' queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._batch: Dict[Text, Dict[Text, Any]] = {}  # states read during the current save
        try:
            create_tables(engine)
        except sa.exc.SQLAlchemyError as error:
            raise RecordsUnavailable(f"cannot reach the conversation database at {engine.url!r}: {error}") from error

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[asyncio.AbstractEventLoop] = None
    ) -> "RecordsBroker":
        """The broker of `event_broker:` in endpoints.yml, on the database it names."""
        return cls(engine_for(broker_config))

    async def close(self) -> None:
        """Closes the engine's connections."""
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------

    def publish(self, event: Dict[Text, Any]) -> None:
        """Records one event of a conversation (all of a save come in one go)."""
        handler = HANDLERS.get(event.get("event", ""))
        sender = event.get("sender_id")
        if handler is None or not sender or not recorded(event):
            return
        try:
            with self.engine.begin() as connection:
                recording = Recording(connection, sender, self._state(connection, sender))
                handler(recording, event)
        except Exception:
            self._batch.pop(sender, None)
            logger.exception("Could not record a %s event of conversation %r.", event.get("event"), sender)
            return
        self._forget_after_this_save(sender)

    def _state(self, connection: Connection, sender: Text) -> Dict[Text, Any]:
        """The conversation's record, read once per save (its events come without a pause)."""
        if sender not in self._batch:
            stored = connection.execute(READ_STATE, {"sender": sender}).scalar()
            self._batch[sender] = json.loads(stored) if stored else new_state()
        return self._batch[sender]

    def _forget_after_this_save(self, sender: Text) -> None:
        """Drops the state read once the save's events are all recorded (at the loop's next turn)."""
        try:
            asyncio.get_running_loop().call_soon(self._batch.pop, sender, None)
        except RuntimeError:  # called outside the event loop: no save to wait for
            self._batch.pop(sender, None)

    def set_summary(self, sender: Text, summary: Text) -> None:
        """A summary written for a conversation that entered the inbox without one."""
        with self.engine.begin() as connection:
            connection.execute(
                inbox.update().where(inbox.c.sender_id == sender, inbox.c.summary.is_(None)).values(summary=summary)
            )

    # --- agents ------------------------------------------------------------------------

    def add_agent(self, name: Text) -> Text:
        """A new token for the agent `name` (created, or its old token replaced); only
        its sha256 is stored."""
        token = secrets.token_urlsafe(32)
        values = {"name": name, "token_sha256": token_digest(token), "created_at": time.time()}
        with self.engine.begin() as connection:
            connection.execute(upsert(connection, agents, values, lambda new: {"token_sha256": new.token_sha256}))
        return token

    def remove_agent(self, name: Text) -> bool:
        """Removes the agent `name` and its token; False when there was no such agent."""
        with self.engine.begin() as connection:
            return bool(connection.execute(agents.delete().where(agents.c.name == name)).rowcount)

    def has_agents(self) -> bool:
        """Whether any agent has a token of their own."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(agents.c.name).limit(1)).first() is not None

    def agent_named(self, token: Text) -> Optional[Text]:
        """The name of the agent whose token this is, or None."""
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(agents.c.name).where(agents.c.token_sha256 == token_digest(token))
            ).scalar()
