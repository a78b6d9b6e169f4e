"""Creates a support agent with a token of their own and prints it once (`make agent NAME=…`).

    .venv/bin/python -m scripts.agent NAME [--remove]

The agent is stored, with the token's sha256 only, in the database the Rasa server
records into (the `event_broker` of endpoints.yml; with ASSISTANT_PROFILE=production, of
endpoints.production.yml and its POSTGRES_* variables). An agent created again gets a new
token and the old one stops working; --remove deletes the agent.
"""

from __future__ import annotations

import argparse
import os
import string
import sys
from pathlib import Path
from typing import Any, List, Optional

import yaml
from rasa.utils.endpoints import EndpointConfig

from stores.records import RecordsBroker, engine_for

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = {"default": "endpoints.yml", "production": "endpoints.production.yml"}
DEFAULT_SQLITE_PATH = "var/conversations.db"  # as scripts/serve.sh
MAX_NAME_CHARACTERS = 64


def endpoint_config(profile: str, name: str = "event_broker") -> EndpointConfig:
    """The section `name` of the profile's endpoints file, its ${VARIABLES} filled in."""
    endpoints = yaml.safe_load((ROOT / ENDPOINTS[profile]).read_text(encoding="utf-8"))
    section = endpoints.get(name) or {}
    environment = {"ASSISTANT_SQLITE_PATH": DEFAULT_SQLITE_PATH, **os.environ}
    try:
        filled = {key: _filled(value, environment) for key, value in section.items()}
    except KeyError as missing:
        raise SystemExit(f"the variable {missing} is not set (see README, Production profile)") from None
    return EndpointConfig.from_dict(filled)


def profile_from_environment(parser: argparse.ArgumentParser) -> str:
    """ASSISTANT_PROFILE ("default" when unset), or the parser's error."""
    profile = os.environ.get("ASSISTANT_PROFILE") or "default"
    if profile not in ENDPOINTS:
        parser.error(f"ASSISTANT_PROFILE must be one of {', '.join(ENDPOINTS)}")
    return profile


def _filled(value: Any, environment: dict) -> Any:
    return string.Template(value).substitute(environment) if isinstance(value, str) else value


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the agent's name, as merchants will see it (人工客服 · NAME)")
    parser.add_argument("--remove", action="store_true", help="delete the agent; their token stops working")
    args = parser.parse_args(argv)
    name = args.name.strip()
    if not name or len(name) > MAX_NAME_CHARACTERS:
        parser.error(f"NAME must be 1 to {MAX_NAME_CHARACTERS} characters")
    records = RecordsBroker(engine_for(endpoint_config(profile_from_environment(parser))))
    if args.remove:
        if not records.remove_agent(name):
            print(f"没有名为「{name}」的客服。", file=sys.stderr)
            return 1
        print(f"已删除客服「{name}」，其令牌已失效。")
        return 0
    token = records.add_agent(name)
    print(f"客服「{name}」的令牌如下（只显示这一次；再次创建会换发新令牌，旧令牌随即失效）：")
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
