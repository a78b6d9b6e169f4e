"""The running assistant, for the tests that talk to it over HTTP.

Starts the action server and the Rasa server on their own ports (so a `make run` in
another terminal does not matter), with the model named by ASSISTANT_MODEL.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Assistant:
    """A client of the running Rasa server."""

    def __init__(self, url: str) -> None:
        self.url = url

    def request(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or "null")

    def say(self, sender: str, text: str, metadata: Optional[Dict[str, str]] = None) -> List[Dict[str, Any]]:
        body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
        return self.request("POST", "/webhooks/rest/webhook", body)

    def parse(self, text: str) -> Dict[str, Any]:
        return self.request("POST", "/model/parse", {"text": text})

    def tracker(self, sender: str) -> Dict[str, Any]:
        return self.request("GET", f"/conversations/{sender}/tracker")


def _wait_until_up(url: str, processes: List[subprocess.Popen], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[1:4]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(1)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    model = ROOT / os.environ.get("ASSISTANT_MODEL", "models/assistant.tar.gz")
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make train` (or `make test`)")
    rasa_port, actions_port = _free_port(), _free_port()
    workdir = tmp_path_factory.mktemp("assistant")
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://localhost:{actions_port}/webhook"\n')
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
    logs = [open(workdir / name, "w") for name in ("actions.log", "rasa.log")]
    processes = [
        subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            cwd=ROOT, env=env, stdout=logs[0], stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(rasa_port), "--enable-api",
             "--credentials", "credentials.yml", "--endpoints", str(endpoints)],
            cwd=ROOT, env=env, stdout=logs[1], stderr=subprocess.STDOUT,
        ),
    ]
    try:
        _wait_until_up(f"http://localhost:{actions_port}/health", processes, 120)
        _wait_until_up(f"http://localhost:{rasa_port}/status", processes, 240)
        yield Assistant(f"http://localhost:{rasa_port}")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
