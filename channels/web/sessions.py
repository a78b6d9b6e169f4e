"""Merchant sessions: which conversation a request may read or write.

The page that embeds the widget vouches for the merchant with a signed session token: a
JWT (HS256, signed with the key in ASSISTANT_SESSION_KEY) whose subject (`sub`) is the
conversation id, whose `profile` holds what the host knows of the merchant (shop type,
account role) and whose `exp` ends it. REST (`Authorization: Bearer <token>`), socket.io
(`auth: {"token": …}`), the agent-reply poll and 👍/👎 accept a conversation only with a
token whose subject it is; the profile in the token, not free metadata, is what the
assistant is told. A trusted backend holding the API token (ASSISTANT_TOKEN) may speak
for any conversation.

`POST /web/session` issues tokens for the demo page (ASSISTANT_SESSION_ISSUER=demo, which
`make run` sets and its production profile does not): a new conversation, or the same one
again for a valid token (the widget renews its token each time it opens).
"""

from __future__ import annotations

import hmac
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Text

import jwt
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.incoming import BadRequest, SessionRefused, json_object, limit, origin_refused, page_metadata
from channels.web.guards import answers_refusals, given_token, is_api_token, json_response
from channels.web.throttle import client_address, refusal

KEY_VARIABLE = "ASSISTANT_SESSION_KEY"  # signs and checks merchant session tokens; shared by every server
ISSUER_VARIABLE = "ASSISTANT_SESSION_ISSUER"  # "demo": POST /web/session issues tokens (never in production)
HOURS = ("ASSISTANT_SESSION_HOURS", 12)  # how long a token the demo issuer signs is valid
SHORTEST_KEY = 32  # characters of a signing key; HS256 wants at least 256 bits
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Session:
    """Who a request speaks for: one conversation (`subject`), or any (a trusted backend)."""

    subject: Optional[Text] = None
    profile: Optional[Dict[Text, Text]] = field(default=None, hash=False, compare=False)

    @property
    def trusted(self) -> bool:
        return self.subject is None

    def check(self, sender: Text) -> None:
        """SessionRefused (403) unless the session may speak for conversation `sender`."""
        if not self.trusted and sender != self.subject:
            raise SessionRefused(403, "the session token is for another conversation")

    def metadata(self, given: Optional[Dict[Text, Text]]) -> Optional[Dict[Text, Text]]:
        """What a message is told of the merchant: the token's profile; a trusted
        backend's own metadata."""
        return given if self.trusted else self.profile


NOBODY = Session(subject="")  # speaks for no conversation


def signing_key() -> Text:
    """The key of merchant session tokens, or SessionRefused (503) when the server has none."""
    key = os.environ.get(KEY_VARIABLE, "")
    if len(key) < SHORTEST_KEY:
        reason = "is not set" if not key else f"is shorter than {SHORTEST_KEY} characters"
        raise SessionRefused(503, f"merchant sessions are disabled: {KEY_VARIABLE} {reason} on the server")
    return key


def sign(subject: Text, profile: Optional[Dict[Text, Text]], key: Text, seconds: int) -> Text:
    """A session token for conversation `subject`, valid for `seconds`: what a host page's
    backend signs for its merchant (the tests and tools sign theirs with it too)."""
    now = int(time.time())
    claims: Dict[Text, Any] = {"sub": subject, "iat": now, "exp": now + seconds}
    if profile:
        claims["profile"] = profile
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def issue(subject: Text, profile: Optional[Dict[Text, Text]] = None) -> Text:
    """A session token of this server for `subject`, valid for ASSISTANT_SESSION_HOURS."""
    return sign(subject, profile, signing_key(), 3600 * limit(HOURS))


def session_of(token: Optional[Text]) -> Session:
    """The session a token opens: any conversation for the API token, the subject's for a
    valid merchant token; SessionRefused (401) for none or one that does not verify."""
    if not token:
        raise SessionRefused(401, "a session token is required (Authorization: Bearer <token>)")
    if is_api_token(token):
        return Session()
    try:
        claims = jwt.decode(token, signing_key(), algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.ExpiredSignatureError:
        raise SessionRefused(401, "the session token has expired") from None
    except jwt.InvalidTokenError:
        raise SessionRefused(401, "the session token is not valid") from None
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise SessionRefused(401, "the session token names no conversation")
    profile = claims.get("profile")
    return Session(subject, page_metadata(profile if isinstance(profile, dict) else None))


def request_session(request: Request) -> Session:
    """The session of a request's bearer token (or `token` query argument)."""
    return session_of(given_token(request))


@answers_refusals
async def new_session(request: Request) -> HTTPResponse:
    """The demo issuer: {"session_id", "token", "expires_in"} for a new conversation, with
    the page's {"metadata": {"shop_type", "account_role"}} as its profile; with a valid
    session token, the same conversation and profile again."""
    refused = origin_refused(request) or refusal(request, "client", client_address(request))
    if refused:
        return refused
    if os.environ.get(ISSUER_VARIABLE) != "demo":
        raise SessionRefused(404, "the demo session issuer is off: the page that embeds the widget issues tokens")
    if given_token(request):
        renewed = request_session(request)
        if renewed.subject is None:
            raise BadRequest("the API token has no session to renew")
        subject, profile = renewed.subject, renewed.profile
    else:
        metadata = (json_object(request.body) if request.body else {}).get("metadata")
        subject, profile = uuid.uuid4().hex, page_metadata(metadata if isinstance(metadata, dict) else None)
    token = issue(subject, profile)
    return json_response({"session_id": subject, "token": token, "expires_in": 3600 * limit(HOURS)})
