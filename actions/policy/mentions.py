"""What a merchant's message says about them: the values it names, denies or corrects.

`read_mentions` takes the names the NLU found in a normalised text (words.py), adds the
vocabulary's descriptive patterns (「授权给主播的号」), and decides for each value whether
the merchant claims it:

- a value under 不是/没/非/并非 … in the same clause is denied (「不是跨境店」);
- after a correction (不对, 应该是, 其实是 …) the value named after it wins;
- of the shop types or roles a message names, those in the sentence that asks the
  question are the merchant's (a story may name others: 「群里说旗舰店早就限制了」);
- a merchant who says they have no shop is describing themselves: the roles they name
  beside it are the rule's (「我没开店，官方号是不是只能卖本店商品」); a cross-border shop
  of any kind is a cross-border shop (「跨境的专营店」);
- a value denied and then claimed is claimed (「不是旗舰店的官方号，是旗舰店的授权号」);
- a value the merchant wishes for, or to leave, is not what they ask about
  (「变回普通达人号」, 「退出授权」); a shop type or role of someone else is not theirs
  (「别人家的官方号还在带」), unless it is an exemption set against theirs (「隔壁跨境店的号
  就可以」): then it is a subject of its own;
- 「只能卖本店商品」 restates the restriction, so it does not ask about own products;
  a message naming both own and others' products asks about the others';
- a description that excludes a value (`ruled_out_by`: 「我们店的主播号」 is an account of
  the shop) denies it without claiming another;
- several subjects (「旗舰店的号和个体店的号」) are told apart by the words that join
  them: each mention gets the `group` of its subject (`subjects`);
- a class (「所有类型的店」, 「哪些账号」) asks about every value of an input (`classes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Collection, Dict, Iterable, List, Optional, Sequence, Tuple

from actions.policy.model import Policy

_CLAUSE_END = re.compile(r"[，。,.;；!！?？\n]")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")
_CLAUSE = re.compile(r"[^，,。！？!?；;\n\s]+[，,。！？!?；;\n\s]*")
_ASKING = re.compile(
    r"[吗呢？?]|怎么|为什么|为啥|咋|如何|能不能|可不可以|可以不|行不行|能否|是否|是不是|有没有|"
    r"多少|几|哪|什么|啥|请问|求助|办法"
)
_DENIED = re.compile(
    r"(?<!是)(不是|并不是|并非|不属于|不算|而非|非|没有|没|未|不在|不用|不)"
    r"(在|用|是|做|开|属于)?(店铺|店|我们|咱们|我|自己)?(的|个|一个)?$|"
    r"(?<![a-z])(not|isn'?t|aren'?t|never)\s+(a\s+|an\s+|the\s+)?$"
)
_DENIES_PHRASE = re.compile(r"((?<!是)不是|并不是|并非|不属于)[^，,。;；!?！？]{0,6}$")
_WISHED = re.compile(r"(变回|变成|改成|转成|换成|成为|想当|想做|申请成|退出|取消|解除)$")
_SOMEONE_ELSES = re.compile(
    r"(别人|别家|人家|其他|其它|隔壁|同行|对手|朋友|同事)(家)?(开了|开的|开)?(的|个|一个|一家|那个|这些)?['’\s]*$|"
    r"\bothers?\b[^,.;!?]{0,12}$"
)
# 「除了跨境店，其他店…」, "apart from cross-border shops, all…": an exception, then the
# rest of the class, in the same sentence; 「…都只能加本店商品，跨境店除外」: an exception
# said after its value. 删除, 清除 and 除外 do not open one.
_EXCEPTING = re.compile(
    r"(?<![删清排解免切剔扫根革开])除(了|去|开)?(?![外法])|\b(except|besides|apart from|other than)\b"
)
_EXCEPT = re.compile(r"(除了|除去|除开|除)$|\b(except( for)?|besides|apart from|other than)\s+$")
_SAID_BEFORE = 4  # characters said of the rest before an exception named after its value
_EXCEPTED_AFTER = re.compile(r"(的|商家|店铺|店|类)?\s*(除外|例外|不算在内|不在其中)")
_SENTENCE_START = re.compile(r"[。！？!?；;\n]")
_REST = re.compile(r"[^。！？!?；;\n]*?(其他|其它|别的|其余|剩下|以外|之外|都|全|一律|\bothers?\b|\ball\b|\bevery)")
_CORRECTION = re.compile(r"不对|错了|说错|搞错|更正|纠正|改一下|改成|应该是|其实是|准确(地)?说")
_RESTATED = re.compile(
    r"((只|仅)(能|可以|让|允许|许|有)?(添加|加|卖|带|上|挂|放|销售|售卖|[选搜找看]到)?(的)?|"
    r"\bonly\s+(添加|加|卖|带|上|挂|放|销售|add|sell|carry|list)?\s*(their|our|my|its|the)?\s*)$"
)
# Inputs a merchant has one value of: a later correction replaces an earlier value.
_SINGLE = ("shop_type", "account_role")
# Words that join two subjects (「旗舰店的号和个体店的号」, 「官方号跟授权号」).
_JOINS = re.compile(r"和|跟|与|及|还有|以及|或者|或是|还是|、|，|,|/|另一个|另外|\band\b|\bor\b|\bvs\b")
# Between two subjects a space joins too (「冲着旗舰店来的吧 专营店专卖店…」); between a
# qualifier and its shop it does not ("cross-border 旗舰店").
_SUBJECT_JOINS = re.compile(_JOINS.pattern + r"|\s|[？?！!。；;]")
# 「一个绑了企业店 一个没绑任何店」, 「一家旗舰店一家跨境店」: each named in turn.
_IN_TURN = re.compile(r"(一个|一家|另一个|另一家|另外|第二个|第二家|还有(一)?(个|家))[^，,。]{0,8}$")
# A class: every value of an input (「所有类型的店」, 「不管什么号」, 「哪些场景」), or
# some of them (「有些官方号」), which asks about them all.
_EVERY = (
    r"(所有|全部|任何|一切|各种|各类|各个|各家|每种|每类|每个|每家|每一种|凡是|哪些|哪几种|哪几类|哪类|哪种|有些|有的|部分|"
    r"不管(是)?(什么|哪种|哪类|哪个|啥)?|无论(是)?(什么|哪种|哪类|哪个)?|(?<![a-z])(all|any|every)(?![a-z]))"
    r"(的|类型的|种类的|种|类)?"
)
_HEADS = {
    "shop_type": r"(店铺类型|店铺|店|商家|小店|类型|人|shop|store|merchant)",
    "account_role": r"(账号|帐号|号|账户|身份|人|主播|达人|account|creator)",
    "scene": r"(场景|地方|渠道|入口|位置|页面|scene|place)",
}
_CLASSES = {name: re.compile(_EVERY + r"(?P<named>[^，。？?！!,]{0,4}?)" + head) for name, head in _HEADS.items()}


@dataclass(frozen=True)
class Mention:
    """A value of an input named in a text at [start, end); `denied` when the merchant
    says it is not theirs."""

    dimension: str
    value: str
    start: int
    end: int
    denied: bool = False
    group: Optional[int] = None


def read_mentions(text: str, found: Sequence[Mention], policy: Policy) -> List[Mention]:
    """The mentions of `text`: `found` plus the patterns, each judged claimed or denied,
    in the order said; superseded and restating mentions are left out."""
    mentions = _all_mentions(text, found, policy)
    bare = _without(text, mentions)
    mentions = [
        replace(m, denied=_is_denied(bare, m) or _excepted(bare, m))
        for m in mentions
        if _whose(text, m, mentions, policy) == _THEIRS
    ]
    mentions = sorted([*mentions, *_ruled_out(text, mentions, policy)], key=lambda m: m.start)
    questions = [m for m in _SENTENCE.finditer(text) if _QUESTION_END.search(m.group())]
    # 「…还授权了三个达人号 是不是官方号不能带联盟 授权的那几个号还可以」: a clause that
    # opens a check names, with the rest, all it is about.
    checks = any(CHECKS.search(m.group().strip()) for parts in (_SENTENCE, _CLAUSE) for m in parts.finditer(text))
    # 「旗舰店官方号…能带联盟吗？跨境店的呢」: several questions, each of its own subject;
    # 「是不是只有官方号受限 授权号不受？」: a statement to check names all it is about.
    for parts in (_SENTENCE, _CLAUSE) if len(questions) < 2 and not checks else ():
        mentions = _asked_about(text, mentions, asking_sentence(text, parts))
    mentions = _reclaimed(_corrected(text, mentions))
    unbound = policy.unbound_roles
    described = _self_described(_qualified(text, mentions, policy), unbound)
    return subjects(text, _products(text, described, policy), unbound)


def someone_elses(text: str, found: Sequence[Mention], policy: Policy) -> List[Mention]:
    """The shop types and roles `text` names as someone else's (「隔壁家的官方号」): not the
    merchant's, but what the message is about."""
    mentions = _all_mentions(text, found, policy)
    return [m for m in mentions if _whose(text, m, mentions, policy) == _ELSES]


def _all_mentions(text: str, found: Sequence[Mention], policy: Policy) -> List[Mention]:
    return sorted([*found, *_patterns(text, found, policy)], key=lambda m: m.start)


def _without(text: str, mentions: Sequence[Mention]) -> str:
    """`text` with every mention blanked, so a denial reaches over the names between it
    and a value (「不是旗舰店的官方号」 denies the official account too)."""
    chars = list(text)
    for m in mentions:
        chars[m.start : m.end] = ["\0"] * (m.end - m.start)
    return "".join(chars)


def asking_sentence(text: str, parts: "re.Pattern[str]" = _SENTENCE) -> Tuple[int, int]:
    """Where in `text` the last sentence (or clause) that asks something is: the
    question of a long message, after its story (the whole text when none asks)."""
    sentences = [(m.start(), m.end()) for m in parts.finditer(text)]
    asking = [span for span in sentences if _ASKING.search(text[span[0] : span[1]])]
    return asking[-1] if asking else (0, len(text))


def claimed(mentions: Iterable[Mention], dimension: str) -> List[str]:
    """The values of one input the merchant claims, in the order said, once each."""
    return list(dict.fromkeys(m.value for m in mentions if m.dimension == dimension and not m.denied))


def is_denied_at(text: str, start: int) -> bool:
    """Whether a phrase starting at `start` stands under a denial, which for a phrase
    reaches a few words back (「不是达人收款用的那种」)."""
    before = _clause_before(text, Mention("", "", start, start))
    return _is_denied(text, Mention("", "", start, start)) or bool(_DENIES_PHRASE.search(before))


def denied(mentions: Iterable[Mention], dimension: str) -> List[str]:
    """The values of one input the merchant says are not theirs."""
    return list(dict.fromkeys(m.value for m in mentions if m.dimension == dimension and m.denied))


def _patterns(text: str, found: Sequence[Mention], policy: Policy) -> List[Mention]:
    """Descriptions the vocabulary's patterns match, where no name of the same input was found."""
    added: List[Mention] = []
    for dimension, values in policy.vocabulary.items():
        for value in values.values():
            for pattern in value.patterns:
                for match in pattern.finditer(text):
                    mention = Mention(dimension, value.id, match.start(), match.end())
                    if not any(_overlap(mention, other) for other in [*found, *added] if other.dimension == dimension):
                        added.append(mention)
    return added


def _ruled_out(text: str, found: Sequence[Mention], policy: Policy) -> List[Mention]:
    """Values a description excludes (`ruled_out_by`), unless a name of the same input
    was found there or the description stands under a denial."""
    ruled: List[Mention] = []
    for dimension, values in policy.vocabulary.items():
        for value in values.values():
            for pattern in value.ruled_out_by:
                for match in pattern.finditer(text):
                    mention = Mention(dimension, value.id, match.start(), match.end(), denied=True)
                    named = any(_overlap(mention, m) for m in found if m.dimension == dimension)
                    if not named and not is_denied_at(text, match.start()):
                        ruled.append(mention)
    return ruled


def subjects(text: str, mentions: List[Mention], unbound: Collection[str] = ()) -> List[Mention]:
    """Mentions with the `group` of the subject they belong to, when the text names
    several subjects: a shop type or role other than the current subject's, joined to it
    by 和/跟/、/，…, starts the next one (「旗舰店的号和个体店的号」), as does one named in
    turn (「一个…一个…」) or a shop, which an account bound to no shop (a role in
    `unbound`) cannot have (「我的号没绑店 我老婆的号是她个体店的官方号」). Places and products name what is
    asked of a subject, not who it is: 「橱窗和短视频」 is one subject's."""
    groups: List[Dict[str, Mention]] = [{}]
    placed: List[Tuple[Mention, int]] = []
    previous_end = 0
    for m in mentions:
        current = groups[-1]
        between = text[previous_end : m.start]
        joined = bool(_SUBJECT_JOINS.search(between))
        other = m.dimension in current and current[m.dimension].value != m.value
        in_turn = bool(current) and bool(_IN_TURN.search(between))
        # An account bound to no shop has no shop type: the two are two subjects.
        shop, role = m.dimension == "shop_type", _role(current)
        apart = shop and role in unbound or m.value in unbound and "shop_type" in current
        # 「跨境店的授权号跟普通店的授权号」: a value ruled out beside the same value claimed.
        unlike = m.denied and m.dimension in current and current[m.dimension].value == m.value
        if m.dimension in _SINGLE and (
            not m.denied and (other and joined or in_turn or apart and joined) or unlike and joined
        ):
            groups.append({})
        if not m.denied:
            groups[-1][m.dimension] = m
        placed.append((m, len(groups)))
        previous_end = max(previous_end, m.end)
    if len(groups) == 1:
        return list(mentions)
    return [replace(m, group=index) for m, index in placed]


def _role(group: Dict[str, Mention]) -> Optional[str]:
    return group["account_role"].value if "account_role" in group else None


def classes(text: str, mentions: Sequence[Mention]) -> Dict[str, bool]:
    """The inputs the questions of a text ask about for every value (「所有类型的店」,
    「哪些号」, 「管哪些人」), each with whether the words name that input itself; a story
    around them (「从来没开过任何小店」) names no class. 「所有官方号」 names one role: the
    class is every shop's, so of shop types, implied rather than said (False)."""
    found: Dict[str, bool] = {}
    questions = [m.span() for m in _SENTENCE.finditer(text) if _QUESTION_END.search(m.group())]
    asking = list(dict.fromkeys([*questions, asking_sentence(text)]))
    for dimension, pattern in _CLASSES.items():
        for match in (found_ for start, end in asking for found_ in pattern.finditer(text, start, end)):
            named = [m for m in mentions if match.start("named") <= m.start < match.end() and not m.denied]
            own = dimension == "account_role" and any(
                m.dimension == dimension and not m.denied and m not in named for m in mentions
            )
            if dimension == "account_role" and any(m.dimension == "account_role" for m in named):
                found["shop_type"] = found.get("shop_type", False)
            elif not any(m.dimension == dimension for m in named) and not own and not _negated(text, match.start()):
                # 「朋友说所有抖音号都…，可我没绑过任何店」: the merchant's own account
                # names whom they ask about; the class is what others said.
                found[dimension] = True
    return found


# Own products named as the rule's content: "own-products-only rule", 「本店商品 only」.
_ONLY_AFTER = re.compile(r"\s*-?\s*only\b", re.IGNORECASE)
# A sentence that puts a statement as a yes-or-no question: 「是不是只有官方号受限…」.
CHECKS = re.compile(r"^(请问)?(所以|那|那么)?(是不是|是否|是吗)")
# A sentence put as a question (「哪些场景受影响？」), not a story that has a 几 in it.
_QUESTION_END = re.compile(r"([吗呢么？?]|没有?)[\s。？?！!~～]*$")
# 「没绑任何店」, "not bound to any shop": no shop at all, not every shop.
_NO_ANY = re.compile(r"(没|没有|未|无|从没|\bnot\b|n't\b|\bno\b)[^，,。？?!！]{0,12}$")


def _negated(text: str, start: int) -> bool:
    return is_denied_at(text, start) or bool(_NO_ANY.search(text[max(0, start - 16) : start]))


def _overlap(one: Mention, other: Mention) -> bool:
    return one.start < other.end and other.start < one.end


def _clause_before(text: str, mention: Mention) -> str:
    before = text[: mention.start]
    ends = [m.end() for m in _CLAUSE_END.finditer(before)]
    return before[ends[-1] :] if ends else before


def _is_denied(text: str, mention: Mention) -> bool:
    before = _clause_before(text, mention).replace("\0", "")
    return bool(_DENIED.search(before)) and not before.endswith(("是不是", "是否"))


def _excepted(text: str, mention: Mention) -> bool:
    """Whether a value is the exception of a class the sentence goes on to name
    (「除了跨境店，其他店的官方号都…」) or has named (「…，跨境店除外」): not whom it
    asks about."""
    before, after = text[: mention.start].replace("\0", ""), text[mention.end :].replace("\0", "")
    # 「跨境店除外吧」 alone asks whether the shop is exempt; after what is said of the rest, it
    # is the exception.
    said_before = len(_SENTENCE_START.split(before)[-1].strip()) >= _SAID_BEFORE
    return bool(_EXCEPT.search(before) and _REST.match(after) or said_before and _EXCEPTED_AFTER.match(after))


def exceptions_said(text: str, mentions: Sequence[Mention]) -> List[Tuple[int, int]]:
    """Where an exception is said after its value (「…，跨境店除外」): what it says is
    of the exception, not of the subject."""
    found = (m for m in mentions if m.denied)
    return [(m.start, match.end()) for m in found for match in [_EXCEPTED_AFTER.match(text, m.end)] if match]


_THEIRS, _WISHED_FOR, _ELSES = "theirs", "wished", "elses"


def _whose(text: str, mention: Mention, mentions: Sequence[Mention], policy: Policy) -> str:
    """Whether a mention is the merchant's (`_THEIRS`), wished for or left, or someone
    else's (see the module docstring)."""
    before = _clause_before(text, mention)
    if _WISHED.search(before):
        return _WISHED_FOR
    # 「一个是别人家跨境店授权的」: someone else's, named in turn, is a subject of its own;
    # so is someone else's exemption set against the merchant's case (「我们旗舰店不能带
    # 隔壁跨境店的号就可以」): the rule deciding it apart is what tells them apart.
    exemption = mention.value in {*policy.exempt_shop_types, *policy.unbound_roles}
    if exemption and _set_against(mention, mentions) or mention.dimension not in _SINGLE:
        return _THEIRS
    # 「除了跨境店，其他店的官方号」: the rest of a class, not someone else's.
    rest = _EXCEPTING.search(_SENTENCE_START.split(text[: mention.start])[-1])
    return _ELSES if _SOMEONE_ELSES.search(before) and not _IN_TURN.search(before) and not rest else _THEIRS


def _someone_elses(text: str, mention: Mention) -> bool:
    return bool(_SOMEONE_ELSES.search(_clause_before(text, mention)))


def _set_against(mention: Mention, mentions: Sequence[Mention]) -> bool:
    """Whether another value of the same input is named beside `mention`."""
    return any(m.dimension == mention.dimension and m.value != mention.value for m in mentions)


def _corrected(text: str, mentions: List[Mention]) -> List[Mention]:
    """For an input with one value, drop what a correction later in the text replaced."""
    corrections = [m.end() for m in _CORRECTION.finditer(text)]
    if not corrections:
        return mentions
    last = corrections[-1]
    replaced = {
        dimension
        for dimension in _SINGLE
        if any(m.dimension == dimension and not m.denied and m.start >= last for m in mentions)
    }
    return [m for m in mentions if not (m.dimension in replaced and not m.denied and m.start < last)]


def _reclaimed(mentions: List[Mention]) -> List[Mention]:
    """A value denied and then claimed (「不是旗舰店的官方号，是旗舰店的授权号」) is claimed."""
    last = {(m.dimension, m.value): m.denied for m in mentions}
    return [m for m in mentions if not (m.denied and last[(m.dimension, m.value)] is False)]


def _qualified(text: str, mentions: List[Mention], policy: Policy) -> List[Mention]:
    """A shop type exempt whatever the role (跨境店) qualifies the others named beside
    it: 「跨境的专营店」, "cross-border 旗舰店" are cross-border shops; 「跨境店和专卖店」
    are two shops."""
    exempt = policy.exempt_shop_types
    shops = [m for m in mentions if m.dimension == "shop_type" and not m.denied]
    qualifiers = [m for m in shops if m.value in exempt]
    qualified = [
        m
        for m in shops
        if m.value not in exempt
        and any(q.start < m.start and _QUALIFIES.match(_between(text, q, m)) for q in qualifiers)
    ]
    return [m for m in mentions if m not in qualified]


# What stands between two subjects listed together: a join word in a few characters.
_LISTED = re.compile(r"^[^，,。？?！!；;]{0,6}(和|跟|与|还有|以及)[^，,。？?！!；;]{0,6}$")
# What stands between a qualifier and the shop it qualifies: 「跨境的专营店」, "cross-border 旗舰店".
_QUALIFIES = re.compile(r"\s*(的|类|类型的|那种)?\s*$")


def _between(text: str, one: Mention, other: Mention) -> str:
    first, second = sorted((one, other), key=lambda m: m.start)
    return text[first.end : second.start]


def _asked_about(text: str, mentions: List[Mention], sentence: Tuple[int, int]) -> List[Mention]:
    """Of several values claimed for a shop type or role, those in the asking sentence,
    unless the others are listed with them (「旗舰店的授权号 跟跨境店的官方号呢」) or set
    against someone else's there (「我们旗舰店不能带 隔壁跨境店的号就可以」)."""
    start, end = sentence
    kept = list(mentions)
    for dimension in _SINGLE:
        mine = [m for m in mentions if m.dimension == dimension and not m.denied]
        inside = [m for m in mine if start <= m.start < end]
        before = [m for m in mine if m.start < start]
        listed = bool(before and inside and _LISTED.match(text[before[-1].end : inside[0].start]))
        listed = listed or any(_someone_elses(text, m) for m in inside)
        if len({m.value for m in mine}) > 1 and inside and not listed:
            kept = [m for m in kept if m not in mine or m in inside]
    return kept


def _self_described(mentions: List[Mention], unbound: Collection[str]) -> List[Mention]:
    """A role that no shop binds wins over the other roles (「我没开过店…官方号只能卖本店
    商品，那我呢」: the official account is the rule's, not the merchant's), but for one
    with a shop between them, another account's (「号也解绑了 另一个号是企业店的官方号」)."""
    roles = [m for m in mentions if m.dimension == "account_role" and not m.denied]
    free = [m for m in roles if m.value in unbound]
    shops = [m.start for m in mentions if m.dimension == "shop_type" and not m.denied]

    def apart(role: Mention) -> bool:
        return any(min(f.start, role.start) < shop < max(f.start, role.start) for f in free for shop in shops)

    return [m for m in mentions if m not in roles or not free or m.value in unbound or apart(m)]


def _products(text: str, mentions: List[Mention], policy: Policy) -> List[Mention]:
    """Own products stated as the restriction (只能卖本店商品), or beside others' products,
    are not what the merchant asks about."""
    unrestricted = policy.unrestricted_products
    others = any(m.dimension == "product_source" and not m.denied and m.value not in unrestricted for m in mentions)

    def restating(m: Mention) -> bool:
        own = m.dimension == "product_source" and m.value in unrestricted and not m.denied
        named = bool(_ONLY_AFTER.match(text, m.end))  # "the own-products-only rule"
        return own and (others or named or bool(_RESTATED.search(_clause_before(text, m))))

    return [m for m in mentions if not restating(m)]
