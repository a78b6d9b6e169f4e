"""Speed and memory figures of the engine, the replies and the running stack.

    python scripts/bench.py        (make bench)

Starts its own action server and Rasa server (see scripts/stack.py) and prints figures;
it asserts nothing, so a busy machine changes the numbers, not the outcome.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Callable, List

from actions.answers import TOPICS, answer
from actions.policy import INPUTS, evaluate, load_policy
from scripts import loadtest
from scripts.bad_input import BAD_REQUESTS, WELL_FORMED
from scripts.stack import Stack


def per_call(function: Callable[[], object], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - started) / calls


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def milliseconds(samples: List[float]) -> str:
    return f"median {statistics.median(samples) * 1000:6.1f} ms, max {max(samples) * 1000:6.1f} ms"


def engine_figures() -> None:
    policy = load_policy()
    profiles = list(itertools.product(*(list(policy.vocabulary[name]) for name in INPUTS)))
    started = time.perf_counter()
    for profile in profiles:
        evaluate(*profile, policy=policy)
    per_decision = (time.perf_counter() - started) / len(profiles)
    facts = dict(zip(INPUTS, profiles[0]))
    per_reply = per_call(lambda: [answer(question, facts, policy=policy) for question in TOPICS], 50) / len(TOPICS)
    print(f"engine:  {len(profiles)} profiles, {per_decision * 1e6:.0f} µs per decision ({1 / per_decision:,.0f}/s)")
    print(f"replies: {per_reply * 1e6:.0f} µs per rendered answer ({1 / per_reply:,.0f}/s)")


def timed(stack: Stack, body, repeat: int) -> List[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        stack.assistant.call("POST", "/webhooks/rest/webhook", body)
        samples.append(time.perf_counter() - started)
    return samples


def stack_figures(stack: Stack) -> None:
    print(f"memory:  Rasa server {rss_mib(stack.rasa.pid):.0f} MiB, action server {rss_mib(stack.actions.pid):.0f} MiB")
    print("requests (10 each; the issue asks for every answer within 1 s):")
    for name, (body, _) in BAD_REQUESTS.items():
        print(f"  {name:32s} {milliseconds(timed(stack, body, 10))}")
    for name, text in WELL_FORMED.items():
        body = {"sender": f"bench-{uuid.uuid4().hex[:8]}", "message": text}
        print(f"  {name:32s} {milliseconds(timed(stack, body, 10))}")
    parse: List[float] = []
    for _ in range(20):
        started = time.perf_counter()
        stack.assistant.parse("旗舰店官方号直播间为什么加不了联盟商品")
        parse.append(time.perf_counter() - started)
    print(f"  {'NLU parse (HTTP API)':32s} {milliseconds(parse)}")
    result = asyncio.run(loadtest.run(stack.assistant.url, stack.token, conversations=16, turns=20))
    print("load (16 conversations × 20 turns):")
    print("  " + loadtest.report(result, 16, 20).replace("\n", "\n  "))


def main() -> None:
    engine_figures()
    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack(Path(workdir))
        started = time.perf_counter()
        stack.start()
        print(f"startup: both servers answering after {time.perf_counter() - started:.1f} s")
        try:
            stack_figures(stack)
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
