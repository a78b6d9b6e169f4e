"""Whom a message asks about: one subject or several, a class, values the words exclude,
and what the merchant asks to have checked. Expected readings are typed by hand."""

import pytest

from actions.policy import Status, load_policy, normalise_text
from actions.policy.claims import Claim
from actions.policy.mentions import Mention, classes, read_mentions
from actions.policy.statements import after_closing, asks_to_check, closed_already, places_apart, read_statements
from actions.policy.words import names_in

POLICY = load_policy()
IN_EFFECT = Status.IN_EFFECT


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
        # named in turn; a shop after an account bound to no shop is another's
        ("我有两个号 一个绑了我们企业店 一个没绑任何店 这俩号还能带联盟吗", [{"enterprise"}, {"unbound"}]),
        ("一家旗舰店一家跨境店 两家的官方号 橱窗还能加联盟商品吗", [{"flagship"}, {"cross_border", "official"}]),
        ("我的达人号没绑店 我老婆的号是她个体店的官方号 我俩都想带联盟的货", [{"unbound"}, {"individual", "official"}]),
        # a question each: 「跨境店的呢」 does not take the place of the first subject
        ("旗舰店官方号 直播间和橱窗能带联盟吗？跨境店的呢", [{"flagship", "official"}, {"cross_border"}]),
        # a statement to check names all it is about, the asking clause's and the others
        ("是不是只有官方号受限 授权号不受？", [{"official"}, {"authorized"}]),
        # a qualifier before its shop makes one shop: 「跨境的专营店」
        ("We're a cross-border 旗舰店, can our official account still add 联盟商品?", [{"cross_border", "official"}]),
        # a friend's shop is not the merchant's; an account bound to no shop said after it
        ("我朋友开了个旗舰店 但我的号跟他店没有任何绑定 我直播带他店的货能行吗", [{"unbound"}]),
        # someone else's exemption set against the merchant's case is a subject of its
        # own; someone else's shop of the same type is not (why they still sell is asked)
        ("我们专卖店的官方号被限制了 别人家那个跨境店的号却没事 为啥", [{"exclusive", "official"}, {"cross_border"}]),
        ("我们专卖店的官方号被限制了 别人家专卖店的号还在带", [{"exclusive", "official"}]),
        # someone else's shop named in turn is a subject of its own
        (
            "我手上两个号 一个是我们专营店授权的 一个是别人家跨境店授权的",
            [{"specialty", "authorized"}, {"cross_border", "authorized"}],
        ),
        # the rule restated (官方号只能卖本店商品) is not a second account of the merchant's
        ("我不是商家，也从没开过店，就是个带货博主，看到说官方号只能卖本店商品，那我呢", [{"unbound"}]),
        # a value denied in English is no subject: 「not X, it's Y」
        ("oh sorry, not cross-border, it's a 专卖店", [{"exclusive"}]),
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
        ("哪些场景受影响？直播以外的也管吗", ("scene",)),  # every question of the message
        ("朋友说以后所有抖音号都只能卖自己店的东西了，可我没绑过任何店，那我是不是完蛋了", ()),
        ("你们这规定到底管哪些人啊？？群里有人说只管旗舰店", ("shop_type", "account_role")),
    ],
)
def test_a_class_is_read_from_the_question_only(text, expected):
    normal, mentions = read(text)
    assert tuple(classes(normal, mentions)) == expected


@pytest.mark.parametrize(
    "text", ["旗舰店的主播号 橱窗还能放联盟的品吗", "我们店里绑定的号能挂联盟吗", "店铺的号直播能带别家货吗"]
)
def test_an_account_of_the_shop_is_not_an_unbound_one(text):
    _, mentions = read(text)
    assert any(m.dimension == "account_role" and m.value == "unbound" and m.denied for m in mentions)
    assert not any(m.dimension == "account_role" and not m.denied for m in mentions)


@pytest.mark.parametrize(
    "text",
    [
        "我们是普通的店，官方号直播能带联盟吗",
        "国内店铺的授权号橱窗能放联盟吗",
        "we're a regular shop, can our official account add 联盟商品?",
    ],
)
def test_an_ordinary_shop_is_not_a_cross_border_one(text):
    """「普通店」: whatever its type, not the exempt one, so the verdict needs no type."""
    _, mentions = read(text)
    assert [(m.value, m.denied) for m in mentions if m.dimension == "shop_type"] == [("cross_border", True)]


@pytest.mark.parametrize(
    "text, shops, roles",
    [
        ("除了跨境店，其他店的官方号都只能卖本店商品，对吧", [("cross_border", True)], [("official", True)]),
        ("除了跨境店以外的店铺，授权号能带联盟吗", [("cross_border", True)], [("authorized", True)]),
        ("授权号都只能加本店商品，跨境店除外，没错吧", [("cross_border", True)], [("authorized", True)]),
        # 删除 excepts nothing: 其他店的 is someone else's shop
        ("我删除了联盟商品，其他店的官方号还能带吗", [], []),
        # 除了 adding, not excepting: both shops are the merchant's
        (
            "除了旗舰店，我们还有一家专营店，官方号能带联盟吗",
            [("flagship", False), ("specialty", False)],
            [("official", True)],
        ),
    ],
)
def test_an_exception_of_a_class_is_not_whom_the_message_asks_about(text, shops, roles):
    _, mentions = read(text)
    assert [(m.value, m.denied) for m in mentions if m.dimension == "shop_type"] == shops
    assert [(m.value, not m.denied) for m in mentions if m.dimension == "account_role"] == roles


def test_an_ordinary_shop_beside_a_cross_border_one_is_a_subject_of_its_own():
    _, mentions = read("跨境店的授权号跟普通店的授权号待遇一样吗")
    shops = [(m.value, m.denied, m.group) for m in mentions if m.dimension == "shop_type"]
    assert shops == [("cross_border", False, 1), ("cross_border", True, 2)]


@pytest.mark.parametrize(
    "text, after",
    [
        ("关完之后这个号能接着带别人家的货吗", True),
        ("店关了以后还受限制吗", True),
        ("我想把店关了，关店后还能带联盟的货吗", True),
        ("现在打算把店关了", False),  # closing planned, not the time after it
        ("关店要多久", False),
    ],
)
def test_the_time_after_the_shop_is_closed_is_read(text, after):
    assert after_closing(text) is after


@pytest.mark.parametrize(
    "text, closed",
    [
        ("我的企业店已经关了，号现在能带联盟吗", True),
        ("纠正一下，那个店早就关了", True),
        ("店已经关了吗", False),  # asked, not said
        ("打算把店关了", False),
    ],
)
def test_a_shop_said_to_be_closed_already_is_read(text, closed):
    assert closed_already(text) is closed


@pytest.mark.parametrize(
    "text, allowed, status",
    [
        ("所以跨境店就完全不受影响是吧", True, None),
        ("授权号以后只能卖本店的东西了对吧", False, None),
        ("个体店官方号橱窗还能挂联盟的对吧", True, None),
        ("他们厨窗里也加不了联盟的品了对吧 不光是直播", False, None),
        ("问下 跨境店的号不受这个只能挂本店商品的规定影响 是吧", True, None),
        ("是不是有些官方号根本没被限制", True, None),
        ("到12月底限制就取消了 是吧", True, None),
        ("是不是还在内测啊", None, Status.INTERNAL_TEST),
        ("现在已经全面生效了对吗", None, Status.IN_EFFECT),
        # a stage asked yes or no; a clause ending in 吧 before another question
        ("还在内测吗", None, Status.INTERNAL_TEST),
        ("现在还有哪类店铺的授权号没生效吗", None, Status.NOT_YET),
        ("那是刚上线的功能吧 过阵子就恢复了？", None, Status.INTERNAL_TEST),
        # the rule restated in other words, to have it confirmed
        ("换句话说以后橱窗里只能放本店商品了？", False, None),
        ("懂了，那就是每一场直播都只能上本店的？", False, None),
        ("意思就是跨境店随便带？", True, None),
        ("except cross-border shops, all official accounts can only add their own products, right?", False, None),
        # as the merchant understands it or heard it, with no tag
        ("我的理解是授权号连橱窗也不能放联盟的了", False, None),
        ("听隔壁商家说个体店的官方号还没开始限制", None, Status.NOT_YET),
        ("群里都在说授权号直播还能带联盟，真的假的", True, None),
        # a whole class said with 不管 and an exception after it, asked with 呗
        ("不管我们是什么店，只要号绑了店就不能卖别人的东西，跨境除外呗", False, None),
        # the exception alone is the subject: asked whether it is exempt
        ("跨境店除外吧", True, None),
        # what the merchant sees, asked whether it is normal
        ("直播中控台添加直播商品那里只能选到本店商品了，正常吗", False, None),
    ],
)
def test_a_claim_to_check_is_read_from_its_words(text, allowed, status):
    normal, mentions = read(text)
    assert asks_to_check(normal)
    (statement,) = read_statements(normal, mentions)
    assert (statement.claim.allowed, statement.claim.status) == (allowed, status)


@pytest.mark.parametrize(
    "text",
    [
        "旗舰店官方号能挂联盟吗",
        "为什么加不了别家的货",
        "授权号什么时候开始限制的",
        "个体店官方号橱窗还能挂联盟的吧",
        "我这号绑的是企业店，直播间加联盟商品是不是不行了",
        "短视频和橱窗我都试过加不了别人的货了，直播间是不是也一样？",
        "文档上写12月中旬才全部生效,那我们个体店的授权号现在是不是还能在直播间带别家货?",
    ],
)
def test_a_plain_question_states_nothing(text):
    """A can-question hoped aloud (「…还能挂联盟的吧」) or asked midway with a modal
    (「…是不是不行了」, 「…是不是也一样」 after 加不了) asks 能 or 不能, not 是的."""
    normal, mentions = read(text)
    assert read_statements(normal, mentions) == []


@pytest.mark.parametrize(
    "text", ["没绑任何店的达人号，带联盟商品有影响吗", "my account is not bound to any shop, am i affected?"]
)
def test_no_shop_at_all_is_not_every_shop(text):
    normal, mentions = read(text)
    assert not classes(normal, mentions)


@pytest.mark.parametrize(
    "text, claim",
    [
        # a date: the end of a year is its December's end; a date said with its year
        # wins over one quoted; a stage complete by a date (覆盖完) is not one begun then
        ("我们个体店 官方号这个只能挂自己货的规矩 是23年底开始的吧", Claim(when="2023年12月底", event=IN_EFFECT)),
        # a stage said with its date is an event then, not the stage now, unless now is said
        ("规则里说12月中旬全部生效 是说今年12月吗", Claim(when="今年12月", event=IN_EFFECT)),
        ("授权号11月就开始内测了吧，我们是专营店", Claim(when="11月", event=Status.INTERNAL_TEST)),
        ("内测是11月中下旬开始的吧", Claim(when="11月中下旬", event=Status.INTERNAL_TEST)),
        (
            "现在还在内测，12月中旬才全面生效吧",
            Claim(status=Status.INTERNAL_TEST, when="12月中旬", event=IN_EFFECT),
        ),
        ("之前不是说12月底覆盖所有账号嘛 现在应该早就覆盖完了吧", Claim(when="12月底", event=IN_EFFECT, by=True)),
        # closing the shop frees the account, or not: said of closing, not of adding now
        ("那我把这个个体店关掉 号就会自动跟店解绑 以后又能正常带别家的货了 是这个意思吧", Claim(closes=True)),
        ("现在号被绑着没法带别人家的货 就算关店也没用吧 号还是会被限制 对吧", Claim(closes=False)),
        # the showcase's list, not adding products; lifted by a date: allowed again
        ("这是新规则不再同步过去了 对不", Claim(synced=False)),
        ("也就是说直播里带过的联盟品不会再自动进橱窗了？", Claim(synced=False)),
        # 也是…吗 asks whether it is so
        ("旗舰店的官方号也是12月中旬才生效的吗", Claim(when="12月中旬", event=IN_EFFECT)),
        ("到12月底限制就取消了 是吧", Claim(allowed=True)),
        # a way around the rule says it can be done; 「刚上线」 is an early stage
        ("那我从选品广场那边加进橱窗 不就绕过去了嘛 是不是这样", Claim(allowed=True)),
        ("那是刚上线的功能吧", Claim(status=Status.INTERNAL_TEST)),
        (
            "quick check: our authorized account can now only add products from our own store, right?",
            Claim(allowed=False),
        ),
    ],
)
def test_what_a_statement_says_is_read_whole(text, claim):
    """Expected claims typed by hand; only the sentences that ask for a check state."""
    normal, mentions = read(text)
    (statement,) = read_statements(normal, mentions)
    assert statement.claim == claim


def test_only_the_sentences_that_ask_for_a_check_state_what_is_checked():
    normal, mentions = read("跨境店也不让带别家货了???是不是你们搞错了,我们明明是跨境的")
    assert read_statements(normal, mentions) == []


def test_a_stage_asked_midway_is_still_a_statement_to_check():
    normal, mentions = read("有的还能加联盟商品有的不行 是不是还在灰度")
    (statement,) = read_statements(normal, mentions)
    assert statement.claim.status is Status.INTERNAL_TEST


@pytest.mark.parametrize(
    "text",
    [
        "Heard the own-products-only rule is still in beta, right?",
        "official accounts can only add their own products, right?",  # the restriction, restated
    ],
)
def test_own_products_named_as_the_rule_are_not_asked_about(text):
    _, mentions = read(text)
    assert not any(m.dimension == "product_source" for m in mentions)


@pytest.mark.parametrize(
    "text, allowed, asked",
    [
        # being restricted, or only one's own allowed, asked midway: a claim, in its word
        ("跨境商家是不是也得只加本店商品？", False, "是"),
        ("开播前加品跟开播中临时加品 是不是都受这个限制", False, "是"),
        ("那种没绑定任何店铺的普通达人号 也会被限制吗？", False, "会"),
        ("跨境店就完全不受影响是吧", True, ""),
        # 「是…吗」 asks a yes or no too; what is said of a whole class is a claim
        ("现在是所有主播都不能带联盟了吗 还是只有跟店铺绑了的号", False, "是"),
        # subjects said to differ make a claim, whatever the modal
        ("是不是官方号不能带联盟 授权号还可以", None, "是"),
    ],
)
def test_a_restriction_asked_yes_or_no_is_a_claim_answered_in_its_word(text, allowed, asked):
    normal, mentions = read(text)
    found = read_statements(normal, mentions)
    assert found and {s.asked for s in found} == {asked}
    if allowed is not None:
        assert {s.claim.allowed for s in found} == {allowed}


def test_what_is_said_of_the_only_value_is_read_in_its_clause():
    normal, mentions = read("授权号是不是只有直播受限 橱窗短视频不受影响？")
    (statement,) = read_statements(normal, mentions)
    assert (statement.claim.allowed, statement.only, statement.only_value) == (False, "scene", "live_before")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("所有官方号授权号最后都会被管到吧", {"shop_type": False}),  # every account of two roles
        ("是不是不管啥类型的店 官方号授权号一律都不能带联盟了", {"shop_type": True}),  # shops said too
    ],
)
def test_a_class_every_account_of_a_role_implies_is_told_from_one_said(text, expected):
    normal, mentions = read(text)
    assert classes(normal, mentions) == expected


@pytest.mark.parametrize(
    "text", ["这个rule是不是all shop types都apply？", "是所有店鋪類型都適用嗎", "还有哪类店铺没生效吗"]
)
def test_a_class_is_read_beside_chinese_and_in_traditional_characters(text):
    normal, mentions = read(text)
    assert classes(normal, mentions) == {"shop_type": True}


def test_an_account_bound_to_the_shops_is_not_one_bound_to_none():
    _, mentions = read("一家个体店一家企业店 两家绑的号现在还能带联盟吗")
    assert any(m.value == "unbound" and m.denied for m in mentions)


def test_places_said_to_differ_are_checked_each():
    normal, mentions = read("专营店的授权号直播挂不了联盟这个我懂 但发短视频挂联盟商品还是ok的 我理解得对不对")
    apart = places_apart(normal, mentions)
    scenes = {m.value: m.group for m in apart if m.dimension == "scene"}
    assert scenes == {"live_before": 1, "short_video": 2}
    said = {s.group: s.claim.allowed for s in read_statements(normal, apart)}
    assert (said[1], said[2]) == (False, True)


def test_places_said_alike_stay_one_subject():
    normal, mentions = read("专营店的授权号直播和短视频都挂不了联盟了对吧")
    assert places_apart(normal, mentions) == mentions


def test_a_clause_opening_a_check_keeps_every_subject_and_what_is_said_of_each():
    # The story names the accounts; the check opens midway (是不是), and 「还可以」 says of
    # the second what the verb said before it allows.
    normal, mentions = read("我们专营店有一个官方号 还授权了三个达人号 是不是官方号不能带联盟 授权的那几个号还可以")
    roles = {m.group: m.value for m in mentions if m.dimension == "account_role" and not m.denied}
    said = {roles.get(s.group): s.claim.allowed for s in read_statements(normal, mentions)}
    assert said == {"official": False, "authorized": True}, said


@pytest.mark.parametrize("text, closes", [("那我关店行吗", True), ("关店要多久", None), ("那我关店吧", None)])
def test_whether_closing_works_asked_yes_or_no_is_a_claim_of_closing(text, closes):
    normal, mentions = read(text)
    said = read_statements(normal, mentions)
    assert (said[0].claim.closes if said else None) is closes


def test_places_said_to_differ_are_a_claim_whatever_the_sentence_ends_with():
    """「直播可以、橱窗不行？」 states two answers; a can-question asks one."""
    normal, mentions = read("所以我这个专营店的授权号，直播可以、橱窗不行？")
    apart = places_apart(normal, mentions)
    said = {
        m.value: s.claim.allowed
        for s in read_statements(normal, apart)
        for m in apart
        if m.group == s.group and m.dimension == "scene"
    }
    assert said == {"live_before": True, "showcase": False}
    normal, mentions = read("直播不能带了，那橱窗还能放吗")
    assert read_statements(normal, mentions) == []
