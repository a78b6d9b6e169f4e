"""A broken policy file is rejected with a message that names the entry."""

import copy
import datetime as dt
import itertools

import pytest
import yaml

from actions.policy import PolicyError, load_policy, parse_policy
from actions.policy.loader import DEFAULT_POLICY_PATH

RAW = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))


def broken(change):
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


def restriction(raw, rule_id):
    return next(entry for entry in raw["restrictions"] if entry["id"] == rule_id)


BROKEN = {
    "unknown top-level key": (lambda r: r.update(extra=1), "policy file: unknown key(s) extra"),
    "unknown key in a rule": (
        lambda r: restriction(r, "authorized").update(allow="all"),
        "restriction authorized: unknown key(s) allow",
    ),
    "rule without clauses": (
        lambda r: restriction(r, "authorized").update(clauses=[]),
        "restriction authorized: lists no source clause",
    ),
    "rule citing an unknown clause": (
        lambda r: restriction(r, "authorized").update(clauses=["七/Q9"]),
        "restriction authorized: unknown clause id(s) 七/Q9",
    ),
    "note citing an unknown clause": (
        lambda r: r["notes"]["per_live"].update(clauses=["九"]),
        "note per_live: unknown clause id(s) 九",
    ),
    "missing key": (
        lambda r: restriction(r, "authorized").pop("timeline"),
        "restriction authorized: missing key(s) timeline",
    ),
    "overlapping rules": (
        lambda r: restriction(r, "authorized").update(roles=["authorized", "official"]),
        "professional-official and authorized both cover shop type mall with role official",
    ),
    "contradicting rule and exemption": (
        lambda r: r["exemptions"][0].update(shop_types=["cross_border", "flagship"]),
        "both cover shop type flagship",
    ),
    "a profile no rule covers": (
        lambda r: restriction(r, "small-shop-official").update(shop_types=["enterprise"]),
        "no restriction or exemption covers shop type individual with role official",
    ),
    "dates out of order": (
        lambda r: r["timelines"]["staged_rollout"]["stages"][1].update(**{"from": dt.date(2023, 11, 1)}),
        "timeline staged_rollout: stage '2023年12月中旬全部生效' must start after stage '2023年11月中下旬开始内测'",
    ),
    "undated stage after a dated one": (
        lambda r: (
            r["timelines"]["staged_rollout"]["stages"][2].update(**{"from": None, "when": None})
            or r["timelines"]["staged_rollout"]["stages"][2].pop("when")
        ),
        "timeline staged_rollout: stage '完成所有官方账号与授权号的覆盖' must start after",
    ),
    "dated stage without its date words": (
        lambda r: r["timelines"]["staged_rollout"]["stages"][0].pop("when"),
        "timeline staged_rollout stage 1: a stage with a date ('from') says when it is ('when'), and only then",
    ),
    "past wording without its date": (
        lambda r: r["notes"]["gradual_rollout"].pop("past_from"),
        "note gradual_rollout: a past wording ('past') needs the date it is said from ('past_from')",
    ),
    "unknown status": (
        lambda r: r["exemptions"][0].update(status="maybe"),
        "exemption cross-border: unknown status 'maybe'",
    ),
    "unknown shop type in a rule": (
        lambda r: restriction(r, "authorized").update(shop_types=["supermarket"]),
        "restriction authorized: unknown value 'supermarket'",
    ),
    "alias used twice": (
        lambda r: r["vocabulary"]["scene"]["showcase"]["aliases"].append("直播间"),
        "vocabulary scene.showcase: alias '直播间' is already used by vocabulary scene.live_before",
    ),
    "scene without its entry": (
        lambda r: r["scenes"].pop("short_video"),
        "scenes: keys",
    ),
    "unknown error in a scene": (
        lambda r: r["scenes"]["showcase"].update(error="oops"),
        "scene showcase: unknown error 'oops'",
    ),
    "empty quote": (lambda r: r["clauses"].update({"一": ""}), "clause 一: the quote must be non-empty text"),
    "clause of an unnamed part": (
        lambda r: r["clauses"].update({"七/Q1": "Q1"}),
        "clause 七/Q1: its part 七 is not named in parts",
    ),
    "wrong version": (lambda r: r.update(version=2), "unsupported version 2"),
}


@pytest.mark.parametrize("change, message", BROKEN.values(), ids=list(BROKEN))
def test_broken_file_is_rejected(change, message):
    with pytest.raises(PolicyError) as raised:
        parse_policy(broken(change))
    assert message in str(raised.value)


def test_not_a_mapping():
    with pytest.raises(PolicyError, match="policy file: expected a mapping"):
        parse_policy(["not", "a", "policy"])


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "policy.yml"
    path.write_text("clauses: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)


def test_the_shipped_coverage_covers_every_shop_type_and_role_exactly_once():
    policy = load_policy()
    assert [entry.id for entry in policy.coverage] == [
        entry["id"] for kind in ("restrictions", "exemptions") for entry in RAW[kind]
    ]
    covered = [pair for entry in policy.coverage for pair in itertools.product(entry.shop_types, entry.roles)]
    assert sorted(covered) == sorted(itertools.product(policy.values("shop_type"), policy.values("account_role")))


def test_a_clause_is_placed_in_the_notice_in_words():
    policy = load_policy()
    assert policy.part("三/直播间/3") == ("第三部分「具体的影响」", "直播间")
    assert policy.part("二/3") == ("第二部分「生效时间」", "")
    assert policy.part("五/橱窗短视频/路径1") == ("第五部分「操作链路详细解析」", "橱窗/短视频")
    assert all(policy.part(clause)[0] for clause in policy.clauses)
