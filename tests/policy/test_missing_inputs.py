"""An input the answer depends on is reported missing; one that does not matter is not."""

import pytest

from actions.policy import Status, UnknownValueError, evaluate


@pytest.mark.parametrize(
    "facts, missing",
    [
        ({}, ("shop_type", "account_role", "scene", "product_source")),
        ({"shop_type": "旗舰店"}, ("account_role", "scene", "product_source")),
        ({"account_role": "授权号"}, ("shop_type", "scene", "product_source")),
        ({"shop_type": "旗舰店", "account_role": "官方号"}, ("scene", "product_source")),
        ({"shop_type": "旗舰店", "account_role": "官方号", "scene": "橱窗"}, ("product_source",)),
        # a cross-border shop is exempt whatever the role and scene
        ({"shop_type": "跨境店"}, ()),
        # an account bound to no shop is not affected whatever the shop type
        ({"account_role": "没绑店铺"}, ()),
        # the rule does not restrict a shop's own products: the scene does not matter
        ({"shop_type": "个体店", "account_role": "授权号", "product_source": "本店"}, ()),
    ],
)
def test_missing(facts, missing):
    assert evaluate(**facts).missing == missing


def test_undecided_decision_says_nothing_it_does_not_know():
    decision = evaluate(scene="橱窗")
    assert decision.allowed is None and decision.status is None
    assert decision.path == ("巨量百应", "达人工作台", "橱窗管理")


@pytest.mark.parametrize(
    "facts, status",
    [({"shop_type": "跨境"}, Status.EXEMPT), ({"account_role": "普通达人号"}, Status.NOT_AFFECTED)],
)
def test_exemptions_need_no_more_input(facts, status):
    decision = evaluate(**facts)
    assert (decision.allowed, decision.status) == (True, status)


@pytest.mark.parametrize(
    "facts, named",
    [
        ({"shop_type": "小卖部"}, "旗舰店"),
        ({"account_role": "管理员"}, "授权号"),
        ({"scene": "朋友圈"}, "橱窗"),
        ({"product_source": "二手货"}, "本店商品"),
    ],
)
def test_unknown_value_names_the_allowed_ones(facts, named):
    with pytest.raises(UnknownValueError) as raised:
        evaluate(**facts)
    assert named in str(raised.value)
