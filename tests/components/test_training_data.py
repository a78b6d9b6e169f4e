"""The training data: one intent per example."""

from collections import defaultdict
from pathlib import Path
from typing import Dict, Set

import yaml

DATA = Path(__file__).resolve().parents[2] / "data" / "nlu"


def test_no_example_is_given_two_intents():
    intents: Dict[str, Set[str]] = defaultdict(set)
    for path in DATA.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in str(block.get("examples") or "").splitlines():
                if "intent" in block and line.strip()[2:].strip():
                    intents[line.strip()[2:].strip()].add(block["intent"])
    assert {text: names for text, names in intents.items() if len(names) > 1} == {}
