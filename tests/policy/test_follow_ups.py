"""Quick replies after an answer offer only what the reply does not already say."""

from actions.answers import FOLLOW_UPS, Frame, answer
from actions.policy import candidates, load_policy

POLICY = load_policy()
PROFILE = {"shop_type": ["individual"], "account_role": ["authorized"], "scene": ["showcase"]}


def reply(question, told=PROFILE):
    return answer(Frame.of([question], candidates(POLICY, told, {})), policy=POLICY)


def test_a_verdict_leaves_why_and_since_when_one_tap_away():
    verdict = reply("ask_why_cannot_add")
    assert "信任感" not in verdict.text and "2023" not in verdict.text
    assert verdict.follow_ups == ("ask_rule_reason", "ask_when_effective")


def test_a_path_the_reply_shows_is_not_offered_again():
    assert "橱窗管理" in reply("ask_why_cannot_add").text
    everywhere = reply("ask_why_cannot_add", {**PROFILE, "scene": []})
    assert "橱窗管理" not in everywhere.text and "ask_where_to_operate" in everywhere.follow_ups


def test_the_creator_fix_is_offered_only_where_the_notice_gives_it():
    official = {**PROFILE, "account_role": ["official"]}
    flagship = reply("ask_why_cannot_add", {**official, "shop_type": ["flagship"]})
    assert "关店" not in flagship.details and "ask_keep_selling_as_creator" not in flagship.follow_ups
    individual = reply("ask_why_cannot_add", official)
    assert "关店" in individual.details and "关店" not in individual.text
    assert "ask_keep_selling_as_creator" in individual.follow_ups


def test_a_reason_asked_is_not_offered_again():
    both = answer(Frame.of(["ask_rule_reason", "ask_why_cannot_add"], candidates(POLICY, PROFILE, {})), policy=POLICY)
    assert "信任感" in both.text and "ask_rule_reason" not in both.follow_ups
    assert set(both.follow_ups) < set(FOLLOW_UPS)


def test_the_question_answered_is_not_offered_again():
    assert "ask_when_effective" not in reply("ask_when_effective").follow_ups


def test_nothing_is_offered_to_an_account_the_rule_does_not_bind():
    assert reply("ask_why_cannot_add", {"shop_type": ["cross_border"]}).follow_ups == ()
