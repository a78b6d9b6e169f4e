"""Claims checked by the engine: every (profile, assertion) against a reading of the source.

The expected truth is typed from the source, independently of the engine: today every
official and authorized account of a shop other than 跨境店 may add only its own
products, in every scene (一, 三, 五); the professional shops' official accounts were
restricted when the notice came out, the others from 2023年11月中下旬 (test) to
12月中旬 (全部生效) (二); live products no longer reach the showcase's list (五, 六/Q2);
closing the shop frees an individual or enterprise shop's creator (六/Q3), and the
source says nothing of closing for anyone else.
"""

import datetime as dt
import itertools

import pytest

from actions.answers import Frame, Subject, answer
from actions.policy import PROFILE, Status, candidates, evaluate, load_policy
from actions.policy.claims import Claim, check, decode, encode

POLICY = load_policy()
TODAY = dt.date(2026, 12, 7)
PROFESSIONAL = {"mall", "official_flagship", "flagship", "exclusive", "specialty"}
PROFILES = list(itertools.product(*(POLICY.values(name) for name in PROFILE)))


def restricted(shop_type, role):
    return shop_type != "cross_border" and role != "unbound"


def staged(shop_type, role):
    return restricted(shop_type, role) and (role == "authorized" or shop_type not in PROFESSIONAL)


# (assertion, expected truth for a profile: True, False or None when the source is silent)
ASSERTIONS = {
    "may add others' products": (Claim(allowed=True), lambda s, r: not restricted(s, r)),
    "may not add others' products": (Claim(allowed=False), lambda s, r: restricted(s, r)),
    "fully in effect": (Claim(status=Status.IN_EFFECT), lambda s, r: restricted(s, r)),
    "still in test": (Claim(status=Status.INTERNAL_TEST), lambda s, r: False),
    "in effect since 12月中旬": (
        Claim(when="12月中旬", event=Status.IN_EFFECT),
        lambda s, r: staged(s, r) if restricted(s, r) else False,
    ),
    "in test since 2023年11月": (
        Claim(when="2023年11月", event=Status.INTERNAL_TEST),
        lambda s, r: staged(s, r) if restricted(s, r) else False,
    ),
    "in effect since 2024年3月": (
        Claim(when="2024年3月", event=Status.IN_EFFECT),
        lambda s, r: False,
    ),
    "every account covered by 12月底": (
        Claim(when="12月底", event=Status.IN_EFFECT, by=True),
        lambda s, r: restricted(s, r),
    ),
    "in effect by 11月初": (
        Claim(when="11月初", event=Status.IN_EFFECT, by=True),
        lambda s, r: restricted(s, r) and not staged(s, r),
    ),
    "live products still reach the showcase": (
        Claim(synced=True),
        lambda s, r: False if restricted(s, r) else None,
    ),
    "closing the shop frees the account": (
        Claim(closes=True),
        lambda s, r: True if restricted(s, r) and r == "official" and s not in PROFESSIONAL else None,
    ),
    "a number the source does not give": (
        Claim(allowed=False, beyond=True),
        lambda s, r: False if not restricted(s, r) else None,
    ),
}


@pytest.mark.parametrize("name", ASSERTIONS)
def test_every_claim_against_the_source(name):
    claim, expected = ASSERTIONS[name]
    for shop_type, role, scene in PROFILES:
        decision = evaluate(shop_type, role, scene, "alliance", as_of=TODAY, policy=POLICY)
        assert check(claim, decision) is expected(shop_type, role), (name, shop_type, role, scene)


@pytest.mark.parametrize("name", ASSERTIONS)
def test_a_claim_survives_its_entity_encoding(name):
    claim, _ = ASSERTIONS[name]
    assert decode(encode(claim)) == claim


@pytest.mark.parametrize("name", ["may add others' products", "may not add others' products", "fully in effect"])
def test_the_reply_to_a_claim_starts_with_its_truth(name):
    claim, expected = ASSERTIONS[name]
    for shop_type, role in itertools.product(POLICY.values("shop_type"), POLICY.values("account_role")):
        possible = candidates(POLICY, {"shop_type": [shop_type], "account_role": [role]}, {})
        frame = Frame(("ask_why_cannot_add",), (Subject(possible, claim),), product_source="alliance")
        text = answer(frame, as_of=TODAY, policy=POLICY).text
        word = "是的" if expected(shop_type, role) else "不对"
        assert text.startswith(word), (name, shop_type, role, text)


def test_a_claim_about_every_shop_type_is_answered_for_the_class_with_its_exception():
    """「不管是啥店，授权号一律只能带本店的货吧」: true of the class but for 跨境店, so
    不完全对, and 跨境店 is named; of the merchant's own case, or of 「所有授权号」 (every
    shop type implied, not said), the exemption is not singled out: the same claim is
    是的, with the exemption named beside it."""
    possible = candidates(POLICY, {"account_role": ["authorized"]}, {})
    subjects = (Subject(possible, Claim(allowed=False)),)
    frame = Frame(("ask_why_cannot_add",), subjects, own=False, generalised=("shop_type",))
    text = answer(frame, as_of=TODAY, policy=POLICY).text
    assert text.startswith("不完全对，除跨境店外") and "能。跨境店不受这条规则限制" in text, text
    for unsaid in (Frame(frame.asks, subjects, own=True), Frame(frame.asks, subjects, own=False)):
        text = answer(unsaid, as_of=TODAY, policy=POLICY).text
        assert text.startswith("是的") and "跨境店" in text, (unsaid, text)


def test_a_date_said_relative_to_today_is_checked_against_the_year():
    """「12月中旬全部生效，是说今年12月吗」 asked in December 2026: no, December 2023."""
    decision = evaluate("individual", "official", "showcase", "alliance", as_of=TODAY, policy=POLICY)
    assert check(Claim(when="今年12月中旬", event=Status.IN_EFFECT), decision) is False
    assert check(Claim(when="2023年12月中旬", event=Status.IN_EFFECT), decision) is True
    late_2023 = evaluate("individual", "official", "showcase", "alliance", as_of=dt.date(2023, 12, 30), policy=POLICY)
    assert check(Claim(when="今年12月中旬", event=Status.IN_EFFECT), late_2023) is True
