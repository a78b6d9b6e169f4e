"""Actions, run with rasa_sdk's Tracker and CollectingDispatcher.

Assertions are on facts (what the policy data says) and on events, not on whole
sentences that a copy edit would change.
"""

import datetime as dt
import functools

import pytest
from rasa_sdk.events import ConversationPaused

from actions import actions
from actions.actions import ActionAnswerMerchant, ActionExplainDetails, ActionHandOff
from actions.policy import load_policy
from tests.actions.conftest import entity, run, slot_events, tracker

POLICY = load_policy()
FLAGSHIP_OFFICIAL = {"shop_type": ["flagship"], "account_role": ["official"]}


@pytest.fixture
def mid_rollout(monkeypatch):
    """The actions' clock in late November 2023, when the shop type and the role still
    changed whether an account was bound (today only an exemption does, and is named)."""
    monkeypatch.setattr(actions, "take_turn", functools.partial(actions.take_turn, as_of=dt.date(2023, 11, 25)))


def answer(**kwargs):
    return run(ActionAnswerMerchant(), tracker(**kwargs))


def texts(messages):
    return "\n".join(m.get("text") or "" for m in messages)


def test_a_complete_question_is_answered_first_with_the_facts_of_the_policy():
    events, messages = answer(slots={**FLAGSHIP_OFFICIAL, "scene": ["live_before"]}, intent="ask_why_cannot_add")
    text = messages[0]["text"]
    assert text.startswith("不能。") and "旗舰店" in text and "官方账号" in text
    assert " › ".join(POLICY.scenes["live_before"].path) in text
    assert POLICY.fixes["add_own_products"].text in text
    assert "二/1" not in text  # clause ids are for agents (the console), not for merchants
    assert "/ask_details" in [button["payload"] for button in messages[0]["buttons"]]
    assert slot_events(events)["question"] == "ask_why_cannot_add"


def test_an_input_that_does_not_change_the_answer_is_not_asked_for():
    _, messages = answer(slots=FLAGSHIP_OFFICIAL, intent="ask_why_cannot_add")
    assert len(messages) == 1 and "直播间、橱窗、短视频都只能添加本店商品" in messages[0]["text"]


def test_the_one_input_that_splits_the_answer_is_asked_for_with_its_values(mid_rollout):
    events, messages = answer(slots={"shop_type": ["flagship"]}, intent="ask_why_cannot_add")
    assert [m["response"] for m in messages] == ["utter_ask_account_role"]
    # A shop's account is bound to it: an account bound to no shop is not offered.
    assert messages[0]["buttons"] == [
        {"title": v.label, "payload": f'/inform_profile{{"account_role":"{v.id}"}}'}
        for v in POLICY.vocabulary["account_role"].values()
        if v.id not in POLICY.unbound_roles
    ]
    assert slot_events(events)["asked_for"] == "account_role"
    assert slot_events(events)["question"] == "ask_why_cannot_add"


def test_a_message_of_facts_answers_the_question_waiting_for_them():
    slots = {"question": "ask_why_cannot_add", "asked_for": "account_role", **FLAGSHIP_OFFICIAL}
    _, messages = answer(slots=slots, intent="inform_profile", entities=[entity("account_role", "official")])
    assert messages[0]["text"].startswith("不能。")


def test_a_corrected_shop_type_gets_the_new_answer():
    _, messages = answer(
        slots={**FLAGSHIP_OFFICIAL, "shop_type": ["cross_border"], "question": "ask_why_cannot_add"},
        intent="inform_profile",
        entities=[entity("shop_type", "cross_border")],
    )
    assert messages[0]["text"].startswith("能。" + POLICY.coverage[-2].text)


def test_a_denied_value_is_ruled_out_and_no_longer_asked_for():
    said = [entity("shop_type", "cross_border", role="denied"), entity("account_role", "authorized")]
    events, messages = answer(slots={"account_role": ["authorized"]}, intent="ask_why_cannot_add", entities=said)
    assert messages[0]["text"].startswith("不能。")
    assert slot_events(events)["ruled_out"] == {"shop_type": ["cross_border"]}


def test_a_value_the_merchant_now_denies_leaves_the_slot():
    events, messages = answer(
        slots={"shop_type": ["cross_border"], "account_role": ["authorized"], "question": "ask_why_cannot_add"},
        intent="inform_profile",
        entities=[entity("shop_type", "cross_border", role="denied")],
    )
    assert slot_events(events)["shop_type"] is None
    assert messages[0]["text"].startswith("不能。")


def test_the_page_metadata_fills_what_the_merchant_did_not_say():
    events, messages = answer(intent="ask_why_cannot_add", metadata={"shop_type": "旗舰店", "account_role": "授权帐号"})
    assert messages[0]["text"].startswith("不能。您旗舰店的授权号")
    assert slot_events(events)["shop_type"] == ["flagship"] and slot_events(events)["account_role"] == ["authorized"]


def test_the_page_metadata_does_not_override_what_the_merchant_said():
    events, messages = answer(
        slots={"shop_type": ["individual"], "account_role": ["official"]},
        intent="ask_why_cannot_add",
        metadata={"shop_type": "旗舰店"},
    )
    assert "个体店" in messages[0]["text"] and "shop_type" not in slot_events(events)


def test_unknown_metadata_is_dropped_quietly(mid_rollout):
    _, messages = answer(intent="ask_why_cannot_add", metadata={"shop_type": "小卖部"})
    assert messages[0]["response"] == "utter_ask_shop_type"


@pytest.mark.parametrize("error, scene", [("live_limit", "直播间"), ("shop_type_unsupported", "橱窗")])
def test_a_pasted_error_is_answered_without_asking_and_names_its_scene(error, scene):
    _, messages = answer(intent="report_error_message", entities=[entity("error", error)])
    assert len(messages) == 1 and messages[0]["text"].startswith("不能。") and scene in messages[0]["text"]


def test_where_an_error_appears_needs_no_profile():
    _, messages = answer(intent="ask_error_location", entities=[entity("error", "live_limit")])
    assert POLICY.errors["live_limit"].where in messages[0]["text"]


def test_two_questions_in_one_message_get_both_answers():
    slots = {"shop_type": ["individual"], "account_role": ["authorized"]}
    _, messages = answer(slots=slots, intent="ask_why_cannot_add", entities=[entity("question", "ask_when_effective")])
    text = messages[0]["text"]
    assert text.startswith("不能。") and "11月中下旬" in text and "12月中旬" in text


def test_an_unsure_message_with_facts_is_answered_and_the_other_questions_offered():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_why_cannot_add", "confidence": 0.5},
        {"name": "ask_when_effective", "confidence": 0.3},
    ]
    _, messages = answer(
        slots=FLAGSHIP_OFFICIAL,
        intent="nlu_fallback",
        ranking=ranking,
        entities=[entity("shop_type", "flagship"), entity("account_role", "official")],
    )
    assert messages[0]["text"].startswith("不能。")
    assert "/ask_when_effective" in [b["payload"] for b in messages[0]["buttons"]]


def test_an_unsure_message_without_facts_offers_the_likeliest_questions_and_a_human():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_when_effective", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
        {"name": "ask_limit_quota", "confidence": 0.2},
    ]
    _, messages = answer(text="嗯?", intent="nlu_fallback", ranking=ranking)
    assert messages[0]["response"] == "utter_not_understood"
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        "/ask_when_effective",
        "/ask_limit_quota",
        "/request_human",
    ]


def test_an_answer_it_cannot_read_is_asked_again():
    slots = {"question": "ask_why_cannot_add", "asked_for": "shop_type"}
    _, messages = answer(slots=slots, text="小卖部", intent="nlu_fallback")
    assert messages[0]["response"] == "utter_invalid_value" and messages[1]["response"] == "utter_ask_shop_type"


def test_out_of_scope_offers_the_main_questions_and_a_human():
    _, messages = answer(text="怎么退款", intent="out_of_scope")
    assert messages[0]["response"] == "utter_out_of_scope"
    assert messages[0]["buttons"][-1]["payload"] == "/request_human"


def test_a_question_beyond_the_source_says_so_and_offers_a_human():
    _, messages = answer(intent="ask_beyond_source", confidence=0.9)
    assert POLICY.quoted.beyond_source.text in messages[0]["text"]
    assert messages[0]["buttons"][-1]["payload"] == "/request_human"


def test_a_creator_of_a_big_shop_is_offered_a_human():
    _, messages = answer(slots=FLAGSHIP_OFFICIAL, intent="ask_keep_selling_as_creator")
    assert "无法确定" in messages[0]["text"] and messages[0]["buttons"][-1]["payload"] == "/request_human"


def test_details_name_the_source_in_words_not_clause_ids():
    _, messages = run(ActionExplainDetails(), tracker({**FLAGSHIP_OFFICIAL, "question": "ask_why_cannot_add"}))
    text = messages[0]["text"]
    assert POLICY.clauses["标题"] in text and "第二部分「生效时间」" in text and "累计添加联盟商品数已达上限" in text
    assert not [clause for clause in POLICY.clauses if "/" in clause and clause in text]


def test_a_typed_question_the_classifier_calls_details_is_answered():
    """「哪几类店铺的号要受这个限制 给我列全一点」 asks for a list, not the last answer's details."""
    said = tracker(
        text="具体是哪几类店铺的号要受这个限制 给我列全一点",
        intent="ask_details",
        entities=[entity("each", "shop_type")],
    )
    _, messages = run(ActionExplainDetails(), said)
    assert "原文依据" not in texts(messages) and POLICY.label("shop_type", "mall") in texts(messages)
    assert "跨境店不受这条规则限制" in texts(messages)


def test_hand_off_writes_a_summary_and_pauses():
    history = [
        {"event": "user", "text": "橱窗加不了联盟的货"},
        {"event": "bot", "text": "不能。您个体店的授权号在橱窗只能添加本店商品"},
    ]
    slots = {
        "question": "ask_why_cannot_add",
        "shop_type": ["individual"],
        "account_role": ["authorized"],
        "scene": ["showcase"],
    }
    events, messages = run(ActionHandOff(), tracker(slots, text="转人工", intent="request_human", events=history))
    summary = slot_events(events)["handoff_summary"]
    assert ConversationPaused() in events and messages[0]["response"] == "utter_hand_off"
    for fact in ("为什么加不了非本店商品", "个体店", "授权号", "橱窗", "橱窗加不了联盟的货", "不能。您个体店的授权号"):
        assert fact in summary


def test_hand_off_names_the_question_asked_beside_the_request():
    ranking = [{"name": "request_human", "confidence": 1.0}, {"name": "ask_when_effective", "confidence": 0.8}]
    events, _ = run(ActionHandOff(), tracker(text="转人工 什么时候生效的", intent="request_human", ranking=ranking))
    assert "规则什么时候生效" in slot_events(events)["handoff_summary"]
