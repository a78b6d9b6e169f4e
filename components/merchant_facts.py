"""NLU components that read the rule's facts and questions out of a merchant's message.

- MerchantFacts (after EntitySynonymMapper): the entities of the engine's inputs become
  canonical ids; descriptions the vocabulary's patterns match are added; a value the
  merchant denies (不是跨境店) gets the role `denied`, so no slot takes it, and so does
  someone else's (「隔壁家的官方号」), with the role `others`; a value a correction
  replaced is dropped; a pasted platform error becomes an `error` entity.
  Several subjects in one message (「旗舰店的号和个体店的号」) are kept apart by Rasa's
  entity `group`; a class (「所有类型的店」) becomes an `each` entity naming the input (with the
  role `implied` when the words imply it: 「所有官方号」 asks of every shop type);
  what a message asks to have checked (「…是吧」) becomes `claim` entities, one per part
  of the statement (its role), in the group of the subject it is stated of.
- QuestionCues (last): each further question the message asks (「…几号开始的」) becomes
  a `question` entity, a report of being blocked (「加不了」) a `blocked` entity; an
  explicit request for a person anywhere in the message (「…请直接给我安排人工客服」)
  becomes the intent, whatever else the message says.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.policy import INPUTS, UnknownValueError, load_policy, match_errors, normalise
from actions.policy.claims import encode
from actions.policy.mentions import Mention, classes, is_denied_at, read_mentions, someone_elses
from actions.policy.statements import Statement, places_apart, read_statements

DENIED, QUESTION, ERROR, BLOCKED, EACH, CLAIM = "denied", "question", "error", "blocked", "each", "claim"
ELSES = "others"  # the role of someone else's shop type or role (「隔壁家的官方号」)
IMPLIED = "implied"  # the role of a class the words imply (「所有官方号」: every shop type)
# Where QuestionWindow keeps the whole text of a message it cut (components/merchant_words.py).
WHOLE_TEXT = "whole_text"
SAID = "said_text"  # the message as the merchant typed it (components.merchant_words)


class ConfiguredComponent(GraphComponent):
    """A component that needs nothing but its configuration."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MerchantFacts(ConfiguredComponent):
    """The engine's inputs a message names, claims or denies (see the module docstring)."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = message.get(ENTITIES) or []
            others = [e for e in entities if e.get("entity") not in INPUTS]
            found = [m for m in map(_mention, entities) if m is not None]
            policy = load_policy()
            mentions = places_apart(text, read_mentions(text, found, policy))
            facts = [_entity(m) for m in mentions]
            facts += [{**_entity(m), "role": ELSES} for m in someone_elses(text, found, policy)]
            facts += [
                _whole(text, EACH, name, **({} if said else {"role": IMPLIED}))
                for name, said in classes(text, mentions).items()
            ]
            facts += [_whole(text, ERROR, error.id) for error in match_errors(text)]
            facts += [claim for statement in read_statements(text, mentions) for claim in _claims(text, statement)]
            message.set(ENTITIES, others + facts, add_to_output=True)
        return messages


_SOURCE = {"extractor": "MerchantFacts", "confidence_entity": 1.0}


def _whole(text: Text, entity: Text, value: Text, **extra: Any) -> Dict[Text, Any]:
    """An entity read from the whole message rather than from a span of it."""
    return {"entity": entity, "value": value, "start": 0, "end": len(text), **extra, **_SOURCE}


def _claims(text: Text, statement: Statement) -> List[Dict[Text, Any]]:
    """A statement as `claim` entities: the role names the part, the value says it."""
    group = {} if statement.group is None else {"group": statement.group}
    parts = {
        **encode(statement.claim),
        "reason": statement.reason,
        "only": statement.only,
        "only_value": statement.only_value,
        "asked": statement.asked or None,
    }
    return [_whole(text, CLAIM, value, role=role, **group) for role, value in parts.items() if value is not None]


def _mention(entity: Dict[Text, Any]) -> Optional[Mention]:
    dimension = entity.get("entity")
    if dimension not in INPUTS:
        return None
    try:
        value = normalise(dimension, str(entity.get("value")))
    except UnknownValueError:
        return None
    return Mention(dimension, value, int(entity.get("start") or 0), int(entity.get("end") or 0))


def _entity(mention: Mention) -> Dict[Text, Any]:
    entity = {"entity": mention.dimension, "value": mention.value, "start": mention.start, "end": mention.end}
    group = {} if mention.group is None else {"group": mention.group}
    return {**entity, **_SOURCE, **group, **({"role": DENIED} if mention.denied else {})}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionCues(ConfiguredComponent):
    """Further questions, reports of being blocked and explicit requests for a person
    (see the module docstring).

    Config (regular expressions): `handoff`, `not_handoff` (what, right before it,
    takes the request back: 「不用转人工」), `blocked`; `cues`: question name →
    expression, read where the question is asked; `story_cues`: the same, read in the
    whole message (they describe the merchant: 「店只是收款用的」); `handoff_intent`.
    A question cue under a denial does not count; a story cue under one (「不是达人收款用的
    那种」) is marked `denied`: the merchant disowns it.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "handoff": "",
            "not_handoff": "",
            "blocked": "",
            "handoff_intent": "request_human",
            "cues": {},
            "story_cues": {},
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        self.handoff = _compiled(config["handoff"])
        self.not_handoff = _compiled(f"(?:{config['not_handoff']})$" if config["not_handoff"] else "")
        self.cues = {name: re.compile(pattern) for name, pattern in config["cues"].items()}
        if config["blocked"]:
            self.cues[BLOCKED] = re.compile(config["blocked"])
        self.story_cues = {name: re.compile(pattern) for name, pattern in config["story_cues"].items()}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            whole = message.get(WHOLE_TEXT) or text
            if self._asks_for_a_person(whole):
                self._hand_off(message)
            cues = [
                _cue(name, m)
                for name, pattern in self.cues.items()
                for m in pattern.finditer(text)
                if not is_denied_at(text, m.start())
            ]
            # A story under a denial is one the merchant disowns (「不是达人收款用的那种」).
            cues += [
                _cue(name, m, is_denied_at(whole, m.start()))
                for name, pattern in self.story_cues.items()
                for m in pattern.finditer(whole)
            ]
            if cues:
                entities = (message.get(ENTITIES) or []) + sorted(cues, key=lambda e: e["start"])
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _asks_for_a_person(self, text: Text) -> bool:
        if self.handoff is None:
            return False
        return any(
            not (self.not_handoff and self.not_handoff.search(text[: m.start()])) for m in self.handoff.finditer(text)
        )

    def _hand_off(self, message: Message) -> None:
        """The request for a person becomes the intent; the classifier's ranking stays
        below it, so the hand-off summary can name the question too."""
        intent = {"name": self.config["handoff_intent"], "confidence": 1.0}
        ranking = [intent] + [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != intent["name"]]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


_CUE = {"extractor": "QuestionCues", "confidence_entity": 1.0}


def _cue(name: Text, match: "re.Match[str]", denied: bool = False) -> Dict[Text, Any]:
    """A further question (`question`: its name) or a report of being blocked; `denied`:
    a story the merchant disowns (role `denied`)."""
    entity, value = (BLOCKED, match.group(0)) if name == BLOCKED else (QUESTION, name)
    role = {"role": DENIED} if denied else {}
    return {"entity": entity, "value": value, "start": match.start(), "end": match.end(), **role, **_CUE}


def _compiled(pattern: Text) -> Optional["re.Pattern[str]"]:
    return re.compile(pattern) if pattern else None
