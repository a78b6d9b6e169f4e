"""Question frames read from parsed messages across turns (actions.frames.take_turn).

Parses are built by hand as the NLU components leave them, so these tests need no model.
Expected facts are typed from the source: an enterprise shop's accounts may add only
its own products, an account bound to no shop is not affected (一, 六/Q3/答), and the
restriction has been in effect since 2023 (二, 六/Q4).
"""

import datetime as dt
from typing import Any, Dict, List, Optional

import pytest

from actions.frames import Turn, from_slot, take_turn
from actions.policy import Status, load_policy
from actions.policy.claims import Claim, encode

POLICY = load_policy()
TODAY = dt.date(2026, 12, 7)


def parse(text: str, intent: str, entities: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities}


def fact(name: str, value: str, group: Optional[int] = None) -> Dict[str, Any]:
    return {"entity": name, "value": value, **({"group": group} if group else {})}


def opening(text: str, **facts: str) -> Turn:
    """A conversation's first turn: a verdict asked with facts (value → input)."""
    entities = [fact(name, value) for value, name in facts.items()]
    return take_turn(parse(text, "ask_why_cannot_add", entities), {}, {}, None, None, POLICY, TODAY)


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


def turns(*messages):
    """Each (text, intent, entities) read against the turn before, as the chat does."""
    known, last, reply = {}, None, None
    for text, intent, entities in messages:
        pending = last.asks[0] if last else None
        turn = take_turn(parse(text, intent, entities), known, {}, last, pending, POLICY, TODAY)
        if turn.frame is not None:
            known = dict(turn.claimed) if turn.frame.own else known
            last = from_slot(turn.frame.as_slot(), POLICY)  # through the slot, as the chat keeps it
        reply = turn.reply
    return reply


def test_a_correction_checks_again_what_was_stated_before():
    reply = turns(
        (
            "企业店授权号短视频只能挂本店的 对吧",
            "ask_why_cannot_add",
            [
                fact("shop_type", "enterprise"),
                fact("account_role", "authorized"),
                fact("scene", "short_video"),
                *claim(Claim(allowed=False)),
            ],
        ),
        (
            "哦搞错了 是跨境店的授权号",
            "inform_profile",
            [fact("shop_type", "cross_border"), fact("account_role", "authorized")],
        ),
    )
    assert reply is not None and reply.text.startswith("不对，跨境店不受这条规则限制"), reply


def test_a_follow_up_naming_two_subjects_answers_each():
    reply = turns(
        (
            "个体店官方号能带联盟吗",
            "ask_why_cannot_add",
            [fact("shop_type", "individual"), fact("account_role", "official")],
        ),
        (
            "那我们旗舰店的授权号 跟跨境店的官方号呢",
            "inform_profile",
            [
                fact("shop_type", "flagship", 1),
                fact("account_role", "authorized", 1),
                fact("shop_type", "cross_border", 2),
                fact("account_role", "official", 2),
            ],
        ),
    )
    assert reply is not None and "旗舰店的授权号：不能" in reply.text and "跨境店不受这条规则限制" in reply.text, reply


def test_blocked_although_the_rule_does_not_bind_the_account_offers_a_person():
    entities = [fact("account_role", "unbound"), {"entity": "blocked", "value": "加不了"}]
    turn = take_turn(
        parse("这个号没绑任何店铺 就是个普通达人号 也加不了", "report_error_message", entities),
        {},
        {},
        None,
        None,
        POLICY,
        TODAY,
    )
    assert turn.reply is not None and turn.reply.offer_human, turn.reply
    assert turn.reply.text.startswith("能。") and POLICY.quoted.blocked_elsewhere.text in turn.reply.text


# 「我自己的官方号 跟我授权给朋友带货的号」: an individual shop's two accounts.
MINE_AND_MY_FRIENDS = [
    fact("shop_type", "individual", 1),
    fact("account_role", "official", 1),
    fact("account_role", "authorized", 2),
]


@pytest.mark.parametrize(
    "text, intent, entities, first",
    [
        (
            "我自己的官方号 跟我授权给朋友带货的号 规则一样吗",
            "ask_why_cannot_add",
            MINE_AND_MY_FRIENDS,
            "一样，都不能。",
        ),
        # whatever the classifier guessed, a comparison compares what each may do
        (
            "我自己的官方号 跟我授权给朋友带货的号 规则一样吗",
            "ask_why_others_still_sell",
            MINE_AND_MY_FRIENDS,
            "一样，都不能。",
        ),
        (
            "一个没绑店 一个是企业店的官方号 这俩有区别吗",
            "ask_why_cannot_add",
            [
                fact("account_role", "unbound", 1),
                fact("shop_type", "enterprise", 2),
                fact("account_role", "official", 2),
            ],
            "有区别：",
        ),
        # 是一样的吗; a comparison of when compares the dates
        (
            "我自己的官方号 跟我授权给朋友带货的号 规则是一样的吗",
            "ask_why_cannot_add",
            MINE_AND_MY_FRIENDS,
            "一样，都不能。",
        ),
        (
            "个体店的授权号和官方号生效时间一样吗",
            "ask_rule_status",
            [
                fact("shop_type", "individual"),
                fact("account_role", "authorized", 1),
                fact("account_role", "official", 2),
            ],
            "是的，时间相同：",
        ),
    ],
)
def test_whether_subjects_differ_is_answered_first(text, intent, entities, first):
    turn = take_turn(parse(text, intent, entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith(first), turn.reply


def test_a_follow_up_naming_whom_it_is_about_asks_again_what_was_asked():
    reply = turns(
        (
            "专卖店官方号已经带不了联盟了",
            "report_error_message",
            [fact("shop_type", "exclusive"), fact("account_role", "official")],
        ),
        ("那我们的授权号呢", "ask_who_is_affected", [fact("account_role", "authorized")]),
    )
    assert reply is not None and reply.text.startswith("不能。您专卖店的授权号"), reply


@pytest.mark.parametrize(
    "text, entities, asked, first",
    [
        ("没绑定任何店铺的达人号 也会被限制吗", [fact("account_role", "unbound")], "会", "不会，"),
        ("跨境商家是不是也得只加本店商品", [fact("shop_type", "cross_border")], "是", "不是，跨境店不受"),
        (
            "旗舰店的官方号也只能带本店的 对吧",
            [fact("shop_type", "flagship"), fact("account_role", "official")],
            "",
            "是的，",
        ),
        (
            "旗舰店的官方号是不是也只能带本店的",
            [fact("shop_type", "flagship"), fact("account_role", "official")],
            "是",
            "是的，",
        ),
    ],
)
def test_a_claim_is_answered_in_the_word_it_is_asked_with(text, entities, asked, first):
    said = [*claim(Claim(allowed=False)), *([{"entity": "claim", "value": asked, "role": "asked"}] if asked else [])]
    turn = take_turn(parse(text, "nlu_fallback", entities + said), {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith(first), turn.reply


def test_a_class_the_rule_is_asked_of_is_answered_whom_it_binds():
    entities = [{"entity": "each", "value": "shop_type"}]
    turn = take_turn(
        parse("这个限制是所有店铺类型都适用吗", "nlu_fallback", entities), {}, {}, None, None, POLICY, TODAY
    )
    assert turn.frame is not None and turn.frame.asks[0] == "ask_who_is_affected"
    text = turn.reply.text if turn.reply else ""
    assert all(POLICY.label("shop_type", s) in text for s in POLICY.values("shop_type")), text
    assert "跨境店不受这条规则限制" in text


def test_a_claim_about_a_whole_class_names_those_it_does_not_hold_for():
    text = "精选联盟选品广场是所有号都不能加了吗"
    entities = [
        {"entity": "each", "value": "account_role"},
        fact("scene", "selection_plaza"),
        *claim(Claim(allowed=False)),
        {"entity": "claim", "value": "是", "role": "asked"},
    ]
    turn = take_turn(parse(text, "nlu_fallback", entities), {}, {}, None, None, POLICY, TODAY)
    lines = turn.reply.text.split("\n") if turn.reply else []
    assert lines and lines[0].startswith("不完全是，"), lines
    assert any("没有绑定店铺的账号不受" in line for line in lines)


def test_a_claim_checked_as_a_verdict_needs_no_blocked_merchants_verdict_beside_it():
    """「是不是官方号跟授权号都加不了」 read as a blocked merchant's question too: the
    verdict the claim is checked as is said once."""
    entities = [
        fact("account_role", "official", 1),
        fact("account_role", "authorized", 2),
        fact("scene", "selection_plaza"),
        *claim(Claim(allowed=False)),
        {"entity": "claim", "value": "是", "role": "asked"},
    ]
    said = parse("选品广场是不是官方号跟授权号都加不了", "report_error_message", entities)
    turn = take_turn(said, {}, {}, None, None, POLICY, TODAY)
    assert turn.frame is not None and turn.frame.asks == ("ask_why_cannot_add",)
    lines = turn.reply.text.split("\n") if turn.reply else []
    assert sum("在精选联盟选品广场只能添加本店商品" in line for line in lines) == 1, lines


def question(topic: str) -> Dict[str, Any]:
    return {"entity": "question", "value": topic}


def test_a_verdict_asked_of_the_future_is_not_checked_against_todays_rule():
    said = [*claim(Claim(allowed=False)), {"entity": "claim", "value": "会", "role": "asked"}]
    entities = [fact("shop_type", "cross_border"), question("ask_rule_future"), *said]
    turn = take_turn(
        parse("那跨境店以后会不会也被限制", "ask_who_is_affected", entities), {}, {}, None, None, POLICY, TODAY
    )
    assert turn.frame is not None and not turn.frame.claims and turn.frame.asks[0] == "ask_rule_future"
    text = turn.reply.text if turn.reply else ""
    # Today's exemption is a fact, not a verdict's 能 or 会; the future is not in the source.
    assert text.startswith("跨境店不受这条规则限制") and "没有提到" in text, text


def test_a_future_the_merchant_asserts_is_checked():
    entities = [fact("shop_type", "exclusive"), fact("account_role", "authorized"), question("ask_rule_future")]
    text = "我们专卖店授权号挂不了联盟品 到12月底限制就取消了 是吧"
    turn = take_turn(
        parse(text, "ask_why_cannot_add", entities + claim(Claim(allowed=True))), {}, {}, None, None, POLICY, TODAY
    )
    assert turn.reply is not None and turn.reply.text.startswith("不对"), turn.reply


def test_a_follow_up_asking_beyond_the_source_is_told_so_not_answered_the_last_verdict():
    first = opening(
        "个体店授权号直播挂联盟的品报错", individual="shop_type", authorized="account_role", live_before="scene"
    )
    follow = parse("那要是一直这样 会扣保证金不", "out_of_scope", [question("ask_beyond_source")])
    second = take_turn(follow, first.claimed, {}, first.frame, "ask_why_cannot_add", POLICY, TODAY)
    assert second.frame is not None and second.frame.asks == ("ask_beyond_source",)
    assert second.reply is not None and not second.reply.text.startswith(("能", "不能")), second.reply


def test_an_account_after_its_shop_is_closed_is_answered_as_unbound_and_why():
    first = take_turn(
        parse(
            "我开的企业店就是拿来收款的 现在打算把店关了",
            "ask_keep_selling_as_creator",
            [fact("shop_type", "enterprise")],
        ),
        {},
        {},
        None,
        None,
        POLICY,
        TODAY,
    )
    follow = parse("关完之后这个号能接着带别人家的货吗", "ask_why_cannot_add", [fact("product_source", "other_shop")])
    second = take_turn(follow, first.claimed, {}, first.frame, "ask_keep_selling_as_creator", POLICY, TODAY)
    text = second.reply.text if second.reply else ""
    # 六/Q3/答: 关店成功后账号会自动和店铺解绑，不会再受到限制
    assert text.startswith("能。") and "解绑" in text and "不会再受到限制" in text, text


def test_whether_the_way_out_works_is_checked_and_said_once():
    story = "我是个达人 之前为了收款开了个个体店 店一直没运营 现在橱窗加不了别人家的货了"
    first = take_turn(
        parse(story, "ask_keep_selling_as_creator", [fact("shop_type", "individual"), fact("scene", "showcase")]),
        {},
        {},
        None,
        None,
        POLICY,
        TODAY,
    )
    follow = parse("那我关店行吗", "nlu_fallback", claim(Claim(closes=True)))
    second = take_turn(follow, first.claimed, {}, first.frame, "ask_keep_selling_as_creator", POLICY, TODAY)
    text = second.reply.text if second.reply else ""
    # 六/Q3/答: 关店成功后账号会自动和店铺解绑; said once, not again for each account.
    assert text.startswith("是的") and text.count("关店成功后") == 1, text


def test_why_after_an_answer_asks_its_reason_and_who_the_merchant_is_asks_the_verdict_again():
    showcase = ("橱窗还能加联盟商品吗", "ask_why_cannot_add", [fact("scene", "showcase")])
    why = ("为什么", "nlu_fallback", [])
    reason = turns(showcase, why)
    assert reason is not None and reason.text.startswith("平台的说明是："), reason
    verdict = turns(showcase, why, ("个体店", "inform_profile", [fact("shop_type", "individual")]))
    assert verdict is not None and verdict.text.startswith("不能。您个体店的"), verdict


def test_a_place_after_a_question_of_where_asks_where_again():
    where = ("直播间想上自己店的商品 在哪加啊", "ask_where_to_operate", [fact("scene", "live_before")])
    reply = turns(where, ("橱窗呢", "nlu_fallback", [fact("scene", "showcase")]))
    assert reply is not None and reply.text.startswith("操作路径：巨量百应 › 达人工作台 › 橱窗管理"), reply


def test_the_question_the_words_name_comes_before_an_unsure_classifiers():
    """「授权号又不是官方号，凭啥也被管起来了」 classified, unsure, as a question about the
    rule's status: 凭啥 names the reason, which is answered first."""
    text = "授权号又不是官方号，凭啥也被管起来了"
    entities = [fact("account_role", "authorized"), {"entity": "question", "value": "ask_rule_reason"}]
    message = {**parse(text, "ask_rule_status", entities), "intent": {"name": "ask_rule_status", "confidence": 0.55}}
    turn = take_turn(message, {}, {}, None, None, POLICY, TODAY)
    assert turn.understood.questions[0] == "ask_rule_reason", turn.understood.questions
    assert turn.reply is not None and turn.reply.text.startswith("平台的说明是"), turn.reply


def test_a_fact_followed_up_alone_asks_the_last_question_again():
    """「百应app里的橱窗管理呢」 after a verdict, which the classifier takes for a question
    of where: no question word, so the verdict again, for the showcase."""
    first = opening(
        "旗舰店官方号 在选品广场还能把联盟的货加进橱窗吗",
        flagship="shop_type",
        official="account_role",
        selection_plaza="scene",
    )
    assert first.frame is not None
    known = {name: values for name, values in first.claimed.items() if values}
    then = parse("百应app里的橱窗管理呢", "ask_where_to_operate", [fact("scene", "showcase")])
    turn = take_turn(then, known, first.denied, first.frame, "ask_why_cannot_add", POLICY, TODAY)
    assert turn.understood.questions[0] == "ask_why_cannot_add", turn.understood.questions
    assert turn.reply is not None and turn.reply.text.startswith("不能。您旗舰店的官方账号在橱窗"), turn.reply


def test_a_story_the_merchant_disowns_is_not_their_question():
    """「不是达人收款用的那种，官方号能不能挂别家货」: the classifier hears the creator's
    story; the words deny it, so the verdict is the question."""
    text = "我们是正经运营的个体店，不是达人收款用的那种，官方号短视频能不能挂别家货"
    entities = [
        fact("shop_type", "individual"),
        fact("account_role", "official"),
        fact("scene", "short_video"),
        {"entity": "question", "value": "ask_keep_selling_as_creator", "role": "denied"},
        {"entity": "question", "value": "ask_why_cannot_add"},
    ]
    turn = take_turn(parse(text, "ask_keep_selling_as_creator", entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.understood.questions == ("ask_why_cannot_add",), turn.understood.questions
    assert turn.reply is not None and "收款" not in turn.reply.text, turn.reply


def test_a_near_question_about_an_exemption_is_not_out_of_scope():
    """「虚拟类目有没有单独的豁免」: the classifier calls it out of scope, but an exemption
    is asked of the rule and the category is a near question: the notice does not say."""
    text = "我们店卖游戏点卡 虚拟类目有没有单独的豁免"
    turn = take_turn(parse(text, "out_of_scope", [question("ask_beyond_source")]), {}, {}, None, None, POLICY, TODAY)
    assert turn.understood.questions[:1] == ("ask_beyond_source",), turn.understood.questions
    assert turn.reply is not None and "没有提到" in turn.reply.text, turn.reply


def test_a_creator_paid_through_a_shop_is_told_the_way_out_the_story_implies():
    """「我是达人 店只是收款用的 还能带别人的货吗」: a shop kept only to be paid is the
    source's 个体店/企业店 case, so the 关店 fix is the answer, not 「无法确定」 for shop
    types nobody named; a 旗舰店 said outright still gets what the source does not cover."""
    creator = {"entity": "question", "value": "ask_keep_selling_as_creator"}
    text = "我是达人 店只是收款用的 还能带别人的货吗"
    turn = take_turn(parse(text, "ask_keep_selling_as_creator", [creator]), {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith("如果您是达人"), turn.reply
    assert "无法确定" not in turn.reply.text
    named = parse(text, "ask_keep_selling_as_creator", [creator, fact("shop_type", "flagship")])
    flagship = take_turn(named, {}, {}, None, None, POLICY, TODAY)
    assert flagship.reply is not None and "无法确定" in flagship.reply.text, flagship.reply


def test_a_creator_who_rules_out_closing_is_told_the_source_offers_nothing_else():
    """「不想关店 有没有办法只把官方号和店铺解绑」: 关店 is the only way out the source gives;
    another one is beyond it (a person confirms), the way it gives after."""
    creator = {"entity": "question", "value": "ask_keep_selling_as_creator"}
    text = "不想关店 有没有办法只把官方号和店铺解绑啊"
    turn = take_turn(parse(text, "ask_keep_selling_as_creator", [creator]), {}, {}, None, None, POLICY, TODAY)
    assert turn.understood.questions[0] == "ask_beyond_source", turn.understood.questions
    assert turn.reply is not None and "没有提到" in turn.reply.text.splitlines()[0], turn.reply


@pytest.mark.parametrize("intent", ["ask_rule_reason", "ask_why_others_still_sell"])
def test_a_question_of_the_rule_asked_of_several_shows_what_each_may_do(intent):
    """「…别人家那个跨境店的号却没事 为啥」: the reason (or why others still sell), then
    each subject's verdict, which is what tells them apart."""
    text = "我们专卖店的官方号被限制了 别人家那个跨境店的号却没事 为啥"
    entities = [
        fact("shop_type", "exclusive", 1),
        fact("account_role", "official", 1),
        fact("shop_type", "cross_border", 2),
    ]
    turn = take_turn(parse(text, intent, entities), {}, {}, None, None, POLICY, TODAY)
    reply = turn.reply.text if turn.reply else ""
    assert "专卖店的官方账号：不能" in reply and "跨境店不受这条规则限制" in reply, reply


def test_a_value_named_beside_the_only_one_is_stated_the_opposite():
    """「是不是只有官方号受限 授权号不受」: the authorized account is said not to be
    restricted, which is wrong, whatever holds of the official one."""
    text = "是不是只有官方号受限 授权号不受"
    statement = [("allowed", "false"), ("only", "account_role"), ("only_value", "official"), ("asked", "是")]
    entities = [fact("account_role", "official", 1), fact("account_role", "authorized", 2)]
    entities += [{"entity": "claim", "value": value, "role": role, "group": 1} for role, value in statement]
    turn = take_turn(parse(text, "ask_why_cannot_add", entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.frame is not None
    said = {s.possible["account_role"]: s.claim for s in turn.frame.subjects}
    assert said[("authorized",)] == Claim(allowed=True), said
    assert turn.reply is not None and turn.reply.text.startswith("不完全是"), turn.reply


def test_a_claim_checked_beside_another_question_is_checked_for_the_accounts_the_rule_binds():
    """「那从选品广场加进橱窗就能绕开了吧 别家的号怎么还在挂」: the claim is checked (不对)
    for the merchant's accounts the rule binds, not dropped for the role it would ask."""
    text = "橱窗加不了 那从选品广场加进橱窗就能绕开了吧 别家的号怎么还在挂"
    entities = [fact("scene", "showcase"), fact("scene", "selection_plaza"), *claim(Claim(allowed=True))]
    entities.append({"entity": "question", "value": "ask_why_others_still_sell"})
    turn = take_turn(parse(text, "ask_why_others_still_sell", entities), {}, {}, None, None, POLICY, TODAY)
    reply = turn.reply.text if turn.reply else ""
    assert reply.startswith("不对") and "选品广场" in reply, reply


@pytest.mark.parametrize("likeliest, asked", [("ask_rule_reason", "ask_rule_reason"), ("ask_rule_status", None)])
def test_why_is_the_reason_when_the_unsure_classifier_finds_it_likeliest(likeliest, asked):
    """ "Why did Douyin introduce this rule?": no cue, an unsure classifier; the words ask
    why and its likeliest question is the reason. Another likeliest one is not guessed."""
    ranking = [{"name": likeliest, "confidence": 0.57}, {"name": "ask_when_effective", "confidence": 0.5}]
    intent = {"name": "nlu_fallback", "confidence": 0.45}
    parsed = {"text": "为什么 did douyin introduce this 规则?", "intent": intent, "intent_ranking": ranking}
    turn = take_turn(parsed, {}, {}, None, None, POLICY, TODAY)
    assert (turn.frame.asks[0] if turn.frame else None) == asked


def test_a_merchant_who_says_who_they_are_and_asks_whether_they_may_gets_the_verdict_first():
    """「…用的都是专营店的授权号，他们直播间还能带别家的货吗」: the words also read as
    others still selling, but whether these accounts may is asked: the verdict first."""
    text = "店里几个主播用的都是我们专营店的授权号，他们直播间还能带别家的货吗"
    entities = [fact("shop_type", "specialty"), fact("account_role", "authorized"), fact("scene", "live_before")]
    entities += [{"entity": "question", "value": q} for q in ("ask_why_others_still_sell", "ask_why_cannot_add")]
    ranking = [
        {"name": "ask_why_cannot_add", "confidence": 0.5},
        {"name": "ask_why_others_still_sell", "confidence": 0.4},
    ]
    parsed = {**parse(text, "nlu_fallback", entities), "intent_ranking": ranking}
    turn = take_turn(parsed, {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith("不能。"), turn.reply


@pytest.mark.parametrize("entities", [[{**fact("account_role", "official"), "role": "others"}], []])
def test_someone_elses_account_makes_an_unsure_question_one_of_the_rule(entities):
    """「…那隔壁家的官方号怎么还在带？」: no cue and an unsure classifier, but an account
    named, even someone else's, is a fact of the rule: its question is answered (why
    others still sell: the gradual rollout, 六/Q4), not declined as a guess; it is not
    the merchant's account. With no fact at all, the guess is declined."""
    text = "哦，说白了就是怕买家分不清。那隔壁家的官方号怎么还在带？"
    intent = {"name": "ask_why_others_still_sell", "confidence": 0.6}
    turn = take_turn({**parse(text, "", entities), "intent": intent}, {}, {}, None, None, POLICY, TODAY)
    assert (turn.reply is not None and "逐步随机" in turn.reply.text) is bool(entities), turn.reply
    assert not turn.claimed.get("account_role")


def test_a_verdict_stated_to_be_checked_asks_the_verdict_whatever_an_unsure_classifier_says():
    """「我们企业店官方号，那就是每一场直播都只能上本店的？」: the classifier, unsure,
    guesses the showcase's sync; the claim is checked instead."""
    text = "我们企业店官方号，那就是每一场直播都只能上本店的？"
    entities = [fact("shop_type", "enterprise"), fact("account_role", "official"), *claim(Claim(allowed=False))]
    intent = {"name": "ask_why_live_products_not_in_showcase", "confidence": 0.52}
    turn = take_turn({**parse(text, "", entities), "intent": intent}, {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith("是的，您企业店的官方账号"), turn.reply


def test_why_a_restriction_beside_another_question_asks_its_reason():
    """「…为什么不能带联盟了，去哪里改成本店商品」: the restriction named is no question of
    its own, but why it holds is: the reason, then where."""
    text = "专卖店授权号为什么不能带联盟了，去哪里改成本店商品"
    entities = [fact("shop_type", "exclusive"), fact("account_role", "authorized")]
    entities += [{"entity": "question", "value": "ask_where_to_operate"}]
    turn = take_turn(parse(text, "ask_why_cannot_add", entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.frame is not None and turn.frame.asks[:2] == ("ask_rule_reason", "ask_where_to_operate")


def test_an_ordinary_shop_compared_with_a_cross_border_one_is_answered_for_each():
    """「跨境店的授权号跟普通店的授权号待遇一样吗」: not alike; every other shop's authorized
    account may add only its own products, the cross-border one is exempt (一)."""
    text = "跨境店的授权号跟普通店的授权号待遇一样吗"
    entities = [fact("shop_type", "cross_border", 1), fact("account_role", "authorized", 1)]
    entities += [{**fact("shop_type", "cross_border", 2), "role": "denied"}, fact("account_role", "authorized", 2)]
    turn = take_turn(parse(text, "nlu_fallback", entities), {}, {}, None, None, POLICY, TODAY)
    reply = turn.reply.text if turn.reply else ""
    assert reply.startswith("不一样") and "跨境店不受这条规则限制" in reply, reply


@pytest.mark.parametrize(
    "reason, first",
    [
        ("我们违规了", "不是，"),  # the merchant's own doing: the rule binds every account of a kind
        ("要让消费者分清商家和达人", "是的，"),  # the source's reason
        ("我们是官方号", "是的，"),  # their kind of account is why
    ],
)
def test_a_reason_the_merchant_gives_is_checked(reason, first):
    text = f"专营店授权号不能带联盟是因为{reason}吗"
    entities = [fact("shop_type", "specialty"), fact("account_role", "authorized")]
    said = [*claim(Claim(allowed=False)), {"entity": "claim", "value": reason, "role": "reason"}]
    said.append({"entity": "claim", "value": "是", "role": "asked"})
    if "违规" in text:  # a question beyond the source, worded inside the reason given
        start = text.index("违规")
        said.append({"entity": "question", "value": "ask_beyond_source", "start": start, "end": start + 2})
    turn = take_turn(parse(text, "ask_why_cannot_add", entities + said), {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith(first), turn.reply
    assert "信任感" in turn.reply.text  # the source's reason


def test_a_follow_up_asking_a_time_in_its_own_words_is_answered_with_the_dates():
    first = opening("个体店官方号直播能带联盟吗", individual="shop_type", official="account_role")
    asked = {"entity": "question", "value": "ask_when_effective", "start": 1, "end": 6}
    then = parse("那内测期间呢", "ask_when_effective", [asked])
    then["intent"]["confidence"] = 0.5  # unsure: the words ask it
    turn = take_turn(then, first.claimed, {}, first.frame, "ask_why_cannot_add", POLICY, TODAY)
    assert turn.frame is not None and turn.frame.asks == ("ask_when_effective",)
    assert turn.reply is not None and "11月中下旬" in turn.reply.text


def test_what_closing_does_is_checked_of_the_account_as_it_is_now():
    """「关了店以后号就能随便带了？」 states what closing does; the account is still bound."""
    text = "那意思是关了店以后号就能随便带了？我们是企业店，我是达人，店就是收款用的"
    entities = [fact("shop_type", "enterprise"), *claim(Claim(closes=True)), question("ask_keep_selling_as_creator")]
    turn = take_turn(parse(text, "ask_keep_selling_as_creator", entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith("是的"), turn.reply


def test_whether_subjects_began_at_the_same_time_is_answered_with_each_date():
    text = "个体店官方号是不是和旗舰店官方号同时开始限制的"
    entities = [fact("shop_type", "individual", 1), fact("account_role", "official", 1)]
    entities += [fact("shop_type", "flagship", 2), fact("account_role", "official", 2)]
    turn = take_turn(parse(text, "ask_when_effective", entities), {}, {}, None, None, POLICY, TODAY)
    assert turn.reply is not None and turn.reply.text.startswith("不是，时间不同："), turn.reply
    assert "11月中下旬" in turn.reply.text


def test_a_follow_up_asking_whether_it_may_in_its_own_words_gets_a_verdict_not_the_claim_before():
    said = [fact("shop_type", "official_flagship"), fact("account_role", "official"), fact("scene", "live_before")]
    first = take_turn(
        parse("官方旗舰店 官方号 开播前加联盟的商品 加不上 正常吗", "nlu_fallback", said + claim(Claim(allowed=False))),
        {},
        {},
        None,
        None,
        POLICY,
        TODAY,
    )
    assert first.reply is not None and first.reply.text.startswith("是的"), first.reply
    follow = parse(
        "那开播以后呢 播着播着能加不", "nlu_fallback", [fact("scene", "live_during"), question("ask_why_cannot_add")]
    )
    second = take_turn(follow, first.claimed, {}, first.frame, "ask_why_cannot_add", POLICY, TODAY)
    assert second.reply is not None and second.reply.text.startswith("不能"), second.reply


@pytest.mark.parametrize(
    "scene, said",
    [("live_before", True), ("live_during", True), ("showcase", False)],
)
def test_what_the_source_says_of_a_place_is_said_with_the_verdict_there(scene, said):
    """三/直播间/2: 个体店和企业店的官方账号通过每场直播只能添加本店商品."""
    turn = opening("企业店官方号能带联盟吗", enterprise="shop_type", official="account_role", **{scene: "scene"})
    assert turn.reply is not None and ("每场直播" in turn.reply.text) is said, turn.reply.text
