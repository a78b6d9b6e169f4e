"""Fixtures for the tests that talk to the running assistant over HTTP."""

from typing import Iterator

import pytest

from scripts.stack import UNLIMITED, Assistant, Stack

# The tests' servers do not limit how fast messages come (tests/security/test_rate_limits.py runs
# its own, with small limits): the browser tests' widgets all send from one address.


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    with Stack(tmp_path_factory.mktemp("stack"), env=UNLIMITED).running() as running:
        yield running


@pytest.fixture(scope="session")
def assistant(stack: Stack) -> Assistant:
    return stack.assistant


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory) -> Iterator[Stack]:
    """A stack for one test module, to restart and break without disturbing the others: its
    database sits alone in `workdir / "db"`, a directory a test can take away."""
    workdir = tmp_path_factory.mktemp("own-stack")
    (workdir / "db").mkdir()
    env = {**UNLIMITED, "ASSISTANT_SQLITE_PATH": str(workdir / "db" / "conversations.db")}
    with Stack(workdir, env=env).running() as running:
        yield running
