"""Questions about a class answered for the class, with its exceptions named.

Expected facts are typed from the source: 一 names the shop types bound (卖场、官方旗舰店、
旗舰店、专卖店、专营店、企业店、个体店; 跨境商家除外), for their official accounts and
authorized accounts (二/3, 四/Q3); 三 and 五 name the live room, the showcase and short
videos; an account bound to no shop is not affected (六/Q3/答).
"""

import datetime as dt

from actions.answers import Frame, Subject, answer
from actions.policy import candidates, load_policy

POLICY = load_policy()
TODAY = dt.date(2026, 12, 7)
BOUND = ["卖场", "官方旗舰店", "旗舰店", "专卖店", "专营店", "企业店", "个体店"]


def who(claimed=None, own=True):
    possible = candidates(POLICY, claimed or {}, {})
    return answer(Frame(("ask_who_is_affected",), (Subject(possible),), own=own), as_of=TODAY, policy=POLICY).text


def test_who_is_affected_names_every_bound_shop_type_the_places_and_the_exemptions():
    for own in (True, False):
        text = who(own=own)
        first = text.splitlines()[0]
        assert all(shop in first for shop in BOUND) and "跨境店" not in first, text
        assert "官方账号" in first and "授权号" in first, text
        assert all(place in first for place in ("直播间", "橱窗", "短视频")), text
        assert "跨境店" in text and "没有绑定店铺的账号" in text, text


def test_who_is_affected_for_shop_types_named_says_them():
    text = who({"shop_type": ["individual", "enterprise"]}, own=False)
    assert text.startswith("受这条规则限制的是企业店和个体店的官方账号和授权号"), text
    text = who({"shop_type": ["individual", "enterprise"]})
    assert text.startswith("是的，企业店和个体店的官方账号和授权号受这条规则限制"), text
    text = who({"shop_type": ["flagship"], "account_role": ["official"]})
    assert text.startswith("是的，您旗舰店的官方账号受这条规则限制"), text


def test_an_exempt_shop_asking_whether_it_is_affected_is_told_it_is_not():
    text = who({"shop_type": ["cross_border"]})
    assert text.startswith("能。跨境店不受这条规则限制"), text


def test_the_scenes_of_one_place_are_each_named():
    possible = candidates(
        POLICY, {"shop_type": ["flagship"], "account_role": ["official"], "scene": ["live_before", "live_during"]}, {}
    )
    text = answer(Frame.of(["ask_why_cannot_add"], possible), as_of=TODAY, policy=POLICY).text
    assert text.startswith("不能。您旗舰店的官方账号在直播间（开播前、开播中）都只能添加本店商品"), text
