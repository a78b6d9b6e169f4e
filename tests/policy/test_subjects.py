"""Whom a message asks about: one subject or several, a class, values the words exclude,
and what the merchant asks to have checked. Expected readings are typed by hand."""

import pytest

from actions.policy import Status, load_policy, normalise_text
from actions.policy.mentions import Mention, classes, read_mentions
from actions.policy.statements import asks_to_check, read_statements
from actions.policy.words import names_in

POLICY = load_policy()


def read(text):
    normal = normalise_text(text, POLICY)
    found = [Mention(n.dimension, n.value, n.start, n.end) for n in names_in(normal, POLICY)]
    return normal, read_mentions(normal, found, POLICY)


def groups(text):
    """Per subject, the shop types and roles it names (the whole message when one)."""
    _, mentions = read(text)
    found = {}
    for m in mentions:
        if not m.denied and m.dimension in ("shop_type", "account_role"):
            found.setdefault(m.group, set()).add(m.value)
    return [found[g] for g in sorted(found, key=lambda g: g or 0)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("旗舰店官方号在橱窗和短视频里还能加联盟吗", [{"flagship", "official"}]),  # two places, one subject
        ("我这种名下没有店、号上也没绑店的纯达人受影响吗", [{"unbound"}]),  # one value said twice
        ("我们旗舰店的号和另一个个体店的号 直播都能挂联盟的吗", [{"flagship"}, {"individual"}]),
        ("跨境店和专卖店的授权号能带联盟吗", [{"cross_border"}, {"exclusive", "authorized"}]),
        ("官方号跟授权号都不能加了吗", [{"official"}, {"authorized"}]),
    ],
)
def test_several_subjects_are_told_apart_by_who_they_are(text, expected):
    assert groups(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("是不是所有类型的店，授权号都只能带本店的货了", ("shop_type",)),
        ("哪些账号会受影响", ("account_role",)),
        ("所有官方号都不能挂联盟了吗", ("shop_type",)),  # every shop's official account
        ("我从来没有开过任何抖音小店。请问我的号能挂联盟吗", ()),  # a story, not the question
        ("旗舰店官方号能挂联盟吗", ()),
    ],
)
def test_a_class_is_read_from_the_question_only(text, expected):
    normal, mentions = read(text)
    assert classes(normal, mentions) == expected


@pytest.mark.parametrize(
    "text", ["旗舰店的主播号 橱窗还能放联盟的品吗", "我们店里绑定的号能挂联盟吗", "店铺的号直播能带别家货吗"]
)
def test_an_account_of_the_shop_is_not_an_unbound_one(text):
    _, mentions = read(text)
    assert any(m.dimension == "account_role" and m.value == "unbound" and m.denied for m in mentions)
    assert not any(m.dimension == "account_role" and not m.denied for m in mentions)


@pytest.mark.parametrize(
    "text, allowed, status",
    [
        ("所以跨境店就完全不受影响是吧", True, None),
        ("授权号以后只能卖本店的东西了对吧", False, None),
        ("个体店官方号橱窗还能挂联盟的吧", True, None),
        ("是不是还在内测啊", None, Status.INTERNAL_TEST),
        ("现在已经全面生效了对吗", None, Status.IN_EFFECT),
    ],
)
def test_a_claim_to_check_is_read_from_its_words(text, allowed, status):
    normal, mentions = read(text)
    assert asks_to_check(normal)
    (statement,) = read_statements(normal, mentions)
    assert (statement.claim.allowed, statement.claim.status) == (allowed, status)


@pytest.mark.parametrize("text", ["旗舰店官方号能挂联盟吗", "为什么加不了别家的货", "授权号什么时候开始限制的"])
def test_a_plain_question_states_nothing(text):
    normal, mentions = read(text)
    assert read_statements(normal, mentions) == []


@pytest.mark.parametrize(
    "text", ["没绑任何店的达人号，带联盟商品有影响吗", "my account is not bound to any shop, am i affected?"]
)
def test_no_shop_at_all_is_not_every_shop(text):
    normal, mentions = read(text)
    assert classes(normal, mentions) == ()
