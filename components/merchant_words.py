"""NLU components that read merchant text the way the policy vocabulary names things.

- MerchantWords (first in the pipeline): traditional → simplified, width, case, and
  English aliases, homophones and near misses replaced by the vocabulary's names, and a
  glossary of English and dialect question words (actions.policy.words.normalise_text),
  so every later component sees one spelling.
- QuestionWindow (after the entity components, before the tokenizer): in a long message
  the intent is read from where the question is, usually its last sentences; the facts
  were already read from the whole text.
- MerchantTokenizer: jieba with the vocabulary's user dictionary, loaded once per process.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, ClassVar, Dict, List, Set, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.policy import load_policy, normalise_text
from actions.policy.mentions import asking_sentence
from components.merchant_facts import SAID, WHOLE_TEXT, ConfiguredComponent

# Button payloads start with this (Rasa's `/intent{"entity": "value"}`).
PAYLOAD = "/"


class _TextComponent(ConfiguredComponent):
    """A component that rewrites the text of every message, in training too."""

    def rewrite(self, text: Text) -> Text:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        """Rewrites each text; a button's payload (「/ask_when_effective」) stays as it is."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text and not text.startswith(PAYLOAD):
                message.set(TEXT, self.rewrite(text))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MerchantWords(_TextComponent):
    """Merchant words in the vocabulary's spelling (see the module docstring); config
    `glossary`: English and dialect words of a question → Mandarin ones."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"glossary": {}}

    def rewrite(self, text: Text) -> Text:
        return normalise_text(text, load_policy(), self.config["glossary"])

    def process(self, messages: List[Message]) -> List[Message]:
        """Rewrites each text, keeping the merchant's own words (for what was taught:
        components.reviewed_examples)."""
        for message in messages:
            message.set(SAID, message.get(TEXT))
        return super().process(messages)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class QuestionWindow(_TextComponent):
    """Keeps, of a message longer than `longer_than`, the last sentence that asks
    something (with the sentence before it when it is short), at most
    `max_characters`; without such a sentence, the last `max_characters`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"longer_than": 80, "max_characters": 160, "short_sentence": 20}

    def rewrite(self, text: Text) -> Text:
        return question_window(
            text, self.config["longer_than"], self.config["max_characters"], self.config["short_sentence"]
        )

    def process(self, messages: List[Message]) -> List[Message]:
        """Cuts each text, keeping the whole of it for what must read everything (an
        explicit request for a person, components/merchant_facts.py)."""
        for message in messages:
            message.set(WHOLE_TEXT, message.get(TEXT))
        return super().process(messages)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class MerchantTokenizer(JiebaTokenizer):
    """Rasa's JiebaTokenizer, loading each user dictionary once per process. jieba's
    dictionary is global and loading a dictionary again raises its words' frequencies, so
    a model loaded again in a running server (`PUT /model` after `make retrain`) cut words
    unlike its training and read some messages differently (「不对不对」)."""

    _loaded: ClassVar[Set[Text]] = set()  # digests of the dictionaries loaded

    @staticmethod
    def _load_custom_dictionary(path: Text) -> None:
        import jieba

        for dictionary in sorted(Path(path).glob("*")):
            digest = hashlib.sha256(dictionary.read_bytes()).hexdigest()
            if digest not in MerchantTokenizer._loaded:
                jieba.load_userdict(str(dictionary))
                MerchantTokenizer._loaded.add(digest)


def question_window(text: Text, longer_than: int, max_characters: int, short_sentence: int) -> Text:
    """The part of a long message that asks its question."""
    if len(text) <= longer_than:
        return text
    start, end = asking_sentence(text)
    if end - start < short_sentence and start > 0:
        start = asking_sentence(text[:start])[0]
    return text[start:end].strip()[-max_characters:]
