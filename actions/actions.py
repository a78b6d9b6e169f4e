"""Custom actions: thin adapters from the tracker to the understanding, the engine and
the replies, and back. One merchant message costs one action call."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import DEFAULT_QUESTION, INPUT_LABELS, MAIN_TOPICS, TOPICS, Reply, answer
from actions.policy import PROFILE, Policy, UnknownValueError, candidates, load_policy, normalise
from actions.understanding import FALLBACK, OUT_OF_SCOPE, Understanding, profile, understand

logger = logging.getLogger(__name__)

QUESTION = "question"  # the question waiting for an input (or answered last)
ASKED_FOR = "asked_for"  # the input the assistant asked for last
RULED_OUT = "ruled_out"  # values the merchant said are not theirs: {input: [ids]}
HANDOFF_SUMMARY = "handoff_summary"
# What a page that knows the merchant may send as message metadata.
PAGE_INPUTS = ("shop_type", "account_role")
DETAILS_BUTTON = {"title": "查看详细说明", "payload": "/ask_details"}
HUMAN_BUTTON = {"title": "转人工客服", "payload": "/request_human"}


def canonical(name: Text, value: Any) -> Optional[Text]:
    """The canonical id of an engine input, or None (logged) for an unknown value."""
    if value in (None, ""):
        return None
    try:
        return normalise(name, str(value))
    except UnknownValueError:
        logger.warning("Dropped unknown %s %r", name, value)
        return None


def topic_buttons(questions: Sequence[Text]) -> List[Dict[Text, Text]]:
    return [{"title": TOPICS[q].title, "payload": f"/{q}"} for q in questions]


def value_buttons(dimension: Text, values: Sequence[Text], policy: Policy) -> List[Dict[Text, Text]]:
    """One button per value of an input, labelled in Chinese."""
    return [
        {"title": policy.label(dimension, value), "payload": f'/inform_profile{{"{dimension}":"{value}"}}'}
        for value in values
    ]


class Conversation:
    """What the tracker says about the merchant, merged with their latest message."""

    def __init__(self, tracker: Tracker, policy: Policy) -> None:
        self.tracker = tracker
        self.policy = policy
        self.understood = understand(tracker.latest_message, policy, tracker.get_slot(QUESTION))
        known = {name: self._slot_values(name) for name in PROFILE}
        metadata = tracker.latest_message.get("metadata") or {}
        for name in PAGE_INPUTS:
            page_value = canonical(name, metadata.get(name)) if isinstance(metadata, dict) else None
            if not known[name] and page_value:
                known[name] = (page_value,)
        ruled_out = tracker.get_slot(RULED_OUT) or {}
        self.claimed, self.denied = profile(self.understood, known, ruled_out, policy)
        self.known = known

    def _slot_values(self, name: Text) -> Tuple[Text, ...]:
        value = self.tracker.get_slot(name)
        values = value if isinstance(value, list) else [value] if value else []
        return tuple(v for v in (canonical(name, x) for x in values) if v)

    def reply(self, questions: Sequence[Text]) -> Reply:
        product = self.understood.product_source or canonical("product_source", self.tracker.get_slot("product_source"))
        return answer(questions, candidates(self.policy, self.claimed, self.denied), product, self.understood.errors)

    def facts_events(self) -> List[EventType]:
        """The profile slots and the ruled-out values, where this message changed them."""
        events = [
            SlotSet(name, list(self.claimed[name]) or None)
            for name in PROFILE
            if self.claimed[name] != self._slot_values(name)
        ]
        denied = {name: list(values) for name, values in self.denied.items() if values}
        if denied != (self.tracker.get_slot(RULED_OUT) or {}):
            events.append(SlotSet(RULED_OUT, denied or None))
        return events


class ActionAnswerMerchant(Action):
    """Answers every question in the message for what is known of the merchant, asks
    for the one input an answer still depends on, or offers the likely questions."""

    def name(self) -> Text:
        return "action_answer_merchant"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        policy = load_policy()
        conversation = Conversation(tracker, policy)
        understood = conversation.understood
        events = conversation.facts_events()
        if not understood.questions:
            return events + self._not_a_question(dispatcher, tracker, understood)
        reply = conversation.reply(understood.questions)
        if reply.text:
            dispatcher.utter_message(text=reply.text, buttons=self._buttons(reply, understood))
        if reply.ask:
            possible = candidates(policy, conversation.claimed, conversation.denied)[reply.ask]
            dispatcher.utter_message(
                response=f"utter_ask_{reply.ask}", buttons=value_buttons(reply.ask, possible, policy)
            )
        return events + [SlotSet(QUESTION, reply.pending or understood.questions[0]), SlotSet(ASKED_FOR, reply.ask)]

    @staticmethod
    def _buttons(reply: Reply, understood: Understanding) -> List[Dict[Text, Text]]:
        """Details; the other likely questions when the question was guessed or lies
        beyond the rule; a human when the answer calls for one."""
        buttons = [DETAILS_BUTTON]
        suggests = any(TOPICS[q].suggests_topics for q in understood.questions)
        if suggests or understood.guessed:
            others = [q for q in understood.likely if q not in understood.questions and not TOPICS[q].suggests_topics]
            buttons += topic_buttons(others[: 3 if suggests else 2])
        return buttons + ([HUMAN_BUTTON] if reply.offer_human else [])

    @staticmethod
    def _not_a_question(
        dispatcher: CollectingDispatcher, tracker: Tracker, understood: Understanding
    ) -> List[EventType]:
        """Out of scope, not understood, or an answer the assistant could not read."""
        asked_for = tracker.get_slot(ASKED_FOR)
        if understood.intent == OUT_OF_SCOPE:
            dispatcher.utter_message(response="utter_out_of_scope", buttons=topic_buttons(MAIN_TOPICS) + [HUMAN_BUTTON])
        elif understood.intent == FALLBACK and asked_for in PROFILE:
            policy = load_policy()
            said = (tracker.latest_message.get("text") or "")[:20]
            dispatcher.utter_message(response="utter_invalid_value", value=said)
            dispatcher.utter_message(
                response=f"utter_ask_{asked_for}", buttons=value_buttons(asked_for, policy.values(asked_for), policy)
            )
            return []
        elif understood.intent == FALLBACK:
            # Unsure what was asked: the likeliest questions; facts told next get the
            # merchant's verdict.
            likely = list(understood.likely) or list(MAIN_TOPICS)
            dispatcher.utter_message(
                response="utter_not_understood", buttons=topic_buttons(likely[:3]) + [HUMAN_BUTTON]
            )
            return [SlotSet(ASKED_FOR, None), SlotSet(QUESTION, DEFAULT_QUESTION)]
        else:
            dispatcher.utter_message(response="utter_offer_topics", buttons=topic_buttons(MAIN_TOPICS))
        return [SlotSet(ASKED_FOR, None)]


class ActionExplainDetails(Action):
    """The full explanation of the last answer, with the source quoted."""

    def name(self) -> Text:
        return "action_explain_details"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        conversation = Conversation(tracker, load_policy())
        question = tracker.get_slot(QUESTION)
        reply = conversation.reply([question] if question in TOPICS else [])
        if reply.details:
            dispatcher.utter_message(text=reply.details)
        else:
            dispatcher.utter_message(response="utter_offer_topics", buttons=topic_buttons(MAIN_TOPICS))
        return []


class ActionHandOff(Action):
    """Hands the conversation to a human: a summary for the agent, then pause."""

    def name(self) -> Text:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_hand_off")
        conversation = Conversation(tracker, load_policy())
        summary = handoff_summary(tracker, conversation.claimed, conversation.policy)
        return conversation.facts_events() + [SlotSet(HANDOFF_SUMMARY, summary), ConversationPaused()]


def handoff_summary(tracker: Tracker, claimed: Mapping[Text, Sequence[Text]], policy: Policy) -> Text:
    """What the human agent needs: the question, the merchant's facts, the last answer."""
    question = tracker.get_slot(QUESTION)
    ranking = [i.get("name") for i in tracker.latest_message.get("intent_ranking") or []]
    question = question if question in TOPICS else next((q for q in ranking if q in TOPICS), None)
    lines = [f"问题：{TOPICS[question].title if question else '未识别'}"]
    for name in PROFILE:
        labels = "、".join(policy.label(name, value) for value in claimed.get(name) or ())
        lines.append(f"{INPUT_LABELS[name]}：{labels or '未知'}")
    said = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")]
    answered = [e.get("text") for e in tracker.events if e.get("event") == "bot" and e.get("text")]
    lines.append(f"商家原话：{' / '.join(said[-3:]) or '无'}")
    lines.append(f"助手已答复：{answered[-1] if answered else '无'}")
    return "\n".join(lines)
