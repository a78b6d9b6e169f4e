"""Ask only what splits the answer: the input the assistant asks for, question by question.

The expected inputs are typed by hand from the source: after the rollout every official
and authorized account outside cross-border shops may add only its own shop's products
in every scene, so the scene never changes a verdict; the shop type does (跨境店 is
exempt, 个体店/企业店 official accounts get the 关店 fix); the role does (an account bound
to no shop is not affected).
"""

import datetime as dt
import itertools

import pytest

from actions.answers import TOPICS, Frame, answer
from actions.policy import PROFILE, assess, candidates, load_policy, splitting_input

POLICY = load_policy()
AFTER_ROLLOUT = dt.date(2024, 2, 1)
VERDICT, WHEN, CREATOR, PASTED = (
    "ask_why_cannot_add",
    "ask_when_effective",
    "ask_keep_selling_as_creator",
    "report_error_message",
)


def asked(question, claimed=None, denied=None):
    possible = candidates(POLICY, claimed or {}, denied or {})
    return answer(Frame.of([question], possible), as_of=AFTER_ROLLOUT, policy=POLICY).ask


@pytest.mark.parametrize(
    "question, claimed, denied, expected",
    [
        (VERDICT, {}, {}, "shop_type"),  # 跨境店 may, others may not
        (VERDICT, {"shop_type": ["flagship"]}, {}, "account_role"),  # unbound accounts may
        (VERDICT, {"shop_type": ["flagship"], "account_role": ["official"]}, {}, None),  # every scene alike
        (VERDICT, {"shop_type": ["individual"], "account_role": ["official"]}, {}, None),
        (VERDICT, {"account_role": ["authorized"]}, {}, "shop_type"),  # 跨境店's authorized accounts may
        (VERDICT, {"account_role": ["authorized"]}, {"shop_type": ["cross_border"]}, None),  # 不是跨境店
        (VERDICT, {"account_role": ["official"]}, {"shop_type": ["cross_border"]}, None),  # the 关店 fix is conditional
        (VERDICT, {"shop_type": ["cross_border"]}, {}, None),  # exempt whatever the role
        (VERDICT, {"account_role": ["unbound"]}, {}, None),  # not affected whatever the shop
        (VERDICT, {"shop_type": ["specialty"], "scene": ["short_video", "live_before"]}, {}, "account_role"),
        (PASTED, {}, {}, None),  # a rule error happens only to restricted accounts
        (PASTED, {"scene": ["showcase"]}, {}, None),
        (WHEN, {"shop_type": ["flagship"], "account_role": ["official"]}, {}, None),
        (WHEN, {"shop_type": ["specialty"]}, {}, "account_role"),  # official: 已经生效; authorized: staged
        (WHEN, {"account_role": ["authorized"]}, {"shop_type": ["cross_border"]}, None),  # all staged alike
        (WHEN, {"account_role": ["official"]}, {}, "shop_type"),
        (CREATOR, {"shop_type": ["individual"]}, {}, None),  # 关店 either way
        (CREATOR, {"shop_type": ["flagship"]}, {}, None),  # the source is silent either way
        (CREATOR, {}, {}, "shop_type"),
    ],
)
def test_asks_only_for_the_input_that_splits_the_answer(question, claimed, denied, expected):
    assert asked(question, claimed, denied) == expected


@pytest.mark.parametrize("question", [q for q, topic in TOPICS.items() if topic.view is None])
def test_questions_about_the_rule_itself_never_ask(question):
    assert asked(question) is None


def partial_profiles():
    """Every profile with each input either known or left open."""
    for values in itertools.product(*[(None, *POLICY.values(name)) for name in PROFILE]):
        yield {name: [value] for name, value in zip(PROFILE, values, strict=True) if value}


@pytest.mark.parametrize("question", [q for q, topic in TOPICS.items() if topic.view])
def test_the_input_asked_for_is_open_and_telling_it_settles_that_split(question):
    """From any partial profile, the assistant asks for an input the merchant has not
    told, and once told, never for it again: the conversation cannot loop."""
    for claimed in partial_profiles():
        split = asked(question, claimed)
        if split is not None:
            assert split not in claimed
            for value in POLICY.values(split):
                assert asked(question, {**claimed, split: [value]}) != split


def test_the_scene_never_splits_a_verdict_after_the_rollout():
    """Every restricted account is restricted in every scene (三, 五)."""
    view = TOPICS[VERDICT].view
    for claimed in partial_profiles():
        possible = candidates(POLICY, {**claimed, "scene": []}, {})
        decisions = assess(possible, as_of=AFTER_ROLLOUT, policy=POLICY)
        assert splitting_input(decisions, lambda d: view(d, POLICY)) != "scene"
