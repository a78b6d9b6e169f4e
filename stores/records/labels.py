"""What maintainers teach (issue 29): the labels of the unanswered groups (what a group of
merchant messages should have been understood as, who said so and when, and when it was
exported as NLU examples by `make review-export`; a group exported leaves the 待改进的问题
list until a merchant says it again), and the replies marked wrong (exported as
conversation cases)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Text

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from stores.records.tables import groups, labels, messages, wrong_answers


@dataclass(frozen=True)
class Label:
    """What a group should have been understood as."""

    key: Text
    intent: Text
    facts: Dict[Text, Text]
    by: Text
    at: float
    exported_at: Optional[float]


def put_label(engine: Engine, key: Text, intent: Text, facts: Dict[Text, Text], by: Text) -> Label:
    """Labels the group `key` (again: the new label replaces the old, not yet exported)."""
    label = Label(key, intent, facts, by, time.time(), None)
    values = {
        "intent": intent,
        "facts": json.dumps(facts, ensure_ascii=False),
        "labelled_by": by,
        "labelled_at": label.at,
    }
    with engine.begin() as connection:
        connection.execute(labels.delete().where(labels.c.group_key == key))
        connection.execute(labels.insert().values(group_key=key, exported_at=None, **values))
    return label


def remove_label(engine: Engine, key: Text) -> bool:
    """Undoes the label of `key`; False when it had none."""
    with engine.begin() as connection:
        return bool(connection.execute(labels.delete().where(labels.c.group_key == key)).rowcount)


def labels_of(engine: Engine, keys: Optional[Sequence[Text]] = None) -> Dict[Text, Label]:
    """The labels of the groups `keys` (all when None)."""
    query = sa.select(labels)
    if keys is not None:
        query = query.where(labels.c.group_key.in_(list(keys)))
    with engine.connect() as connection:
        return {row.group_key: _label(row) for row in connection.execute(query)}


def group_text(engine: Engine, key: Text) -> Optional[Text]:
    """The newest text of the unanswered group `key`, or None when there is no such group."""
    with engine.connect() as connection:
        return connection.execute(sa.select(groups.c.text).where(groups.c.group_key == key)).scalar()


def examples_of(engine: Engine, keys: Sequence[Text]) -> Dict[Text, List[Text]]:
    """The distinct texts merchants said in each group of `keys` (as recorded: masked)."""
    found: Dict[Text, List[Text]] = {}
    query = sa.select(messages.c.group_key, messages.c.text).where(messages.c.group_key.in_(list(keys)))
    with engine.connect() as connection:
        for key, text in connection.execute(query.order_by(messages.c.said_at)):
            if text not in found.setdefault(key, []):
                found[key].append(text)
    return found


def mark_exported(engine: Engine, keys: Sequence[Text], at: float) -> None:
    with engine.begin() as connection:
        connection.execute(labels.update().where(labels.c.group_key.in_(list(keys))).values(exported_at=at))


def _label(row: Any) -> Label:
    return Label(
        row.group_key, row.intent, json.loads(row.facts or "{}"), row.labelled_by, row.labelled_at, row.exported_at
    )


@dataclass(frozen=True)
class WrongAnswer:
    """A reply marked wrong: what the merchant said and needed, and the engine's answer to it."""

    said: Text
    answered: Text
    intent: Text
    facts: Dict[Text, Text]
    expected: Text
    by: Text
    at: float


def mark_wrong(engine: Engine, wrong: WrongAnswer) -> None:
    values = {
        "said": wrong.said,
        "answered": wrong.answered,
        "intent": wrong.intent,
        "facts": json.dumps(wrong.facts, ensure_ascii=False),
        "expected": wrong.expected,
        "marked_by": wrong.by,
        "marked_at": wrong.at,
    }
    with engine.begin() as connection:
        connection.execute(wrong_answers.insert().values(**values))


def wrong_answers_of(engine: Engine) -> List[WrongAnswer]:
    """Every reply marked wrong, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(wrong_answers).order_by(wrong_answers.c.id))
        return [
            WrongAnswer(r.said, r.answered, r.intent, json.loads(r.facts), r.expected, r.marked_by, r.marked_at)
            for r in rows
        ]
