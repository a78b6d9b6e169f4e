"""Teaching the assistant from real conversations: a maintainer labels a group of the
待改进的问题 panel with what it should have been understood as (issue 29).

- `PUT /assist/unanswered/<key>/label` `{"intent": "ask_when_effective", "facts": {"shop_type": "flagship"}}`:
  a question type of the rule, `out_of_scope`, or `ask_beyond_source` (about the rule, but
  the notice does not cover it: a person answers); facts optional. Refused (422, with the
  reason) when the group's text could not be taught (scripts/review.py).
- `DELETE /assist/unanswered/<key>/label`: undoes it.
- `GET /assist/unanswered/<key>/choices`: the assistant's best guesses for the group's text
  (the same NLU's top question types, with confidence), then every label it may have.
- `POST /assist/conversations/<sender>/wrong` `{"said", "answered", "intent", "facts"?}`:
  the reply `answered` to the merchant's words `said` was wrong; the merchant needed
  `intent` with `facts`. Stored with the engine's answer to that frame, which
  `make review-export` writes as a conversation case (tests/conversations/reviewed/).

`make review-export` turns the labels into NLU examples; `make train` retrains.
"""

from __future__ import annotations

import re
import time
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.answers import TOPICS
from actions.policy import load_policy
from actions.actions import PAGE_INPUTS
from actions.privacy import masked
from channels.incoming import BadRequest, json_object, path_sender
from channels.web.agent import LABELS, suggestion, title
from channels.web.guards import (
    MAX_TEXT_CHARACTERS,
    answers_refusals,
    error_response,
    json_response,
    loaded_agent,
    loaded_records,
    requires_token,
    text_field,
)
from scripts.review import refusal
from stores.records.labels import Label, WrongAnswer, group_text, mark_wrong, put_label, remove_label

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


def parse_label(data: Dict[Text, Any]) -> Dict[Text, Any]:
    """The intent and facts of a label request, or BadRequest."""
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
    wanted = parse_label(json_object(request.body or b"", '{"intent": "ask_when_effective", "facts": {}}'))
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


@requires_token
@answers_refusals
async def wrong_answer(request: Request, sender: Text) -> HTTPResponse:
    """Marks a reply wrong with what the merchant needed; answers the engine's reply to that."""
    path_sender(sender)
    data = json_object(request.body or b"", '{"said": "…", "answered": "…", "intent": "…", "facts": {}}')
    wanted = parse_label(data)
    said, answered = text_field(data, "said", MAX_TEXT_CHARACTERS), text_field(data, "answered", MAX_TEXT_CHARACTERS)
    if masked(said) != said:
        return error_response(422, "含有个人信息，不能写进测试用例")
    parsed = {**await loaded_agent(request).parse_message(said), "intent": {"name": wanted["intent"], "confidence": 1.0}}
    profile = {name: value for name, value in wanted["facts"].items() if name in PAGE_INPUTS}
    expected = suggestion(parsed, profile)["reply"]["text"]
    wrong = WrongAnswer(said, answered, wanted["intent"], profile, expected, request.ctx.agent_name, time.time())
    mark_wrong(loaded_records(request).engine, wrong)
    return json_response({"expected": expected})


def _group_text(engine: sa.engine.Engine, key: Text) -> Optional[Text]:
    """The newest text of the group `key`; None for a key that is not one."""
    return group_text(engine, key) if _GROUP_KEY.match(key) else None
