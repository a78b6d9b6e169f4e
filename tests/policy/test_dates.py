"""Dates told as of the engine's date: four clocks, every profile, every question.

Before, during and after the rollout (二/2, 二/3, 六/Q4) and today, every reply and its
details tell a stage that has started in the past tense and only a stage still ahead as
「预计…」; 「预计」 and 「以产品页面为准」 appear only while a date is ahead. The source
quoted under 「原文依据」 is a quotation, left as the platform wrote it.
"""

import calendar
import datetime as dt
import itertools
import re
from typing import Iterator, List, Tuple

import pytest

from actions.answers import TOPICS, Frame, answer
from actions.policy import PROFILE, candidates, load_policy

POLICY = load_policy()
BEFORE, TESTING, ROLLING_OUT, TODAY = (
    dt.date(2023, 11, 1),
    dt.date(2023, 11, 25),
    dt.date(2023, 12, 20),
    dt.date(2026, 12, 7),
)
CLOCKS = (BEFORE, TESTING, ROLLING_OUT, TODAY)
# A date as the answers write it: 「2023年11月中下旬」, 「12月底」.
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(初|上旬|中下旬|中旬|下旬|底|末)?")
_PERIODS = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20), "中下旬": (11, 31), "下旬": (21, 31), "底": (21, 31)}
_CLAUSE = re.compile(r"[^，。；;（）()\n]*$")


def told_dates(text: str, as_of: dt.date) -> Iterator[Tuple[str, bool, dt.date, dt.date]]:
    """Each date of `text`: its words, whether it is told as expected (「预计」 earlier in
    its clause), and the first and last day it names."""
    for match in _DATE.finditer(text):
        before = text[: match.start()]
        years = re.findall(r"(\d{4})年", before)
        year = int(match.group(1) or (years[-1] if years else as_of.year))
        month = int(match.group(2))
        last = calendar.monthrange(year, month)[1]
        first_day, last_day = _PERIODS.get(match.group(3) or "", (1, last))
        expected = "预计" in _CLAUSE.search(before).group(0)
        yield match.group(0), expected, dt.date(year, month, first_day), dt.date(year, month, min(last_day, last))


def replies(as_of: dt.date) -> Iterator[Tuple[str, str]]:
    """Every question for every full profile, and for the whole class (no input told)."""
    profiles: List[dict] = [{}]
    profiles += [
        dict(zip(PROFILE, values, strict=True))
        for values in itertools.product(*(POLICY.values(name) for name in PROFILE))
    ]
    for question, told in itertools.product(TOPICS, profiles):
        possible = candidates(POLICY, {name: [value] for name, value in told.items()}, {})
        reply = answer(Frame.of([question], possible, own=bool(told)), as_of=as_of, policy=POLICY)
        details = reply.details.split("原文依据：")[0]
        yield f"{question} {told}", f"{reply.text}\n{details}"


@pytest.mark.parametrize("as_of", CLOCKS, ids=str)
def test_a_date_told_as_expected_is_ahead_and_a_date_told_as_done_is_not(as_of):
    for case, text in replies(as_of):
        for words, expected, first, last in told_dates(text, as_of):
            if expected:
                assert last >= as_of, f"{case}: {words} told as expected on {as_of}\n{text}"
            else:
                assert first <= as_of, f"{case}: {words} told as done on {as_of}\n{text}"


def test_nothing_is_told_as_expected_once_every_date_has_passed():
    for case, text in replies(TODAY):
        assert "预计" not in text and "以产品页面为准" not in text, f"{case}\n{text}"


@pytest.mark.parametrize(
    "as_of, told",
    [
        (BEFORE, "预计2023年11月中下旬开始内测"),
        (TESTING, "2023年11月中下旬已开始内测，预计2023年12月中旬全部生效"),
        (ROLLING_OUT, "预计2023年12月中旬全部生效"),
        (TODAY, "2023年12月中旬已全部生效，2023年12月底已完成所有官方账号与授权号的覆盖"),
    ],
    ids=str,
)
def test_the_staged_rollout_on_each_clock(as_of, told):
    possible = candidates(POLICY, {"shop_type": ["individual"], "account_role": ["authorized"]}, {})
    reply = answer(Frame.of(["ask_when_effective"], possible), as_of=as_of, policy=POLICY)
    assert told in reply.text
    assert ("以产品页面为准" in reply.text) is (as_of < TODAY)


def test_the_rule_status_today_is_in_effect_for_every_covered_account():
    for shop_type, role in itertools.product(POLICY.values("shop_type"), ("official", "authorized")):
        possible = candidates(POLICY, {"shop_type": [shop_type], "account_role": [role]}, {})
        text = answer(Frame.of(["ask_rule_status"], possible), as_of=TODAY, policy=POLICY).text
        if shop_type == "cross_border":
            assert "不受" in text, text
        else:
            assert "已经" in text and "生效" in text and "内测" not in text.replace("不再是内测", ""), text
