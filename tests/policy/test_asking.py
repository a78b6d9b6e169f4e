"""Ask only what changes what the merchant can do: the input asked for, question by question.

The expected inputs are typed by hand from the source. After the rollout every official
and authorized account outside cross-border shops may add only its own shop's products
in every scene, so the only inputs that change a verdict are those of an exemption (跨境店,
an account bound to no shop): the answer is given for the accounts the rule binds and
names the exemption instead of asking. During the rollout the shop type and the role
change whether an account is bound yet, and are asked for.
"""

import datetime as dt
import itertools

import pytest

from actions.answers import TOPICS, Frame, answer
from actions.policy import PROFILE, assess, candidates, load_policy, splitting_input

POLICY = load_policy()
AFTER_ROLLOUT = dt.date(2024, 2, 1)
MID_ROLLOUT = dt.date(2023, 11, 25)
VERDICT, WHEN, CREATOR, PASTED = (
    "ask_why_cannot_add",
    "ask_when_effective",
    "ask_keep_selling_as_creator",
    "report_error_message",
)


def asked(question, claimed=None, denied=None, as_of=AFTER_ROLLOUT):
    possible = candidates(POLICY, claimed or {}, denied or {})
    return answer(Frame.of([question], possible), as_of=as_of, policy=POLICY).ask


@pytest.mark.parametrize(
    "question, claimed, denied, expected",
    [
        (VERDICT, {}, {}, None),  # 跨境店 and unbound accounts may: named, not asked about
        (VERDICT, {"shop_type": ["flagship"]}, {}, None),  # unbound accounts may: named
        (VERDICT, {"shop_type": ["flagship"], "account_role": ["official"]}, {}, None),  # every scene alike
        (VERDICT, {"shop_type": ["individual"], "account_role": ["official"]}, {}, None),
        (VERDICT, {"account_role": ["authorized"]}, {}, None),  # 跨境店's authorized accounts may: named
        (VERDICT, {"account_role": ["authorized"]}, {"shop_type": ["cross_border"]}, None),  # 不是跨境店
        (VERDICT, {"account_role": ["official"]}, {"shop_type": ["cross_border"]}, None),  # the 关店 fix is conditional
        (VERDICT, {"shop_type": ["cross_border"]}, {}, None),  # exempt whatever the role
        (VERDICT, {"account_role": ["unbound"]}, {}, None),  # not affected whatever the shop
        (PASTED, {}, {}, None),  # a rule error happens only to restricted accounts
        (PASTED, {"scene": ["showcase"]}, {}, None),
        (WHEN, {"shop_type": ["flagship"], "account_role": ["official"]}, {}, None),
        (WHEN, {"shop_type": ["specialty"]}, {}, None),  # in force for both roles: each role's dates
        (WHEN, {"account_role": ["official"]}, {}, None),  # in force for every shop: each shop's dates
        (CREATOR, {"shop_type": ["individual"]}, {}, None),  # 关店 either way
        (CREATOR, {"shop_type": ["flagship"]}, {}, None),  # the source is silent either way
        (CREATOR, {}, {}, None),  # the story implies 个体店/企业店 (the 关店 fix's shops)
    ],
)
def test_after_the_rollout_only_an_exemption_splits_and_it_is_named(question, claimed, denied, expected):
    assert asked(question, claimed, denied) == expected


@pytest.mark.parametrize(
    "question, claimed, expected",
    [
        (VERDICT, {}, "shop_type"),  # 旗舰店 official accounts bound, 个体店 ones in test
        (VERDICT, {"shop_type": ["flagship"]}, "account_role"),  # official bound, authorized in test
        (VERDICT, {"shop_type": ["flagship"], "account_role": ["official"]}, None),
        (VERDICT, {"account_role": ["authorized"]}, None),  # every shop's authorized accounts alike
        (VERDICT, {"shop_type": ["specialty"], "scene": ["short_video", "live_before"]}, "account_role"),
        (WHEN, {"shop_type": ["specialty"]}, "account_role"),
        (WHEN, {"account_role": ["official"]}, "shop_type"),
        (CREATOR, {}, None),  # the story implies 个体店/企业店, which the rollout treats alike
    ],
)
def test_during_the_rollout_an_input_that_changes_what_one_can_do_is_asked_for(question, claimed, expected):
    assert asked(question, claimed, as_of=MID_ROLLOUT) == expected


@pytest.mark.parametrize("question", [q for q, topic in TOPICS.items() if topic.view is None])
def test_questions_about_the_rule_itself_never_ask(question):
    assert asked(question) is None


def partial_profiles():
    """Every profile with each input either known or left open."""
    for values in itertools.product(*[(None, *POLICY.values(name)) for name in PROFILE]):
        yield {name: [value] for name, value in zip(PROFILE, values, strict=True) if value}


@pytest.mark.parametrize("as_of", [MID_ROLLOUT, AFTER_ROLLOUT])
@pytest.mark.parametrize("question", [q for q, topic in TOPICS.items() if topic.view])
def test_the_input_asked_for_is_open_and_telling_it_settles_that_split(question, as_of):
    """From any partial profile, the assistant asks for an input the merchant has not
    told, and once told, never for it again: the conversation cannot loop."""
    for claimed in partial_profiles():
        split = asked(question, claimed, as_of=as_of)
        if split is not None:
            assert split not in claimed
            for value in POLICY.values(split):
                assert asked(question, {**claimed, split: [value]}, as_of=as_of) != split


def test_an_exemption_still_possible_is_named_when_not_asked_about():
    """A verdict for a merchant who may still be exempt (and may still be bound) names
    the exemption by whom it covers, rather than asking."""
    exemptions = [entry for entry in POLICY.coverage if entry.who]
    for claimed in partial_profiles():
        possible = candidates(POLICY, claimed, {})
        reply = answer(Frame.of([VERDICT], possible), as_of=AFTER_ROLLOUT, policy=POLICY)
        assert reply.ask is None
        decisions = assess(possible, as_of=AFTER_ROLLOUT, policy=POLICY).values()
        if all(d.allowed is True for d in decisions):
            continue
        for entry in exemptions:
            if any(d.entry == entry for d in decisions):
                assert f"{entry.who}" in reply.text, (claimed, reply.text)


def test_a_shop_type_said_leaves_out_the_accounts_bound_to_no_shop():
    """An account bound to no shop has no shop type: from every partial profile that
    names a shop type and no role, the roles left are those a shop's accounts have."""
    for claimed in partial_profiles():
        possible = candidates(POLICY, {**claimed, "account_role": []}, {})
        unbound = set(possible["account_role"]) & set(POLICY.unbound_roles)
        assert bool(unbound) is not bool(claimed.get("shop_type")), claimed


def test_the_scene_never_splits_a_verdict_after_the_rollout():
    """Every restricted account is restricted in every scene (三, 五)."""
    view = TOPICS[VERDICT].view
    for claimed in partial_profiles():
        possible = candidates(POLICY, {**claimed, "scene": []}, {})
        decisions = assess(possible, as_of=AFTER_ROLLOUT, policy=POLICY)
        assert splitting_input(decisions, lambda d: view(d, POLICY)) != "scene"
