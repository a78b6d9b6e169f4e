"""Intent accuracy of the trained model on the held-out set (never trained on)."""

from collections import Counter
from pathlib import Path
from typing import Any, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests/nlu/heldout.yml"
REPORT = ROOT / "build/results/heldout.txt"
MIN_ACCURACY = 0.95


def examples(path: Path) -> List[Tuple[str, str]]:
    """(intent, text) of each example, written as a block (「examples: |」) or as a list
    of `text:` entries (data/nlu/reviewed.yml)."""
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [(block["intent"], text) for block in blocks if "intent" in block for text in _texts(block["examples"])]


def _texts(listed: Any) -> List[str]:
    if isinstance(listed, list):
        return [str(entry["text"]) for entry in listed]
    return [line.strip()[2:].strip() for line in listed.strip().splitlines()]


def test_heldout_shares_no_example_with_the_training_data():
    training = {text for path in (ROOT / "data/nlu").glob("*.yml") for _, text in examples(path)}
    assert [text for _, text in examples(HELDOUT) if text in training] == []


def test_heldout_intent_accuracy(assistant):
    cases = examples(HELDOUT)
    wrong = []
    for intent, text in cases:
        predicted = assistant.parse(text)["intent"]["name"]
        if predicted != intent:
            wrong.append((intent, predicted, text))
    accuracy = 1 - len(wrong) / len(cases)
    confusion = Counter((intent, predicted) for intent, predicted, _ in wrong)
    lines = [f"held-out intent accuracy: {accuracy:.3f} ({len(cases) - len(wrong)}/{len(cases)})"]
    lines += [f"  {intent} -> {predicted}: {text}" for intent, predicted, text in wrong]
    lines += [f"  {count} × {intent} -> {predicted}" for (intent, predicted), count in confusion.most_common()]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    assert accuracy >= MIN_ACCURACY, "\n".join(lines)
