"""What a maintainer's label may teach: the checks on an example, shared by the console
(when a group is labelled) and `make review-export` (when the labels become NLU examples).

An example is refused, with the reason, when it holds personal data (masked in the
records: teaching from it would teach the mask), when it is a sentence of the benchmark
(tuning on it would make the benchmark lie), or when the training data (with the examples
exported before) already gives the same sentence another intent.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional, Text, Tuple

import yaml

from components.reviewed_examples import REVIEWED as REVIEWED_KEY
from components.reviewed_examples import folded

ROOT = Path(__file__).resolve().parent.parent
REVIEWED = ROOT / "data" / "nlu" / "reviewed.yml"  # written by `make review-export` only
NEAR_COPY = 0.9  # a sentence this similar to a benchmark sentence is that sentence
_MASKED = re.compile(r"〔[^〕]+〕")  # what actions.privacy leaves of personal data


def near_copy(text: Text, sentences: Iterable[Text]) -> Optional[Text]:
    """The first of the folded `sentences` that `text` nearly copies (ratio ≥ NEAR_COPY), if any."""
    said = folded(text)
    for sentence in sentences:
        matcher = SequenceMatcher(None, said, sentence, autojunk=False)
        if (
            matcher.real_quick_ratio() >= NEAR_COPY
            and matcher.quick_ratio() >= NEAR_COPY
            and matcher.ratio() >= NEAR_COPY
        ):
            return sentence
    return None


def training_examples() -> Iterator[Tuple[Text, Text]]:
    """(intent, example) of every NLU example in data/, in either YAML form Rasa reads: a
    block of "- " lines, or a list of {text, metadata}."""
    for path in sorted((ROOT / "data").rglob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            examples = block.get("examples") or ""
            if isinstance(examples, list):
                texts = [str(item.get("text", "")).strip() for item in examples if isinstance(item, dict)]
            else:
                texts = [line.strip()[2:].strip() for line in str(examples).splitlines() if line.strip()]
            yield from ((str(block.get("intent", "")), text) for text in texts if text)


@lru_cache(maxsize=1)
def _trained() -> Dict[Text, Text]:
    """The intent of each folded training sentence (the data as this process found it)."""
    return {folded(text): intent for intent, text in training_examples() if intent}


@lru_cache(maxsize=1)
def benchmark_sentences() -> Tuple[Text, ...]:
    """Every folded turn of the benchmark sets, the holdouts and the question frames (when
    ../shared is there)."""
    from scripts import evaluate

    frames = (evaluate.FRAMES,) if evaluate.FRAMES.is_dir() else ()
    cases = evaluate.load_cases((*evaluate.BENCHMARK, evaluate.HOLDOUT, *frames))
    return tuple(dict.fromkeys(folded(turn) for case in cases for turn in case.turns if folded(turn)))


def refusal(text: Text, intent: Text) -> Optional[Text]:
    """Why `text` may not be taught as `intent` (None: it may)."""
    if _MASKED.search(text):
        return "含有个人信息（已打码），不能用作训练例句"
    if not folded(text):
        return "没有可学习的文字"
    if near_copy(text, benchmark_sentences()):
        return "与测评集里的句子相同或几乎相同，不能用作训练例句"
    other = _trained().get(folded(text))
    if other and other != intent:
        return f"训练数据里同一句话已标为 {other}，与此标注矛盾"
    return None


def example_lines(examples: Dict[Text, List[Tuple[Text, Text]]]) -> Text:
    """reviewed.yml: one block per intent (sorted), each example once (sorted), the label's
    date and author in a comment; `examples` maps an intent to its (text, "YYYY-MM-DD 名字")."""
    lines = [
        'version: "3.1"',
        "# Written by `make review-export` from the labels of the console's 待改进的问题:",
        "# label (or undo) there and export again rather than editing this file.",
        "nlu:",
    ]
    for intent in sorted(examples):
        lines += [f"- intent: {intent}", "  metadata:", f"    {REVIEWED_KEY}: true", "  examples:"]
        seen = set()
        for text, note in sorted(examples[intent]):
            if folded(text) not in seen:
                seen.add(folded(text))
                lines.append(f"  - text: {json.dumps(text, ensure_ascii=False)}  # {note}")
    return "\n".join(lines) + "\n"
