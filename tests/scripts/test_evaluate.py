"""The benchmark's scorer: what it counts as a past date told as expected."""

import datetime as dt

import pytest

from scripts.evaluate import clause_ids_in, past_dates_expected, repeated_sentences

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    "text, found",
    [
        ("生效时间：预计2023年12月中旬全部生效", ["预计2023年12月中旬"]),
        ("2023年11月中下旬开始内测，预计12月底完成覆盖", ["预计12月底"]),
        ("预计12月底完成覆盖", ["预计12月底"]),
        ("2023年12月中旬起已全部生效", []),
        ("预计2027年1月上旬生效", []),
        ("预计在2026年12月底完成", []),
    ],
)
def test_a_date_told_as_expected_counts_only_when_it_is_over(text, found):
    assert past_dates_expected(text, TODAY) == found


def test_the_day_a_period_ends_decides():
    assert past_dates_expected("预计2026年12月上旬生效", dt.date(2026, 12, 10)) == []
    assert past_dates_expected("预计2026年12月上旬生效", dt.date(2026, 12, 11)) == ["预计2026年12月上旬"]


@pytest.mark.parametrize(
    "text, found",
    [
        (
            "原因：为了提升用户的信任感。平台的说明是：为了提升用户的信任感；另一个原因在这里。",
            ["为了提升用户的信任感"],
        ),
        ("原因是为了提升用户的信任感。\n平台的说明是：为了提升用户的信任感。", ["为了提升用户的信任感"]),
        (
            "旗舰店的官方账号：不能，只能添加本店商品。个体店的授权号：不能，只能添加本店商品。",
            ["不能，只能添加本店商品"],
        ),
        ("不能。您的授权号只能添加本店商品。建议您改为添加本店商品。", []),
    ],
)
def test_a_sentence_said_twice_is_found_whole_or_within_another(text, found):
    assert repeated_sentences(text) == found


def test_clause_ids_are_found_and_plain_words_are_not():
    assert clause_ids_in("依据：平台说明 二/3、三/直播间/3") == ["二/3", "三/直播间/3"]
    assert clause_ids_in("出自平台说明第三部分「具体的影响」（直播间）") == []
