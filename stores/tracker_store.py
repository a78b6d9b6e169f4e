"""A SQL tracker store that never loses a turn silently."""

from __future__ import annotations

import threading
from typing import Any, Set, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


class TrackerStoreUnavailable(RuntimeError):
    """The conversation database cannot be reached."""


class UnsavedTurns:
    """Conversations whose latest turn could not be stored, for the channel to report."""

    _senders: Set[Text] = set()
    _lock = threading.Lock()

    @classmethod
    def add(cls, sender_id: Text) -> None:
        with cls._lock:
            cls._senders.add(sender_id)

    @classmethod
    def pop(cls, sender_id: Text) -> bool:
        """Whether the latest turn of `sender_id` was lost (and forget it)."""
        with cls._lock:
            if sender_id in cls._senders:
                cls._senders.discard(sender_id)
                return True
            return False


class StrictSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that refuses to start without its database and records failed saves.

    Rasa wraps every tracker store in a fail-safe that falls back to memory on errors; this
    store makes such a fallback visible: the start fails with a clear error, and a turn
    that could not be saved is reported to the merchant by the input channel.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().__init__(*args, **kwargs)
            # The parent logs and carries on when it cannot create its tables.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception as error:
            where = kwargs.get("host") or kwargs.get("db") or "the configured database"
            raise TrackerStoreUnavailable(
                f"cannot reach the conversation database at {where}: {type(error).__name__}: {error}"
            ) from error

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception:
            UnsavedTurns.add(tracker.sender_id)
            raise
