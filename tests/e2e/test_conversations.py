"""The whole stack over REST: tailored answers for many merchants.

Expected facts are typed from the source document, not computed by the engine.
"""

import uuid

import pytest

# (what the merchant says, turn by turn; page metadata; facts the last reply must state)
CONVERSATIONS = {
    "flagship official, live room, all in one message": (
        ["旗舰店的官方号 直播间为啥加不了别人家的货"],
        None,
        ["不能。", "旗舰店", "官方账号", "直播中控台", "已经生效", "本店商品"],
    ),
    "individual shop, authorized account, showcase, asked for step by step": (
        ["橱窗加不了联盟的货了", "个体店", "授权号"],
        None,
        ["不能。", "个体店", "授权号", "橱窗管理", "已经全面生效"],
    ),
    "specialty shop, authorized account, short video": (
        ["专营店 授权帐号 短视频挂不了别家的链接"],
        None,
        ["不能。", "专营店", "短视频管理"],
    ),
    "mall official account, selection plaza": (
        ["卖场的人店一体号 选品广场加不了商品到橱窗"],
        None,
        ["不能。", "卖场", "精选联盟 › 选品广场"],
    ),
    "official flagship, during a live": (
        ["官方旗舰店官方账号 开播中加不了联盟商品"],
        None,
        ["不能。", "官方旗舰店", "开播中"],
    ),
    "cross-border shop is exempt": (
        ["我们是跨境店 直播间还能带别人家的货吗"],
        None,
        ["能。", "跨境店不受这条规则限制"],
    ),
    "account bound to no shop is not affected": (
        ["我是没绑店铺的达人号 橱窗能加联盟商品吗"],
        None,
        ["能。", "您的账号没有绑定店铺，不受这条规则影响"],
    ),
    "pasted live error, profile from the page's metadata": (
        ["累计添加联盟商品数已达上限,请添加您店铺的商品喔~"],
        {"shop_type": "企业店", "account_role": "官方账号"},
        ["不能。", "企业店", "直播中控台"],
    ),
    "pasted showcase error, mistyped, short video named": (
        ["短视频挂车提示 你的店铺类型暂不支持添加连盟商品 我们专卖店授权号"],
        None,
        ["不能。", "专卖店", "授权号", "短视频管理"],
    ),
    "when it takes effect for an individual shop's authorized account": (
        ["个体店授权号的限制啥时候开始的"],
        None,
        ["2023年11月中下旬已开始内测", "2023年12月中旬已全部生效", "12月底"],
    ),
    "when it takes effect for a flagship's official account": (
        ["旗舰店官方号什么时候生效的"],
        None,
        ["已经生效"],
    ),
    "creator whose enterprise shop only collects money": (
        ["我是达人 企业店只是用来收款的 还想继续带别人的货怎么办", "官方号"],
        None,
        ["关店", "解绑"],
    ),
    "creator of a flagship: the source is silent, a human is offered": (
        ["我是达人 店铺只是收款用 想继续卖别人家的东西", "旗舰店", "官方账号"],
        None,
        ["无法确定", "人工"],
    ),
    "quota or ban": (
        ["联盟商品最多能加几个 上限是多少"],
        None,
        ["已达上限", "没有给出可添加的数量"],
    ),
    "why others still sell": (
        ["为啥别人的号还能挂联盟的货 我的就不行"],
        None,
        ["逐步随机", "12月底"],
    ),
    "products from a live missing in the showcase list": (
        ["直播卖过的商品 橱窗里怎么找不到了"],
        None,
        ["不会再同步到橱窗"],
    ),
    "a corrected shop type gets the new answer": (
        ["旗舰店官方号 直播间加不了联盟商品", "不对 我们是跨境店"],
        None,
        ["能。", "跨境店"],
    ),
    "the scene does not change a flagship official account's answer": (
        ["旗舰店官方号 能带别人家的货吗"],
        None,
        ["不能。", "直播间、橱窗、短视频都只能添加本店商品"],
    ),
    "a pinyin slip and traditional characters": (
        ["專賣店授全號 櫥窗能加聯盟商品嗎"],
        None,
        ["不能。", "专卖店", "授权号", "橱窗管理"],
    ),
    "English": (
        ["authorized account of a specialty store, can it still add affiliate products to the showcase?"],
        None,
        ["不能。", "专营店", "授权号", "橱窗"],
    ),
    "a creator with no shop": (
        ["我就帮品牌方带货 名下一个店也没开过 短视频挂联盟的受影响吗"],
        None,
        ["没有绑定店铺", "不受这条规则影响"],
    ),
    "a denied shop type is not the merchant's": (
        ["我们不是跨境店 是专营店 授权号开播能挂联盟的吗"],
        None,
        ["不能。", "专营店", "授权号"],
    ),
    "two questions in one message": (
        ["企业店授权号 橱窗能挂联盟吗 啥时候开始限制的"],
        None,
        ["不能。", "11月中下旬", "12月中旬"],
    ),
    "where an error appears needs no profile": (
        ["请添加您店铺的商品喔 这个提示是哪一步出来的"],
        None,
        ["直播中控台"],
    ),
    "a question the platform's text does not cover": (
        ["限制以后之前联盟订单的佣金还照常结算吗"],
        None,
        ["没有提到", "人工"],
    ),
}


def text_of(replies):
    return "\n".join(reply.get("text", "") for reply in replies)


@pytest.mark.parametrize("turns, metadata, facts", CONVERSATIONS.values(), ids=list(CONVERSATIONS))
def test_tailored_answer(assistant, turns, metadata, facts):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    for turn in turns:
        replies = assistant.say(sender, turn, metadata)
    answer = text_of(replies)
    for fact in facts:
        assert fact in answer, f"{fact!r} missing from:\n{answer}"


def test_what_was_not_asked_is_one_tap_away(assistant):
    """The reason, the dates and a creator's way out (关店) are quick replies of a verdict."""
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    metadata = {"shop_type": "企业店", "account_role": "官方账号"}
    replies = assistant.say(sender, "累计添加联盟商品数已达上限,请添加您店铺的商品喔~", metadata)
    taps = {b["title"]: b["payload"] for b in replies[0]["buttons"]}
    assert "关店" not in text_of(replies) and "信任感" not in text_of(replies)
    assert "信任感" in text_of(assistant.say(sender, taps["为什么"], metadata))
    assert "2023年12月中旬已全部生效" in text_of(assistant.say(sender, taps["什么时候开始的"], metadata))
    assert "关店" in text_of(assistant.say(sender, taps["我是达人，店只为收款"], metadata))


def test_an_exemption_is_named_not_asked_and_a_value_button_narrows_the_answer(assistant):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    first = text_of(assistant.say(sender, "橱窗现在还能放别人的商品吗"))
    assert first.startswith("不能。您的官方账号或授权号在橱窗") and "跨境店和没有绑定店铺的账号不受" in first
    narrowed = assistant.say(sender, '/inform_profile{"shop_type":"flagship"}')
    assert text_of(narrowed).startswith("不能。您旗舰店的官方账号或授权号在橱窗")
    answered = assistant.say(sender, '/inform_profile{"account_role":"official"}')
    assert text_of(answered).startswith("不能。您旗舰店的官方账号在橱窗")
    assert "不受这条规则" not in text_of(answered)
    details = assistant.say(
        sender, next(b["payload"] for b in answered[0]["buttons"] if b["payload"] == "/ask_details")
    )
    assert "以上内容出自平台说明" in text_of(details) and "二/1" not in text_of(details)


def test_hand_off_summarises_and_pauses(assistant):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "个体店授权号 橱窗加不了联盟商品")
    replies = assistant.say(sender, "转人工")
    assert "人工客服" in text_of(replies)
    tracker = assistant.tracker(sender)
    assert tracker["paused"] is True
    summary = tracker["slots"]["handoff_summary"]
    assert "个体店" in summary and "授权号" in summary and "不能。" in summary


def test_a_request_for_a_person_wins_over_the_facts_beside_it(assistant):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = assistant.say(sender, "专卖店授权号加不了联盟商品 给我转真人客服")
    assert "人工客服" in text_of(replies)
    tracker = assistant.tracker(sender)
    assert tracker["paused"] is True and "专卖店" in tracker["slots"]["handoff_summary"]


def test_out_of_scope_offers_the_main_questions_and_a_human(assistant):
    replies = assistant.say(f"e2e-{uuid.uuid4().hex[:8]}", "我想申请退款 怎么操作")
    titles = [button["title"] for button in replies[0]["buttons"]]
    assert "转人工客服" in titles and "为什么加不了非本店商品" in titles


def test_a_very_long_message_is_cut_and_answered_as_its_start(assistant):
    question = "橱窗加不了联盟商品"
    short = assistant.say(f"e2e-{uuid.uuid4().hex[:8]}", question)
    long = assistant.say(f"e2e-{uuid.uuid4().hex[:8]}", f"{question} " + "啊" * 5000)
    assert [reply["text"] for reply in long] == [reply["text"] for reply in short]
