"""Where the time of one merchant turn goes, inside the Rasa server.

    python -m scripts.profile_turn [--turns 60]        (make profile)

Starts the action server (scripts/stack.py), loads the agent with ASSISTANT_MODEL and
endpoints.yml (a scratch SQLite store) in this process, times the parts of a turn with
wall-clock wrappers (awaited time included: an action-server call is its HTTP round
trip) and sends the benchmark's merchant turns through Agent.handle_message. Prints,
per turn, the mean time and number of calls of each part. Parts nest: a turn holds the
others; an action run holds its action-server call and JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import inspect
import json
import logging
import os
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from scripts.bench import TURNS
from scripts.stack import ROOT, UNLIMITED, Stack

Spent = Dict[str, List[float]]


def timed(spent: Spent, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (sync or async) recording its wall-clock time under `label`."""
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                spent[label].append(time.perf_counter() - started)

        return async_wrapper

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label].append(time.perf_counter() - started)

    return wrapper


def instrument(spent: Spent) -> List[str]:
    """Wrap the parts of a turn; returns their labels in print order."""
    from rasa.core import processor
    from rasa.core.actions import action
    from rasa.shared.core import trackers

    from stores.tracker_store import StrictSQLTrackerStore

    parts: List[Tuple[str, Any, str]] = [
        ("NLU parse", processor.MessageProcessor, "parse_message"),
        ("slot extraction", processor.MessageProcessor, "run_action_extract_slots"),
        ("prediction", processor.MessageProcessor, "_predict_next_with_tracker"),
        ("action run", processor.MessageProcessor, "_run_action"),
        ("action-server call (HTTP)", action.RemoteAction, "run"),
        ("tracker state for the action server", trackers.DialogueStateTracker, "current_state"),
        ("tracker store read", StrictSQLTrackerStore, "retrieve"),
        ("tracker store write", StrictSQLTrackerStore, "save"),
        ("JSON encode", json, "dumps"),
        ("JSON decode", json, "loads"),
    ]
    for label, owner, name in parts:
        setattr(owner, name, timed(spent, label, getattr(owner, name)))
    return [label for label, _, _ in parts]


def time_garbage_collection(spent: Spent) -> List[str]:
    """Record the pauses of Python's garbage collector, by generation; returns their labels."""
    started: List[float] = []
    labels = [f"garbage collection, generation {generation}" for generation in range(3)]

    def callback(phase: str, info: Dict[str, int]) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            spent[labels[info["generation"]]].append(time.perf_counter() - started[0])

    gc.callbacks.append(callback)
    return labels


async def turns(agent: Any, count: int, spent: Spent) -> None:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    sender = f"profile-{uuid.uuid4().hex[:8]}"
    for turn in range(count):
        message = UserMessage(TURNS[turn % len(TURNS)], CollectingOutputChannel(), sender)
        started = time.perf_counter()
        await agent.handle_message(message)
        spent["whole turn"].append(time.perf_counter() - started)


def report(spent: Spent, labels: List[str], count: int) -> str:
    rows = [f"{'part of a turn':38s} {'ms/turn':>8s} {'calls/turn':>10s} {'ms/call':>8s}"]
    for label in ["whole turn", *labels]:
        samples = spent.get(label, [])
        total = sum(samples) * 1000
        calls = len(samples)
        per_call = total / calls if calls else 0.0
        rows.append(f"{label:38s} {total / count:8.1f} {calls / count:10.1f} {per_call:8.2f}")
    return "\n".join(rows)


async def profile(model: Path, count: int) -> str:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from channels import action_calls

    action_calls.install()  # as the REST channel does in the server
    agent = await load_agent(model_path=str(model), endpoints=AvailableEndpoints.read_endpoints("endpoints.yml"))
    spent: Spent = defaultdict(list)
    labels = instrument(spent) + time_garbage_collection(spent)
    await turns(agent, 5, spent)  # warm up: first calls load lazily
    spent.clear()
    await turns(agent, count, spent)
    return f"{count} turns of one conversation:\n" + report(spent, labels, count)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=60)
    args = parser.parse_args(argv)
    from rasa.utils.log_utils import configure_structlog

    logging.disable(logging.INFO)  # Rasa's debug log would be timed too
    configure_structlog(logging.WARNING)
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(Path(workdir), env=UNLIMITED)
        stack.start_actions()
        os.environ.update({k: v for k, v in stack.env.items() if k.startswith(("ACTIONS_", "ASSISTANT_"))})
        os.chdir(ROOT)
        try:
            print(asyncio.run(profile(stack.model, args.turns)))
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
