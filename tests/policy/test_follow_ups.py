"""Quick replies after an answer offer only what the reply does not already say."""

from actions.answers import FOLLOW_UPS, Frame, answer
from actions.policy import candidates, load_policy

POLICY = load_policy()
PROFILE = {"shop_type": ["individual"], "account_role": ["authorized"], "scene": ["showcase"]}


def reply(question, told=PROFILE):
    return answer(Frame.of([question], candidates(POLICY, told, {})), policy=POLICY)


def test_a_verdict_says_why_so_why_is_not_offered_again():
    verdict = reply("ask_why_cannot_add")
    assert "信任感" in verdict.text
    assert "ask_rule_reason" not in verdict.follow_ups
    assert set(verdict.follow_ups) == set(FOLLOW_UPS) - {"ask_rule_reason"}


def test_the_question_answered_is_not_offered_again():
    assert "ask_when_effective" not in reply("ask_when_effective").follow_ups


def test_nothing_is_offered_to_an_account_the_rule_does_not_bind():
    assert reply("ask_why_cannot_add", {"shop_type": ["cross_border"]}).follow_ups == ()
