"""Every alias, and what merchants really type, normalises to its canonical value."""

import pytest

from actions.policy import INPUTS, UnknownValueError, classify, load_policy, names, normalise

# Typed by hand: what merchants write, and what it means.
MERCHANT_WORDS = [
    ("shop_type", "旗舰点", "flagship"),
    ("shop_type", "旗舰", "flagship"),
    ("shop_type", "官旗", "official_flagship"),
    ("shop_type", "卖场型旗舰店", "mall"),
    ("shop_type", "个体户", "individual"),
    ("shop_type", "企业店铺", "enterprise"),
    ("shop_type", "专卖点", "exclusive"),
    ("shop_type", "专营", "specialty"),
    ("shop_type", "全球购", "cross_border"),
    ("account_role", "官方号", "official"),
    ("account_role", "人店一体号", "official"),
    ("account_role", "授权帐号", "authorized"),
    ("account_role", "授权账号", "authorized"),
    ("account_role", "没绑店铺", "unbound"),
    ("scene", "小黄车", "live_before"),
    ("scene", "挂车", "live_before"),
    ("scene", "直播间", "live_before"),
    ("scene", "直播中", "live_during"),
    ("scene", "厨窗", "showcase"),
    ("scene", "短视屏", "short_video"),
    ("scene", "选品广场", "selection_plaza"),
    ("product_source", "别人家的货", "alliance"),
    ("product_source", "联盟商品", "alliance"),
    ("product_source", "连盟商品", "alliance"),
    ("product_source", "自家商品", "own"),
    # width, case and white space do not matter
    ("account_role", " 官方号 ", "official"),
    ("scene", "橱 窗", "showcase"),
    ("shop_type", "flagship", "flagship"),
    ("shop_type", "FLAGSHIP", "flagship"),
]


@pytest.mark.parametrize("dimension, text, expected", MERCHANT_WORDS)
def test_merchant_words(dimension, text, expected):
    assert normalise(dimension, text) == expected


@pytest.mark.parametrize(
    "dimension, name, value_id",
    [(d, name, value_id) for d in INPUTS for name, value_id in names(d)],
)
def test_every_alias_normalises(dimension, name, value_id):
    assert normalise(dimension, name) == value_id
    assert classify(name) == (dimension, value_id)


def test_every_value_has_aliases():
    for dimension in INPUTS:
        for value in load_policy().vocabulary[dimension].values():
            assert value.aliases, f"{dimension}.{value.id} has no alias"


def test_unknown_name_lists_allowed_values():
    with pytest.raises(UnknownValueError) as raised:
        normalise("account_role", "小号")
    assert raised.value.allowed == ("官方账号", "授权号", "未绑定店铺的账号")


def test_unknown_dimension_is_rejected():
    with pytest.raises(UnknownValueError):
        normalise("colour", "红")
