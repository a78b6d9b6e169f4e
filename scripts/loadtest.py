"""Concurrent conversations against the running assistant: errors, latency, throughput.

    python scripts/loadtest.py [--url http://localhost:5005] [--conversations 16] [--turns 20]

Every conversation is then read back from the HTTP API to check that each message was
stored exactly once and in order. The API token comes from ASSISTANT_TOKEN or var/api-token.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import List

import aiohttp

from scripts.stack import bearer, running_token

ROOT = Path(__file__).resolve().parent.parent
# What merchants send, in a plausible order; a conversation cycles through it.
SCRIPT = [
    "你好",
    "直播间为什么加不了别人家的商品",
    "旗舰店",
    "官方号",
    "查看详细说明",
    "什么时候开始的",
    "不对 我们是个体店",
    "橱窗那边也不行吗",
    "上限是多少",
    "为啥别人还能带联盟的货",
    "在哪里添加本店商品",
    "授权号也受影响吗",
    "提示您的店铺类型暂不支持添加联盟商品",
    "跨境店呢",
    "直播过的商品橱窗里找不到了",
    "为什么要出这个规定",
    "我是达人 个体店只是收款用的",
    "官方账号",
    "谢谢",
    "再见",
]


@dataclass
class Result:
    latencies: List[float] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    unstored: List[str] = field(default_factory=list)
    elapsed: float = 0.0


async def converse(session: aiohttp.ClientSession, url: str, sender: str, turns: int, result: Result) -> List[str]:
    sent = []
    for turn in range(turns):
        text = SCRIPT[turn % len(SCRIPT)]
        started = time.perf_counter()
        try:
            async with session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
            ) as response:
                replies = await response.json(content_type=None)
                if response.status != 200 or not replies:
                    result.errors.append(f"{sender} turn {turn}: HTTP {response.status}, {replies!r}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            result.errors.append(f"{sender} turn {turn}: {type(error).__name__}: {error}")
        result.latencies.append(time.perf_counter() - started)
        sent.append(text)
    return sent


async def check_stored(
    session: aiohttp.ClientSession, url: str, token: str, sender: str, sent: List[str], result: Result
) -> None:
    async with session.get(f"{url}/conversations/{sender}/tracker", params={"token": token}) as response:
        tracker = await response.json(content_type=None)
    stored = [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]
    if stored != sent:
        result.unstored.append(f"{sender}: sent {len(sent)}, stored {len(stored)} (in order: {stored == sent})")


async def run(url: str, token: str, conversations: int, turns: int) -> Result:
    """Run the load and check storage; the figures are in the returned Result."""
    result = Result()
    senders = [f"load-{uuid.uuid4().hex[:10]}" for _ in range(conversations)]
    timeout = aiohttp.ClientTimeout(total=120)
    # As a trusted backend (the token), which the rate limits let through.
    async with aiohttp.ClientSession(timeout=timeout, headers=bearer(token)) as session:
        started = time.perf_counter()
        sent = await asyncio.gather(*(converse(session, url, s, turns, result) for s in senders))
        result.elapsed = time.perf_counter() - started
        await asyncio.gather(
            *(check_stored(session, url, token, s, m, result) for s, m in zip(senders, sent, strict=True))
        )
    return result


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(result: Result, conversations: int, turns: int) -> str:
    lat = result.latencies
    return "\n".join(
        [
            f"conversations: {conversations} × {turns} turns = {len(lat)} messages in {result.elapsed:.1f} s",
            f"throughput:    {len(lat) / result.elapsed:.1f} messages/s",
            f"latency:       p50 {percentile(lat, 0.5) * 1000:.0f} ms, p90 {percentile(lat, 0.9) * 1000:.0f} ms, "
            f"p99 {percentile(lat, 0.99) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms, "
            f"mean {statistics.mean(lat) * 1000:.0f} ms",
            f"errors:        {len(result.errors)}",
            *(f"  {error}" for error in result.errors[:10]),
            f"not stored exactly once and in order: {len(result.unstored)}",
            *(f"  {line}" for line in result.unstored[:10]),
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--conversations", type=int, default=16)
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    token = running_token()
    if not token:
        print("no API token: set ASSISTANT_TOKEN or start the assistant with `make run` first", file=sys.stderr)
        return 1
    try:
        result = asyncio.run(run(args.url, token, args.conversations, args.turns))
    except aiohttp.ClientConnectorError:
        print(f"nothing answers at {args.url}: start the assistant with `make run` first", file=sys.stderr)
        return 1
    print(report(result, args.conversations, args.turns))
    return 1 if result.errors or result.unstored else 0


if __name__ == "__main__":
    sys.exit(main())
