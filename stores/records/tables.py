"""The records' tables in the conversation database, and the engine that writes them."""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

REASONS = ("fallback", "handoff", "down")  # why a merchant message is listed as unanswered

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
daily = sa.Table(  # the dashboard's counts (stores/records/daily.py)
    "daily_counts",
    metadata,
    sa.Column("day", sa.String(10), primary_key=True),  # YYYY-MM-DD in the stats' time zone
    sa.Column("name", sa.String(80), primary_key=True),  # what is counted: conversations, question:<intent>…
    sa.Column("count", sa.Integer, nullable=False),
)
labels = sa.Table(  # a maintainer's label of an unanswered group (stores/records/labels.py)
    "review_labels",
    metadata,
    sa.Column("group_key", sa.String(32), primary_key=True),
    sa.Column("intent", sa.String(64), nullable=False),  # a question type, out_of_scope or ask_beyond_source
    sa.Column("facts", sa.Text, nullable=False),  # JSON: {"shop_type": "flagship", …}
    sa.Column("labelled_by", sa.String(64), nullable=False),
    sa.Column("labelled_at", sa.Float, nullable=False),
    sa.Column("exported_at", sa.Float),  # None until `make review-export` wrote it into data/nlu/reviewed.yml
)
wrong_answers = sa.Table(  # an assistant's reply a maintainer marked wrong (stores/records/labels.py)
    "wrong_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("said", sa.Text, nullable=False),  # the merchant's words it answered
    sa.Column("answered", sa.Text, nullable=False),  # the wrong reply
    sa.Column("intent", sa.String(64), nullable=False),  # what the merchant needed …
    sa.Column("facts", sa.Text, nullable=False),  # … with these facts (JSON)
    sa.Column("expected", sa.Text, nullable=False),  # the engine's answer to that frame
    sa.Column("marked_by", sa.String(64), nullable=False),
    sa.Column("marked_at", sa.Float, nullable=False),
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
READ_STATE = sa.text("SELECT state FROM conversation_records WHERE sender_id = :sender")
UPDATE_STATE = sa.text("UPDATE conversation_records SET state = :state WHERE sender_id = :sender")
INSERT_STATE = sa.text("INSERT INTO conversation_records (sender_id, state) VALUES (:sender, :state)")


def upsert(
    connection: Connection, table: sa.Table, values: Dict[Text, Any], update: Callable[[Any], Dict[Text, Any]]
) -> Any:
    """INSERT … ON CONFLICT (primary key) DO UPDATE `update(the new row)`, in the connection's dialect."""
    statement = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}[connection.dialect.name](table).values(
        **values
    )
    keys = [column.name for column in table.primary_key]
    return statement.on_conflict_do_update(index_elements=keys, set_=update(statement.excluded))


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


def create_tables(engine: Engine) -> None:
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
