"""Personal data masked in records and summaries (issue 28)."""

import pytest

from actions.privacy import masked


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我手机13812345678，急", "我手机〔手机号〕，急"),
        ("电话 +86 138-1234-5678", "电话 〔手机号〕"),
        ("身份证11010519491231002X", "身份证〔身份证号〕"),
        ("卡号 6222 0212 3456 7890 123 退款", "卡号 〔银行卡号〕 退款"),
        ("卡号6222021234567890", "卡号〔银行卡号〕"),
        ("邮箱 shop.owner+1@example.com.cn 联系", "邮箱 〔邮箱〕 联系"),
    ],
)
def test_personal_data_is_replaced_by_its_kind(text, expected):
    assert masked(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2023年12月中旬全部生效", "累计添加联盟商品数已达上限", "订单号 2023120812", "上限是100个吗", "Q1 和 Q4"],
)
def test_what_is_not_personal_is_left_as_it_is(text):
    assert masked(text) == text
