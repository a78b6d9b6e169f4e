"""The widget's side of the socket.io channel, for the tests and `make soak`.

The server acknowledges an event once it has handled it, after everything it sent back,
so what a connection received in between is the answer to that event.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Awaitable, Dict, List, Optional, Tuple, TypeVar

import socketio

Received = Tuple[str, Any]  # (event name, its data)
Result = TypeVar("Result")
EVENTS = ("session_confirm", "bot_uttered", "error")  # what the server sends (credentials.yml)


class SocketChat:
    """One socket.io connection, opened as the widget opens it (allowed Origin, /socket.io)."""

    def __init__(self, url: str, token: str, origin: Optional[str] = None) -> None:
        self.url = url
        self.token = token  # a merchant's session token, or the API token (any conversation)
        self.origin = origin or url
        self.received: List[Received] = []
        self.client = socketio.AsyncClient(reconnection=False)
        for event in EVENTS:
            self.client.on(event, functools.partial(self._receive, event))

    def _receive(self, event: str, data: Any = None, *_: Any) -> None:
        self.received.append((event, data))

    async def connect(self) -> None:
        await self.client.connect(
            self.url,
            headers={"Origin": self.origin},
            auth={"token": self.token},
            socketio_path="/socket.io",
            transports=["websocket"],
        )

    async def send(self, event: str, data: Any, timeout: float = 1.0) -> List[Received]:
        """What the server sent this connection while handling `event`; TimeoutError after `timeout` s."""
        start = len(self.received)
        await self.client.call(event, data, timeout=timeout)
        return self.received[start:]

    async def start_session(self, session_id: str, timeout: float = 1.0) -> List[Received]:
        return await self.send("session_request", {"session_id": session_id}, timeout)

    async def say(
        self, session_id: str, text: str, metadata: Optional[Dict[str, Any]] = None, timeout: float = 1.0
    ) -> List[Received]:
        data = {"session_id": session_id, "message": text, "metadata": metadata}
        return await self.send("user_uttered", data, timeout)

    async def close(self) -> None:
        await self.client.disconnect()


class BlockingSocketChat:
    """A SocketChat for synchronous code (the tests): runs its coroutines on a loop of its own."""

    def __init__(self, url: str, token: str, origin: Optional[str] = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.chat = SocketChat(url, token, origin)
        self.run(self.chat.connect())

    def run(self, coroutine: Awaitable[Result]) -> Result:
        return self.loop.run_until_complete(coroutine)

    def close(self) -> None:
        self.run(self.chat.close())
        self.loop.close()
