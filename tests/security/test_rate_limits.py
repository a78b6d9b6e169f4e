"""Rate limits at the edge (issue 27): one client or one conversation sending too fast
gets 429 with Retry-After (socket.io: an `error` event saying when to retry), others go
on, and a caller holding the token is not limited. The server here has small limits."""

import asyncio
import uuid
from typing import Iterator, Tuple

import aiohttp
import pytest

from scripts.socket_chat import BlockingSocketChat
from scripts.stack import Stack, bearer

PER_CLIENT, PER_CONVERSATION = 8, 3
WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture(scope="module")
def limited(tmp_path_factory) -> Iterator[Stack]:
    env = {
        "ASSISTANT_RATE_PER_CLIENT": f"{PER_CLIENT}/minute",
        "ASSISTANT_RATE_PER_CONVERSATION": f"{PER_CONVERSATION}/minute",
    }
    with Stack(tmp_path_factory.mktemp("limited"), env=env).running() as running:
        yield running


def post_from(stack: Stack, address: str, sender: str, token: str = "") -> Tuple[int, str, object]:
    """A message sent from the loopback `address` with `token` (default: the merchant's
    session token): its status, Retry-After and body."""

    async def post() -> Tuple[int, str, object]:
        connector = aiohttp.TCPConnector(local_addr=(address, 0))
        headers = bearer(token or stack.assistant.merchant_token(sender))
        url = stack.assistant.url.replace("localhost", "127.0.0.1") + WEBHOOK
        async with (
            aiohttp.ClientSession(connector=connector, headers=headers) as session,
            session.post(url, json={"sender": sender, "message": "你好"}) as response,
        ):
            body = await response.json(content_type=None)
            return response.status, response.headers.get("Retry-After", ""), body

    return asyncio.run(post())


def test_a_conversation_sending_too_fast_is_told_when_to_retry(limited):
    sender = f"fast-{uuid.uuid4().hex[:8]}"
    statuses = [post_from(limited, "127.0.0.11", sender)[0] for _ in range(PER_CONVERSATION)]
    status, retry, body = post_from(limited, "127.0.0.11", sender)
    assert statuses == [200] * PER_CONVERSATION and status == 429
    assert 1 <= int(retry) <= 60 and body["retry_after"] == int(retry)
    assert post_from(limited, "127.0.0.11", f"other-{uuid.uuid4().hex[:8]}")[0] == 200


def test_a_client_sending_too_fast_is_limited_and_another_client_is_not(limited):
    statuses = [post_from(limited, "127.0.0.12", f"c-{uuid.uuid4().hex[:8]}")[0] for _ in range(PER_CLIENT + 2)]
    assert statuses == [200] * PER_CLIENT + [429, 429]
    assert post_from(limited, "127.0.0.13", f"c-{uuid.uuid4().hex[:8]}")[0] == 200


def test_a_caller_with_the_token_is_not_limited(limited):
    sender = f"trusted-{uuid.uuid4().hex[:8]}"
    statuses = [post_from(limited, "127.0.0.14", sender, limited.token)[0] for _ in range(PER_CLIENT + 2)]
    assert statuses == [200] * (PER_CLIENT + 2)


def test_over_socketio_a_message_too_soon_gets_an_error_event_with_retry_after(limited):
    sender = f"sio-{uuid.uuid4().hex[:8]}"
    chat = BlockingSocketChat(limited.assistant.url, limited.assistant.merchant_token(sender))
    try:
        chat.run(chat.chat.start_session(sender))
        answered = [chat.run(chat.chat.say(sender, "你好", timeout=30)) for _ in range(PER_CONVERSATION)]
        refused = chat.run(chat.chat.say(sender, "你好", timeout=30))
    finally:
        chat.close()
    assert all(any(event == "bot_uttered" for event, _ in received) for received in answered)
    [(event, data)] = refused
    assert event == "error" and 1 <= data["retry_after"] <= 60 and "too many" in data["error"]
