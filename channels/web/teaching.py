"""Teaching the assistant from real conversations: a maintainer labels a group of the
待改进的问题 panel with what it should have been understood as (issue 29).

- `PUT /assist/unanswered/<key>/label` `{"intent": "ask_when_effective", "facts": {"shop_type": "flagship"}}`:
  a question type of the rule, `out_of_scope`, or `ask_beyond_source` (about the rule, but
  the notice does not cover it: a person answers); facts optional. Refused (422, with the
  reason) when the group's text could not be taught (scripts/review.py).
- `DELETE /assist/unanswered/<key>/label`: undoes it.
- `GET /assist/unanswered/<key>/choices`: the assistant's best guesses for the group's text
  (the same NLU's top question types, with confidence), then every label it may have.

`make review-export` turns the labels into NLU examples; `make train` retrains.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Text

import sqlalchemy as sa
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.answers import TOPICS
from actions.policy import load_policy
from channels.incoming import BadRequest, json_object
from channels.web.guards import (
    answers_refusals,
    error_response,
    json_response,
    loaded_agent,
    loaded_records,
    requires_token,
)
from scripts.review import refusal
from stores.records.labels import Label, put_label, remove_label
from stores.records.tables import groups

LABELS = (*TOPICS, "out_of_scope")  # what a group may be labelled as
OUT_OF_SCOPE_TITLE = "不属于规则范围"
GUESSES = 3
FACTS = ("shop_type", "account_role", "scene")
_GROUP_KEY = re.compile(r"^[0-9a-f]{32}$")


def label_json(label: Label) -> Dict[Text, Any]:
    """A label as the console shows it."""
    return {
        "intent": label.intent,
        "title": title(label.intent),
        "facts": label.facts,
        "by": label.by,
        "at": label.at,
        "exported": label.exported_at is not None,
    }


def title(intent: Text) -> Text:
    """How the console names a label."""
    return TOPICS[intent].title if intent in TOPICS else OUT_OF_SCOPE_TITLE


@requires_token
@answers_refusals
async def label_choices(request: Request, key: Text) -> HTTPResponse:
    """The NLU's best guesses for the group's text, and every label it may have."""
    text = _group_text(loaded_records(request).engine, key)
    if text is None:
        return error_response(404, "no such group")
    parsed = await loaded_agent(request).parse_message(text)
    ranked = [r for r in parsed.get("intent_ranking") or [] if r.get("name") in LABELS][:GUESSES]
    return json_response(
        {
            "guesses": [{"intent": r["name"], "title": title(r["name"]), "confidence": round(r["confidence"], 4)} for r in ranked],
            "choices": [{"intent": intent, "title": title(intent)} for intent in LABELS],
        }
    )


def parse_label(body: bytes) -> Dict[Text, Any]:
    """The intent and facts of a label request, or BadRequest."""
    data = json_object(body, '{"intent": "ask_when_effective", "facts": {"shop_type": "flagship"}}')
    intent, facts = data.get("intent"), data.get("facts") or {}
    if intent not in LABELS:
        raise BadRequest(f'"intent" must be one of {", ".join(LABELS)}')
    vocabulary = load_policy().vocabulary
    if not isinstance(facts, dict) or any(name not in FACTS or value not in vocabulary[name] for name, value in facts.items()):
        raise BadRequest(f'"facts" maps {", ".join(FACTS)} to their ids (GET /assist/vocabulary)')
    return {"intent": intent, "facts": facts}


@requires_token
@answers_refusals
async def label_group(request: Request, key: Text) -> HTTPResponse:
    """Labels the group `key` with what it should have been understood as."""
    wanted = parse_label(request.body or b"")
    engine = loaded_records(request).engine
    text = _group_text(engine, key)
    if text is None:
        return error_response(404, "no such group")
    refused = refusal(text, wanted["intent"])
    if refused:
        return error_response(422, refused)
    label = put_label(engine, key, wanted["intent"], wanted["facts"], request.ctx.agent_name)
    return json_response({"label": label_json(label)})


@requires_token
@answers_refusals
async def unlabel_group(request: Request, key: Text) -> HTTPResponse:
    """Undoes the label of the group `key`."""
    if not _GROUP_KEY.match(key) or not remove_label(loaded_records(request).engine, key):
        return error_response(404, "the group has no label")
    return json_response({"removed": True})


def _group_text(engine: sa.engine.Engine, key: Text) -> Any:
    if not _GROUP_KEY.match(key):
        return None
    with engine.connect() as connection:
        return connection.execute(sa.select(groups.c.text).where(groups.c.group_key == key)).scalar()
