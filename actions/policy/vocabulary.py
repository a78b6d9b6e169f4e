"""Normalisation of what merchants type into the engine's canonical values.

The same functions serve the engine, the NLU build (jieba dictionary, entity patterns,
synonyms) and the actions (entities, buttons, page metadata).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Dict, Iterator, Optional, Tuple

from actions.policy.model import INPUTS, Policy, load_policy

_SPACE = re.compile(r"\s+")


class UnknownValueError(ValueError):
    """A value the vocabulary does not know; the message lists the allowed ones."""

    def __init__(self, dimension: str, text: str, allowed: Tuple[str, ...]) -> None:
        self.dimension = dimension
        self.text = text
        self.allowed = allowed
        super().__init__(
            f"unknown {dimension} {text!r}; allowed: {', '.join(allowed)}"
        )


def fold(text: str) -> str:
    """Fold width, case and white space, so 'ＯＫ 旗舰店 ' and 'ok旗舰店' compare equal."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def names(dimension: str, policy: Optional[Policy] = None) -> Iterator[Tuple[str, str]]:
    """Every (name, canonical id) of a dimension: ids, labels and aliases."""
    for value in (policy or load_policy()).vocabulary[dimension].values():
        for name in (value.id, value.label, *value.aliases):
            yield name, value.id


@lru_cache(maxsize=None)
def _index(dimension: str, policy: Policy) -> Dict[str, str]:
    return {fold(name): value_id for name, value_id in names(dimension, policy)}


def normalise(dimension: str, text: str, policy: Optional[Policy] = None) -> str:
    """The canonical id for `text` in `dimension`, or UnknownValueError."""
    policy = policy or load_policy()
    if dimension not in INPUTS:
        raise UnknownValueError("input", dimension, INPUTS)
    value_id = _index(dimension, policy).get(fold(str(text)))
    if value_id is None:
        allowed = tuple(value.label for value in policy.vocabulary[dimension].values())
        raise UnknownValueError(dimension, str(text), allowed)
    return value_id


def classify(text: str, policy: Optional[Policy] = None) -> Tuple[str, str]:
    """(dimension, canonical id) of a single name of any input, e.g. '授权帐号'."""
    policy = policy or load_policy()
    for dimension in INPUTS:
        value_id = _index(dimension, policy).get(fold(text))
        if value_id is not None:
            return dimension, value_id
    allowed = tuple(
        value.label for dimension in INPUTS for value in policy.vocabulary[dimension].values()
    )
    raise UnknownValueError("value", text, allowed)
