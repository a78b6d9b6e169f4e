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


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory) -> Iterator[Stack]:
    """A stack for one test module, to restart and break without disturbing the others: its
    database sits alone in `workdir / "db"`, a directory a test can take away."""
    workdir = tmp_path_factory.mktemp("own-stack")
    (workdir / "db").mkdir()
    running = Stack(workdir, env={"ASSISTANT_SQLITE_PATH": str(workdir / "db" / "conversations.db")})
    try:
        running.start()
        yield running
    finally:
        running.stop()
