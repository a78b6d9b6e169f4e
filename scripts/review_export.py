"""Writes the maintainers' labels as NLU examples (`make review-export`), then `make train`.

    .venv/bin/python -m scripts.review_export [--out data/nlu/reviewed.yml]

Every text merchants said in a labelled group of 待改进的问题 becomes an example of the
label's intent in data/nlu/reviewed.yml, beside those exported before: one block per
intent, each example once, sorted, with the label's date and author in a comment. A text
that may not be taught is left out and named with the reason (scripts/review.py). The
groups exported leave the console's list until a merchant says them again.

The replies marked wrong become conversation cases in tests/conversations/reviewed/
(the benchmark's format, scored by `make test`): the merchant's words, the facts as the
page's profile, the first line of the engine's answer to the frame the merchant needed as
what the reply must say, and the wrong reply's first line as what it must not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from scripts import evaluate
from scripts.agent import endpoint_config, profile_from_environment
from scripts.review import REVIEWED, example_lines, folded, refusal
from stores.records import engine_for
from stores.records.labels import WrongAnswer, examples_of, labels_of, mark_exported, wrong_answers_of
from stores.records.tables import create_tables

CASES = evaluate.REVIEWED / "cases.yml"
_LINE = re.compile(r'^  - text: (".*")  # (.*)$')  # an example as example_lines writes it
Examples = Dict[str, List[Tuple[str, str]]]  # intent → (text, note)


def exported_before(path: Path) -> Examples:
    """The examples the file at `path` holds, by intent, with their notes."""
    found: Examples = {}
    intent = ""
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.startswith("- intent: "):
            intent = line[len("- intent: ") :].strip()
        elif match := _LINE.match(line):
            found.setdefault(intent, []).append((json.loads(match.group(1)), match.group(2)))
    return found


def write_cases(path: Path, wrong: List[WrongAnswer]) -> int:
    """The cases of the replies marked wrong, beside those the file holds; how many."""
    cases = (
        {case["id"]: case for case in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", [])}
        if path.exists()
        else {}
    )
    for answer in wrong:
        expected, answered = answer.expected.splitlines()[0], answer.answered.splitlines()[0]
        case: Dict[str, Any] = {
            "id": "reviewed-" + hashlib.sha1(f"{answer.said}|{answer.intent}".encode()).hexdigest()[:8]
        }
        case.update(turns=[answer.said], must=[re.escape(expected)])
        if answered != expected:
            case["must_not"] = [re.escape(answered)]
        if answer.facts:
            case["metadata"] = answer.facts
        cases[case["id"]] = case
    if cases:
        path.parent.mkdir(parents=True, exist_ok=True)
        header = "# Written by `make review-export` from the replies maintainers marked wrong in the console.\n"
        body = {"category": "reviewed", "cases": [cases[key] for key in sorted(cases)]}
        path.write_text(header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(cases)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REVIEWED, help="the examples' file (default: %(default)s)")
    parser.add_argument("--cases", type=Path, default=CASES, help="the cases' file (default: %(default)s)")
    args = parser.parse_args(argv)
    engine = engine_for(endpoint_config(profile_from_environment(parser)))
    create_tables(engine)
    labels = labels_of(engine)
    examples, refused, added, exported = exported_before(args.out), [], 0, set()
    for key, texts in examples_of(engine, list(labels)).items():
        label = labels[key]
        note = f"{dt.date.fromtimestamp(label.at).isoformat()} {label.by}"
        for text in texts:
            reason = refusal(text, label.intent)
            if reason:
                refused.append(f"  「{text}」 → {label.intent}：{reason}")
                continue
            exported.add(key)
            if all(folded(text) != folded(known) for known, _ in examples.get(label.intent, [])):
                examples.setdefault(label.intent, []).append((text, note))
                added += 1
    args.out.write_text(example_lines(examples), encoding="utf-8")
    mark_exported(engine, sorted(exported), time.time())  # a group none of whose texts may be taught stays listed
    count = sum(len(texts) for texts in examples.values())
    print(f"{args.out}：共 {count} 条例句（{len(examples)} 个意图），本次新增 {added} 条。")
    if refused:
        print(f"未导出 {len(refused)} 条：", *refused, sep="\n")
    cases = write_cases(args.cases, wrong_answers_of(engine))
    print(f"{args.cases}：共 {cases} 个对话用例（答复有误）。")
    print("下一步：make retrain，然后重启助手（make run）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
