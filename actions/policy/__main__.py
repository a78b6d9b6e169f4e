"""Print the answer for a profile, for support agents and debugging.

    python -m actions.policy 旗舰店 官方账号 直播间 [联盟商品] [--date 2023-11-25]

Values may come in any order, under any alias the vocabulary knows, and as merchants
type them (traditional characters, homophones, English). Inputs not given are left open:
the answer holds for every value they may have, or names the one input it depends on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Dict, List, Optional, Tuple

from actions.answers import DEFAULT_QUESTION, INPUT_LABELS, TOPICS, Frame, answer, quotes
from actions.policy import UnknownValueError, candidates, classify, load_policy


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m actions.policy",
        description="按店铺类型、账号身份、场景和商品来源给出平台规则的结论及其原文依据。",
    )
    parser.add_argument("values", nargs="*", help="例如:旗舰店 官方账号 直播间 联盟商品")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="按哪一天判断(YYYY-MM-DD),默认今天")
    parser.add_argument("--question", choices=sorted(TOPICS), default=DEFAULT_QUESTION, help="问题类型")
    args = parser.parse_args(argv)
    policy = load_policy()
    claimed: Dict[str, Tuple[str, ...]] = {}
    try:
        for value in args.values:
            dimension, canonical = classify(value, policy)
            claimed[dimension] = (*claimed.get(dimension, ()), canonical)
    except UnknownValueError as error:
        print(f"无法识别「{error.text}」。可用的值：{'、'.join(error.allowed)}", file=sys.stderr)
        return 2
    source = (claimed.pop("product_source", None) or (None,))[-1]
    frame = Frame.of([args.question], candidates(policy, claimed, {}), product_source=source)
    reply = answer(frame, as_of=args.date, policy=policy)
    if reply.details:
        print("\n".join([reply.details, *quotes(policy, reply.clauses)]))
    if reply.ask:
        print("还需要：" + INPUT_LABELS[reply.ask])
    return 0


if __name__ == "__main__":
    sys.exit(main())
