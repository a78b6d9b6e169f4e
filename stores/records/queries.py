"""What the maintainer view and the agent inbox read from the records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from stores.records.tables import REASONS, counters, daily, groups, inbox, labels, replies


@dataclass(frozen=True)
class Group:
    """Unanswered messages with the same folded text, newest first."""

    key: Text
    text: Text
    count: int
    last_seen: float
    reasons: Dict[Text, int]
    examples: List[Text]
    conversations: List[Text]


@dataclass(frozen=True)
class Waiting:
    """A conversation in the inbox."""

    sender_id: Text
    reasons: List[Text]
    since: float
    waiting_since: Optional[float]
    agent: Optional[Text]
    summary: Optional[Text]
    last_words: Optional[Text]
    last_words_at: Optional[float]
    version: int


@dataclass(frozen=True)
class AgentReply:
    """What an agent said to a merchant, numbered in the order sent."""

    id: int
    text: Text
    agent: Text
    sent_at: float


class RecordsQueries:
    """The views' queries, on the records of `engine` (a part of `RecordsBroker`)."""

    engine: Engine

    # --- the maintainer view ---------------------------------------------------------

    def unanswered(self, limit: int) -> Tuple[List[Group], int, int]:
        """The newest `limit` groups, the number of messages and of groups. A group taught
        (its label exported) is left out until a merchant says it again."""
        listed = sa.select(groups).outerjoin(labels, labels.c.group_key == groups.c.group_key)
        listed = listed.where(sa.or_(labels.c.exported_at.is_(None), groups.c.last_seen > labels.c.exported_at))
        shown = listed.subquery()
        with self.engine.connect() as connection:
            page = connection.execute(sa.select(shown).order_by(shown.c.last_seen.desc()).limit(limit)).all()
            total_groups, total_messages = connection.execute(
                sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(shown.c.messages), 0))
            ).one()
            keys = [row.group_key for row in page]
            examples = _newest_distinct(connection, "text", keys)
            senders = _newest_distinct(connection, "sender_id", keys)
        found = [
            Group(
                key=row.group_key,
                text=row.text,
                count=row.messages,
                last_seen=row.last_seen,
                reasons={reason: row[reason] for reason in REASONS if row[reason]},
                examples=examples.get(row.group_key, []),
                conversations=senders.get(row.group_key, []),
            )
            for row in page
        ]
        return found, int(total_messages), int(total_groups)

    # --- the inbox -------------------------------------------------------------------

    def inbox(self, limit: Optional[int] = None, offset: int = 0) -> List[Waiting]:
        """Conversations waiting for a person, the longest waiting first; then those an
        agent has answered, the latest changed first: `limit` of them from `offset`."""
        order = (inbox.c.waiting_since.is_(None), inbox.c.waiting_since, inbox.c.version.desc(), inbox.c.sender_id)
        with self.engine.connect() as connection:
            rows = connection.execute(sa.select(inbox).order_by(*order).limit(limit).offset(offset))
            return [_waiting(row) for row in rows]

    def inbox_size(self) -> int:
        """How many conversations the inbox holds."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(inbox)).scalar() or 0)

    def waiting(self, sender: Text) -> Optional[Waiting]:
        """The conversation's place in the inbox, or None when it is not there."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(inbox).where(inbox.c.sender_id == sender)).first()
        return _waiting(row) if row else None

    def inbox_version(self) -> int:
        """A number that changes whenever the inbox or a conversation in it does."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(counters.c.value).where(counters.c.name == "inbox")).scalar() or 0)

    # --- the dashboard ----------------------------------------------------------------

    def daily_counts(self, first_day: Text) -> Dict[Text, Dict[Text, int]]:
        """The counts of each day from `first_day` (YYYY-MM-DD) on: {day: {name: count}}."""
        counted: Dict[Text, Dict[Text, int]] = {}
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(daily.c.day, daily.c.name, daily.c.count).where(daily.c.day >= first_day)
            )
            for day, name, count in rows:
                counted.setdefault(day, {})[name] = count
        return counted

    def agent_replies(self, sender: Text, after: int, most: int = 50) -> List[AgentReply]:
        """What agents said to `sender` after the reply numbered `after`, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(replies.c.id, replies.c.text, replies.c.agent, replies.c.sent_at)
                .where(replies.c.sender_id == sender, replies.c.id > after)
                .order_by(replies.c.id)
                .limit(most)
            ).all()
        return [AgentReply(*row) for row in rows]

    def agent_reply(self, sender: Text, sent_at: float) -> Optional[AgentReply]:
        """The agent reply to `sender` sent at `sent_at` (its event's timestamp)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                sa.select(replies.c.id, replies.c.text, replies.c.agent, replies.c.sent_at).where(
                    replies.c.sender_id == sender, replies.c.sent_at == sent_at
                )
            ).first()
        return AgentReply(*row) if row else None


def _waiting(row: Any) -> Waiting:
    return Waiting(**{**row._mapping, "reasons": row.reasons.split(",")})


def _newest_distinct(connection: Connection, column: Text, keys: Sequence[Text], most: int = 5) -> Dict[Text, List]:
    """Per group, the `most` newest distinct values of `column` (texts, conversations)."""
    if not keys:
        return {}
    query = sa.text(
        f"SELECT group_key, {column} FROM ("
        f" SELECT group_key, {column}, ROW_NUMBER() OVER"
        f"  (PARTITION BY group_key ORDER BY MAX(said_at) DESC, {column}) AS newest"
        f" FROM unanswered_messages WHERE group_key IN :keys GROUP BY group_key, {column}) AS ranked"
        " WHERE newest <= :most ORDER BY group_key, newest"
    ).bindparams(sa.bindparam("keys", expanding=True))
    found: Dict[Text, List] = {}
    for key, value in connection.execute(query, {"keys": list(keys), "most": most}):
        found.setdefault(key, []).append(value)
    return found
