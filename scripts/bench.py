"""Speed and memory figures of the assistant, in one run against servers it starts.

    python -m scripts.bench [--model PATH | --config FILE]      (make bench)

Trains a model with config.yml (or FILE) from scratch into a scratch folder, without
Rasa's training cache (the training time), starts the
action server and the Rasa server on it (cold start to the first answer) and measures,
against that one server: NLU parse and whole merchant turns at one user, 16 concurrent
conversations, one 100-turn conversation, memory, bad input, and a burst of 200
requests from one client against another client's turns (the rate limits). It asserts
nothing: a busy machine changes the numbers, so compare ratios taken in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import aiohttp

from scripts import loadtest
from scripts.bad_input import BAD_REQUESTS, WELL_FORMED
from scripts.stack import BIN, ROOT, Assistant, Stack

# One merchant's conversation, ten turns: questions, facts, follow-ups and small talk.
TURNS = [
    "直播间为什么加不了别人家的商品",
    "旗舰店",
    "官方号",
    "查看详细说明",
    "什么时候开始的",
    "不对 我们是个体店的授权号",
    "上限是多少",
    "为啥别人还能带联盟的货",
    "在哪里添加本店商品",
    "谢谢",
]
LONG_CONVERSATION = 100
PAIRED = 30  # a whole number of TURNS cycles
CONCURRENT = 16
CONCURRENT_TURNS = 20
# The burst: requests from one client, this many at a time, while another client (its own
# loopback address) asks at a merchant's pace, within its own limits; its quiet p50 is
# taken first, from as many turns as it asks from the burst's start.
BURST, BURST_CONCURRENCY, OTHER_TURNS, OTHER_PACE = 200, 10, 8, 0.4
BURSTING, OTHER = "127.0.0.3", "127.0.0.2"


def percentile(samples: List[float], share: float) -> float:
    return loadtest.percentile(samples, share)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(call: Callable[..., object], *args: Any) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def train(
    workdir: Path, config: str, data: Sequence[Path] = (ROOT / "data",), taught: Optional[Path] = None, what: str = ""
) -> Path:
    """Train with `config` on `data` into `workdir` (from scratch with Rasa's cache in
    workdir/cache, or teaching the model `taught` as `make retrain` does); prints the time
    it took."""
    name = "taught" if taught else "bench"
    if taught:
        command = [sys.executable, "-m", "scripts.retrain", "--model", str(taught), "--data", *map(str, data)]
        command += ["--out", str(workdir), "--name", name]
    else:
        command = [str(BIN / "rasa"), "train", "--config", config, "--domain", "domain.yml", "--data", *map(str, data)]
        command += ["build/nlu/data", "--out", str(workdir), "--fixed-model-name", name]
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "RASA_CACHE_DIRECTORY": str(workdir / "cache")},
    )
    label = what or f"training ({config}):"
    print(f"{label:36s}{time.perf_counter() - started:7.1f} s")
    return workdir / f"{name}.tar.gz"


def retrain_after_export(model: Path, workdir: Path, config: str) -> None:
    """The retrain after `make review-export` adds 20 examples: teaching the model
    (`make retrain`), then training again with the first training's cache (Rasa retrains
    only the components whose inputs changed; with --model the cache is cold)."""
    from scripts.review import example_lines

    data = workdir / "reviewed-data"
    shutil.copytree(ROOT / "data", data)
    examples = {
        "ask_when_effective": [(f"这条规定是从哪天起执行的 第{n}问", "bench") for n in range(10)],
        "out_of_scope": [(f"退货包运费在哪开通 第{n}问", "bench") for n in range(10)],
    }
    (data / "nlu" / "reviewed.yml").write_text(example_lines(examples), encoding="utf-8")
    train(workdir, config, (data,), taught=model, what="retrain after export, taught:")
    train(workdir, config, (data,), what="retrain after export, cached:")


def cold_start(stack: Stack) -> None:
    started = time.perf_counter()
    stack.start()
    stack.assistant.say(f"bench-{uuid.uuid4().hex[:8]}", "你好")
    print(f"cold start to first answer:   {time.perf_counter() - started:7.1f} s")


def one_user(stack: Stack, rounds: int = 10) -> None:
    """NLU parse and whole turn of the same messages at one user, interleaved so noise hits both alike."""
    assistant = stack.assistant
    parse: List[float] = []
    turns: List[float] = []
    for _ in range(rounds):
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        for text in TURNS:
            parse.append(timed(assistant.parse, text))
            turns.append(timed(assistant.say, sender, text))
    p50, p95 = percentile(parse, 0.5), percentile(parse, 0.95)
    t50, t95 = percentile(turns, 0.5), percentile(turns, 0.95)
    print(f"NLU parse, 1 user:            p50 {ms(p50)}  p95 {ms(p95)}  ({len(parse)} parses)")
    print(f"whole turn, 1 user:           p50 {ms(t50)}  p95 {ms(t95)}  ({len(turns)} turns)")
    print(f"turn / parse:                 p50 {t50 / p50:5.1f}×     p95 {t95 / p95:5.1f}×")


def long_conversation(stack: Stack) -> None:
    """One conversation of LONG_CONVERSATION turns; its last PAIRED turns are each timed
    beside the same message in a fresh conversation, alternately, so that a busy moment
    of the machine slows both alike and the ratio shows only what length costs."""
    say = stack.assistant.say
    long, fresh = f"bench-long-{uuid.uuid4().hex[:8]}", ""
    samples, beside = [], []
    for turn in range(LONG_CONVERSATION):
        text = TURNS[turn % len(TURNS)]
        if turn >= LONG_CONVERSATION - PAIRED:
            fresh = fresh if turn % len(TURNS) else f"bench-fresh-{uuid.uuid4().hex[:8]}"
            beside.append(timed(say, fresh, text))
        samples.append(timed(say, long, text))
    first, last = statistics.median(samples[:10]), statistics.median(samples[-PAIRED:])
    fresh_median = statistics.median(beside)
    print(
        f"{LONG_CONVERSATION}-turn conversation:        turns 1–10 median {ms(first)}, "
        f"turns {LONG_CONVERSATION - PAIRED + 1}–{LONG_CONVERSATION} median {ms(last)} "
        f"÷ the same turns of fresh conversations, alternately, {ms(fresh_median)}: {last / fresh_median:4.2f}×"
    )


def concurrent(stack: Stack) -> None:
    result = asyncio.run(loadtest.run(stack.assistant.url, stack.token, CONCURRENT, CONCURRENT_TURNS))
    turns = len(result.latencies)
    print(
        f"{CONCURRENT} concurrent conversations:   {turns / result.elapsed:5.1f} turns/s, "
        f"p50 {ms(percentile(result.latencies, 0.5))}, p95 {ms(percentile(result.latencies, 0.95))}, "
        f"{len(result.errors)} errors, {len(result.unstored)} conversations not stored exactly once"
    )


def memory(stack: Stack) -> None:
    print(
        f"memory (RSS):                 Rasa server {rss_mib(stack.rasa.pid):.0f} MiB, "
        f"action server {rss_mib(stack.actions.pid):.0f} MiB"
    )


def bad_input(stack: Stack) -> None:
    print("bad and odd input (10 each, median):")
    bodies: Dict[str, object] = {name: body for name, (body, _) in BAD_REQUESTS.items()}
    bodies.update(
        {name: {"sender": f"bench-{uuid.uuid4().hex[:8]}", "message": text} for name, text in WELL_FORMED.items()}
    )
    for name, body in bodies.items():
        call = stack.assistant.call
        samples = [timed(call, "POST", "/webhooks/rest/webhook", body, stack.assistant.trusted) for _ in range(10)]
        print(f"  {name:30s} {ms(statistics.median(samples))}")


async def _turn(session: aiohttp.ClientSession, assistant: Assistant) -> tuple[int, float]:
    """One message of a new conversation, as its merchant (the rate limits apply): its
    status and seconds."""
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    headers = assistant.merchant(sender)
    started = time.perf_counter()
    body = {"sender": sender, "message": TURNS[0]}
    url = assistant.url.replace("localhost", "127.0.0.1")
    async with session.post(f"{url}/webhooks/rest/webhook", json=body, headers=headers) as response:
        await response.read()
        return response.status, time.perf_counter() - started


def _client(address: str) -> aiohttp.ClientSession:
    """A client sending from its own loopback address, as a merchant would (no token)."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)))


async def _paced(session: aiohttp.ClientSession, assistant: Assistant) -> List[float]:
    """The other client's turns, one every OTHER_PACE seconds: the seconds of each answered one."""
    answered = []
    for _ in range(OTHER_TURNS):
        status, seconds = await _turn(session, assistant)
        answered += [seconds] if status == 200 else []
        await asyncio.sleep(OTHER_PACE)
    return answered


async def _burst(assistant: Assistant) -> tuple[Counter, List[float], List[float]]:
    """The burst's statuses, and the other client's answered turns before and during it."""
    async with _client(BURSTING) as bursting, _client(OTHER) as other:
        quiet = await _paced(other, assistant)
        gate, statuses = asyncio.Semaphore(BURST_CONCURRENCY), Counter()

        async def one() -> None:
            async with gate:
                statuses[(await _turn(bursting, assistant))[0]] += 1

        during, *_ = await asyncio.gather(_paced(other, assistant), *(one() for _ in range(BURST)))
    return statuses, quiet, during


def burst(stack: Stack) -> None:
    statuses, quiet, during = asyncio.run(_burst(stack.assistant))
    told = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    before, then = statistics.median(quiet), statistics.median(during)
    print(
        f"burst of {BURST} from one client: {told}; another client's p50 {ms(before)} quiet, {ms(then)} "
        f"from the burst's start ({then / before:4.2f}×; {len(quiet) + len(during)} of {2 * OTHER_TURNS} answered)"
    )


def records_views(stack: Stack, conversations: int = 10_000, requests: int = 60) -> None:
    """GET /assist/unanswered (first page of groups) and GET /assist/stats?days=30 with
    `conversations` more stored over the last 30 days: their events and their records
    written straight into the server's database, as the tracker store and stores.records
    write them (3 questions each, 20 % fallen back, 10 % 👎)."""
    import json
    import random

    import sqlalchemy as sa
    from rasa.utils.endpoints import EndpointConfig

    from stores import records
    from stores.records.daily import CONVERSATIONS, DOWN, FALLBACKS, QUESTION, day_of
    from stores.records.tables import daily as daily_counts
    from stores.records.tables import upsert

    rng, started, spacing = random.Random(7), time.time() - 30 * 86_400, 30 * 86_400 / conversations
    days: Counter = Counter()
    phrasings = [f"{TURNS[i % len(TURNS)]}{'？' * (i % 2)}（说法{i // len(TURNS)}）" for i in range(2_000)]
    keys = {text: records.group_key(text) for text in phrasings}
    events: List[Dict[str, Any]] = []
    flagged: List[Dict[str, Any]] = []
    for n in range(conversations):
        days[(day_of(started + n * spacing), CONVERSATIONS)] += 1
        for turn in range(3):
            at, text = started + n * spacing + turn, rng.choice(phrasings)
            intent = "nlu_fallback" if rng.random() < 0.2 else "ask_why_cannot_add"
            said = {"event": "user", "timestamp": at, "text": text, "parse_data": {"intent": {"name": intent}}}
            row = {"sender_id": f"bench-view-{n:05d}", "type_name": "user", "timestamp": at, "intent_name": intent}
            events.append({**row, "data": json.dumps(said, ensure_ascii=False)})
            reason = "fallback" if intent == "nlu_fallback" else "down" if rng.random() < 0.1 else None
            days[(day_of(at), {"fallback": FALLBACKS, "down": DOWN}.get(reason or "", QUESTION + intent))] += 1
            if reason:
                flags = {name: name == reason for name in records.REASONS}
                flagged.append({"sender_id": row["sender_id"], "said_at": at, "text": text, **flags})
    groups: Dict[str, Dict[str, Any]] = {}
    for message in flagged:  # oldest first: the newest text of a group is its last
        message["group_key"] = keys[message["text"]]
        group = groups.setdefault(message["group_key"], {"messages": 0, **dict.fromkeys(records.REASONS, 0)})
        group.update(group_key=message["group_key"], text=message["text"], last_seen=message["said_at"])
        group["messages"] += 1
        for reason in records.REASONS:
            group[reason] += message[reason]
    engine = records.engine_for(EndpointConfig(dialect="sqlite", db=stack.env["ASSISTANT_SQLITE_PATH"]))
    with engine.begin() as connection:
        connection.execute(sa.table("events", *map(sa.column, events[0])).insert(), events)
        connection.execute(records.messages.insert(), flagged)
        connection.execute(records.groups.insert(), list(groups.values()))
        daily = [{"day": day, "name": name, "count": count} for (day, name), count in days.items()]
        for row in daily:  # added to what the bench's own conversations counted today
            connection.execute(
                upsert(connection, daily_counts, row, lambda new: {"count": daily_counts.c.count + new.count})
            )
    auth = stack.assistant.trusted
    samples = [timed(stack.assistant.call, "GET", "/assist/unanswered", None, auth) for _ in range(requests)]
    print(
        f"maintainer view, {conversations:,} more conversations: p50 {ms(percentile(samples, 0.5))}  "
        f"p95 {ms(percentile(samples, 0.95))}  ({len(flagged):,} messages, {len(groups):,} groups, {requests} requests)"
    )
    samples = [timed(stack.assistant.call, "GET", "/assist/stats?days=30", None, auth) for _ in range(requests)]
    print(
        f"dashboard (/assist/stats?days=30), the same: p50 {ms(percentile(samples, 0.5))}  "
        f"p95 {ms(percentile(samples, 0.95))}  ({len(daily):,} daily counts, {requests} requests)"
    )


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--model", help="benchmark this model instead of training one")
    choice.add_argument("--config", default="config.yml", help="train with this configuration")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        model = Path(args.model) if args.model else train(Path(workdir) / "models", args.config)
        retrain_after_export(model, Path(workdir) / "models", args.config)
        stack = Stack(Path(workdir), model=model)
        try:
            cold_start(stack)
            one_user(stack)
            long_conversation(stack)
            concurrent(stack)
            memory(stack)
            bad_input(stack)
            burst(stack)
            records_views(stack)
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
