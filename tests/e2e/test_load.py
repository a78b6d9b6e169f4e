"""A short version of `make loadtest`: concurrent conversations, no error, every event stored."""

import asyncio

from scripts import loadtest


def test_concurrent_conversations_have_no_error_and_are_stored(stack):
    result = asyncio.run(loadtest.run(stack.assistant.url, stack.token, conversations=4, turns=6))
    print(loadtest.report(result, 4, 6))
    assert result.errors == []
    assert result.unstored == []
    assert len(result.latencies) == 24
