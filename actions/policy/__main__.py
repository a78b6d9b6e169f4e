"""Print the decision for a profile, for support agents and debugging.

    python -m actions.policy 旗舰店 官方账号 直播间 [联盟商品] [--date 2023-11-25]

Values may come in any order and under any alias the vocabulary knows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Dict, List, Optional

from actions.answers import INPUT_LABELS, explain
from actions.policy import UnknownValueError, classify, evaluate, load_policy



def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m actions.policy",
        description="按店铺类型、账号身份、场景和商品来源给出平台规则的结论及其原文依据。",
    )
    parser.add_argument("values", nargs="*", help="例如:旗舰店 官方账号 直播间 联盟商品")
    parser.add_argument("--date", type=dt.date.fromisoformat, help="按哪一天判断(YYYY-MM-DD),默认今天")
    args = parser.parse_args(argv)
    policy = load_policy()
    facts: Dict[str, str] = {"product_source": "alliance"}
    try:
        for value in args.values:
            dimension, canonical = classify(value, policy)
            facts[dimension] = canonical
    except UnknownValueError as error:
        print(f"无法识别「{error.text}」。可用的值：{'、'.join(error.allowed)}", file=sys.stderr)
        return 2
    decision = evaluate(**facts, as_of=args.date, policy=policy)
    print(explain(decision, policy))
    if decision.missing:
        print("还需要：" + "、".join(INPUT_LABELS[name] for name in decision.missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
