"""A bounded soak: concurrent conversations over REST and socket.io, against servers it starts.

    python -m scripts.soak [--minutes 15] [--conversations 8]

Starts the action server and the Rasa server (scripts/stack.py: free ports, a fresh SQLite
store, the model in ASSISTANT_MODEL), then runs half of the conversations over REST and
half over socket.io, on loopback, each cycling through loadtest.SCRIPT until the time is
up. Reports errors, latency, the servers' memory (RSS) at the start, every minute and at
the end, and whether every message was stored exactly once and in order
(loadtest.check_stored). Exits non-zero on any error or any message not stored so.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Awaitable, Dict, List, Tuple

import aiohttp

from scripts import loadtest
from scripts.socket_chat import Received, SocketChat
from scripts.stack import UNLIMITED, Assistant, Stack

FAILURE_WORDS = ("没能保存", "没能给出答复")  # utter_not_stored, utter_no_reply


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def memory(stack: Stack) -> Dict[str, float]:
    assert stack.rasa and stack.actions
    return {"Rasa": rss_mb(stack.rasa.pid), "action server": rss_mb(stack.actions.pid)}


async def over_rest(
    session: aiohttp.ClientSession, url: str, sender: str, until: float, result: loadtest.Result
) -> List[str]:
    sent: List[str] = []
    while time.monotonic() < until:
        sent += await loadtest.converse(session, url, sender, len(loadtest.SCRIPT), result)
    return sent


async def over_socketio(assistant: Assistant, sender: str, until: float, result: loadtest.Result) -> List[str]:
    """As loadtest.converse, over the widget's socket.io channel with the merchant's session
    token: an error is no reply in 30 s, an `error` event, a lost connection or a failure notice."""
    chat = SocketChat(assistant.url, assistant.merchant_token(sender))
    await chat.connect()
    await chat.start_session(sender)
    sent: List[str] = []
    try:
        while time.monotonic() < until:
            for text in loadtest.SCRIPT:
                started = time.perf_counter()
                try:
                    received = await chat.say(sender, text, timeout=30)
                    if not answered(received):
                        result.errors.append(f"{sender} turn {len(sent)}: {received!r}")
                except Exception as error:  # a timeout or a lost connection: counted, not fatal
                    result.errors.append(f"{sender} turn {len(sent)}: {type(error).__name__}: {error}")
                result.latencies.append(time.perf_counter() - started)
                sent.append(text)
    finally:
        await chat.close()
    return sent


def answered(received: List[Received]) -> bool:
    """Whether a turn got only bot messages, at least one, and no failure notice."""
    said = [data.get("text", "") for event, data in received if event == "bot_uttered"]
    failed = any(words in text for text in said for words in FAILURE_WORDS)
    return bool(said) and len(said) == len(received) and not failed


async def soak(stack: Stack, minutes: float, count: int) -> Tuple[Dict[str, loadtest.Result], Dict[str, float]]:
    """Runs the conversations, half over each channel, then checks their storage. Each channel's
    figures, and the servers' memory when the conversations ended (the check's full reads of
    long conversations take memory of their own)."""
    url, until = stack.assistant.url, time.monotonic() + minutes * 60
    results = {"REST": loadtest.Result(), "socket.io": loadtest.Result()}
    conversations = [("REST", f"soak-rest-{n}") for n in range(count // 2)]
    conversations += [("socket.io", f"soak-sio-{n}") for n in range(count // 2, count)]
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, headers=stack.assistant.trusted) as session:

        def conversation(channel: str, sender: str) -> Awaitable[List[str]]:
            if channel == "REST":
                return over_rest(session, url, sender, until, results[channel])
            return over_socketio(stack.assistant, sender, until, results[channel])

        progress = asyncio.ensure_future(report_progress(stack, results))
        started = time.perf_counter()
        sent = await asyncio.gather(*(conversation(channel, sender) for channel, sender in conversations))
        progress.cancel()
        ended = memory(stack)
        for result in results.values():
            result.elapsed = time.perf_counter() - started
        await asyncio.gather(
            *(
                loadtest.check_stored(session, url, stack.token, sender, messages, results[channel])
                for (channel, sender), messages in zip(conversations, sent, strict=True)
            )
        )
    return results, ended


async def report_progress(stack: Stack, results: Dict[str, loadtest.Result]) -> None:
    """A line a minute: messages, errors, memory."""
    for minute in itertools.count(1):
        await asyncio.sleep(60)
        counts = ", ".join(f"{channel} {len(r.latencies)} ({len(r.errors)} errors)" for channel, r in results.items())
        rss = ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory(stack).items())
        print(f"  minute {minute}: messages {counts}; {rss}", flush=True)


def channel_lines(channel: str, result: loadtest.Result) -> List[str]:
    lat = result.latencies
    ms = {share: loadtest.percentile(lat, share) * 1000 for share in (0.5, 0.9, 0.99)}
    return [
        f"{channel + ':':<11}{len(lat)} messages ({len(lat) / result.elapsed:.1f}/s), {len(result.errors)} errors; "
        f"latency p50 {ms[0.5]:.0f} ms, p90 {ms[0.9]:.0f} ms, p99 {ms[0.99]:.0f} ms, max {max(lat) * 1000:.0f} ms",
        *(f"  {error}" for error in result.errors[:10]),
        *(f"  not stored exactly once and in order: {line}" for line in result.unstored[:10]),
    ]


def report(results: Dict[str, loadtest.Result], before: Dict[str, float], after: Dict[str, float]) -> str:
    unstored = sum(len(result.unstored) for result in results.values())
    storage = f"{unstored} conversations not" if unstored else "every message"
    growth = "; ".join(
        f"{name} {before[name]:.0f} MB → {after[name]:.0f} MB ({(after[name] / before[name] - 1) * 100:+.1f} %)"
        for name in before
    )
    return "\n".join(
        [
            *(line for channel, result in results.items() for line in channel_lines(channel, result)),
            f"errors:     {sum(len(result.errors) for result in results.values())}",
            f"storage:    {storage} stored exactly once, in order",
            f"memory:     RSS {growth}",
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--conversations", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as workdir:
        stack = Stack(Path(workdir), env=UNLIMITED)
        stack.start()
        try:
            stack.assistant.say("soak-warm-up", "你好")
            before = memory(stack)
            print(
                f"soak: {args.conversations} conversations (REST and socket.io) for {args.minutes:g} min "
                f"against {stack.assistant.url}",
                flush=True,
            )
            results, after = asyncio.run(soak(stack, args.minutes, args.conversations))
        finally:
            stack.stop()
    print(report(results, before, after))
    return 1 if any(result.errors or result.unstored for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
