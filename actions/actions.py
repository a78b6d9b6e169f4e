"""Custom actions: thin adapters from the tracker to the policy engine and back."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ConversationPaused, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.answers import INPUT_LABELS, TOPICS, Reply, answer
from actions.policy import INPUTS, UnknownValueError, load_policy, match_error, normalise

logger = logging.getLogger(__name__)

QUESTION = "question"
# The merchant asks about products of other shops unless they say otherwise.
DEFAULT_PRODUCT_SOURCE = "alliance"
# The questions offered when the assistant cannot help with what was asked.
MAIN_TOPICS = ("ask_why_cannot_add", "ask_when_effective", "ask_who_is_affected", "ask_where_to_operate")
DETAILS_BUTTON = {"title": "查看详细说明", "payload": "/ask_details"}
HUMAN_BUTTON = {"title": "转人工客服", "payload": "/request_human"}


def canonical(name: Text, value: Any) -> Optional[Text]:
    """The canonical id of an engine input, or None (logged) for an unknown value."""
    if value is None:
        return None
    try:
        return normalise(name, str(value))
    except UnknownValueError:
        logger.warning("Dropped unknown %s %r", name, value)
        return None


def profile_from(tracker: Tracker) -> Dict[Text, Optional[Text]]:
    """The engine's inputs from the slots."""
    facts = {name: canonical(name, tracker.get_slot(name)) for name in INPUTS}
    facts["product_source"] = facts["product_source"] or DEFAULT_PRODUCT_SOURCE
    return facts


def reply_for(tracker: Tracker) -> Reply:
    """The answer to the current question for what the slots say about the merchant."""
    return answer(tracker.get_slot(QUESTION), profile_from(tracker))


def topic_buttons(questions: List[Text]) -> List[Dict[Text, Text]]:
    return [{"title": TOPICS[q].title, "payload": f"/{q}"} for q in questions]


def value_buttons(dimension: Text) -> List[Dict[Text, Text]]:
    """One button per canonical value of an input, labelled in Chinese."""
    values = load_policy().vocabulary[dimension].values()
    return [
        {"title": value.label, "payload": f'/inform_profile{{"{dimension}":"{value.id}"}}'}
        for value in values
    ]


class ProfileSlots:
    """Extraction and validation shared by the global slot mappings and the form.

    Extracts the question from the intent, the scene from a pasted error message and
    shop type / account role from the page's message metadata; normalises every engine
    input to its canonical id.
    """

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        found: Dict[Text, Any] = {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent in TOPICS:
            found[QUESTION] = intent
        scenes = _entity_values(tracker, "scene")
        if len(set(scenes)) > 1:
            # "选品广场加到橱窗": the place named first is where the merchant works.
            found["scene"] = scenes[0]
        if intent == "report_error_message" and not scenes:
            error = match_error(tracker.latest_message.get("text") or "")
            if error:
                found["scene"] = error.scene
        metadata = tracker.latest_message.get("metadata") or {}
        for name in ("shop_type", "account_role"):
            if tracker.get_slot(name) is None and metadata.get(name):
                found[name] = metadata[name]
        return [SlotSet(name, value) for name, value in found.items()]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events = []
        for name, value in tracker.slots_to_validate().items():
            if name in INPUTS and value is not None:
                known = canonical(name, value)
                if known is None and tracker.get_slot("requested_slot") == name:
                    dispatcher.utter_message(response="utter_invalid_value", value=str(value))
                value = known
            events.append(SlotSet(name, value))
        return events


def _entity_values(tracker: Tracker, name: Text) -> List[Any]:
    """Values of the latest message's entities of one type, in the order said."""
    entities = tracker.latest_message.get("entities") or []
    return [e.get("value") for e in sorted(entities, key=lambda e: e.get("start", 0)) if e.get("entity") == name]


class ValidateSlotMappings(ProfileSlots, ValidationAction):
    """Runs after every merchant message (action_validate_slot_mappings)."""

    def name(self) -> Text:
        return "action_validate_slot_mappings"


class ValidateProfileForm(ProfileSlots, FormValidationAction):
    """Asks only for what the current question needs and the slots lack."""

    def name(self) -> Text:
        return "validate_profile_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if tracker.get_slot(QUESTION) is None:
            return []
        return [name for name in reply_for(tracker).missing if name in domain_slots]


class AskForInput(Action, ABC):
    """Asks for one engine input, with a button for each of its values."""

    @property
    @abstractmethod
    def slot(self) -> Text:
        """The input this action asks for."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response=f"utter_ask_{self.slot}", buttons=value_buttons(self.slot))
        return []


class ActionAskShopType(AskForInput):
    slot = "shop_type"


class ActionAskAccountRole(AskForInput):
    slot = "account_role"


class ActionAskScene(AskForInput):
    slot = "scene"


class ActionAnswerQuestion(Action):
    """The answer for this merchant: conclusion, why, since when, what to do, where."""

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if tracker.get_slot(QUESTION) is None:
            dispatcher.utter_message(response="utter_offer_topics", buttons=topic_buttons(list(MAIN_TOPICS)))
            return []
        reply = reply_for(tracker)
        if reply.missing:
            return [FollowupAction("profile_form")]
        buttons = [DETAILS_BUTTON] + ([HUMAN_BUTTON] if reply.offer_human else [])
        dispatcher.utter_message(text=reply.text, buttons=buttons)
        return []


class ActionExplainDetails(Action):
    """The full explanation of the last answer, with the source quoted."""

    def name(self) -> Text:
        return "action_explain_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        reply = reply_for(tracker)
        if reply.missing:
            return [FollowupAction("profile_form")]
        dispatcher.utter_message(text=reply.details)
        return []


class ActionClarify(Action):
    """On a low-confidence message: the likeliest questions as buttons, never a guess."""

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        ranking = tracker.latest_message.get("intent_ranking") or []
        likely = [i["name"] for i in ranking if i.get("name") in TOPICS][:3]
        buttons = topic_buttons(likely or list(MAIN_TOPICS)) + [HUMAN_BUTTON]
        dispatcher.utter_message(response="utter_not_understood", buttons=buttons)
        return []


class ActionOfferHelp(Action):
    """Out of scope: what the assistant can help with, and a human."""

    def name(self) -> Text:
        return "action_offer_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        buttons = topic_buttons(list(MAIN_TOPICS)) + [HUMAN_BUTTON]
        dispatcher.utter_message(response="utter_out_of_scope", buttons=buttons)
        return []


class ActionHandOff(Action):
    """Hands the conversation to a human: a summary for the agent, then pause."""

    def name(self) -> Text:
        return "action_hand_off"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(response="utter_hand_off")
        return [SlotSet("handoff_summary", handoff_summary(tracker)), ConversationPaused()]


def handoff_summary(tracker: Tracker) -> Text:
    """What the human agent needs: the question, the merchant's facts, the last answer."""
    policy = load_policy()
    question = tracker.get_slot(QUESTION)
    lines = [f"问题：{TOPICS[question].title if question else '未识别'}"]
    for name in ("shop_type", "account_role", "scene"):
        value = canonical(name, tracker.get_slot(name))
        lines.append(f"{INPUT_LABELS[name]}：{policy.label(name, value) if value else '未知'}")
    said = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")]
    answered = [e.get("text") for e in tracker.events if e.get("event") == "bot" and e.get("text")]
    lines.append(f"商家原话：{' / '.join(said[-3:]) or '无'}")
    lines.append(f"助手已答复：{answered[-1] if answered else '无'}")
    return "\n".join(lines)
