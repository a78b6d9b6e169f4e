"""The records an event of a conversation changes: its state, the unanswered messages and
their groups, the inbox and the agents' replies."""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from typing import Any, Callable, Dict, List, Optional, Text

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from actions.actions import HANDOFF_SUMMARY, ActionHandOff
from actions.answers import TOPICS
from actions.policy import fold, load_policy, normalise_text
from actions.privacy import masked
from actions.understanding import FALLBACK
from stores.records.daily import CONVERSATIONS, FALLBACKS, HANDED_OFF, QUESTION, day_of
from stores.records.tables import (
    INSERT_STATE,
    REASONS,
    UPDATE_STATE,
    counters,
    daily,
    groups,
    inbox,
    messages,
    replies,
    upsert,
)

FEEDBACK_SLOT = "feedback"
HAND_OFF_ACTION = ActionHandOff().name()
# Merchant messages that only carry on a question (answers to the assistant, "转人工"):
# a hand-off or a 👎 is counted for the question they belong to.
FOLLOW_UP_INTENTS = frozenset({"inform_profile", "request_human", "ask_details", "affirm", "deny"})
IN_A_ROW = 2  # fallbacks in a row, or 👎 in a conversation, that call for a person
ANSWERS_KEPT = 20  # the assistant's latest answers remembered, for the question a 👎 rates
AGENT = "agent"  # the metadata key naming the agent of an event
_UNSPOKEN = re.compile(r"[啊呀呢吧吗嘛哦哈啦么]+$")  # particles that end a question


def merchant_words(text: Optional[Text]) -> Optional[Text]:
    """What the records keep of the merchant's words: what they said, personal data masked."""
    words = spoken(text)
    return masked(words) if words else None


def spoken(text: Optional[Text]) -> Optional[Text]:
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


class Recording:
    """One event of a conversation being recorded, inside the broker's transaction."""

    def __init__(self, connection: Connection, sender: Text, state: Dict[Text, Any]) -> None:
        self.connection = connection
        self.sender = sender
        self.state = state

    def user(self, event: Dict[Text, Any]) -> None:
        """The merchant's words: the question, fallbacks in a row, the inbox's last words."""
        words = merchant_words(event.get("text"))
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        said = [words, event["timestamp"]] if words else None
        self._count_day(intent, event["timestamp"])
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
        """An agent's reply, or an answer of the assistant (remembered for a later 👎)."""
        agent = (event.get("metadata") or {}).get(AGENT)
        if agent:
            self._agent_replied(str(agent), event.get("text") or "", event["timestamp"])
        elif event.get("text"):
            answered = [_digest(event["text"]), self._target()]
            self.state["answers"] = (self.state["answers"] + [answered])[-ANSWERS_KEPT:]
            self._save_state()

    def action(self, event: Dict[Text, Any]) -> None:
        """The hand-off action: the question is unanswered and the conversation waits."""
        if event.get("name") == HAND_OFF_ACTION:
            self._flag(self._target(), "handoff")
            self._wait("handoff", event["timestamp"])

    def slot(self, event: Dict[Text, Any]) -> None:
        """The hand-off summary, or a 👎."""
        value = event.get("value")
        if event.get("name") == HANDOFF_SUMMARY and value and self.state["inbox"]:
            self._change_inbox(summary=str(value))
        elif event.get("name") == FEEDBACK_SLOT and isinstance(value, dict) and value.get("value") in ("up", "down"):
            self._rated(value, event["timestamp"])

    def pause(self, event: Dict[Text, Any]) -> None:
        """A hand-off, unless an agent took the conversation over."""
        if not (event.get("metadata") or {}).get(AGENT):  # an agent taking over is not a hand-off
            self._wait("handoff", event["timestamp"])

    def resume(self, event: Dict[Text, Any]) -> None:
        """Handed back to the assistant: out of the inbox, counting afresh."""
        if self.state["inbox"]:
            self.connection.execute(inbox.delete().where(inbox.c.sender_id == self.sender))
            self._bump()
        self.state.update(inbox=False, fallbacks=0, downs=0)
        self._save_state()

    def _rated(self, rating: Dict[Text, Any], at: float) -> None:
        """A 👍 or 👎, counted on its day; one stored again (a new session carries the slot
        over) is not counted twice."""
        rated_at = float(rating.get("timestamp") or 0)
        if rated_at and rated_at <= self.state.get("last_rated", self.state.get("last_down", 0.0)):
            return
        self.state["last_rated"] = rated_at
        self._save_state()
        self.count(rating["value"], rated_at or at)
        if rating["value"] == "down":
            self._thumbs_down(rating, rated_at)

    def _thumbs_down(self, rating: Dict[Text, Any], rated_at: float) -> None:
        """A 👎 counts for the question the rated answer answered; two call for a person."""
        digest = _digest(str(rating.get("text") or ""))
        answers = self.state["answers"]
        answered = next((a for a in reversed(answers) if a[0] == digest), answers[-1] if answers else None)
        self._flag(answered[1] if answered else self._target(), "down")
        self.state.update(downs=self.state["downs"] + 1)
        self._save_state()
        if self.state["downs"] >= IN_A_ROW:
            self._wait("downs", rated_at or time.time())

    def _target(self) -> Optional[List[Any]]:
        """The merchant's question a hand-off or 👎 now counts for."""
        return self.state["question"] or self.state["said"]

    def _save_state(self) -> None:
        """Writes the conversation's record (the lock keeps others from writing it meanwhile)."""
        values = {"sender": self.sender, "state": json.dumps(self.state, ensure_ascii=False)}
        if not self.connection.execute(UPDATE_STATE, values).rowcount:
            self.connection.execute(INSERT_STATE, values)

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

        self.connection.execute(upsert(self.connection, groups, values, update))

    def count(self, name: Text, at: float) -> None:
        """One more `name` on the day of `at` (the dashboard's counts)."""
        values = {"day": day_of(at), "name": name, "count": 1}
        self.connection.execute(upsert(self.connection, daily, values, lambda _: {"count": daily.c.count + 1}))

    def _count_day(self, intent: Optional[Text], at: float) -> None:
        """A merchant message in the day's counts: the conversation once a day, a fallback,
        the question type it asks."""
        day = day_of(at)
        if self.state.get("day") != day:
            self.state["day"] = day
            self.count(CONVERSATIONS, at)
        if intent == FALLBACK:
            self.count(FALLBACKS, at)
        elif intent in TOPICS:
            self.count(QUESTION + intent, at)

    def _wait(self, reason: Text, at: float) -> None:
        """The conversation waits for a person (again, or for one more reason); a
        conversation handed to a person is counted once a day."""
        if self.state.get("handed_day") != day_of(at):
            self.state["handed_day"] = day_of(at)
            self._save_state()
            self.count(HANDED_OFF, at)
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
        """Stores the reply; the conversation is in the inbox, answered by `agent`."""
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


HANDLERS: Dict[Text, Callable[[Recording, Dict[Text, Any]], None]] = {
    "user": Recording.user,
    "bot": Recording.bot,
    "action": Recording.action,
    "slot": Recording.slot,
    "pause": Recording.pause,
    "resume": Recording.resume,
}


def recorded(event: Dict[Text, Any]) -> bool:
    """Whether the event changes a record: of actions the hand-off, of slots 👎 and the summary."""
    if event.get("event") == "action":
        return event.get("name") == HAND_OFF_ACTION
    if event.get("event") == "slot":
        return event.get("name") in (FEEDBACK_SLOT, HANDOFF_SUMMARY)
    return True


def new_state() -> Dict[Text, Any]:
    """A conversation's record before its first recorded event."""
    return {
        "said": None,
        "question": None,
        "answers": [],
        "fallbacks": 0,
        "downs": 0,
        "last_rated": 0.0,
        "inbox": False,
    }


def _earliest(at: float) -> Any:
    """waiting_since, unless it is already set: the merchant waits since their first unanswered words."""
    return sa.func.coalesce(inbox.c.waiting_since, at)


def _digest(text: Text) -> Text:
    """A short fingerprint of an answer, to find the answer a 👎 rates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
