"""Actions, run with rasa_sdk's Tracker and CollectingDispatcher."""

import asyncio

import pytest
from rasa_sdk.events import ConversationPaused, FollowupAction

from actions.actions import (
    ActionAnswerQuestion,
    ActionAskAccountRole,
    ActionAskScene,
    ActionAskShopType,
    ActionClarify,
    ActionExplainDetails,
    ActionHandOff,
    ActionOfferHelp,
    ValidateProfileForm,
    ValidateSlotMappings,
)
from actions.policy import load_policy
from tests.actions.conftest import DOMAIN, run, slot_events, tracker

FLAGSHIP_OFFICIAL_LIVE = {
    "question": "ask_why_cannot_add",
    "shop_type": "flagship",
    "account_role": "official",
    "scene": "live_before",
}


def test_answer_puts_the_conclusion_first_with_the_facts_of_the_policy():
    events, messages = run(ActionAnswerQuestion(), tracker(FLAGSHIP_OFFICIAL_LIVE))
    text = messages[0]["text"]
    policy = load_policy()
    assert events == []
    assert text.startswith("不能。")
    assert "旗舰店" in text and "官方账号" in text
    assert " › ".join(policy.scenes["live_before"].path) in text
    assert policy.fixes["add_own_products"].text in text
    assert "二/1" in text.splitlines()[-1]
    assert messages[0]["buttons"][0]["payload"] == "/ask_details"


def test_answer_follows_a_corrected_shop_type():
    corrected = {**FLAGSHIP_OFFICIAL_LIVE, "shop_type": "cross_border"}
    _, messages = run(ActionAnswerQuestion(), tracker(corrected))
    assert messages[0]["text"].startswith("能。跨境店不受这条规则限制")


def test_answer_without_a_question_offers_the_main_questions():
    _, messages = run(ActionAnswerQuestion(), tracker({"shop_type": "flagship"}))
    assert messages[0]["response"] == "utter_offer_topics"
    assert len(messages[0]["buttons"]) == 4


def test_answer_with_facts_missing_goes_back_to_the_form():
    events, messages = run(ActionAnswerQuestion(), tracker({"question": "ask_why_cannot_add"}))
    assert events == [FollowupAction("profile_form")] and messages == []


def test_creator_of_a_big_shop_is_offered_a_human():
    facts = {"question": "ask_keep_selling_as_creator", "shop_type": "flagship", "account_role": "official"}
    _, messages = run(ActionAnswerQuestion(), tracker(facts))
    assert "无法确定" in messages[0]["text"]
    assert messages[0]["buttons"][-1]["payload"] == "/request_human"


def test_details_quote_the_source():
    _, messages = run(ActionExplainDetails(), tracker(FLAGSHIP_OFFICIAL_LIVE))
    text = messages[0]["text"]
    assert "原文依据" in text
    assert load_policy().clauses["二/1"] in text
    assert "累计添加联盟商品数已达上限" in text


def test_slot_mappings_take_the_question_and_the_page_metadata(slots_of):
    events, messages = run(
        ValidateSlotMappings(),
        tracker(intent="ask_when_effective", metadata={"shop_type": "旗舰店", "account_role": "授权帐号"}),
    )
    assert slots_of(events) == {
        "question": "ask_when_effective",
        "shop_type": "flagship",
        "account_role": "authorized",
    }
    assert messages == []


def test_metadata_does_not_override_what_the_merchant_said(slots_of):
    events, _ = run(
        ValidateSlotMappings(),
        tracker({"shop_type": "individual"}, intent="greet", metadata={"shop_type": "旗舰店"}),
    )
    assert "shop_type" not in slots_of(events)


def test_unknown_metadata_is_dropped_quietly(slots_of):
    events, messages = run(ValidateSlotMappings(), tracker(intent="greet", metadata={"shop_type": "小卖部"}))
    assert slots_of(events) == {"shop_type": None}
    assert messages == []


@pytest.mark.parametrize(
    "text, scene",
    [
        ("提示 累计添加联盟商品数已达上线 咋办", "live_before"),
        ("橱窗报错:您的店铺类型暂不支持添加联盟商品", "showcase"),
    ],
)
def test_a_pasted_error_message_gives_the_scene(text, scene, slots_of):
    events, _ = run(ValidateSlotMappings(), tracker(text=text, intent="report_error_message"))
    assert slots_of(events)["scene"] == scene


def test_the_scene_named_first_is_where_the_merchant_works(slots_of):
    entities = [{"entity": "scene", "value": "selection_plaza", "start": 0}, {"entity": "scene", "value": "showcase", "start": 6}]
    events, _ = run(ValidateSlotMappings(), tracker(text="选品广场加到橱窗失败", intent="ask_why_cannot_add", entities=entities))
    assert slots_of(events)["scene"] == "selection_plaza"


def test_a_scene_the_merchant_names_wins_over_the_error(slots_of):
    entities = [{"entity": "scene", "value": "short_video"}]
    text = "短视频挂车提示您的店铺类型暂不支持添加联盟商品"
    events, _ = run(ValidateSlotMappings(), tracker(text=text, intent="report_error_message", entities=entities))
    assert "scene" not in slots_of(events)


@pytest.mark.parametrize(
    "slots, required",
    [
        ({"question": "ask_why_cannot_add"}, ["shop_type", "account_role", "scene"]),
        ({"question": "ask_why_cannot_add", "shop_type": "flagship"}, ["account_role", "scene"]),
        ({"question": "ask_when_effective"}, ["shop_type", "account_role"]),
        ({"question": "ask_where_to_operate"}, ["scene"]),
        ({"question": "ask_why_cannot_add", "shop_type": "cross_border"}, []),
        ({"question": "ask_why_cannot_add", "account_role": "unbound"}, []),
        ({"question": "ask_rule_reason"}, []),
        ({}, []),
    ],
)
def test_the_form_asks_only_for_what_the_question_needs(slots, required):
    action = ValidateProfileForm()
    dispatcher = None
    found = asyncio.run(action.required_slots(["shop_type", "account_role", "scene"], dispatcher, tracker(slots), DOMAIN))
    assert found == required


def test_the_form_takes_two_facts_at_once_and_asks_for_the_third():
    slots = {"question": "ask_why_cannot_add", "requested_slot": "shop_type"}
    said = {"shop_type": "旗舰店", "account_role": "官方号"}
    events, _ = run(
        ValidateProfileForm(),
        tracker(slots, text="旗舰店的官方号", intent="inform_profile", active_loop="profile_form", candidates=said),
    )
    values = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert values["shop_type"] == "flagship" and values["account_role"] == "official"
    assert values["requested_slot"] == "scene"


def test_the_form_says_when_it_cannot_read_an_answer():
    slots = {"question": "ask_why_cannot_add", "requested_slot": "shop_type"}
    events, messages = run(
        ValidateProfileForm(),
        tracker(slots, text="小卖部", intent="inform_profile", active_loop="profile_form", candidates={"shop_type": "小卖部"}),
    )
    assert slot_events(events)["shop_type"] is None
    assert messages[0]["response"] == "utter_invalid_value"


@pytest.mark.parametrize(
    "action, dimension",
    [(ActionAskShopType(), "shop_type"), (ActionAskAccountRole(), "account_role"), (ActionAskScene(), "scene")],
)
def test_questions_offer_a_button_for_every_value(action, dimension):
    _, messages = run(action, tracker())
    values = load_policy().vocabulary[dimension].values()
    assert messages[0]["response"] == f"utter_ask_{dimension}"
    assert [b["title"] for b in messages[0]["buttons"]] == [v.label for v in values]
    assert messages[0]["buttons"][0]["payload"].startswith(f'/inform_profile{{"{dimension}":')


def test_clarify_offers_the_likeliest_questions_and_a_human():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.55},
        {"name": "ask_when_effective", "confidence": 0.4},
        {"name": "greet", "confidence": 0.3},
        {"name": "ask_limit_quota", "confidence": 0.2},
    ]
    _, messages = run(ActionClarify(), tracker(text="嗯?", intent="nlu_fallback", ranking=ranking))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ["/ask_when_effective", "/ask_limit_quota", "/request_human"]


def test_out_of_scope_offers_main_questions_and_a_human():
    _, messages = run(ActionOfferHelp(), tracker(text="怎么退款", intent="out_of_scope"))
    assert messages[0]["response"] == "utter_out_of_scope"
    assert messages[0]["buttons"][-1]["payload"] == "/request_human"


def test_hand_off_writes_a_summary_and_pauses():
    history = [
        {"event": "user", "text": "橱窗加不了联盟的货"},
        {"event": "bot", "text": "不能。您个体店的授权号在橱窗只能添加本店商品"},
    ]
    slots = {"question": "ask_why_cannot_add", "shop_type": "individual", "account_role": "authorized", "scene": "showcase"}
    events, messages = run(ActionHandOff(), tracker(slots, text="转人工", intent="request_human", events=history))
    summary = slot_events(events)["handoff_summary"]
    assert ConversationPaused() in events
    assert messages[0]["response"] == "utter_hand_off"
    for fact in ("为什么加不了非本店商品", "个体店", "授权号", "橱窗", "橱窗加不了联盟的货", "不能。您个体店的授权号"):
        assert fact in summary
