"""Single values, as merchants, pages and agents type them, to the engine's canonical ids.

The same functions serve the engine, the NLU build (jieba dictionary, entity patterns,
synonyms), the actions (buttons, page metadata) and the command line. A value is read
like any merchant text (words.normalise_text), so 「授權號」, 「授全号」 and
"authorized account" all name the authorized account.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Iterator, Optional, Tuple

from actions.policy.loader import load_policy
from actions.policy.model import INPUTS, Policy
from actions.policy.words import fold, normalise_text


class UnknownValueError(ValueError):
    """A value the vocabulary does not know; the message lists the allowed ones."""

    def __init__(self, dimension: str, text: str, allowed: Tuple[str, ...]) -> None:
        self.dimension = dimension
        self.text = text
        self.allowed = allowed
        super().__init__(f"unknown {dimension} {text!r}; allowed: {', '.join(allowed)}")


def names(dimension: str, policy: Optional[Policy] = None) -> Iterator[Tuple[str, str]]:
    """Every (name, canonical id) of a dimension: ids, labels and aliases."""
    for value in (policy or load_policy()).vocabulary[dimension].values():
        for name in (value.id, value.label, *value.aliases):
            yield name, value.id


@lru_cache(maxsize=None)
def _index(dimension: str, policy: Policy) -> Dict[str, str]:
    return {fold(name): value_id for name, value_id in names(dimension, policy)}


def _lookup(dimension: str, text: str, policy: Policy) -> Optional[str]:
    index = _index(dimension, policy)
    if text in index:  # a canonical id or a plain name: the common case, no folding
        return index[text]
    return index.get(fold(text)) or index.get(fold(normalise_text(text, policy)))


def normalise(dimension: str, text: str, policy: Optional[Policy] = None) -> str:
    """The canonical id for `text` in `dimension`, or UnknownValueError."""
    policy = policy or load_policy()
    if dimension not in INPUTS:
        raise UnknownValueError("input", dimension, INPUTS)
    value_id = _lookup(dimension, str(text), policy)
    if value_id is None:
        allowed = tuple(value.label for value in policy.vocabulary[dimension].values())
        raise UnknownValueError(dimension, str(text), allowed)
    return value_id


def classify(text: str, policy: Optional[Policy] = None) -> Tuple[str, str]:
    """(dimension, canonical id) of a single name of any input, e.g. '授权帐号'."""
    policy = policy or load_policy()
    for dimension in INPUTS:
        value_id = _lookup(dimension, text, policy)
        if value_id is not None:
            return dimension, value_id
    allowed = tuple(value.label for dimension in INPUTS for value in policy.vocabulary[dimension].values())
    raise UnknownValueError("value", text, allowed)
