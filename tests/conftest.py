"""Fixtures for the tests that talk to the running assistant over HTTP."""

from typing import Iterator

import pytest

from scripts.stack import Assistant, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("stack"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def assistant(stack: Stack) -> Assistant:
    return stack.assistant
