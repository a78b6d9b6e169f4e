"""A SQL tracker store that never loses a turn silently, and whose turns cost the same
in a long conversation as in a short one."""

from __future__ import annotations

import functools
import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Text, Type

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.events import ConversationPaused, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker, TrackerEventDiffEngine

# How many of a conversation's latest events a turn reads: enough for the dialogue's
# rules (the latest message and action) and the hand-off summary (the latest words).
RECENT_EVENTS = 40
# Set on a tracker this store read: how many of its events are already stored.
_STORED = "_stored_events"


class TrackerStoreUnavailable(RuntimeError):
    """The conversation database cannot be reached."""


@dataclass
class Turn:
    """The merchant turn being handled (see `turn`): whether every save it made was stored."""

    saved: bool = True


_CURRENT_TURN: ContextVar[Optional[Turn]] = ContextVar("current_turn", default=None)
# The conversation this turn's `retrieve` found nothing of: the tracker Rasa then creates
# (through its fail-safe wrapper, which this store cannot mark) has no event stored yet.
_NEW_CONVERSATION: ContextVar[Optional[Text]] = ContextVar("new_conversation", default=None)


@contextmanager
def turn() -> Iterator[Turn]:
    """Runs the code inside as one turn; a save of this store that fails marks it unsaved.

    The outcome travels with the turn (a context variable), not with the conversation, so
    concurrent turns and other channels never see each other's failures."""
    current = Turn()
    token = _CURRENT_TURN.set(current)
    try:
        yield current
    finally:
        _CURRENT_TURN.reset(token)


class ConversationState(SQLTrackerStore.Base):  # type: ignore[misc, valid-type]
    """A conversation's state after its latest event: its slots and whether it is paused."""

    __tablename__ = "conversation_states"
    sender_id = sa.Column(sa.String(255), primary_key=True)
    state = sa.Column(sa.Text, nullable=False)


class StrictSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that refuses to start without its database, records failed saves,
    and reads a conversation as its state plus its latest events.

    Rasa wraps every tracker store in a fail-safe that falls back to memory on errors; this
    store makes such a fallback visible: the start fails with a clear error, and a save
    that fails marks the current `turn` unsaved, which the input channel reports to the
    merchant (the fail-safe logs the error and keeps the turn in memory).

    Rasa's store reads every event of the current session on each turn, so a turn gets
    slower the longer the conversation; every later step (predictions, the tracker sent
    to the action server) grows with it. This one keeps each conversation's slots and
    pause state in `conversation_states` (written with the events, in one transaction)
    and reads that row and the latest RECENT_EVENTS events: the same tracker state,
    bounded. Every event is still stored, once; the HTTP API's full tracker reads all.
    """

    def __init__(self, *args: Any, recent_events: int = RECENT_EVENTS, **kwargs: Any) -> None:
        self.recent_events = recent_events
        try:
            super().__init__(*args, **kwargs)
            if self.engine.dialect.name == "sqlite":
                self._keep_connections()
            # The parent logs and carries on when it cannot create its tables.
            with self.session_scope() as session:
                session.execute(sa.text("SELECT 1"))
        except Exception as error:
            where = kwargs.get("host") or kwargs.get("db") or "the configured database"
            raise TrackerStoreUnavailable(
                f"cannot reach the conversation database at {where}: {type(error).__name__}: {error}"
            ) from error

    def _keep_connections(self) -> None:
        """SQLite through a pool that keeps its connections open: SQLAlchemy 1.4 opens a
        file database with NullPool, a new connection (and a write-ahead-log checkpoint
        when it closes) for each read and each save of a turn. A kept connection is
        dropped when its file is no longer there, so a moved or deleted database fails
        the save (and the merchant is told) instead of writing to the lost file."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _write_ahead_log)
        if url.database and url.database != ":memory:":
            sa.event.listen(self.engine, "checkout", functools.partial(_still_there, Path(url.database).absolute()))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    @contextmanager
    def session_scope(self) -> Iterator[Any]:
        """Rasa's session scope, raising what went wrong inside it. Rasa's takes any ValueError
        (text the database cannot encode, too) for a missing PostgreSQL schema and exits with
        SystemExit, which Rasa's fail-safe does not catch: the server stops answering."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        finally:
            session.close()

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """The conversation's current session: its state and its latest events."""
        with self.session_scope() as session:
            row = session.get(ConversationState, sender_id)
            if row is None:
                tracker = await super().retrieve(sender_id)
                _NEW_CONVERSATION.set(sender_id if tracker is None else None)
                return tracker
            recent = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .order_by(self.SQLEvent.id.desc())
                .limit(self.recent_events)
                .all()
            )
            events = [json.loads(event.data) for event in reversed(recent)]
            state = json.loads(row.state)
        starts = [i for i, event in enumerate(events) if event.get("event") == SessionStarted.type_name]
        events = events[starts[-1] :] if starts else _restored(state) + events
        tracker = DialogueStateTracker.from_events(sender_id, _deserialised(events), self.domain.slots)
        setattr(tracker, _STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the events the tracker added and its state, then publishes those events:
        only once they are committed, so the broker's records never show what the
        conversation lacks."""
        stored = getattr(tracker, _STORED, None)
        if stored is None and _NEW_CONVERSATION.get() == tracker.sender_id:
            stored = 0  # once: a later tracker of this conversation may hold stored events
            _NEW_CONVERSATION.set(None)
        try:
            if stored is None:
                new_events = await self._unread_events(tracker)
                await super().save(tracker)
                self._save_state(tracker)
            else:
                new_events = list(tracker.events)[stored:]
                self._append(tracker, new_events)
        except Exception:
            current = _CURRENT_TURN.get()
            if current is not None:
                current.saved = False
            raise
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publishes nothing: Rasa's `save` calls it before its commit; `save` publishes."""

    async def _unread_events(self, tracker: DialogueStateTracker) -> List[Event]:
        """For a tracker this store did not read, the events to publish: those Rasa's
        `stream_events` finds (none without a broker)."""
        if self.event_broker is None:
            return []
        return TrackerEventDiffEngine.event_difference(await self.retrieve(tracker.sender_id), tracker)

    def _append(self, tracker: DialogueStateTracker, new_events: List[Event]) -> None:
        """Stores the events added since the tracker was read, and the new state."""
        with self.session_scope() as session:
            if new_events:
                # One multi-row INSERT: the ORM would build and flush an object per event.
                rows = [self._row(tracker.sender_id, event) for event in new_events]
                session.execute(self.SQLEvent.__table__.insert(), rows)
            updated = (
                session.query(ConversationState)
                .filter(ConversationState.sender_id == tracker.sender_id)
                .update({"state": _state(tracker)}, synchronize_session=False)
            )
            if not updated:
                self._merge_state(session, tracker)
            session.commit()
        setattr(tracker, _STORED, len(tracker.events))

    @staticmethod
    def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
        """An event as a row of Rasa's `events` table."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get("name"),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    def _save_state(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            self._merge_state(session, tracker)
            session.commit()

    @staticmethod
    def _merge_state(session: Any, tracker: DialogueStateTracker) -> None:
        session.merge(ConversationState(sender_id=tracker.sender_id, state=_state(tracker)))


def _state(tracker: DialogueStateTracker) -> Text:
    """The row of `conversation_states` for the tracker: its set slots and its pause."""
    slots = {name: value for name, value in tracker.current_slot_values().items() if value is not None}
    return json.dumps({"slots": slots, "paused": tracker.is_paused()}, ensure_ascii=False)


@functools.lru_cache(maxsize=None)
def _event_class(type_name: Text) -> Type[Event]:
    event_class = Event.resolve_by_type(type_name)
    assert event_class is not None  # resolve_by_type raises on unknown names
    return event_class


def _deserialised(events: List[Dict[Text, Any]]) -> List[Event]:
    """Rasa's `deserialise_events`, with each event class looked up once per process:
    Rasa walks every Event subclass for every event (about 0.1 ms each)."""
    restored = (_event_class(event["event"])._from_parameters(event) for event in events)
    return [event for event in restored if event is not None]


def _write_ahead_log(connection: Any, _: Any) -> None:
    """SQLite in write-ahead-log mode: one sync per saved turn instead of two, and reads
    (the maintainer view, a second process) do not wait for writes."""
    connection.execute("PRAGMA journal_mode=WAL")


def _still_there(database: Path, *_: Any) -> None:
    """Drops a kept SQLite connection whose database file was moved or deleted: SQLAlchemy
    then opens a new one, which fails the same way a save to a missing database does."""
    if not database.exists():
        raise sa.exc.DisconnectionError(f"the database file {database} is gone")


def _restored(state: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """Events that bring a new tracker to a stored state (the slots, a pause); replaying
    the latest events after them ends in the same state, as every one of these is a last
    write that the latest events either repeat or overwrite."""
    events: List[Event] = [SlotSet(name, value) for name, value in state.get("slots", {}).items()]
    if state.get("paused"):
        events.append(ConversationPaused())
    return [event.as_dict() for event in events]
