"""Writes the maintainers' labels as NLU examples (`make review-export`), then `make train`.

    .venv/bin/python -m scripts.review_export [--out data/nlu/reviewed.yml]

Every text merchants said in a labelled group of 待改进的问题 becomes an example of the
label's intent in data/nlu/reviewed.yml, beside those exported before: one block per
intent, each example once, sorted, with the label's date and author in a comment. A text
that may not be taught is left out and named with the reason (scripts/review.py). The
groups exported leave the console's list until a merchant says them again.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from scripts.agent import endpoint_config, profile_from_environment
from scripts.review import REVIEWED, example_lines, folded, refusal
from stores.records import engine_for
from stores.records.labels import examples_of, labels_of, mark_exported
from stores.records.tables import create_tables

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


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REVIEWED, help="the examples' file (default: %(default)s)")
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
    print("下一步：make train，然后重启助手（make run）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
