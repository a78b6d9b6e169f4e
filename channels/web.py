"""The merchant chat widget's and the agent console's routes, served by the Rasa server.

Enabled by the line `channels.web.WebInput:` in credentials.yml. The routes sit at the
server's root:

- `GET /web/`, `/web/demo`, `/web/console`: the pages; `GET /web/static/<file>`: the
  bundles built from web/ into build/web/ (`make web`).
- `GET /web/welcome`, `POST /web/feedback`: for the widget (merchants).
- `GET /assist/vocabulary`, `POST /assist/suggest`, `GET /assist/unanswered`: for support
  agents and maintainers; they need the token in ASSISTANT_TOKEN.

Merchants do not talk through this channel: the widget uses the socket.io channel, and
the REST channel when socket.io cannot connect. Every answer here is JSON (or a file);
bad input gets a 400 with {"error": "..."}.
"""

from __future__ import annotations

import datetime as dt
import hmac
import inspect
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Text, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.actions import HUMAN_BUTTON, topic_buttons
from actions.answers import INPUT_LABELS, MAIN_TOPICS, TOPICS, Reply, answer
from actions.policy import UnknownValueError, candidates, fold, load_policy, normalise
from actions.understanding import Understanding, profile, understand
from channels.rest import MAX_SENDER_CHARACTERS, BadRequest, json_object, origin_refused

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "web" / "pages"
STATIC = ROOT / "build" / "web"
TOKEN_VARIABLE = "ASSISTANT_TOKEN"

FALLBACK_INTENT = "nlu_fallback"
HAND_OFF_ACTION = "action_hand_off"
FEEDBACK_SLOT = "feedback"
# Two question types closer than this are both offered to the agent.
AMBIGUITY_MARGIN = 0.2
MAX_ALTERNATIVES = 3
# Merchant messages at least this similar (difflib ratio, folded text) are one group.
SIMILARITY = 0.8
MAX_TEXT_CHARACTERS = 5000

# The inputs a page (or the agent) may state about the merchant.
PROFILE_INPUTS = ("shop_type", "account_role")
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
    FALLBACK_INTENT: "没有把握识别",
}
# Merchant messages that only carry on a question (answers to the form, "转人工") point
# the maintainer view back to the question they belong to.
FOLLOW_UP_INTENTS = {"inform_profile", "request_human", "ask_details", "affirm", "deny"}

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_STATIC_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}
_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s]*")


class WebInput(InputChannel):
    """Serves the chat widget, the agent console and their JSON routes."""

    @classmethod
    def name(cls) -> Text:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def url_prefix(self) -> Text:
        """Routes sit at the server's root: /web/..., /assist/..."""
        return "/"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The routes; merchants' messages come through the socket.io and REST channels."""
        _hide_tokens_in_access_log()
        web = Blueprint("web_assistant", __name__)
        web.add_route(index, "/web", methods=["GET"], strict_slashes=False)
        web.add_route(page("demo.html"), "/web/demo", methods=["GET"])
        web.add_route(page("console.html"), "/web/console", methods=["GET"])
        web.add_route(static, "/web/static/<name>", methods=["GET"])
        web.add_route(welcome, "/web/welcome", methods=["GET"])
        web.add_route(feedback, "/web/feedback", methods=["POST"])
        web.add_route(vocabulary, "/assist/vocabulary", methods=["GET"])
        web.add_route(suggest, "/assist/suggest", methods=["POST"])
        web.add_route(unanswered, "/assist/unanswered", methods=["GET"])
        return web


# --- pages and bundles ------------------------------------------------------------


INDEX = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>抖音小店规则助手</title><link rel="icon" href="data:,"></head>
<body><h1>抖音小店规则助手</h1><ul>
<li><a href="/web/demo">商家后台演示页（聊天窗口）</a></li>
<li><a href="/web/console">客服答复台</a></li>
</ul></body></html>
"""


async def index(request: Request) -> HTTPResponse:
    """A page linking the demo page and the agent console."""
    return response.html(INDEX, headers=PAGE_HEADERS)


def page(name: Text) -> Callable[[Request], Awaitable[HTTPResponse]]:
    """A handler serving web/pages/<name>."""

    async def serve_page(request: Request) -> HTTPResponse:
        path = PAGES / name
        if not path.is_file():
            return _error(404, f"page {name} is missing")
        return response.html(path.read_text(encoding="utf-8"), headers=PAGE_HEADERS)

    serve_page.__name__ = f"page_{name.split('.')[0]}"
    return serve_page


async def static(request: Request, name: Text) -> HTTPResponse:
    """A bundle from build/web/, by plain file name only."""
    path = static_file(name)
    if path is None:
        return _error(404, f"no such file: {name[:100]} (run `make web` to build the bundles)")
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return await response.file(path, mime_type=CONTENT_TYPES[path.suffix], headers=headers)


def static_file(name: Text, folder: Optional[Path] = None) -> Optional[Path]:
    """The file `name` directly inside `folder` (build/web) with a known type, or None."""
    folder = folder or STATIC
    if not _STATIC_NAME.match(name) or ".." in name or Path(name).suffix not in CONTENT_TYPES:
        return None
    path = (folder / name).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        return None
    return path


# --- the widget's routes -----------------------------------------------------------


async def welcome(request: Request) -> HTTPResponse:
    """The greeting, the most asked questions as buttons, and the handoff button."""
    agent = _agent(request)
    if agent is None:
        return _error(503, "the assistant is still loading")
    variations = agent.domain.responses.get("utter_greet") or [{}]
    return _json(
        {
            "text": variations[0].get("text", ""),
            "buttons": topic_buttons(list(MAIN_TOPICS)),
            "human": HUMAN_BUTTON,
        }
    )


@dataclass(frozen=True)
class Feedback:
    sender: Text
    value: Text
    text: Text
    message_index: int


def parse_feedback(body: bytes) -> Feedback:
    """The 👍/👎 in a request body, or BadRequest."""
    data = json_object(body)
    value = data.get("value")
    if value not in ("up", "down"):
        raise BadRequest('"value" must be "up" or "down"')
    index = data.get("message_index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise BadRequest('"message_index" must be a non-negative integer')
    return Feedback(
        sender=_text(data, "sender", MAX_SENDER_CHARACTERS),
        value=value,
        text=_text(data, "text", MAX_TEXT_CHARACTERS),
        message_index=index,
    )


async def feedback(request: Request) -> HTTPResponse:
    """Stores 👍/👎 on a bot message in the conversation, as the slot `feedback`."""
    refused = origin_refused(request)
    if refused:
        return refused
    try:
        rating = parse_feedback(request.body or b"")
    except BadRequest as error:
        return _error(400, str(error))
    agent = _agent(request)
    if agent is None:
        return _error(503, "the assistant is still loading")
    value = {
        "value": rating.value,
        "text": rating.text,
        "message_index": rating.message_index,
        "timestamp": time.time(),
    }
    async with agent.lock_store.lock(rating.sender):
        tracker = await _maybe_await(agent.tracker_store.retrieve(rating.sender))
        if tracker is None:
            return _error(404, "no conversation with this sender")
        tracker.update(SlotSet(FEEDBACK_SLOT, value))
        await _maybe_await(agent.tracker_store.save(tracker))
    return _json({"stored": True, FEEDBACK_SLOT: value})


# --- the agent console's routes --------------------------------------------------------


async def vocabulary(request: Request) -> HTTPResponse:
    """The profile inputs and their values (ids and Chinese labels), for the console's menus."""
    refused = _token_refused(request)
    if refused:
        return refused
    policy = load_policy()
    inputs = [
        {
            "name": name,
            "label": INPUT_LABELS[name],
            "values": [{"id": v.id, "label": v.label} for v in policy.vocabulary[name].values()],
        }
        for name in PROFILE_INPUTS
    ]
    return _json({"inputs": inputs})


@dataclass(frozen=True)
class Question:
    text: Text
    profile: Mapping[Text, Optional[Text]]


def parse_question(body: bytes) -> Question:
    """The merchant's question and the profile the agent chose, or BadRequest."""
    data = json_object(body)
    profile = {}
    for name in PROFILE_INPUTS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise BadRequest(f'"{name}" must be text')
        profile[name] = (value or "").strip() or None
    return Question(text=_text(data, "text", MAX_TEXT_CHARACTERS), profile=profile)


async def suggest(request: Request) -> HTTPResponse:
    """The reply the assistant would give, for an agent to copy or edit.

    Parses the text with the loaded model without touching any conversation.
    """
    refused = _token_refused(request)
    if refused:
        return refused
    try:
        question = parse_question(request.body or b"")
    except BadRequest as error:
        return _error(400, str(error))
    agent = _agent(request)
    if agent is None:
        return _error(503, "the assistant is still loading")
    parsed = await agent.parse_message(question.text)
    return _json(suggestion(parsed, question.profile))


def suggestion(parsed: Mapping[Text, Any], chosen: Mapping[Text, Optional[Text]]) -> Dict[Text, Any]:
    """The console's answer for a parsed message: reply, clauses and alternatives, read
    by the same understanding as the chat (actions.understanding)."""
    policy = load_policy()
    intent = parsed.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    understood = understand(parsed, policy)
    known = {key: (value,) for key, value in ((k, _known(k, chosen.get(k))) for k in PROFILE_INPUTS) if value}
    claimed, denied = profile(understood, known, {}, policy)
    possible = candidates(policy, claimed, denied)
    if understood.questions:
        reply, clauses = _reply_json(understood.questions, possible, understood)
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
            for key, values in claimed.items()
            if values
        },
        "reply": reply,
        "clauses": clauses,
        "alternatives": alternatives(parsed, understood, possible),
    }


def alternatives(parsed: Mapping[Text, Any], understood: Understanding, possible: Any) -> List[Dict[Text, Any]]:
    """Other question types worth a look: when NLU fell back, or two came close."""
    top = (parsed.get("intent") or {}).get("name")
    ranking = [
        (str(i.get("name")), float(i.get("confidence") or 0.0))
        for i in parsed.get("intent_ranking") or []
        if isinstance(i, dict) and i.get("name") in TOPICS
    ]
    if top == FALLBACK_INTENT:
        others = [pair for pair in ranking if pair[0] not in understood.questions]
    elif top in TOPICS and len(ranking) > 1 and ranking[0][1] - ranking[1][1] <= AMBIGUITY_MARGIN:
        others = [(name, confidence) for name, confidence in ranking if name != top]
    else:
        return []
    return [_alternative(name, confidence, possible, understood) for name, confidence in others[:MAX_ALTERNATIVES]]


def _alternative(question: Text, confidence: float, possible: Any, understood: Understanding) -> Dict[Text, Any]:
    reply, clauses = _reply_json([question], possible, understood)
    return {
        "intent": question,
        "title": TOPICS[question].title,
        "confidence": round(confidence, 4),
        "reply": reply,
        "clauses": clauses,
    }


def _reply_json(
    questions: Sequence[Text], possible: Any, understood: Understanding
) -> Tuple[Dict[Text, Any], List[Dict[Text, Text]]]:
    """The reply as JSON, and the clauses it rests on with their quotes."""
    reply: Reply = answer(questions, possible, understood.product_source, understood.errors)
    policy = load_policy()
    missing = [
        {
            "name": reply.ask,
            "label": INPUT_LABELS[reply.ask],
            "options": [policy.label(reply.ask, value) for value in possible[reply.ask]],
        }
    ] if reply.ask else []
    lines = [reply.text] if reply.text else []
    if missing:
        lines += [f"还需要先问商家：{missing[0]['label']}（{'、'.join(missing[0]['options'])}）。"]
    return {"text": "\n".join(lines), "details": reply.details, "missing": missing}, _quotes(reply.clauses)


def _quotes(clauses: Iterable[Text]) -> List[Dict[Text, Text]]:
    """Clause ids with the source's words."""
    quotes = load_policy().clauses
    return [{"id": clause, "quote": quotes[clause]} for clause in clauses]


def _not_a_question(name: Optional[Text]) -> Dict[Text, Any]:
    if name == FALLBACK_INTENT:
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


# --- the maintainer view -----------------------------------------------------------------


@dataclass
class Unanswered:
    """A merchant message the assistant could not help with, and why."""

    sender: Text
    text: Text
    timestamp: float
    reasons: Set[Text] = field(default_factory=set)


async def unanswered(request: Request) -> HTTPResponse:
    """Merchant messages that fell back, went to a human or got 👎, grouped, newest first."""
    refused = _token_refused(request)
    if refused:
        return refused
    try:
        limit = _int_arg(request, "limit", default=100, low=1, high=1000)
    except BadRequest as error:
        return _error(400, str(error))
    agent = _agent(request)
    if agent is None:
        return _error(503, "the assistant is still loading")
    store = agent.tracker_store
    messages: List[Unanswered] = []
    for sender in await _maybe_await(store.keys()):
        try:
            tracker = await _full_tracker(store, sender)
        except Exception as error:  # one unreadable conversation does not hide the others
            logger.warning("Maintainer view: skipped conversation %r: %s", sender, error)
            continue
        if tracker is not None:
            messages += unanswered_messages(sender, tracker.events)
    groups = group_similar(messages)
    return _json({"groups": groups[:limit], "messages": len(messages), "total_groups": len(groups)})


def unanswered_messages(sender: Text, events: Iterable[Event]) -> List[Unanswered]:
    """The merchant's messages in one conversation that the assistant did not answer well.

    A message that fell back counts itself; a handoff and a 👎 count the merchant's
    question they follow (answers to the assistant's own questions and buttons that do
    not name a question are skipped back over).
    """
    events = list(events)
    found: Dict[int, Unanswered] = {}

    def mark(position: Optional[int], reason: Text) -> None:
        if position is None:
            return
        event = events[position]
        item = found.setdefault(position, Unanswered(sender, _merchant_words(event) or "", event.timestamp))
        item.reasons.add(reason)

    for position, event in enumerate(events):
        if isinstance(event, UserUttered) and event.intent_name == FALLBACK_INTENT and _merchant_words(event):
            mark(position, "fallback")
        elif isinstance(event, ActionExecuted) and event.action_name == HAND_OFF_ACTION:
            mark(_question_before(events, position), "handoff")
        elif isinstance(event, SlotSet) and event.key == FEEDBACK_SLOT and _is_down(event.value):
            rated = _bot_message_before(events, position, event.value.get("text"))
            mark(_question_before(events, rated if rated is not None else position), "down")
    return [item for item in found.values() if item.text]


def group_similar(messages: Iterable[Unanswered]) -> List[Dict[Text, Any]]:
    """Messages grouped by near-equal folded text, newest group first, with counts."""
    groups: List[Tuple[Text, Dict[Text, Any]]] = []
    for message in sorted(messages, key=lambda m: m.timestamp, reverse=True):
        key = fold(message.text)
        group = next((g for k, g in groups if _similar(k, key)), None)
        if group is None:
            group = _new_group(message)
            groups.append((key, group))
        group["count"] += 1
        for reason in sorted(message.reasons):
            group["reasons"][reason] = group["reasons"].get(reason, 0) + 1
        if message.text not in group["examples"] and len(group["examples"]) < 5:
            group["examples"].append(message.text)
        if message.sender not in group["conversations"] and len(group["conversations"]) < 5:
            group["conversations"].append(message.sender)
    return [group for _, group in groups]


def _similar(one: Text, other: Text) -> bool:
    return one == other or SequenceMatcher(None, one, other, autojunk=False).ratio() >= SIMILARITY


def _new_group(newest: Unanswered) -> Dict[Text, Any]:
    return {
        "text": newest.text,
        "count": 0,
        "last_seen": _iso(newest.timestamp),
        "timestamp": newest.timestamp,
        "reasons": {},
        "examples": [],
        "conversations": [],
    }


def _merchant_words(event: Event) -> Optional[Text]:
    """What the merchant said; a button names its question; other buttons say nothing."""
    text = (getattr(event, "text", None) or "").strip()
    if not text.startswith("/"):
        return text or None
    intent = text[1:].split("{")[0]
    return f"〔按钮〕{TOPICS[intent].title}" if intent in TOPICS else None


def _question_before(events: List[Event], position: int) -> Optional[int]:
    """The merchant's latest message before `position` that is a question, not a follow-up."""
    said = [
        i for i in range(position - 1, -1, -1)
        if isinstance(events[i], UserUttered) and _merchant_words(events[i])
    ]
    question = next((i for i in said if events[i].intent_name not in FOLLOW_UP_INTENTS), None)
    return question if question is not None else (said[0] if said else None)


def _bot_message_before(events: List[Event], position: int, text: Any) -> Optional[int]:
    """The latest bot message before `position` with `text` (else the latest bot message)."""
    said = [i for i in range(position - 1, -1, -1) if isinstance(events[i], BotUttered)]
    return next((i for i in said if events[i].text == text), said[0] if said else None)


def _is_down(value: Any) -> bool:
    return isinstance(value, dict) and value.get("value") == "down"


def _iso(timestamp: float) -> Text:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).isoformat(timespec="seconds")


# --- requests, tokens and stores ---------------------------------------------------------


def _json(body: Any, status: int = 200, headers: Optional[Dict[Text, Text]] = None) -> HTTPResponse:
    return response.json(body, status=status, headers=headers, dumps=json.dumps, ensure_ascii=False)


def _error(status: int, message: Text, headers: Optional[Dict[Text, Text]] = None) -> HTTPResponse:
    return _json({"error": message}, status=status, headers=headers)


def _agent(request: Request) -> Any:
    agent = getattr(request.app.ctx, "agent", None)
    return agent if agent is not None and agent.is_ready() else None


def _text(data: Mapping[Text, Any], name: Text, longest: int) -> Text:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f'"{name}" must be non-empty text')
    if len(value) > longest:
        raise BadRequest(f'"{name}" must be at most {longest} characters')
    return value.strip()


def _int_arg(request: Request, name: Text, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f'"{name}" must be a whole number from {low} to {high}')
    return int(raw)


def _token_refused(request: Request) -> Optional[HTTPResponse]:
    """401 without the right token, 503 when the server has none; None when allowed."""
    expected = os.environ.get(TOKEN_VARIABLE, "")
    if not expected:
        return _error(503, f"the agent routes are disabled: {TOKEN_VARIABLE} is not set on the server")
    given = _given_token(request)
    if not given or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return _error(401, "a valid token is required", headers={"WWW-Authenticate": "Bearer"})
    return None


def _given_token(request: Request) -> Optional[Text]:
    scheme, _, credentials = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.args.get("token")


async def _maybe_await(value: Any) -> Any:
    """The value, awaited when a store's method was async."""
    return await value if inspect.isawaitable(value) else value


async def _full_tracker(store: Any, sender: Text) -> Any:
    """Every session of a conversation, where the store can give them."""
    retrieve = getattr(store, "retrieve_full_tracker", None) or store.retrieve
    return await _maybe_await(retrieve(sender))


class _TokenFilter(logging.Filter):
    """Blanks `token=` query values in Sanic's access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, str):
            record.request = _TOKEN_IN_URL.sub(r"\1***", request)
        return True


def _hide_tokens_in_access_log() -> None:
    access = logging.getLogger("sanic.access")
    if not any(isinstance(f, _TokenFilter) for f in access.filters):
        access.addFilter(_TokenFilter())
