"""Answers read at a glance: the answer first, the fix with its path, what was not asked
one tap away; no sentence twice, no clause id for a merchant (issue 26)."""

import datetime as dt
import itertools
from dataclasses import replace

import pytest

from actions.answers import TOPICS, Frame, answer
from actions.policy import candidates, load_policy
from scripts.evaluate import clause_ids_in, repeated_sentences

POLICY = load_policy()
TODAY = dt.date(2026, 12, 7)
IN_TEST = dt.date(2023, 11, 25)
PROFILES = [
    {},
    {"shop_type": ["individual"]},
    {"shop_type": ["flagship"], "account_role": ["official"]},
    {"shop_type": ["enterprise"], "account_role": ["authorized"], "scene": ["live_before"]},
    {"shop_type": ["cross_border"], "scene": ["showcase"]},
    {"account_role": ["unbound"]},
]


def frame(question, told, **rest):
    return Frame.of([question], candidates(POLICY, told, {}), **rest)


def test_a_verdict_is_the_answer_the_status_and_the_fix():
    reply = answer(frame("ask_why_cannot_add", PROFILES[3]), TODAY, POLICY)
    verdict, status, fix = reply.text.splitlines()
    assert verdict == "不能。您企业店的授权号在直播间（开播前）只能添加本店商品，不能添加精选联盟商品。"
    assert status == "这条限制已经全面生效。"
    assert fix.startswith("建议您改为添加本店商品，路径：巨量百应 › 达人工作台 › 直播管理")


def test_a_restriction_not_yet_in_force_says_so_once():
    reply = answer(frame("ask_why_cannot_add", PROFILES[3]), IN_TEST, POLICY)
    assert reply.text.startswith("可能已经不能。") and "生效" not in reply.text


def test_asked_why_the_verdict_gives_the_reason_and_offers_it_no_more():
    plain = answer(frame("ask_why_cannot_add", PROFILES[3]), TODAY, POLICY)
    why = answer(frame("ask_why_cannot_add", PROFILES[3], why=True), TODAY, POLICY)
    assert "信任感" not in plain.text and "ask_rule_reason" in plain.follow_ups
    assert "信任感" in why.text and "ask_rule_reason" not in why.follow_ups


CASES = list(itertools.product(sorted(TOPICS), range(len(PROFILES)), (IN_TEST, TODAY), (False, True)))


@pytest.mark.parametrize("question, told, as_of, why", CASES)
def test_no_reply_says_a_sentence_twice_or_shows_a_clause_id(question, told, as_of, why):
    reply = answer(replace(frame(question, PROFILES[told]), why=why), as_of, POLICY)
    for text in (reply.text, reply.details):
        assert repeated_sentences(text) == [] and clause_ids_in(text) == []
