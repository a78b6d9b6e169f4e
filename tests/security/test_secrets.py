"""`make run`'s start script (scripts/serve.sh), as a local user other than its owner sees
it: no token in the process list, the conversations readable by their owner only."""

import os
import secrets
import signal
import stat
import subprocess
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest

from scripts.stack import ROOT, Assistant, free_port, wait_until_up

MODEL = ROOT / os.environ.get("ASSISTANT_MODEL", "models/assistant.tar.gz")


def command_lines() -> List[str]:
    """Every process's command line, as `ps -eo args` shows it (/proc/<pid>/cmdline)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            found.append(cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue  # the process ended meanwhile
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Assistant]:
    token, port = secrets.token_urlsafe(16), free_port()
    database = Path("var") / f"test-serve-{uuid.uuid4().hex[:8]}.db"
    env = {
        **os.environ,
        "ASSISTANT_TOKEN": token,
        "RASA_PORT": str(port),
        "ACTIONS_PORT": str(free_port()),
        "ASSISTANT_SQLITE_PATH": str(database),
    }
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["scripts/serve.sh", str(MODEL)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert wait_until_up(f"http://localhost:{port}/", process, 240) is None
        yield Assistant(f"http://localhost:{port}", token)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        for path in (ROOT / "var").glob(f"{database.name}*"):
            path.unlink()


def test_the_process_list_shows_no_token(served):
    running = command_lines()
    port = served.url.rsplit(":", 1)[1]
    assert any(f"--port {port}" in line for line in running)  # the server is among them
    assert not any(served.token in line for line in running)


def test_the_conversations_are_readable_by_their_owner_only(served):
    served.say(f"modes-{uuid.uuid4().hex[:8]}", "你好")  # a stored turn: the database and its log
    var = ROOT / "var"
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    files = [path for path in var.iterdir() if path.is_file()]
    assert files
    assert {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files} == {
        path.name: oct(0o600) for path in files
    }
