"""python -m actions.policy: the decision in Chinese with its clause ids."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "actions.policy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prints_the_decision_with_clause_ids():
    result = cli("旗舰店", "官方账号", "直播间")
    assert result.returncode == 0
    assert result.stdout.startswith("不能。")
    assert "二/1" in result.stdout and "累计添加联盟商品数已达上限" in result.stdout


def test_values_in_any_order_and_a_date():
    result = cli("橱窗", "授权帐号", "个体店", "--date", "2023-11-01")
    assert result.returncode == 0
    assert result.stdout.startswith("目前还能。")


def test_names_the_one_input_the_answer_still_depends_on():
    result = cli("官方号", "--date", "2023-11-25")  # 旗舰店's bound, 个体店's in test
    assert result.stdout.strip() == "还需要：店铺类型"


def test_names_an_exemption_instead_of_asking_for_it():
    result = cli("授权号")  # 跨境店's authorized accounts are exempt: said, not asked
    assert result.stdout.startswith("不能。您的授权号") and "跨境店不受这条规则限制" in result.stdout


def test_answers_for_every_scene_when_the_scene_does_not_matter():
    result = cli("旗舰店", "官方号")
    assert result.stdout.startswith("不能。您旗舰店的官方账号在直播间、橱窗、短视频都只能添加本店商品")


def test_reads_values_as_merchants_type_them():
    result = cli("個體店", "授全号", "櫥窗", "--date", "2024-02-01")
    assert result.stdout.startswith("不能。您个体店的授权号在橱窗只能添加本店商品")


def test_unknown_value_exits_2_with_the_allowed_values():
    result = cli("小卖部")
    assert result.returncode == 2
    assert "无法识别「小卖部」" in result.stderr and "旗舰店" in result.stderr
