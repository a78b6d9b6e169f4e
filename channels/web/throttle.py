"""Rate limits at the server's edge, per client and per conversation, so that one sender
cannot slow the assistant down for everyone (the `limits` library's moving window).

Counted in memory, or in Redis when the lock store is Redis: every server then shares
the counts. A caller holding a valid agent token is not limited (the benchmark and load
tools, the agents' own tools): `refusal` lets it through.
"""

from __future__ import annotations

import logging
import math
import os
import time
import urllib.parse
from typing import Any, Dict, List, Optional, Text, Tuple

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.web.guards import token_holder

logger = logging.getLogger(__name__)

# Each limit is overridden by the environment variable of its name: rates joined by 「;」,
# each of which holds ("2/second;30/minute"). The short window keeps a burst from one
# sender from slowing everyone down; the long one bounds what it may send in all.
PER_CLIENT = ("ASSISTANT_RATE_PER_CLIENT", "3/second;120/minute")  # messages from one address
PER_CONVERSATION = ("ASSISTANT_RATE_PER_CONVERSATION", "2/second;30/minute")  # of one conversation
SCOPES = {"client": PER_CLIENT, "conversation": PER_CONVERSATION}


def rates(setting: Tuple[Text, Text]) -> List[RateLimitItem]:
    """A limit's rates: its environment variable when it is rates ("30/minute"), else its default."""
    name, default = setting
    raw = os.environ.get(name, "").strip()
    if raw:
        try:
            return parse_many(raw)
        except ValueError:
            logger.warning("%s=%r is not a rate such as 30/minute: %s is used", name, raw, default)
    return parse_many(default)


class Throttle:
    """The rate limits of one server, counted in `storage`."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage  # the limiter holds it only weakly
        self._limiter = MovingWindowRateLimiter(storage)
        self._rates: Dict[Text, List[RateLimitItem]] = {scope: rates(setting) for scope, setting in SCOPES.items()}

    @classmethod
    def beside(cls, lock_store: Any) -> "Throttle":
        """Counts in the lock store's Redis (shared by every server), else in memory."""
        red = getattr(lock_store, "red", None)
        if red is None:
            return cls(MemoryStorage())
        kwargs = red.connection_pool.connection_kwargs
        password = kwargs.get("password")
        auth = f":{urllib.parse.quote(str(password), safe='')}@" if password else ""
        return cls(RedisStorage(f"redis://{auth}{kwargs['host']}:{kwargs['port']}/{kwargs.get('db', 0)}"))

    def retry_after(self, scope: Text, key: Text) -> int:
        """Counts one message of `key` (a client's address, a conversation id) in `scope`;
        0 when it is within every rate, else the seconds until one may be sent again."""
        for item in self._rates[scope]:
            if not self._limiter.hit(item, scope, key):
                reset, _ = self._limiter.get_window_stats(item, scope, key)
                return max(1, math.ceil(reset - time.time()))
        return 0


def throttle_of(app: Sanic) -> Throttle:
    """The server's throttle, made beside its agent's lock store once the agent is there."""
    throttle = getattr(app.ctx, "throttle", None)
    agent = getattr(app.ctx, "agent", None)
    if throttle is None:
        throttle = Throttle.beside(getattr(agent, "lock_store", None))
        if agent is not None:
            app.ctx.throttle = throttle
    return throttle


def client_address(request: Request) -> Text:
    """The address a request came from (Sanic's forwarded address when its proxy settings
    trust one, else the peer's)."""
    return request.remote_addr or request.ip or "unknown"


def wait_of(app: Sanic, scope: Text, key: Text) -> int:
    """Counts a message; the seconds to wait when it is over its limit (0: go on)."""
    wait = throttle_of(app).retry_after(scope, key)
    if wait:
        logger.warning("A message was refused: too many from one %s; retry after %d s", scope, wait)
    return wait


def refusal(request: Request, scope: Text, key: Text) -> Optional[HTTPResponse]:
    """429 with Retry-After when `key` is over its `scope`'s limit; None to go on, and
    always for a caller holding an agent token."""
    if token_holder(request):
        return None
    wait = wait_of(request.app, scope, key)
    if not wait:
        return None
    return response.json(too_many(wait), status=429, headers={"Retry-After": str(wait)})


def too_many(wait: int) -> Dict[Text, Any]:
    """What a caller over a limit is told (REST's 429 body, socket.io's error event)."""
    return {"error": f"too many messages: try again in {wait} seconds", "retry_after": wait}
