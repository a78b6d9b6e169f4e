"""What the maintainer view and the agent inbox need, recorded as conversations happen.

`RecordsBroker` is the Rasa server's event broker (`event_broker:` in endpoints.yml and
endpoints.production.yml). The tracker store publishes each new event to it once, after
it has stored a turn under the conversation's lock; the broker writes into tables of the
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

The modules: `tables` (the tables, the engine), `broker` (`RecordsBroker`, the agents'
tokens), `recording` (the records each event changes), `queries` (what the views read).
"""

from stores.records.broker import RecordsBroker, RecordsUnavailable, token_digest
from stores.records.queries import AgentReply, Group, Waiting
from stores.records.recording import (
    AGENT,
    ANSWERS_KEPT,
    FEEDBACK_SLOT,
    FOLLOW_UP_INTENTS,
    HAND_OFF_ACTION,
    IN_A_ROW,
    group_key,
    spoken,
)
from stores.records.tables import (
    REASONS,
    agents,
    conversations,
    counters,
    engine_for,
    groups,
    inbox,
    messages,
    metadata,
    replies,
)

__all__ = [
    "AGENT",
    "ANSWERS_KEPT",
    "FEEDBACK_SLOT",
    "FOLLOW_UP_INTENTS",
    "HAND_OFF_ACTION",
    "IN_A_ROW",
    "REASONS",
    "AgentReply",
    "Group",
    "RecordsBroker",
    "RecordsUnavailable",
    "Waiting",
    "agents",
    "conversations",
    "counters",
    "engine_for",
    "group_key",
    "groups",
    "inbox",
    "spoken",
    "messages",
    "metadata",
    "replies",
    "token_digest",
]
