"""The agent inbox: conversations waiting for a person, each one's transcript, and the
reply the assistant suggests for the merchant's latest words.

- `GET /assist/inbox?limit=&offset=`: a page of the conversations waiting, the longest
  waiting first, each with the hand-off summary and the merchant's last words, and how
  many there are in all (`total`); `version` changes with any of them.
- `GET /assist/inbox/events?limit=`: server-sent events: `inbox` (the first page, as
  above) at once, then `changes` after every change, whichever server recorded it (the
  records are in the shared database): the conversations new or changed, those gone,
  the page's order and every wait.
- `GET /assist/conversations/<sender>`: the whole transcript, the facts known, its place
  in the inbox.
- `GET /assist/conversations/<sender>/suggestion`: the reply for the merchant's latest
  question, from the same engine and renderer as /assist/suggest, with the facts the
  conversation has established.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace
from typing import Any, Dict, List, Mapping, Optional, Text

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa_sdk import Tracker
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.actions import DETAILS_BUTTON, HUMAN_BUTTON, QUESTION, RULED_OUT, Conversation, handoff_summary
from actions.answers import INPUT_LABELS
from actions.policy import PROFILE, load_policy
from channels.incoming import limit, path_sender
from channels.web.agent import suggestion_for
from channels.web.guards import (
    answers_refusals,
    error_response,
    int_arg,
    json_response,
    loaded_agent,
    loaded_records,
    maybe_await,
    requires_token,
)
from channels.web.maintainer import iso
from stores.records import AGENT, FOLLOW_UP_INTENTS, RecordsBroker, Waiting, spoken

# Conversations in a page of the inbox: ASSISTANT_INBOX_PAGE by default, `limit` at most MAX_PAGE.
INBOX_PAGE = ("ASSISTANT_INBOX_PAGE", 50)
MAX_PAGE = 200
POLL_SECONDS = 0.5  # how often the event stream looks for changes in the shared records
HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 300.0  # then the console reconnects: no stream outlives a token for long
NOT_A_QUESTION = FOLLOW_UP_INTENTS - {"inform_profile"}  # messages the suggestion looks past
# The lines of a hand-off summary (actions.actions.handoff_summary).
SUMMARY_LABELS = ("问题", *(INPUT_LABELS[name] for name in PROFILE), "商家原话", "助手已答复")


@requires_token
@answers_refusals
async def inbox(request: Request) -> HTTPResponse:
    """A page of the conversations waiting for a person."""
    return json_response(await inbox_json(request, _page(request), int_arg(request, "offset", 0, 0, 10**9)))


@requires_token
@answers_refusals
async def inbox_events(request: Request) -> HTTPResponse:
    """The inbox's first page as server-sent events, then its changes whenever it changes."""
    records, page = loaded_records(request), _page(request)
    stream = await request.respond(
        content_type="text/event-stream; charset=utf-8",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
    sent_version, sent_at, started = None, 0.0, time.monotonic()
    shown: Dict[Text, Dict[Text, Any]] = {}
    while time.monotonic() - started < STREAM_SECONDS and not _gone(request):
        version = records.inbox_version()
        if version != sent_version:
            now = await inbox_json(request, page)
            event, body = ("inbox", now) if sent_version is None else ("changes", inbox_changes(shown, now))
            await stream.send(f"event: {event}\ndata: {json.dumps(body, ensure_ascii=False)}\n\n")
            shown = {item["sender"]: item for item in now["conversations"]}
            sent_version, sent_at = version, time.monotonic()
        elif time.monotonic() - sent_at > HEARTBEAT_SECONDS:
            await stream.send(": still here\n\n")
            sent_at = time.monotonic()
        await asyncio.sleep(POLL_SECONDS)
    await stream.eof()
    return stream


@requires_token
@answers_refusals
async def conversation(request: Request, sender: Text) -> HTTPResponse:
    """A conversation for the agent: every message, the facts known, its place in the inbox."""
    sender = path_sender(sender)
    agent = loaded_agent(request)
    tracker = await maybe_await(agent.tracker_store.retrieve_full_tracker(sender))
    if tracker is None or not tracker.events:
        return error_response(404, "no conversation with this sender")
    waiting = loaded_records(request).waiting(sender)
    return json_response(
        {
            "sender": sender,
            "paused": tracker.is_paused(),
            "inbox": _waiting_json(waiting) if waiting else None,
            "facts": _facts(tracker),
            "messages": [_message(event) for event in tracker.events if _is_message(event)],
        }
    )


@requires_token
@answers_refusals
async def conversation_suggestion(request: Request, sender: Text) -> HTTPResponse:
    """The assistant's reply for the merchant's latest question (a request for a person is
    not one), with the conversation's facts."""
    sender = path_sender(sender)
    tracker = await maybe_await(loaded_agent(request).tracker_store.retrieve(sender))
    said = _latest_question(tracker) if tracker else None
    if said is None:
        return json_response({"for": None})
    sdk = _sdk_tracker(tracker, said)
    suggested = suggestion_for(said.parse_data, Conversation(sdk, load_policy()).turn)
    shown = {"text": _shown(said.text), "at": iso(said.timestamp), "timestamp": said.timestamp}
    return json_response({"for": shown, **suggested})


def _page(request: Request) -> int:
    return int_arg(request, "limit", limit(INBOX_PAGE), 1, MAX_PAGE)


async def inbox_json(request: Request, size: int, offset: int = 0) -> Dict[Text, Any]:
    """A page of the inbox; a conversation that entered without a hand-off summary gets
    one written now, from its tracker, as the hand-off would have."""
    records = loaded_records(request)
    version = records.inbox_version()
    waiting = [
        item if item.summary is not None else replace(item, summary=await _summary(request, records, item.sender_id))
        for item in records.inbox(size, offset)
    ]
    return {
        "version": version,
        "me": request.ctx.agent_name,
        "total": records.inbox_size(),
        "offset": offset,
        "conversations": [_waiting_json(w) for w in waiting],
    }


def inbox_changes(shown: Mapping[Text, Dict[Text, Any]], now: Dict[Text, Any]) -> Dict[Text, Any]:
    """What changed since the page `shown` (its conversations by sender): those new or
    changed, in full; the senders gone; the page's order; every wait (which changes by
    itself)."""
    items = {item["sender"]: item for item in now["conversations"]}
    return {
        "version": now["version"],
        "total": now["total"],
        "order": list(items),
        "upserted": [item for sender, item in items.items() if _steady(shown.get(sender)) != _steady(item)],
        "removed": [sender for sender in shown if sender not in items],
        "waiting": {sender: item["waiting_seconds"] for sender, item in items.items()},
    }


def _steady(item: Optional[Mapping[Text, Any]]) -> Optional[Dict[Text, Any]]:
    """An inbox item but its wait."""
    return {key: value for key, value in item.items() if key != "waiting_seconds"} if item else None


async def _summary(request: Request, records: RecordsBroker, sender: Text) -> Optional[Text]:
    tracker = await maybe_await(loaded_agent(request).tracker_store.retrieve(sender))
    if tracker is None:
        return None
    sdk = _sdk_tracker(tracker)
    summary = handoff_summary(sdk, Conversation(sdk, load_policy()).claimed, load_policy())
    records.set_summary(sender, summary)
    return summary


def _waiting_json(item: Waiting) -> Dict[Text, Any]:
    now = time.time()
    return {
        "sender": item.sender_id,
        "reasons": item.reasons,
        "since": iso(item.since),
        "waiting_since": iso(item.waiting_since) if item.waiting_since else None,
        "waiting_seconds": round(now - item.waiting_since) if item.waiting_since else None,
        "agent": item.agent,
        "summary": _summary_lines(item.summary),
        "last_words": {"text": item.last_words, "at": iso(item.last_words_at)} if item.last_words_at else None,
        "version": item.version,
    }


def _summary_lines(summary: Optional[Text]) -> List[Dict[Text, Text]]:
    """The hand-off summary's fields (actions.actions.handoff_summary), label and value."""
    try:
        fields = json.loads(summary or "[]")
    except ValueError:
        return _text_summary_lines(summary or "")
    listed = fields if isinstance(fields, list) else []
    return [
        {"label": str(field["label"]), "value": str(field["value"])}
        for field in listed
        if isinstance(field, dict) and {"label", "value"} <= set(field)
    ]


def _text_summary_lines(summary: Text) -> List[Dict[Text, Text]]:
    """A summary an earlier version wrote as text lines (「问题：…」); a line that is not
    one of them (the last answer runs over several) continues the value before it."""
    lines: List[Dict[Text, Text]] = []
    for line in summary.splitlines():
        label, colon, value = line.partition("：")
        if colon and label in SUMMARY_LABELS:
            lines.append({"label": label, "value": value})
        elif lines and line.strip():
            lines[-1]["value"] += "\n" + line
    return lines


def _facts(tracker: DialogueStateTracker) -> List[Dict[Text, Text]]:
    """What the merchant has established: shop type, role, scene, as labels."""
    policy, facts = load_policy(), []
    for name in PROFILE:
        values = tracker.get_slot(name) or []
        labels = [policy.label(name, v) for v in (values if isinstance(values, list) else [values])]
        if labels:
            facts.append({"name": name, "input": INPUT_LABELS[name], "label": "、".join(labels)})
    return facts


def _is_message(event: Any) -> bool:
    return isinstance(event, (UserUttered, BotUttered)) and bool(event.text)


def _message(event: Any) -> Dict[Text, Any]:
    """A message of the transcript: the merchant's (buttons named), the assistant's or an agent's."""
    when = {"at": iso(event.timestamp), "timestamp": event.timestamp}
    if isinstance(event, UserUttered):
        return {"role": "merchant", "text": _shown(event.text), **when}
    agent = (event.metadata or {}).get(AGENT)
    if agent:
        return {"role": "agent", "agent": agent, "text": event.text, **when}
    return {"role": "assistant", "text": event.text, **when}


def _shown(text: Optional[Text]) -> Text:
    """The merchant's words; a button as 〔按钮〕 with its title, or the values it gives."""
    words = spoken(text)
    if words or not text:
        return words or ""
    intent, _, values = text[1:].partition("{")
    titles = {button["payload"][1:]: button["title"] for button in (HUMAN_BUTTON, DETAILS_BUTTON)}
    return f"〔按钮〕{titles.get(intent) or _labels('{' + values) or text}"


def _labels(values: Text) -> Text:
    """「旗舰店」 for the payload values {"shop_type": "flagship"}; '' for anything else."""
    try:
        given = json.loads(values)
        return "、".join(load_policy().label(name, value) for name, value in given.items())
    except (ValueError, AttributeError, KeyError, TypeError):
        return ""


def _latest_question(tracker: DialogueStateTracker) -> Optional[UserUttered]:
    """The merchant's latest message that asks or tells something (a request for a person,
    for details, a yes or a no does not)."""
    said = [e for e in tracker.events if isinstance(e, UserUttered) and e.text]
    return next((e for e in reversed(said) if e.intent_name not in NOT_A_QUESTION), None)


def _sdk_tracker(tracker: DialogueStateTracker, latest: Optional[UserUttered] = None) -> Tracker:
    """The tracker as the actions see it; `latest` as its latest message when given."""
    sdk = Tracker.from_dict(tracker.current_state(EventVerbosity.AFTER_RESTART))
    if latest is not None:
        sdk.latest_message = {**latest.parse_data, "metadata": latest.metadata}
    return sdk


def _gone(request: Request) -> bool:
    """The console closed the stream, or the server is stopping."""
    transport = request.transport
    return request.app.is_stopping or transport is None or transport.is_closing()
