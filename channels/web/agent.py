"""The agent console's routes: the profile vocabulary, and the reply the assistant would give."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text, Tuple

from sanic.request import Request
from sanic.response import HTTPResponse

from actions.actions import PAGE_INPUTS
from actions.answers import INPUT_LABELS, TOPICS, Frame, Reply, answer
from actions.frames import Turn, take_turn
from actions.policy import Policy, UnknownValueError, candidates, load_policy, normalise
from actions.understanding import FALLBACK, Understanding
from channels.incoming import BadRequest, json_object
from channels.web.guards import (
    MAX_TEXT_CHARACTERS,
    answers_refusals,
    json_response,
    loaded_agent,
    requires_token,
    text_field,
)

# Two question types closer than this are both offered to the agent.
AMBIGUITY_MARGIN = 0.2
MAX_ALTERNATIVES = 3
# What the other intents mean, for an agent reading the console.
OTHER_INTENTS = {
    "greet": "打招呼",
    "thank": "道谢",
    "goodbye": "告别",
    "affirm": "肯定回答",
    "deny": "否定回答",
    "bot_challenge": "问是不是机器人",
    "request_human": "要求转人工",
    "out_of_scope": "与这条规则无关的问题",
    "inform_profile": "告知店铺或账号情况",
    "ask_details": "要详细说明",
    FALLBACK: "没有把握识别",
}


@requires_token
async def vocabulary(request: Request) -> HTTPResponse:
    """The profile inputs and their values (ids and Chinese labels), and the question types
    a maintainer may say a merchant needed, for the console's menus."""
    policy = load_policy()
    inputs = [
        {
            "name": name,
            "label": INPUT_LABELS[name],
            "values": [{"id": v.id, "label": v.label} for v in policy.vocabulary[name].values()],
        }
        for name in PAGE_INPUTS
    ]
    return json_response({"inputs": inputs, "questions": [{"intent": i, "title": title(i)} for i in LABELS]})


LABELS = (*TOPICS, "out_of_scope")  # what a maintainer may say a merchant needed (teaching.py)


def title(intent: Text) -> Text:
    """How the console names a question type, or out of scope."""
    return TOPICS[intent].title if intent in TOPICS else "不属于规则范围"


@dataclass(frozen=True)
class Question:
    text: Text
    profile: Mapping[Text, Optional[Text]]


def parse_question(body: bytes) -> Question:
    """The merchant's question and the profile the agent chose, or BadRequest."""
    data = json_object(body)
    chosen = {}
    for name in PAGE_INPUTS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise BadRequest(f'"{name}" must be text')
        chosen[name] = (value or "").strip() or None
    return Question(text=text_field(data, "text", MAX_TEXT_CHARACTERS), profile=chosen)


@requires_token
@answers_refusals
async def suggest(request: Request) -> HTTPResponse:
    """The reply the assistant would give, for an agent to copy or edit.

    Parses the text with the loaded model without touching any conversation.
    """
    question = parse_question(request.body or b"")
    parsed = await loaded_agent(request).parse_message(question.text)
    return json_response(suggestion(parsed, question.profile))


def suggestion(parsed: Mapping[Text, Any], chosen: Mapping[Text, Optional[Text]]) -> Dict[Text, Any]:
    """The console's answer for a parsed message and the profile the agent chose."""
    known = {key: (value,) for key, value in ((k, _known(k, chosen.get(k))) for k in PAGE_INPUTS) if value}
    return suggestion_for(parsed, take_turn(parsed, known, {}, None, None, load_policy()))


def suggestion_for(parsed: Mapping[Text, Any], turn: Turn) -> Dict[Text, Any]:
    """The reply, clauses and alternatives of a turn (actions.frames.take_turn: the same
    reading and answer as the chat's) for the agent console."""
    policy = load_policy()
    intent = parsed.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    if turn.frame is not None and turn.reply is not None:
        reply, clauses = _reply_json(turn.frame, turn.reply, policy)
    else:
        reply, clauses = _not_a_question(name), []
    return {
        "intent": {"name": name, "confidence": round(confidence, 4), "title": _intent_title(name)},
        "facts": {
            key: {
                "id": values[0],
                "label": "、".join(policy.label(key, v) for v in values),
                "input": INPUT_LABELS[key],
            }
            for key, values in turn.claimed.items()
            if values
        },
        "reply": reply,
        "clauses": clauses,
        "alternatives": alternatives(parsed, turn, policy),
    }


def alternatives(parsed: Mapping[Text, Any], turn: Turn, policy: Policy) -> List[Dict[Text, Any]]:
    """Other question types worth a look, for the turn's frame or else the merchant's
    profile: when NLU fell back, or two came close."""
    understood = turn.understood
    top = (parsed.get("intent") or {}).get("name")
    ranking = [
        (str(i.get("name")), float(i.get("confidence") or 0.0))
        for i in parsed.get("intent_ranking") or []
        if isinstance(i, dict) and i.get("name") in TOPICS
    ]
    if top == FALLBACK:
        others = [pair for pair in ranking if pair[0] not in understood.questions]
    elif top in TOPICS and len(ranking) > 1 and ranking[0][1] - ranking[1][1] <= AMBIGUITY_MARGIN:
        others = [(name, confidence) for name, confidence in ranking if name != top]
    else:
        return []
    base = turn.frame or Frame.of([], candidates(policy, turn.claimed, turn.denied))
    return [_alternative(q, confidence, base, policy) for q, confidence in others[:MAX_ALTERNATIVES]]


def _alternative(question: Text, confidence: float, frame: Frame, policy: Policy) -> Dict[Text, Any]:
    asked = replace(frame, asks=(question,))
    reply, clauses = _reply_json(asked, answer(asked, policy=policy), policy)
    return {
        "intent": question,
        "title": TOPICS[question].title,
        "confidence": round(confidence, 4),
        "reply": reply,
        "clauses": clauses,
    }


def _reply_json(frame: Frame, reply: Reply, policy: Policy) -> Tuple[Dict[Text, Any], List[Dict[Text, Text]]]:
    """The reply as JSON, and the clauses it rests on with their quotes."""
    missing = (
        [
            {
                "name": reply.ask,
                "label": INPUT_LABELS[reply.ask],
                "options": [policy.label(reply.ask, value) for value in frame.subjects[0].possible[reply.ask]],
            }
        ]
        if reply.ask
        else []
    )
    lines = [reply.text] if reply.text else []
    if missing:
        lines += [f"还需要先问商家：{missing[0]['label']}（{'、'.join(missing[0]['options'])}）。"]
    quotes = [{"id": clause, "quote": policy.clauses[clause]} for clause in reply.clauses]
    return {"text": "\n".join(lines), "details": reply.details, "missing": missing}, quotes


def _not_a_question(name: Optional[Text]) -> Dict[Text, Any]:
    if name == FALLBACK:
        text = "没有把握判断商家问的是哪类问题。请看下面几种可能的问题和回答，或请商家换个说法。"
    else:
        text = f"这条消息（{_intent_title(name)}）不是关于这条规则的问题，没有规则答复可以建议。"
    return {"text": text, "details": "", "missing": []}


def _intent_title(name: Optional[Text]) -> Text:
    if name in TOPICS:
        return TOPICS[name].title
    return OTHER_INTENTS.get(name or "", name or "未识别")


def _known(name: Text, value: Any) -> Optional[Text]:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return normalise(name, value)
    except UnknownValueError:
        return None
