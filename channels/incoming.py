"""What the channels accept: a message's fields validated and cleaned, the request's origin.

Every text (message, sender id, metadata) is cleaned the same way on both channels, so
the NLU and the stores are never handed text they cannot encode; bad input is refused
with BadRequest naming what is wrong.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.actions import PAGE_INPUTS

MAX_MESSAGE_CHARACTERS = 2000  # kept of a message; the NLU reads the first 500
MAX_SENDER_CHARACTERS = 128
# Limits a request is refused beyond (400), each overridden by the environment variable
# of its name: the body's size in bytes and how deeply its JSON nests.
BODY_BYTES = ("ASSISTANT_MAX_BODY_BYTES", 64 * 1024)
JSON_DEPTH = ("ASSISTANT_MAX_JSON_DEPTH", 8)
# What a host page may pass as a message's metadata: these fields, each a short text
# (others are dropped, so nothing large or nested is stored with every message).
METADATA_FIELDS = PAGE_INPUTS
MAX_METADATA_CHARACTERS = 64
DEFAULT_ORIGINS = "http://localhost:5005,http://127.0.0.1:5005"
# Removed from text, sender ids and metadata: control characters other than tab and newline,
# zero-width and direction marks, BOM, and Unicode's non-characters (U+FDD0-U+FDEF and
# the last two code points of every plane), which some libraries refuse.
_INVISIBLE = "\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
_REMOVED = re.compile(f"[{_INVISIBLE}{_NON_CHARACTERS}]")


class BadRequest(ValueError):
    """A request the channel refuses; the message says why."""


class SessionRefused(Exception):
    """A request whose session (channels.web.sessions) does not allow it; `status` is
    its HTTP status (401 no valid token, 403 another conversation's, 503 no signing key)."""

    def __init__(self, status: int, reason: Text) -> None:
        super().__init__(reason)
        self.status = status


def limit(setting: Tuple[Text, int]) -> int:
    """A limit's value: its environment variable when a positive integer, else its default."""
    name, default = setting
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


@dataclass(frozen=True)
class Incoming:
    sender: Text
    text: Text
    metadata: Optional[Dict[Text, Any]]


def allowed_origins() -> List[Text]:
    """Origins the widget may be served from (ASSISTANT_ALLOWED_ORIGINS, comma-separated)."""
    configured = os.environ.get("ASSISTANT_ALLOWED_ORIGINS") or DEFAULT_ORIGINS
    return [origin.strip().rstrip("/") for origin in configured.split(",") if origin.strip()]


def clean(text: Text) -> Text:
    """Text every part of the assistant can encode and read: surrogate pairs joined;
    unpaired surrogates, non-characters and invisible characters removed; stripped."""
    paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return _REMOVED.sub("", paired).strip()


def json_object(body: bytes, example: Text = "{...}") -> Dict[Text, Any]:
    """The JSON object in a request body, or BadRequest naming what is wrong."""
    most = limit(BODY_BYTES)
    if len(body) > most:
        raise BadRequest(f"the request body is over {most} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None
    data = json_value(text)
    if not isinstance(data, dict):
        raise BadRequest(f"expected a JSON object like {example}")
    return data


def json_value(text: Text, wrapping: int = 0) -> Any:
    """The JSON value of `text` within the size and nesting limits (`wrapping`: levels a
    channel's envelope adds, such as socket.io's event list), or BadRequest."""
    most, deepest = limit(BODY_BYTES), limit(JSON_DEPTH)
    if len(text.encode("utf-8", "surrogatepass")) > most:
        raise BadRequest(f"the request body is over {most} bytes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise BadRequest("the request body is not valid JSON") from None
    except RecursionError:
        data = None  # nested past what the parser follows: refused below
    if data is None or _depth(data) > deepest + wrapping:
        raise BadRequest(f"the request body nests deeper than {deepest} levels")
    return data


def _depth(value: Any) -> int:
    """How deeply a JSON value nests (a scalar: 0), without recursion."""
    deepest, waiting = 0, [(value, 0)]
    while waiting:
        item, depth = waiting.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth + 1)
            waiting.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


async def read_body(request: Request) -> bytes:
    """A streamed request's body, refused (BadRequest) as soon as it outgrows the limit,
    before the rest is read."""
    most = limit(BODY_BYTES)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most:
        raise BadRequest(f"the request body is over {most} bytes")
    body = bytearray()
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return bytes(body)
        body += chunk
        if len(body) > most:
            raise BadRequest(f"the request body is over {most} bytes")


def origin_refused(request: Request) -> Optional[HTTPResponse]:
    """403 for a browser request from an origin that may not embed the widget."""
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") not in allowed_origins():
        return response.json({"error": f"origin {origin[:100]} is not allowed"}, status=403)
    return None


def sender_id(value: Any, field: Text = "sender") -> Text:
    """A conversation id, or BadRequest naming what is wrong. One that cleaning would
    change is refused: 「\u200b…b」 must not reach conversation 「b」."""
    if not isinstance(value, str) or not clean(value):
        raise BadRequest(f'"{field}" must be non-empty text')
    if len(value) > MAX_SENDER_CHARACTERS:
        raise BadRequest(f'"{field}" must be at most {MAX_SENDER_CHARACTERS} characters')
    if clean(value) != value:
        raise BadRequest(f'"{field}" must hold no invisible or control characters and no spaces at either end')
    return value


def path_sender(segment: Text) -> Text:
    """A conversation id from a URL path segment, which Sanic leaves percent-encoded
    (「商家 甲」 arrives as %E5%95%86…%20…)."""
    return sender_id(urllib.parse.unquote(segment))


def validated(sender: Any, message: Any, metadata: Any, sender_field: Text = "sender") -> Incoming:
    """A message's fields, cleaned, or BadRequest naming what is wrong."""
    conversation = sender_id(sender, sender_field)
    if not isinstance(message, str):
        raise BadRequest('"message" must be text')
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest('"metadata" must be a JSON object')
    return Incoming(conversation, clean(message)[:MAX_MESSAGE_CHARACTERS], page_metadata(metadata))


def page_metadata(metadata: Optional[Dict[Any, Any]]) -> Optional[Dict[Text, Text]]:
    """The metadata a message keeps: the page's fields (METADATA_FIELDS), each a short
    text, cleaned; None when none is left."""
    texts = [(clean(k), clean(v)) for k, v in (metadata or {}).items() if isinstance(k, str) and isinstance(v, str)]
    kept = {k: v for k, v in texts if k in METADATA_FIELDS and 0 < len(v) <= MAX_METADATA_CHARACTERS}
    return kept or None


def parse_body(body: bytes) -> Incoming:
    """The message in a request body, or BadRequest naming what is wrong."""
    data = json_object(body, '{"sender": "...", "message": "..."}')
    return validated(data.get("sender"), data.get("message"), data.get("metadata"))
