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
from typing import Any, Dict, List, Optional, Text

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

MAX_MESSAGE_CHARACTERS = 2000  # kept of a message; the NLU reads the first 500
MAX_SENDER_CHARACTERS = 128
DEFAULT_ORIGINS = "http://localhost:5005,http://127.0.0.1:5005"
# Removed from text, sender ids and metadata: control characters other than tab and newline,
# zero-width and direction marks, BOM, and Unicode's non-characters (U+FDD0-U+FDEF and
# the last two code points of every plane), which some libraries refuse.
_INVISIBLE = "\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_NON_CHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
_REMOVED = re.compile(f"[{_INVISIBLE}{_NON_CHARACTERS}]")


class BadRequest(ValueError):
    """A request the channel refuses; the message says why."""


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


def cleaned(value: Any) -> Any:
    """A JSON value with each text in it (keys too) cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    if isinstance(value, dict):
        return {clean(key): cleaned(item) for key, item in value.items()}
    return value


def json_object(body: bytes, example: Text = "{...}") -> Dict[Text, Any]:
    """The JSON object in a request body, or BadRequest naming what is wrong."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the request body is not valid UTF-8") from None
    except json.JSONDecodeError:
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(f"expected a JSON object like {example}")
    return data


def origin_refused(request: Request) -> Optional[HTTPResponse]:
    """403 for a browser request from an origin that may not embed the widget."""
    origin = request.headers.get("origin")
    if origin and origin.rstrip("/") not in allowed_origins():
        return response.json({"error": f"origin {origin[:100]} is not allowed"}, status=403)
    return None


def sender_id(value: Any, field: Text = "sender") -> Text:
    """A conversation id, cleaned, or BadRequest naming what is wrong."""
    if not isinstance(value, str) or not clean(value):
        raise BadRequest(f'"{field}" must be non-empty text')
    if len(value) > MAX_SENDER_CHARACTERS:
        raise BadRequest(f'"{field}" must be at most {MAX_SENDER_CHARACTERS} characters')
    return clean(value)


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
    return Incoming(conversation, clean(message)[:MAX_MESSAGE_CHARACTERS], cleaned(metadata))


def parse_body(body: bytes) -> Incoming:
    """The message in a request body, or BadRequest naming what is wrong."""
    data = json_object(body, '{"sender": "...", "message": "..."}')
    return validated(data.get("sender"), data.get("message"), data.get("metadata"))
