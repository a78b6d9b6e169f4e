"""The assistant's servers started on free ports, for the tests and the benchmark.

`Stack` starts the action server and the Rasa server with the model named by
ASSISTANT_MODEL, a fresh SQLite conversation store and a fresh API token, so a
`make run` in another terminal does not matter. `Assistant` talks to it over HTTP.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from channels.web.sessions import sign

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float) -> Optional[str]:
    """None once `url` answers; else why not (the process exited, or the time ran out)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"exited with {process.returncode}"
        try:
            urllib.request.urlopen(url, timeout=2)
            return None
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    return f"{url} did not answer within {seconds:.0f} s"


def request_body(body: Any) -> bytes:
    """A JSON body in UTF-8 as a browser's JSON.stringify writes it, not \\u escapes (6
    bytes a character); a lone surrogate, which UTF-8 cannot encode, as its JSON escape."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "backslashreplace")


# Rate limits no test or benchmark reaches (channels/web/throttle.py), for servers that
# measure the assistant rather than its limits.
UNLIMITED = {"ASSISTANT_RATE_PER_CLIENT": "1000000/minute", "ASSISTANT_RATE_PER_CONVERSATION": "1000000/minute"}


def bearer(token: str) -> Dict[str, str]:
    """The header that sends `token`: a trusted backend's, which the rate limits let through."""
    return {"Authorization": f"Bearer {token}"}


def running_token() -> Optional[str]:
    """The API token of the assistant `make run` serves: ASSISTANT_TOKEN, else var/api-token."""
    path = ROOT / "var" / "api-token"
    return os.environ.get("ASSISTANT_TOKEN") or (path.read_text().strip() if path.exists() else None)


class Assistant:
    """A client of the running Rasa server."""

    def __init__(self, url: str, token: str, session_key: str = "") -> None:
        self.url = url
        self.token = token
        self.session_key = session_key  # the server's ASSISTANT_SESSION_KEY, when known

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        timeout: float = 30,
    ) -> Tuple[int, Any]:
        """(status, parsed JSON body) of one request; `body` bytes are sent as they are."""
        data = body if isinstance(body, bytes) or body is None else request_body(body)
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw.strip().startswith((b"{", b"[")) else raw

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """The Rasa HTTP API, with the token."""
        separator = "&" if "?" in path else "?"
        status, payload = self.call(method, f"{path}{separator}token={self.token}", body)
        assert status == 200, (status, payload)
        return payload

    @property
    def trusted(self) -> Dict[str, str]:
        """The header of a trusted backend: its messages are not rate-limited."""
        return bearer(self.token)

    def merchant(self, sender: str, profile: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        """The header of the merchant of conversation `sender`, as the host page signs it."""
        return bearer(self.merchant_token(sender, profile))

    def merchant_token(self, sender: str, profile: Optional[Dict[str, str]] = None) -> str:
        """A session token for conversation `sender`, valid for an hour."""
        return sign(sender, profile, self.session_key, 3600)

    def say(self, sender: str, text: str, metadata: Optional[Dict[str, str]] = None) -> List[Dict[str, Any]]:
        """A message of `sender`, sent as a trusted backend."""
        body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
        status, replies = self.call("POST", "/webhooks/rest/webhook", body, headers=self.trusted)
        assert status == 200, (status, replies)
        return replies

    def parse(self, text: str) -> Dict[str, Any]:
        return self.api("POST", "/model/parse", {"text": text})

    def tracker(self, sender: str) -> Dict[str, Any]:
        return self.api("GET", f"/conversations/{sender}/tracker")


class Stack:
    """The action server and the Rasa server, started and stopped as a merchant's host would."""

    def __init__(
        self,
        workdir: Path,
        endpoints: str = "endpoints.yml",
        env: Optional[Dict[str, str]] = None,
        token: Optional[str] = None,
        model: Optional[Path] = None,
        session_key: Optional[str] = None,
    ) -> None:
        model = model or ROOT / os.environ.get("ASSISTANT_MODEL", "models/assistant.tar.gz")
        if not model.exists():
            raise FileNotFoundError(f"no trained model at {model}: run `make train` (or `make test`)")
        self.model = model
        self.workdir = workdir
        self.endpoints = endpoints
        self.rasa_port, self.actions_port = free_port(), free_port()
        self.token = token or secrets.token_urlsafe(16)
        self.session_key = session_key or secrets.token_urlsafe(32)
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "ACTIONS_URL": f"http://127.0.0.1:{self.actions_port}/webhook",
            "ASSISTANT_SQLITE_PATH": str(workdir / "conversations.db"),
            "ASSISTANT_TOKEN": self.token,
            "ASSISTANT_SESSION_KEY": self.session_key,
            "ASSISTANT_SESSION_ISSUER": "demo",
            "ASSISTANT_ALLOWED_ORIGINS": f"http://localhost:{self.rasa_port}",
            **(env or {}),
        }
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self.assistant = Assistant(f"http://localhost:{self.rasa_port}", self.token, self.session_key)

    def _spawn(self, name: str, *command: str) -> subprocess.Popen:
        with open(self.workdir / f"{name}.log", "a") as log:  # the child keeps its own copy
            return subprocess.Popen(list(command), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def start_actions(self) -> None:
        self.actions = self._spawn(
            "actions", str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(self.actions_port)
        )
        self._wait_until_up(f"http://localhost:{self.actions_port}/health", "actions", self.actions, 120)

    def rasa_arguments(self) -> List[str]:
        """`rasa run`'s arguments but the token, which scripts/rasa_server.py reads from
        ASSISTANT_TOKEN."""
        return [
            "--model",
            str(self.model),
            "--port",
            str(self.rasa_port),
            "--enable-api",
            "--cors",
            f"http://localhost:{self.rasa_port}",
            "--credentials",
            "credentials.yml",
            "--endpoints",
            self.endpoints,
        ]

    def start_rasa(self) -> None:
        self.rasa = self._spawn("rasa", str(BIN / "python"), "-m", "scripts.rasa_server", *self.rasa_arguments())
        self._wait_until_up(f"http://localhost:{self.rasa_port}/", "rasa", self.rasa, 240)

    def start(self) -> Assistant:
        self.start_actions()
        self.start_rasa()
        return self.assistant

    @staticmethod
    def _stop(process: Optional[subprocess.Popen]) -> None:
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_actions(self) -> None:
        self._stop(self.actions)

    def stop(self) -> None:
        self._stop(self.rasa)
        self._stop(self.actions)

    @contextmanager
    def running(self) -> Iterator["Stack"]:
        """The stack, started, and stopped when the block ends."""
        try:
            self.start()
            yield self
        finally:
            self.stop()

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def _wait_until_up(self, url: str, name: str, process: subprocess.Popen, seconds: float) -> None:
        """Return once `url` answers; raise with the end of the server's log if it exits or hangs."""
        failed = wait_until_up(url, process, seconds)
        if failed:
            raise RuntimeError(f"{name}: {failed}:\n{self._log_tail(name)}")

    def _log_tail(self, name: str, lines: int = 30) -> str:
        return "\n".join(self.log(name).splitlines()[-lines:])
