"""Custom actions: thin adapters from the tracker to the understanding, the engine and
the replies, and back. One merchant message costs one action call."""

from __future__ import annotations

import json
import logging
from typing import Any, Dict, List, Mapping, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import DEFAULT_QUESTION, INPUT_LABELS, MAIN_TOPICS, TOPICS, Frame, Reply, answer
from actions.frames import from_slot, take_turn
from actions.policy import PROFILE, Policy, UnknownValueError, candidates, load_policy, normalise
from actions.privacy import masked
from actions.understanding import FALLBACK, OUT_OF_SCOPE, SMALL_TALK, Understanding

logger = logging.getLogger(__name__)

QUESTION = "question"  # the question waiting for an input (or answered last)
ASKED_FOR = "asked_for"  # the input the assistant asked for last
FRAME = "frame"  # the question frame answered (or waiting for an input) last
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


def follow_up_button(question: Text) -> Dict[Text, Text]:
    """A quick reply after an answer (「为什么」), read against the question just answered."""
    return {"title": TOPICS[question].follow_up or TOPICS[question].title, "payload": f"/{question}"}


# Chit-chat and its answer, when the message carries nothing about the rule.
SMALL_TALK_RESPONSES = {
    "greet": "utter_greet",
    "thank": "utter_thank",
    "goodbye": "utter_goodbye",
    "affirm": "utter_ask_what_else",
    "deny": "utter_ask_what_else",
    "bot_challenge": "utter_iamabot",
}


def value_buttons(dimension: Text, values: Sequence[Text], policy: Policy) -> List[Dict[Text, Text]]:
    """One button per value of an input, labelled in Chinese."""
    return [
        {"title": policy.label(dimension, value), "payload": f'/inform_profile{{"{dimension}":"{value}"}}'}
        for value in values
    ]


class Conversation:
    """What the tracker says about the merchant, merged with their latest message, and
    the answer to it (actions.frames.take_turn)."""

    def __init__(self, tracker: Tracker, policy: Policy) -> None:
        self.tracker = tracker
        self.policy = policy
        known = {name: self._slot_values(name) for name in PROFILE}
        metadata = tracker.latest_message.get("metadata") or {}
        for name in PAGE_INPUTS:
            page_value = canonical(name, metadata.get(name)) if isinstance(metadata, dict) else None
            if not known[name] and page_value:
                known[name] = (page_value,)
        self.known = known
        self.last = from_slot(tracker.get_slot(FRAME), policy)
        ruled_out = tracker.get_slot(RULED_OUT) or {}
        self.turn = take_turn(tracker.latest_message, known, ruled_out, self.last, tracker.get_slot(QUESTION), policy)
        self.understood, self.claimed, self.denied = self.turn.understood, self.turn.claimed, self.turn.denied

    def asked_before(self) -> Optional[Frame]:
        """The question answered last, for the merchant's profile (a conversation from
        before frames were kept)."""
        question = self.tracker.get_slot(QUESTION)
        if question not in TOPICS:
            return None
        return Frame.of([question], candidates(self.policy, self.known, self.tracker.get_slot(RULED_OUT) or {}))

    def _slot_values(self, name: Text) -> Tuple[Text, ...]:
        value = self.tracker.get_slot(name)
        values = value if isinstance(value, list) else [value] if value else []
        return tuple(v for v in (canonical(name, x) for x in values) if v)

    def facts_events(self) -> List[EventType]:
        """The profile slots and the ruled-out values, where this message changed them;
        values of several subjects or of a class are not the merchant's own."""
        own = self.turn.frame is None or self.turn.frame.own
        claimed = self.claimed if own else {name: self.known[name] for name in PROFILE}
        events = [
            SlotSet(name, list(claimed[name]) or None) for name in PROFILE if claimed[name] != self._slot_values(name)
        ]
        denied = {name: list(values) for name, values in self.denied.items() if values}
        if own and denied != (self.tracker.get_slot(RULED_OUT) or {}):
            events.append(SlotSet(RULED_OUT, denied or None))
        return events


class ActionAnswerMerchant(Action):
    """Answers every question in the message for the subjects it is about, asks for the
    one input an answer about the merchant's own case still depends on, or answers
    chit-chat, offers the likely questions or says what it cannot help with."""

    def name(self) -> Text:
        return "action_answer_merchant"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        policy = load_policy()
        conversation = Conversation(tracker, policy)
        turn = conversation.turn
        events = conversation.facts_events()
        if turn.frame is None or turn.reply is None:
            return events + self._not_a_question(dispatcher, tracker, turn.understood)
        reply, frame = turn.reply, turn.frame
        if reply.text:
            dispatcher.utter_message(text=reply.text, buttons=self._buttons(reply, turn.understood))
        if reply.ask:
            possible = frame.subjects[0].possible[reply.ask]
            dispatcher.utter_message(
                response=f"utter_ask_{reply.ask}", buttons=value_buttons(reply.ask, possible, policy)
            )
        return events + [
            SlotSet(QUESTION, reply.pending or frame.asks[0]),
            SlotSet(ASKED_FOR, reply.ask),
            SlotSet(FRAME, frame.as_slot()),
        ]

    @staticmethod
    def _buttons(reply: Reply, understood: Understanding) -> List[Dict[Text, Text]]:
        """The questions worth a tap next; the other likely questions when the question
        was guessed (not read against the last answer) or lies beyond the rule; details;
        a human when the answer calls for one."""
        suggests = any(TOPICS[q].suggests_topics for q in understood.questions)
        others: List[Text] = []
        if suggests or understood.guessed and not understood.following:
            others = [q for q in understood.likely if q not in understood.questions and not TOPICS[q].suggests_topics]
            others = others[: 3 if suggests else 2]
        buttons = [follow_up_button(q) for q in reply.follow_ups] + topic_buttons(others) + [DETAILS_BUTTON]
        return buttons + ([HUMAN_BUTTON] if reply.offer_human else [])

    @staticmethod
    def _not_a_question(
        dispatcher: CollectingDispatcher, tracker: Tracker, understood: Understanding
    ) -> List[EventType]:
        """Chit-chat, a bare correction, out of scope, not understood, or an answer the
        assistant could not read."""
        asked_for = tracker.get_slot(ASKED_FOR)
        if understood.corrects and understood.intent in (*SMALL_TALK, FALLBACK, OUT_OF_SCOPE):
            # 「说错了」 with nothing to correct yet: what should be corrected?
            dispatcher.utter_message(response="utter_ask_correction", buttons=topic_buttons(MAIN_TOPICS))
        elif understood.intent in SMALL_TALK:
            dispatcher.utter_message(response=SMALL_TALK_RESPONSES[str(understood.intent)])
        elif understood.intent == OUT_OF_SCOPE:
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
        policy = load_policy()
        conversation = Conversation(tracker, policy)
        if conversation.turn.frame is not None and not str(tracker.latest_message.get("text") or "").startswith("/"):
            # 「具体是哪几类店铺的号受限制 给我列全一点」: typed, a question of its own.
            return await ActionAnswerMerchant().run(dispatcher, tracker, domain)
        last = from_slot(tracker.get_slot(FRAME), policy) or conversation.asked_before()
        reply = answer(last, policy=policy) if last else None
        if reply and reply.details:
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
    """What the human agent needs: the question, the merchant's facts, their words, the
    last answer; as JSON fields (label, value), so that no message can add one."""
    question = tracker.get_slot(QUESTION)
    ranking = [i.get("name") for i in tracker.latest_message.get("intent_ranking") or []]
    question = question if question in TOPICS else next((q for q in ranking if q in TOPICS), None)
    fields = [("问题", TOPICS[question].title if question else "未识别")]
    for name in PROFILE:
        labels = "、".join(policy.label(name, value) for value in claimed.get(name) or ())
        fields.append((INPUT_LABELS[name], labels or "未知"))
    said = [e.get("text") for e in tracker.events if e.get("event") == "user" and e.get("text")]
    answered = [e.get("text") for e in tracker.events if e.get("event") == "bot" and e.get("text")]
    fields.append(("商家原话", masked(" / ".join(said[-3:])) or "无"))
    fields.append(("助手已答复", answered[-1] if answered else "无"))
    return json.dumps([{"label": label, "value": value} for label, value in fields], ensure_ascii=False)
