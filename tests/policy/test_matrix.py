"""The whole matrix, from the policy's vocabulary, against a table typed from the source by hand.

The cases are every shop type × account role × scene × product source of the vocabulary
(actions/policy/policy.yml, as the loader reads it) × date. The expected values below are
a second, independent reading of
../shared/source/official-account-own-products-faq.zh.txt, keyed by the vocabulary's
labels; the engine computes nothing here. A value added to the vocabulary fails
test_every_vocabulary_value_has_an_expectation (and its cases) until its row is written.
"""

import datetime as dt
import itertools
from typing import Tuple

import pytest

from actions.policy import INPUTS, Status, evaluate, load_policy

BEFORE = dt.date(2023, 11, 1)  # before 「11月中下旬」
INTERNAL_TEST = dt.date(2023, 11, 25)  # 「11月中下旬开始内测」
FULLY_IN_EFFECT = dt.date(2023, 12, 25)  # after 「12月中旬全部生效」, before 「12月底」
AFTER_ROLLOUT = dt.date(2024, 2, 1)  # after 「12月底…完成所有官方账号与授权号的覆盖」
DATES = (BEFORE, INTERNAL_TEST, FULLY_IN_EFFECT, AFTER_ROLLOUT)

N, T, E = "not_yet", "internal_test", "in_effect"
ALREADY = (E, E, E, E)  # 二/1 「已经生效」
STAGED = (N, T, E, E)  # 二/2, 二/3 「预计2023年11月中下旬开始内测,最终12月中旬全部生效」
EXEMPT = ("exempt",) * 4  # 一, 二 「跨境商家除外」
NOT_AFFECTED = ("not_affected",) * 4  # 一 「绑定店铺成为官方账号」; 六/Q3 解绑后「不会再受到限制」

# (shop type, role) -> status on each of DATES, with the clause it comes from.
EXPECTED_STATUS = {
    ("卖场", "官方账号"): ALREADY,  # 二/1
    ("官方旗舰店", "官方账号"): ALREADY,  # 二/1
    ("旗舰店", "官方账号"): ALREADY,  # 二/1
    ("专卖店", "官方账号"): ALREADY,  # 二/1
    ("专营店", "官方账号"): ALREADY,  # 二/1
    ("企业店", "官方账号"): STAGED,  # 二/2
    ("个体店", "官方账号"): STAGED,  # 二/2
    ("跨境店", "官方账号"): EXEMPT,  # 一
    ("卖场", "授权号"): STAGED,  # 二/3
    ("官方旗舰店", "授权号"): STAGED,  # 二/3
    ("旗舰店", "授权号"): STAGED,  # 二/3
    ("专卖店", "授权号"): STAGED,  # 二/3
    ("专营店", "授权号"): STAGED,  # 二/3
    ("企业店", "授权号"): STAGED,  # 二/3
    ("个体店", "授权号"): STAGED,  # 二/3
    ("跨境店", "授权号"): EXEMPT,  # 二/3 「(跨境商家除外)的授权账号」
    ("卖场", "未绑定店铺的账号"): NOT_AFFECTED,
    ("官方旗舰店", "未绑定店铺的账号"): NOT_AFFECTED,
    ("旗舰店", "未绑定店铺的账号"): NOT_AFFECTED,
    ("专卖店", "未绑定店铺的账号"): NOT_AFFECTED,
    ("专营店", "未绑定店铺的账号"): NOT_AFFECTED,
    ("企业店", "未绑定店铺的账号"): NOT_AFFECTED,
    ("个体店", "未绑定店铺的账号"): NOT_AFFECTED,
    ("跨境店", "未绑定店铺的账号"): NOT_AFFECTED,
}

# The first clause each status rests on.
STATUS_CLAUSE = {
    ("卖场", "官方账号"): "二/1",
    ("企业店", "官方账号"): "二/2",
    ("卖场", "授权号"): "二/3",
    ("跨境店", "官方账号"): "一",
    ("卖场", "未绑定店铺的账号"): "一",
}

# scene -> (error message the merchant sees, operation path) — 四/Q1, 五, 六/Q1.
LIVE_ERROR = "累计添加联盟商品数已达上限,请添加您店铺的商品喔~"
SHOWCASE_ERROR = "您的店铺类型暂不支持添加联盟商品,请添加自己店铺商品"
LIVE_PATH = "巨量百应 达人工作台 直播管理 直播中控台 直播商品 添加直播商品"  # 三 操作路径 + 五 第一步
EXPECTED_SCENE = {
    "直播间（开播前）": (LIVE_ERROR, LIVE_PATH),
    "直播间（开播中）": (LIVE_ERROR, LIVE_PATH),
    "橱窗": (SHOWCASE_ERROR, "巨量百应 达人工作台 橱窗管理"),  # 五 路径1
    "短视频": (SHOWCASE_ERROR, "巨量百应 达人工作台 短视频管理"),  # 五 路径1
    "精选联盟选品广场": (SHOWCASE_ERROR, "巨量百应 达人工作台 精选联盟 选品广场"),  # 五 路径2
}

# product source -> does the rule restrict it? 引言 「限制了销售非本店商品能力」
RESTRICTED_SOURCE = {"本店商品": False, "精选联盟商品": True}

# status -> may the account add another shop's (alliance) product? None: it depends on
# whether the random rollout already covers the account (六/Q4).
ALLIANCE_ALLOWED = {N: True, T: None, E: False, "exempt": True, "not_affected": True}

# input -> the values the tables above give an expectation for.
EXPECTED_VALUES = {
    "shop_type": {shop for shop, _ in EXPECTED_STATUS},
    "account_role": {role for _, role in EXPECTED_STATUS},
    "scene": set(EXPECTED_SCENE),
    "product_source": set(RESTRICTED_SOURCE),
}


def labels(dimension: str) -> Tuple[str, ...]:
    """The values of an input in the policy's vocabulary, by their Chinese labels."""
    return tuple(value.label for value in load_policy().vocabulary[dimension].values())


CASES = list(itertools.product(*(labels(dimension) for dimension in INPUTS), range(len(DATES))))


@pytest.mark.parametrize("dimension", INPUTS)
def test_every_vocabulary_value_has_an_expectation(dimension):
    vocabulary, expected = set(labels(dimension)), EXPECTED_VALUES[dimension]
    unexpected, stale = sorted(vocabulary - expected), sorted(expected - vocabulary)
    assert not unexpected, f"no expected row for {dimension} {unexpected}: write one from the source"
    assert not stale, f"the expected rows for {dimension} {stale} name no value of the vocabulary"


def test_every_shop_type_and_role_has_an_expected_status():
    missing = set(itertools.product(labels("shop_type"), labels("account_role"))) - set(EXPECTED_STATUS)
    assert not missing, f"no expected status for {sorted(missing)}: write one from the source"


@pytest.mark.parametrize("shop, role, scene, source, index", CASES)
def test_matrix(shop, role, scene, source, index):
    decision = evaluate(shop, role, scene, source, as_of=DATES[index])
    expected = EXPECTED_STATUS[(shop, role)][index]
    exempt = expected in ("exempt", "not_affected")

    if not RESTRICTED_SOURCE[source] and not exempt:
        assert (decision.allowed, decision.status) == (True, Status.NOT_AFFECTED)
        assert decision.error_message is None
        return

    assert decision.status == Status(expected)
    assert decision.allowed is ALLIANCE_ALLOWED[expected]
    assert decision.missing == ()
    error, path = EXPECTED_SCENE[scene]
    if exempt:
        assert decision.error_message is None and decision.fixes == ()
        return
    assert " ".join(decision.path) == path
    assert [fix.id for fix in decision.fixes][:1] == ([] if decision.allowed else ["add_own_products"])
    assert (decision.error_message.text if decision.error_message else None) == (None if decision.allowed else error)


@pytest.mark.parametrize("profile, clause", STATUS_CLAUSE.items())
def test_status_rests_on_its_clause(profile, clause):
    assert clause in evaluate(*profile, "橱窗", "联盟商品", as_of=AFTER_ROLLOUT).clauses


@pytest.mark.parametrize(
    "shop, role, expected",
    [
        ("个体店", "官方账号", True),  # 六/Q3: 达人的个体店/企业店只为收款,可关店
        ("企业店", "官方账号", True),
        ("旗舰店", "官方账号", False),  # the source offers closing the shop to no one else
        ("个体店", "授权号", False),
    ],
)
def test_closing_the_shop_is_offered_only_where_the_source_offers_it(shop, role, expected):
    decision = evaluate(shop, role, "直播间", "联盟商品", as_of=AFTER_ROLLOUT)
    offered = any("关店" in fix.text for fix in decision.fixes)
    assert offered is expected
    assert ("六/Q3" in decision.clauses) is expected


def test_dates_are_estimates_while_ahead_and_the_rollout_ends_in_late_december():
    late_december = evaluate("个体店", "授权号", "橱窗", "联盟商品", as_of=FULLY_IN_EFFECT)
    january = evaluate("个体店", "授权号", "橱窗", "联盟商品", as_of=AFTER_ROLLOUT)
    assert "六/Q4" in late_december.clauses  # 逐步随机放开,12月底完成覆盖
    assert any("以产品页面为准" in note.text for note in late_december.notes)  # 12月底 is ahead
    assert not any("以产品页面为准" in note.text for note in january.notes)  # every date has passed
    assert any("逐步随机" in note.text for note in late_december.notes)
    assert not any("逐步随机" in note.text for note in january.notes)


def test_live_products_no_longer_sync_to_the_showcase():
    decision = evaluate("旗舰店", "官方账号", "橱窗", "联盟商品")
    assert any("不会再同步到橱窗" in note.text for note in decision.notes)
    assert "五/橱窗短视频/影响2" in decision.clauses


def test_small_shops_official_accounts_are_limited_per_live():
    decision = evaluate("个体店", "官方账号", "直播中", "联盟商品", as_of=AFTER_ROLLOUT)
    assert "三/直播间/2" in decision.clauses
    assert any("每场直播" in note.text for note in decision.notes)


def test_default_date_is_today():
    assert evaluate("个体店", "授权号", "橱窗", "联盟").as_of == dt.date.today()


@pytest.mark.parametrize(
    "shop, role, cited, not_cited",
    [
        ("旗舰店", "授权号", "二/3", "二/2"),  # 二/3 is the authorized accounts' clause
        ("个体店", "官方账号", "二/2", "二/3"),  # 二/2 is the small shops' official accounts' clause
    ],
)
def test_a_shared_timeline_cites_only_the_clause_of_the_rule_in_question(shop, role, cited, not_cited):
    clauses = evaluate(shop, role, "直播间", "联盟商品", as_of=AFTER_ROLLOUT).clauses
    assert cited in clauses and not_cited not in clauses
