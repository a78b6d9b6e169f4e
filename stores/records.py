"""What the maintainer view and the agent inbox need, recorded as conversations happen.

`RecordsBroker` is the Rasa server's event broker (`event_broker:` in endpoints.yml and
endpoints.production.yml). The tracker store publishes each new event to it once, while
it saves a turn under the conversation's lock; the broker writes into tables of the
tracker store's own database (the same settings):

- `unanswered_messages`, `unanswered_groups`: merchant messages that fell back, came
  before a hand-off or got 👎, and their groups (the same text once folded), counted as
  they are written, so the maintainer view reads one page of groups, not every conversation;
- `inbox`: conversations waiting for a person (handed off, 👎 twice, two fallbacks in a
  row) until an agent hands them back; `record_counters.inbox` counts its changes;
- `agent_replies`: what agents said, for the widget's REST polling;
- `conversation_records`: what the broker remembers of a conversation (its latest
  question, the questions its answers were for, fallbacks in a row, 👎 so far);
- `agents`: the support agents and their tokens, hashed (sha256).

Its writes commit without waiting for the disk (SQLite `synchronous=NORMAL`, PostgreSQL
`synchronous_commit=off`): a power cut may lose the last records, never corrupt them.
A record that cannot be written is logged; the merchant's turn is not failed for it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Text, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from actions.actions import HANDOFF_SUMMARY, ActionHandOff
from actions.answers import TOPICS
from actions.policy import fold, load_policy, normalise_text
from actions.understanding import FALLBACK

logger = logging.getLogger(__name__)

REASONS = ("fallback", "handoff", "down")  # why a merchant message is listed as unanswered
FEEDBACK_SLOT = "feedback"
HAND_OFF_ACTION = ActionHandOff().name()
# Merchant messages that only carry on a question (answers to the assistant, "转人工"):
# a hand-off or a 👎 is counted for the question they belong to.
FOLLOW_UP_INTENTS = frozenset({"inform_profile", "request_human", "ask_details", "affirm", "deny"})
IN_A_ROW = 2  # fallbacks in a row, or 👎 in a conversation, that call for a person
ANSWERS_KEPT = 20  # the assistant's latest answers remembered, for the question a 👎 rates
AGENT = "agent"  # the metadata key naming the agent of an event
_UNSPOKEN = re.compile(r"[啊呀呢吧吗嘛哦哈啦么]+$")  # particles that end a question

metadata = sa.MetaData()
conversations = sa.Table(
    "conversation_records",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
)
messages = sa.Table(
    "unanswered_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("said_at", sa.Float, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("group_key", sa.String(32), nullable=False),
    *(sa.Column(reason, sa.Boolean, nullable=False) for reason in REASONS),
    sa.UniqueConstraint("sender_id", "said_at"),
    sa.Index("unanswered_messages_by_group", "group_key", "said_at"),
)
groups = sa.Table(
    "unanswered_groups",
    metadata,
    sa.Column("group_key", sa.String(32), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),  # of the newest message
    sa.Column("last_seen", sa.Float, nullable=False, index=True),
    sa.Column("messages", sa.Integer, nullable=False),
    *(sa.Column(reason, sa.Integer, nullable=False) for reason in REASONS),
)
inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("reasons", sa.String(100), nullable=False),
    sa.Column("since", sa.Float, nullable=False),
    sa.Column("waiting_since", sa.Float),  # None: an agent answered the merchant's latest words
    sa.Column("agent", sa.String(64)),
    sa.Column("summary", sa.Text),
    sa.Column("last_words", sa.Text),
    sa.Column("last_words_at", sa.Float),
    sa.Column("version", sa.Integer, nullable=False),
)
replies = sa.Table(
    "agent_replies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("agent", sa.String(64), nullable=False),
    sa.Column("sent_at", sa.Float, nullable=False),
)
agents = sa.Table(
    "agents",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.Float, nullable=False),
)
counters = sa.Table(
    "record_counters",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)
# A conversation's record is read and written for most events: plain SQL, built once.
_READ_STATE = sa.text("SELECT state FROM conversation_records WHERE sender_id = :sender")
_UPDATE_STATE = sa.text("UPDATE conversation_records SET state = :state WHERE sender_id = :sender")
_INSERT_STATE = sa.text("INSERT INTO conversation_records (sender_id, state) VALUES (:sender, :state)")


class RecordsUnavailable(RuntimeError):
    """The database of the conversations, where the records are kept, cannot be reached."""


@dataclass(frozen=True)
class Group:
    """Unanswered messages with the same folded text, newest first."""

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
    id: int
    text: Text
    agent: Text
    sent_at: float


def merchant_words(text: Optional[Text]) -> Optional[Text]:
    """What the merchant said; a button names its question; other buttons say nothing."""
    text = (text or "").strip()
    if not text.startswith("/"):
        return text or None
    intent = text[1:].split("{")[0]
    return f"〔按钮〕{TOPICS[intent].title}" if intent in TOPICS else None


def group_key(text: Text) -> Text:
    """Messages with the same key are one group: the text with the merchant's spelling
    normalised (actions.policy), width, case, spaces, punctuation and the final particles
    (啊, 吗, …) folded away."""
    folded = fold(normalise_text(text, load_policy()))
    kept = "".join(c for c in folded if unicodedata.category(c)[0] not in "PSZC")
    return hashlib.sha256(_UNSPOKEN.sub("", kept).encode("utf-8")).hexdigest()[:32]


def token_digest(token: Text) -> Text:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def engine_for(config: EndpointConfig) -> Engine:
    """An engine on the database the config names, as the tracker store reads its config."""
    kwargs = config.kwargs
    dialect = kwargs.get("dialect", "sqlite")
    url = SQLTrackerStore.get_db_url(
        dialect,
        config.url,
        kwargs.get("port"),
        kwargs.get("db", "rasa.db"),
        kwargs.get("username"),
        kwargs.get("password"),
        query=kwargs.get("query"),
    )
    if dialect == "sqlite":
        # One connection kept open (a pool), not one opened per event: 0.1 ms a write instead of 0.6.
        engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if dialect == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"options": "-c synchronous_commit=off"})
    raise ValueError(f"the records need SQLite or PostgreSQL, not {dialect}")


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


class RecordsBroker(EventBroker):
    """Writes the records of each published event; answers the views' queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._upsert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[engine.dialect.name]
        self._batch: Dict[Text, Dict[Text, Any]] = {}  # states read during the current save
        try:
            _create_tables(engine)
        except sa.exc.SQLAlchemyError as error:
            raise RecordsUnavailable(f"cannot reach the conversation database at {engine.url!r}: {error}") from error

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[asyncio.AbstractEventLoop] = None
    ) -> "RecordsBroker":
        return cls(engine_for(broker_config))

    async def close(self) -> None:
        self.engine.dispose()

    # --- writing -------------------------------------------------------------------

    def publish(self, event: Dict[Text, Any]) -> None:
        """Records one event of a conversation (all of a save come in one go)."""
        handler = _HANDLERS.get(event.get("event", ""))
        sender = event.get("sender_id")
        if handler is None or not sender or not _recorded(event):
            return
        try:
            with self.engine.begin() as connection:
                recording = _Recording(self, connection, sender, self._state(connection, sender))
                handler(recording, event)
        except Exception:
            self._batch.pop(sender, None)
            logger.exception("Could not record a %s event of conversation %r.", event.get("event"), sender)
            return
        self._forget_after_this_save(sender)

    def _state(self, connection: Connection, sender: Text) -> Dict[Text, Any]:
        """The conversation's record, read once per save (its events come without a pause)."""
        if sender not in self._batch:
            stored = connection.execute(_READ_STATE, {"sender": sender}).scalar()
            self._batch[sender] = json.loads(stored) if stored else _new_state()
        return self._batch[sender]

    def _forget_after_this_save(self, sender: Text) -> None:
        try:
            asyncio.get_running_loop().call_soon(self._batch.pop, sender, None)
        except RuntimeError:  # called outside the event loop: no save to wait for
            self._batch.pop(sender, None)

    def upsert(self, table: sa.Table, values: Dict[Text, Any], update: Callable[[Any], Dict[Text, Any]]) -> Any:
        """INSERT … ON CONFLICT (primary key) DO UPDATE, in the engine's dialect."""
        statement = self._upsert(table).values(**values)
        keys = [column.name for column in table.primary_key]
        return statement.on_conflict_do_update(index_elements=keys, set_=update(statement.excluded))

    def set_summary(self, sender: Text, summary: Text) -> None:
        """A summary written for a conversation that entered the inbox without one."""
        with self.engine.begin() as connection:
            connection.execute(
                inbox.update().where(inbox.c.sender_id == sender, inbox.c.summary.is_(None)).values(summary=summary)
            )

    # --- the maintainer view ---------------------------------------------------------

    def unanswered(self, limit: int) -> Tuple[List[Group], int, int]:
        """The newest `limit` groups, the number of messages and of groups."""
        with self.engine.connect() as connection:
            page = connection.execute(sa.select(groups).order_by(groups.c.last_seen.desc()).limit(limit)).all()
            total_groups, total_messages = connection.execute(
                sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(groups.c.messages), 0))
            ).one()
            keys = [row.group_key for row in page]
            examples = _newest_distinct(connection, "text", keys)
            senders = _newest_distinct(connection, "sender_id", keys)
        found = [
            Group(
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

    def inbox(self) -> List[Waiting]:
        """Conversations waiting for a person, the longest waiting first; then those an
        agent has answered, the latest changed first."""
        with self.engine.connect() as connection:
            found = [_waiting(row) for row in connection.execute(sa.select(inbox))]
        return sorted(found, key=lambda w: (w.waiting_since is None, w.waiting_since or -w.version))

    def waiting(self, sender: Text) -> Optional[Waiting]:
        """The conversation's place in the inbox, or None when it is not there."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(inbox).where(inbox.c.sender_id == sender)).first()
        return _waiting(row) if row else None

    def inbox_version(self) -> int:
        """A number that changes whenever the inbox or a conversation in it does."""
        with self.engine.connect() as connection:
            return int(connection.execute(sa.select(counters.c.value).where(counters.c.name == "inbox")).scalar() or 0)

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

    # --- agents ------------------------------------------------------------------------

    def add_agent(self, name: Text) -> Text:
        """A new token for the agent `name` (created, or its old token replaced); only
        its sha256 is stored."""
        token = secrets.token_urlsafe(32)
        values = {"name": name, "token_sha256": token_digest(token), "created_at": time.time()}
        with self.engine.begin() as connection:
            connection.execute(self.upsert(agents, values, lambda new: {"token_sha256": new.token_sha256}))
        return token

    def remove_agent(self, name: Text) -> bool:
        with self.engine.begin() as connection:
            return bool(connection.execute(agents.delete().where(agents.c.name == name)).rowcount)

    def has_agents(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(sa.select(agents.c.name).limit(1)).first() is not None

    def agent_named(self, token: Text) -> Optional[Text]:
        """The name of the agent whose token this is, or None."""
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(agents.c.name).where(agents.c.token_sha256 == token_digest(token))
            ).scalar()


class _Recording:
    """One event of a conversation being recorded, inside the broker's transaction."""

    def __init__(self, broker: RecordsBroker, connection: Connection, sender: Text, state: Dict[Text, Any]) -> None:
        self.broker = broker
        self.connection = connection
        self.sender = sender
        self.state = state

    def user(self, event: Dict[Text, Any]) -> None:
        words = merchant_words(event.get("text"))
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        said = [words, event["timestamp"]] if words else None
        if said:
            self.state["said"] = said
            if intent not in FOLLOW_UP_INTENTS:
                self.state["question"] = said
        self.state["fallbacks"] = self.state["fallbacks"] + 1 if intent == FALLBACK and said else 0
        self._save_state()
        if intent == FALLBACK and said:
            self._flag(said, "fallback")
        if self.state["fallbacks"] >= IN_A_ROW:
            self._wait("fallbacks", event["timestamp"])
        if said and self.state["inbox"]:
            self._change_inbox(last_words=words, last_words_at=said[1], waiting_since=_earliest(said[1]))

    def bot(self, event: Dict[Text, Any]) -> None:
        agent = (event.get("metadata") or {}).get(AGENT)
        if agent:
            self._agent_replied(str(agent), event.get("text") or "", event["timestamp"])
        elif event.get("text"):
            answered = [_digest(event["text"]), self._target()]
            self.state["answers"] = (self.state["answers"] + [answered])[-ANSWERS_KEPT:]
            self._save_state()

    def action(self, event: Dict[Text, Any]) -> None:
        if event.get("name") == HAND_OFF_ACTION:
            self._flag(self._target(), "handoff")
            self._wait("handoff", event["timestamp"])

    def slot(self, event: Dict[Text, Any]) -> None:
        value = event.get("value")
        if event.get("name") == HANDOFF_SUMMARY and value and self.state["inbox"]:
            self._change_inbox(summary=str(value))
        elif event.get("name") == FEEDBACK_SLOT and isinstance(value, dict) and value.get("value") == "down":
            self._thumbs_down(value)

    def pause(self, event: Dict[Text, Any]) -> None:
        if not (event.get("metadata") or {}).get(AGENT):  # an agent taking over is not a hand-off
            self._wait("handoff", event["timestamp"])

    def resume(self, event: Dict[Text, Any]) -> None:
        if self.state["inbox"]:
            self.connection.execute(inbox.delete().where(inbox.c.sender_id == self.sender))
            self._bump()
        self.state.update(inbox=False, fallbacks=0, downs=0)
        self._save_state()

    def _thumbs_down(self, rating: Dict[Text, Any]) -> None:
        """A 👎 counts for the question the rated answer answered; one stored again (a new
        session carries the slot over) is not counted twice."""
        rated_at = float(rating.get("timestamp") or 0)
        if rated_at and rated_at <= self.state["last_down"]:
            return
        digest = _digest(str(rating.get("text") or ""))
        answers = self.state["answers"]
        answered = next((a for a in reversed(answers) if a[0] == digest), answers[-1] if answers else None)
        self._flag(answered[1] if answered else self._target(), "down")
        self.state.update(downs=self.state["downs"] + 1, last_down=rated_at)
        self._save_state()
        if self.state["downs"] >= IN_A_ROW:
            self._wait("downs", rated_at or time.time())

    def _target(self) -> Optional[List[Any]]:
        """The merchant's question a hand-off or 👎 now counts for."""
        return self.state["question"] or self.state["said"]

    def _save_state(self) -> None:
        """Writes the conversation's record (the lock keeps others from writing it meanwhile)."""
        values = {"sender": self.sender, "state": json.dumps(self.state, ensure_ascii=False)}
        if not self.connection.execute(_UPDATE_STATE, values).rowcount:
            self.connection.execute(_INSERT_STATE, values)

    def _flag(self, said: Optional[List[Any]], reason: Text) -> None:
        """Lists the merchant message `said` ([text, timestamp]) as unanswered for `reason`."""
        if not said:
            return
        text, at = said
        where = (messages.c.sender_id == self.sender, messages.c.said_at == at)
        found = self.connection.execute(sa.select(messages.c.group_key, messages.c[reason]).where(*where)).first()
        if found is None:
            key = group_key(text)
            flags = {name: name == reason for name in REASONS}
            self.connection.execute(
                messages.insert().values(sender_id=self.sender, said_at=at, text=text, group_key=key, **flags)
            )
            self._count_in_group(key, text, at, reason)
        elif not found[1]:
            self.connection.execute(messages.update().where(*where).values({reason: True}))
            self.connection.execute(
                groups.update().where(groups.c.group_key == found[0]).values({reason: groups.c[reason] + 1})
            )

    def _count_in_group(self, key: Text, text: Text, at: float, reason: Text) -> None:
        """One more message in the group `key`: counted in the database, so that
        conversations written at once on several servers all count."""
        values = {
            "group_key": key,
            "text": text,
            "last_seen": at,
            "messages": 1,
            **{name: int(name == reason) for name in REASONS},
        }

        def update(new: Any) -> Dict[Text, Any]:
            newer = new.last_seen > groups.c.last_seen
            return {
                "messages": groups.c.messages + 1,
                reason: groups.c[reason] + 1,
                "text": sa.case((newer, new.text), else_=groups.c.text),
                "last_seen": sa.case((newer, new.last_seen), else_=groups.c.last_seen),
            }

        self.connection.execute(self.broker.upsert(groups, values, update))

    def _wait(self, reason: Text, at: float) -> None:
        """The conversation waits for a person (again, or for one more reason)."""
        if not self.state["inbox"]:
            said = self.state["said"] or [None, None]
            self.connection.execute(
                inbox.insert().values(
                    sender_id=self.sender,
                    reasons=reason,
                    since=at,
                    waiting_since=at,
                    last_words=said[0],
                    last_words_at=said[1],
                    version=self._bump(),
                )
            )
            self.state["inbox"] = True
            self._save_state()
            return
        reasons = (
            self.connection.execute(sa.select(inbox.c.reasons).where(inbox.c.sender_id == self.sender)).scalar() or ""
        )
        if reason not in reasons.split(","):
            self._change_inbox(reasons=",".join(filter(None, [reasons, reason])))

    def _agent_replied(self, agent: Text, text: Text, at: float) -> None:
        self.connection.execute(replies.insert().values(sender_id=self.sender, text=text, agent=agent, sent_at=at))
        if not self.state["inbox"]:
            self._wait(AGENT, at)
        self._change_inbox(agent=agent, waiting_since=None)

    def _change_inbox(self, **values: Any) -> None:
        self.connection.execute(
            inbox.update().where(inbox.c.sender_id == self.sender).values(version=self._bump(), **values)
        )

    def _bump(self) -> int:
        """The inbox's change counter, counted up by one."""
        self.connection.execute(counters.update().where(counters.c.name == "inbox").values(value=counters.c.value + 1))
        return int(self.connection.execute(sa.select(counters.c.value).where(counters.c.name == "inbox")).scalar())


_HANDLERS: Dict[Text, Callable[[_Recording, Dict[Text, Any]], None]] = {
    "user": _Recording.user,
    "bot": _Recording.bot,
    "action": _Recording.action,
    "slot": _Recording.slot,
    "pause": _Recording.pause,
    "resume": _Recording.resume,
}


def _recorded(event: Dict[Text, Any]) -> bool:
    """Whether the event changes a record: of actions the hand-off, of slots 👎 and the summary."""
    if event.get("event") == "action":
        return event.get("name") == HAND_OFF_ACTION
    if event.get("event") == "slot":
        return event.get("name") in (FEEDBACK_SLOT, HANDOFF_SUMMARY)
    return True


def _new_state() -> Dict[Text, Any]:
    return {"said": None, "question": None, "answers": [], "fallbacks": 0, "downs": 0, "last_down": 0.0, "inbox": False}


def _waiting(row: Any) -> Waiting:
    return Waiting(**{**row._mapping, "reasons": row.reasons.split(",")})


def _earliest(at: float) -> Any:
    """waiting_since, unless it is already set: the merchant waits since their first unanswered words."""
    return sa.func.coalesce(inbox.c.waiting_since, at)


def _digest(text: Text) -> Text:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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


def _create_tables(engine: Engine) -> None:
    """The tables and the inbox counter; several servers starting at once may race to it."""
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            with engine.begin() as connection:
                if connection.execute(sa.select(counters.c.value).where(counters.c.name == "inbox")).first() is None:
                    connection.execute(counters.insert().values(name="inbox", value=0))
            return
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.IntegrityError):
            if attempt == 2:
                raise
            time.sleep(0.5)
