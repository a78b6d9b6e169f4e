"""Question frames read from parsed messages across turns (actions.frames.take_turn).

Parses are built by hand as the NLU components leave them, so these tests need no model.
Expected facts are typed from the source: an enterprise shop's accounts may add only
its own products, an account bound to no shop is not affected (一, 六/Q3/答), and the
restriction has been in effect since 2023 (二, 六/Q4).
"""

import datetime as dt
from typing import Any, Dict, List, Optional

from actions.frames import take_turn
from actions.policy import Status, load_policy
from actions.policy.claims import Claim, encode

POLICY = load_policy()
TODAY = dt.date(2026, 12, 7)


def parse(text: str, intent: str, entities: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities}


def fact(name: str, value: str, group: Optional[int] = None) -> Dict[str, Any]:
    return {"entity": name, "value": value, **({"group": group} if group else {})}


def claim(said: Claim) -> List[Dict[str, Any]]:
    return [{"entity": "claim", "value": value, "role": part} for part, value in encode(said).items()]


def test_subjects_named_in_turn_are_each_answered():
    text = "我有两个号 一个绑了我们企业店 一个没绑任何店 这俩号还能带联盟吗"
    entities = [fact("shop_type", "enterprise", 1), fact("account_role", "unbound", 2)]
    turn = take_turn(parse(text, "ask_why_cannot_add", entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.frame is not None and len(turn.frame.subjects) == 2 and not turn.frame.own
    text_ = turn.reply.text if turn.reply else ""
    assert "企业店的官方账号和授权号：不能" in text_ and "能。没有绑定店铺的账号不受这条规则影响" in text_, text_


def test_a_follow_up_that_states_something_is_checked_against_what_was_discussed():
    first = take_turn(
        parse(
            "个体店官方号 直播间加不了联盟商品",
            "ask_why_cannot_add",
            [fact("shop_type", "individual"), fact("account_role", "official")],
        ),
        {},
        {},
        None,
        None,
        POLICY,
        TODAY,
    )
    follow = parse("那是刚上线的功能吧", "nlu_fallback", claim(Claim(status=Status.INTERNAL_TEST)))
    second = take_turn(follow, first.claimed, {}, first.frame, "ask_why_cannot_add", POLICY, TODAY)
    assert second.reply is not None and second.reply.text.startswith("不对"), second.reply
    assert "个体店" in second.reply.text and "已经全面生效" in second.reply.text


def test_a_statement_to_check_with_no_question_asks_the_verdict():
    entities = [fact("shop_type", "cross_border"), *claim(Claim(allowed=False))]
    turn = take_turn(
        parse("跨境店也一样只能带自己店的东西 对吧", "nlu_fallback", entities), {}, {}, None, None, POLICY, TODAY
    )
    assert turn.reply is not None and turn.reply.text.startswith("不对，跨境店不受这条规则限制"), turn.reply


def test_a_shop_type_said_now_replaces_an_account_known_to_be_bound_to_no_shop():
    entities = [fact("shop_type", "cross_border"), *claim(Claim(allowed=True))]
    known = {"account_role": ("unbound",)}
    turn = take_turn(
        parse("所以跨境店就完全不受影响是吧", "nlu_fallback", entities), known, {}, None, None, POLICY, TODAY
    )
    assert turn.claimed["account_role"] == () and turn.reply is not None
    assert turn.reply.text.startswith("是的，跨境店不受这条规则限制"), turn.reply.text
