"""ReviewedExamples: what maintainers taught is understood as taught.

`make review-export` writes the labels of the console's 待改进的问题 to
data/nlu/reviewed.yml with the intent metadata `reviewed: true`. This component, placed
after the classifiers, holds each such example's text as the merchant typed it, folded
(width, case, punctuation and spaces aside), with its intent; a message that folds to one
of them gets that intent, sure, the classifier's ranking after it.

`make train` fills it from the training data, where the classifier learns the same
examples to generalise from them; `make retrain` writes it into a trained model
(`teach`) without touching the classifier, whose every fine-tuning moved what it already
knew (README, "Teaching").
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.merchant_facts import SAID

REVIEWED = "reviewed"  # the intent metadata that marks a maintainer's label
RANKING = "intent_ranking"
_FILE = "taught.json"
_NOT_WORD = re.compile(r"[\W_]+")
Taught = Dict[Text, Text]  # folded text → intent


def folded(text: Text) -> Text:
    """The text as sentences are compared: width and case folded, only word characters."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text)).casefold()


def taught_by(examples: Iterable[Message]) -> Taught:
    """The reviewed examples among `examples`, folded, with their intents."""
    said = ((folded(_said(example)), example) for example in examples if _reviewed(example))
    return {text: str(example.get(INTENT)) for text, example in said if text}


def write(directory: Path, taught: Taught) -> None:
    (directory / _FILE).write_text(json.dumps(taught, ensure_ascii=False, sort_keys=True), encoding="utf-8")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ReviewedExamples(GraphComponent):
    """The intents maintainers gave to texts (see the module docstring)."""

    def __init__(self, model_storage: ModelStorage, resource: Resource, taught: Taught) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.taught = taught

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ReviewedExamples":
        return cls(model_storage, resource, {})

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ReviewedExamples":
        try:
            with model_storage.read_from(resource) as directory:
                taught = json.loads((directory / _FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            taught = {}  # nothing was persisted: nothing taught
        return cls(model_storage, resource, taught)

    def train(self, training_data: TrainingData) -> Resource:
        self.taught = taught_by(training_data.intent_examples)
        with self._model_storage.write_to(self._resource) as directory:
            write(directory, self.taught)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Gives a message a taught text's intent, sure, before the classifier's others."""
        for message in messages:
            intent = self.taught.get(folded(_said(message))) if self.taught else None
            if intent is None:
                continue
            ranking = [i for i in message.get(RANKING) or [] if i.get(INTENT_NAME_KEY) != intent]
            sure = {INTENT_NAME_KEY: intent, "confidence": 1.0}
            message.set(INTENT, sure, add_to_output=True)
            message.set(RANKING, [sure, *ranking], add_to_output=True)
        return messages


def _said(message: Message) -> Text:
    return str(message.get(SAID) or message.get(TEXT) or "")


def _reviewed(example: Message) -> bool:
    metadata: Optional[Dict[Text, Any]] = example.get(METADATA)
    about_intent = metadata.get(METADATA_INTENT) if isinstance(metadata, dict) else None
    return isinstance(about_intent, dict) and bool(about_intent.get(REVIEWED))
