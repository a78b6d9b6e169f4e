"""One normaliser for merchant words: traditional, width, case, English, homophones,
near misses; and what a message claims, denies or corrects.

Expected values are typed by hand: what merchants write, and what they mean.
"""

import pytest

from actions.policy import load_policy, normalise_text
from actions.policy.mentions import Mention, claimed, denied, read_mentions
from actions.policy.words import names_in

POLICY = load_policy()


def read(text):
    normal = normalise_text(text, POLICY)
    found = [Mention(n.dimension, n.value, n.start, n.end) for n in names_in(normal, POLICY)]
    return read_mentions(normal, found, POLICY)


def said(text, dimension):
    return claimed(read(text), dimension)


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("個體店 授權號 櫥窗 聯盟商品", "个体店 授权号 橱窗 联盟商品"),  # traditional
        ("ＯＫ，旗舰店", "ok,旗舰店"),  # full width, case
        ("旗舰店关方号", "旗舰店官方号"),  # pinyin-input slip
        ("专卖店授全号", "专卖店授权号"),
        ("专买店 旗见店 支播间", "专卖店 旗舰店 直播间"),
        ("人店一休号", "人店一体号"),  # one character wrong inside a long name
        ("个休店的授权号", "个体店的授权号"),  # a character of the same shape
        ("专营店的guan方号", "专营店的官方号"),  # a syllable typed in pinyin
        ("官方棋舰店", "官方旗舰店"),  # a longer name wins over an alias inside it
        ("买场官方号", "卖场官方号"),  # a two-character slip beside another name
        ("authorized account of a specialty store", "授权号 of a 专营店"),  # English
        ("Cross-Border shop", "跨境店 shop"),
    ],
)
def test_merchant_words_take_the_vocabulary_spelling(typed, meant):
    assert normalise_text(typed, POLICY) == meant


@pytest.mark.parametrize(
    "text",
    [
        "这个题目不会做",  # 个题 sounds like 个体 but two-character names are never guessed
        "我每天只播两小时",  # 只播 sounds like 直播, and no name stands beside it
        "食品类目",  # 食品 sounds like 视频 but shares no character
        "把门关好",
        "挂别家商品",  # not 自家商品: a name's first and last characters carry its meaning
        "老板自己的号",  # not 自己的货
        "我们这个是授权号",  # 是 has the rare reading tí, but 个是 is not 个体
        "guan一下",  # a pinyin syllable outside any name
    ],
)
def test_common_words_that_merely_sound_alike_are_left_alone(text):
    assert normalise_text(text, POLICY) == text


def test_homophones_keep_the_length_of_the_text():
    text = "我们旗见店的关方号在支播间加不了"
    assert len(normalise_text(text, POLICY)) == len(text)


@pytest.mark.parametrize(
    "text, dimension, claims, denies",
    [
        ("我们是专营店，不是跨境店", "shop_type", ["specialty"], ["cross_border"]),
        ("不是官方号 是授权号", "account_role", ["authorized"], ["official"]),
        ("没在直播 是在橱窗", "scene", ["showcase"], ["live_before"]),
        ("并非跨境店铺", "shop_type", [], ["cross_border"]),
        ("是不是官方号也受限", "account_role", ["official"], []),  # a question, not a denial
        ("旗舰店 哦不对 应该是专营店", "shop_type", ["specialty"], []),  # a correction
        ("小视频和直播都想带联盟", "scene", ["short_video", "live_before"], []),  # both asked
    ],
)
def test_claimed_and_denied_values(text, dimension, claims, denies):
    mentions = read(text)
    assert claimed(mentions, dimension) == claims
    assert denied(mentions, dimension) == denies


@pytest.mark.parametrize(
    "text, role",
    [
        ("我们专营店授权给一个主播的号，他直播时被拦了", "authorized"),
        ("我是旗舰店授权出去的号", "authorized"),
        ("企业店老板，自己的抖音号绑了店", "official"),
        ("店铺的主账号", "official"),
        ("自己名下一个店都没有", "unbound"),
        ("账号从来没绑过小店", "unbound"),
        ("没开抖店 只在选品广场挑货", "unbound"),
        ("我的抖音号没有关联任何店铺", "unbound"),
        ("俺这抖音号一个店都没绑", "unbound"),
    ],
)
def test_roles_described_in_the_merchants_words(text, role):
    assert said(text, "account_role") == [role]


@pytest.mark.parametrize(
    "text",
    ["橱窗里没有店铺商品了", "我没开播", "我们店没有开直播"],
)
def test_no_shop_is_not_read_into_other_negations(text):
    assert "unbound" not in said(text, "account_role")


@pytest.mark.parametrize(
    "text, source",
    [
        ("专营店官方号现在只能卖本店商品了对吧", []),  # restates the rule, asks nothing about own products
        ("自己店的商品能加吗", ["own"]),
        ("本店商品能加 联盟的不能加?", ["alliance"]),
        ("想加点别家的爆款", ["alliance"]),
    ],
)
def test_own_products_are_asked_about_only_on_their_own(text, source):
    assert said(text, "product_source") == source
