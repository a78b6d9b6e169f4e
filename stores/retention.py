"""How long conversations are kept, and forgetting them.

A conversation whose latest event is older than the retention period (in days:
ASSISTANT_RETENTION_DAYS, channels/web/retention.py) is purged with everything recorded of
it: its events and state (the tracker store's tables) and its records (the inbox, the
unanswered messages and their groups' counts, the agents' replies). `make purge` does it;
the Rasa server does it at start and then daily. `forget` also deletes one merchant's
conversation on request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import List, Sequence, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import Connection, Engine

from stores.records.tables import REASONS, conversations, counters, groups, inbox, messages, replies
from stores.tracker_store import ConversationState

BATCH = 500  # conversations forgotten per transaction
events = SQLTrackerStore.SQLEvent.__table__
states = ConversationState.__table__


@dataclass(frozen=True)
class Stores:
    """The engines of the conversations (the tracker store's) and of their records."""

    conversations: Engine
    records: Engine


def expired(engine: Engine, before: float, most: int = BATCH) -> List[Text]:
    """Up to `most` conversations whose latest event is older than `before` (a Unix time)."""
    latest = sa.func.max(events.c.timestamp)
    query = sa.select(events.c.sender_id).group_by(events.c.sender_id).having(latest < before).limit(most)
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(query)]


def forget(stores: Stores, senders: Sequence[Text]) -> int:
    """Deletes the conversations `senders` and their records; how many had events."""
    if not senders:
        return 0
    with stores.conversations.begin() as connection:
        deleted = connection.execute(
            sa.select(sa.func.count(sa.distinct(events.c.sender_id))).where(events.c.sender_id.in_(senders))
        ).scalar()
        connection.execute(events.delete().where(events.c.sender_id.in_(senders)))
        connection.execute(states.delete().where(states.c.sender_id.in_(senders)))
    with stores.records.begin() as connection:
        _forget_records(connection, senders)
    return int(deleted or 0)


def purge(stores: Stores, days: int, now: float | None = None) -> int:
    """Forgets every conversation older than `days`; how many were forgotten."""
    if not sa.inspect(stores.conversations).has_table(events.name):
        return 0  # no conversation was ever stored
    before = (time.time() if now is None else now) - days * 86400
    forgotten = 0
    while senders := expired(stores.conversations, before):
        forgotten += forget(stores, senders)
    return forgotten


def _forget_records(connection: Connection, senders: Sequence[Text]) -> None:
    """Deletes the records of `senders`; the groups their messages were counted in are
    counted again from the messages left (a group with none left goes)."""
    keys = [
        row[0] for row in connection.execute(sa.select(messages.c.group_key).where(messages.c.sender_id.in_(senders)))
    ]
    connection.execute(messages.delete().where(messages.c.sender_id.in_(senders)))
    for table in (conversations, replies):
        connection.execute(table.delete().where(table.c.sender_id.in_(senders)))
    if connection.execute(inbox.delete().where(inbox.c.sender_id.in_(senders))).rowcount:
        connection.execute(counters.update().where(counters.c.name == "inbox").values(value=counters.c.value + 1))
    for key in set(keys):
        _recount(connection, key)


def _recount(connection: Connection, key: Text) -> None:
    """A group's counts and newest text, from its messages."""
    left = messages.c.group_key == key
    totals = connection.execute(
        sa.select(
            sa.func.count(),
            sa.func.max(messages.c.said_at),
            *(sa.func.sum(sa.cast(messages.c[reason], sa.Integer)) for reason in REASONS),
        ).where(left)
    ).one()
    if not totals[0]:
        connection.execute(groups.delete().where(groups.c.group_key == key))
        return
    newest = connection.execute(
        sa.select(messages.c.text).where(left).order_by(messages.c.said_at.desc()).limit(1)
    ).scalar()
    counts = dict(zip(REASONS, (int(n or 0) for n in totals[2:]), strict=True))
    connection.execute(
        groups.update()
        .where(groups.c.group_key == key)
        .values(messages=totals[0], last_seen=totals[1], text=newest, **counts)
    )
