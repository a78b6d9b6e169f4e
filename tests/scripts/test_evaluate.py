"""The benchmark's scorer: what it counts as a past date told as expected."""

import datetime as dt

import pytest

from scripts.evaluate import past_dates_expected

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
