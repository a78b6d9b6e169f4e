"""The maintainer view: merchant messages the assistant could not help with, grouped.

The messages and their groups are recorded as the conversations happen (stores/records/),
so a request reads one page of groups, however many conversations are stored."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Text

from sanic.request import Request
from sanic.response import HTTPResponse

from channels.web.guards import answers_refusals, int_arg, json_response, loaded_records, requires_token
from channels.web.teaching import label_json
from stores.records import Group
from stores.records.labels import labels_of


@requires_token
@answers_refusals
async def unanswered(request: Request) -> HTTPResponse:
    """Merchant messages that fell back, went to a human or got 👎, grouped, newest first."""
    limit = int_arg(request, "limit", default=100, low=1, high=1000)
    records = loaded_records(request)
    groups, messages, total = records.unanswered(limit)
    labels = labels_of(records.engine, [g.key for g in groups])
    body = [{**_group(g), "label": label_json(labels[g.key]) if g.key in labels else None} for g in groups]
    return json_response({"groups": body, "messages": messages, "total_groups": total})


def _group(group: Group) -> Dict[Text, Any]:
    return {
        "key": group.key,
        "text": group.text,
        "count": group.count,
        "last_seen": iso(group.last_seen),
        "timestamp": group.last_seen,
        "reasons": group.reasons,
        "examples": group.examples,
        "conversations": group.conversations,
    }


def iso(timestamp: float) -> Text:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).isoformat(timespec="seconds")
