"""What a merchant states and asks to have checked (「跨境店就完全不受影响是吧」).

A message asks for a check when a sentence ends in a tag (是吧, 对吧, 对吗, 没错吧 …,
"right?") or opens with 是不是/是否, and states something. The statement is read from
its words' structure, not from known sentences: per subject (the `group` of its
mentions, mentions.subjects), whether others' products (or the products named) may be
added — a modal (能/可以/只能) or a negation before a verb and its object, or being
(not) affected; a stage of the restriction (内测, 全面生效, 还没开始) or a date; that
products carried in a live still reach the showcase (同步); that closing the shop frees
the account; a reason; something the source has no word for (a number, a lifting); and
「只有X」, which says the others are the opposite (`only`). No I/O, no Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Dict, List, Optional, Sequence, Tuple

from actions.policy.claims import Claim
from actions.policy.mentions import CHECKS, Mention, asking_sentence, exceptions_said
from actions.policy.model import Status

# A tag that asks to have a statement checked: at the end of any clause (「…对吧 不光是
# 直播」), or, for a bare particle (吧, 咯), at the end of the sentence only.
_CHECK_TAGS = (
    r"是吧|对吧|对吗|对么|对不对|对不|是不是(这样|这个意思)?|没错吧|没错吗|没错|是这样(吧|吗|的吧)?|"
    r"是(这个|这么个|这样的?)意思(吧|吗)?|是的吧|是么|理解(得|的)?(对|没错)(吗|吧)?|没理解错吧|\bright\b|\bcorrect\b|"
    r"\bisn'?t it\b|\bam i right\b|真的假的|(是)?真的(吗|么)|属实(吗|么)?|靠谱(吗|么)|"
    r"(是)?正常(的)?(吗|么|嘛|不)|\bis that (true|right)\b"
)
_TAG = re.compile(r"(" + _CHECK_TAGS + r"|吧|呗|咯|喽|啰|了没有?)[\s。？?！!~～.,，]*$")
_CLAUSE_TAG = re.compile(r"(" + _CHECK_TAGS + r")[\s。？?！!~～.,，]*$")
# 「是说今年12月吗」: a clause that asks what something said means, or restates it in
# other words to have it confirmed (「意思就是跨境店随便带？」, 「那就是每场都只能上本店的？」),
# as the merchant understands it (「我的理解是…」) or heard it (「听说…」); a sentence
# opening with 是不是 is mentions.CHECKS. 「…是不是还能带」: a statement asked midway.
_MEANING = re.compile(
    r"^(请问|所以|那|那么)?(是说|是指|指的是|意思(就)?是|也就是说|就是说|那就是|换句话说|换言之|简单(来)?说|"
    r"总(的来|而言之|之)说?|说白了(就是)?|照(你)?这么说|这么说(来)?|按(你|您)(的|这么)?说(的|法)?|"
    r"(我|我们)?(的)?理解(的|为|是|就是)+|(我|我们)?(听[^，,。？?]{0,8}?说|据说|传言|看到[^，,。？?]{0,4}?说|(有人|别人|大家|群里|网上)(都)?(在)?说))"
)
_MIDWAY = re.compile(
    r"是不是|是否|(?<![不还就要总但只正真倒可])是(?![不否的])(?=[^，,。？?！!\s]{2,}?(吗|么)(\s*还是|[\s？?。]*$))"
)
# The words a yes-or-no question is put with that the answer echoes (asked_with).
ASKED_WITH = ("会", "是")
# 「没绑店的号也会被限制吗」: whether a restriction will reach someone, asked as a yes or no.
_WILL = re.compile(r"会(不会)?(被|受(到)?)?[^，,。？?！!]{0,8}(限制|影响|限|管)(了)?(吗|么|嘛)?[\s。？?！!~～]*$")
# A sentence asked yes or no.
_ASKED = re.compile(r"(吗|么|嘛)[\s。？?！!~～]*$")
_SENTENCES = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")
_QUESTION_WORDS = re.compile(r"吗|么|嘛|呢|什么|啥|怎|哪|几|多少|谁|为何|能不能|可不可以|行不行")
_PARTS = re.compile(r"[，,、；;\s]+")
_CLAUSES = re.compile(r"[^，,。！？!?；;\n\s]+[，,。！？!?；;\n\s]*")

# A verb asked as 「A不A」 (会不会, 能不能, 受不受).
_A_NOT_A = re.compile(r"([会能受是要行])不\1")
# 「是所有主播都不能带联盟了吗」: what is said of a whole class is a claim, not a modal.
_ALL = re.compile(r"所有|全部|一律|全都|任何|不管|无论|不论|\ball\b|\bevery")
# 「直播间是不是也一样」: the same as something else, which states nothing of its own.
_SAME = re.compile(r"(也|都|同样)?(一样|也是这样)")
_VERB = r"(带|卖|加|添加|挂|上|放|销售|售卖|推|推广|上架|带货|卖货|出|[选搜找看]到)"
_NEGATED = r"(不能|不可以|不可|不让|不准|不许|不行|没法|无法|禁止|不支持|不再支持|不给|不再|别想)"
_ONLY_OWN = re.compile(
    r"只(能|可以|许|让|准|允许|有)?"
    + _VERB
    + r"?(自己|自家|本店|自营|店铺自己|自己店|自己家|店内)|\bonly\b[^,.;!?]{0,40}(\bown\b|本店)"
)
_CAN = re.compile(
    r"(?<![不只])(能|可以|可|还能|还可以|照样|照常|仍然|仍可|依然|正常|随便|继续|一样能|也能|都能)" + _VERB
)
# 「短视频挂联盟还是ok的」, 「授权的那几个号还可以」 (the verb said before it): allowed,
# said as a modal says it.
_FINE = re.compile(
    r"没问题|(?<![a-z])ok(?![a-z])|可以的|行的|(?<![不只])(还|也|都|就)(可以|能|行)[的吧啊呀吗]?\s*$|"
    r"(?<![不只才怎还也都就])(可以|行)[的啊呀]?[\s、，,。？?！!]*$"
)
_CANNOT = re.compile(_NEGATED + r"[^，,。；;]{0,2}" + _VERB + r"?|" + _VERB + r"(不了|不上|不进)")
_UNAFFECTED = re.compile(
    r"不受[^，,。；;]{0,8}?(影响|限制|约束|管)|不受(这条|此|该|规则)|(没|没有|不会|不)被(限制|限|管|约束|影响|拦)|没(有)?(影响|限制|关系)|不影响|不限制|不限(?!量)|不管(?![^，,。]{0,6}(是|什么|啥|哪|怎|多|谁))|无所谓|"
    r"没事|不用管|豁免|例外|除外|不算|不包括|不在(范围|限制)"
)
_AFFECTED = re.compile(
    r"(?<!不)受(影响|限制|约束|限|管)|(?<![没不])被(限制|限|管|约束|拦|卡)|(限制|约束|管控)(了|住|的)|也(受|要|得|一样|算|会被)|"
    r"一样(受|被|限)|都(受|被)|也是这样|也包括|包括在内|算在内"
)
# The rule named by what it says (「这个只能挂本店商品的规定」): a name, not a statement.
_RULE_NAME = re.compile(
    r"(这个|这条|该|此)?只(能|可以|许)?"
    + _VERB
    + r"?(自己|自家|本店|自营)[^，,。；;的]{0,6}的(规定|规则|规矩|限制|新规|政策|要求)"
)
_AROUND = re.compile(r"绕(过|开)|钻(个)?空子|曲线(救国)?|变通|\bwork ?around\b|\bget around\b")
_STATUSES = (
    (
        Status.INTERNAL_TEST,
        re.compile(
            r"(?<!不是|不在|结束)(内测|测试阶段|试点|试运行|灰度|小范围|部分账号|试水|抽查|刚上线|刚推出|新上线)"
        ),
    ),
    (Status.NOT_YET, re.compile(r"还没(有)?(开始|生效|执行|实施|上线|限制|落地)|没生效|未生效|尚未")),
    (
        Status.IN_EFFECT,
        re.compile(r"全面|全部(生效|覆盖|执行)|都生效|已经?生效|正式(生效|执行|实施|上线)|全量|一刀切|彻底|落地了"),
    ),
)
_NOW = re.compile(r"现在|目前|当前|还在|正在|仍在|依然|眼下|\bnow\b|\bcurrently\b")
_LIFTED = re.compile(r"取消|撤销|撤回|暂停|停了|放开了|放宽|恢复|废除|不限了|解除限制|松绑|叫停|停止执行|作废|下线了")
_DATE = re.compile(r"(\d{4}年|今年|去年|前年|明年)?\d{1,2}月(初|上旬|中下旬|中旬|下旬|底|末|份)?")
# 「23年底」, 「2023年底」: the end of that year's December.
_YEAR_END = re.compile(r"(?<!\d)(20)?(\d{2})年(底|末)")
_EVENTS = (
    (Status.INTERNAL_TEST, re.compile(r"内测|测试|试点|灰度")),
    (Status.IN_EFFECT, re.compile(r"生效|执行|实施|覆盖")),
)
# 「从11月开始的」: a start with no stage named is the restriction's.
_STARTED = re.compile(r"开始")
# A stage said to be complete by a date (「12月底覆盖完」), not to have happened then.
_BY = re.compile(r"覆盖(完|了)|完成|之前|以前|前(就|已)|为止")
_SYNCED = re.compile(
    r"(不会?再?|没有?|不再|无法|不能)?(再)?(自动)?(同步|带到|进到|进入|(?<![加放挂塞添上])进|出现在|显示在|回到)"
)
# Closing the shop, said to free the account or not (「就算关店也没用吧」).
_CLOSING = r"(关店|关了店|把[^，,。]{0,6}店?关(掉|了)?|注销(店|小店)?|关掉[^，,。]{0,4}店)"
# The time after the shop is closed (「关完之后」, 「店关了以后」): the account is then bound
# to no shop (六/Q3/答: 关店成功后账号会自动和店铺解绑).
_AFTER_CLOSING = re.compile(
    f"({_CLOSING}|(店铺|小店|店)(已经)?关(了|掉|完)|关(完|掉|了))" + r"[^，。,；;？?！!]{0,2}(之后|以后|后)"
)
# 「那个店早就关了」: the shop is closed already, so the account is bound to none.
_CLOSED_ALREADY = re.compile(r"(店铺|小店|店)(已经|早就|都)(关(了|掉了|闭了)|注销了)(?![吗么没])")
_CLOSES = re.compile(_CLOSING + r"[^，,。]{0,12}(解绑|不受|不限|就能|就可以|就行|没事|又能)")
# 「那我关店行吗」: whether the way out works, asked yes or no.
_CLOSING_ASKED = re.compile(_CLOSING + r"[^，,。]{0,4}(行吗|行不行|可以吗|可不可以|好吗|有用吗|管用吗)")
_CLOSES_NOT = re.compile(_CLOSING + r"[^，,。]{0,8}(没用|无用|白搭|不管用|还是会?被?(限制|限|管)|也不行|还是不行)")
_NUMBER = re.compile(r"\d+\s*(个|件|款|条|单|次)|(上限|最多|限)[^，,。]{0,4}\d+")
_REASON = re.compile(
    r"(是为了|为了|是因为|因为|目的是|原因是)(?P<reason>[^，,。？?！!]{2,30}?)(吧|吗|呢|对吧|是吧|咯)?[\s。？?！!]*$"
)
_ONLY = re.compile(r"(?<![不非])(只有|只在|仅在|仅有|仅|只是|只对|只限|只针对|光是|就只有|只)$")


@dataclass(frozen=True)
class Statement:
    """What a message states, per subject group (None: the whole message): the claim,
    the reason it gives, the input and the value said to be the only one (「只有X」),
    and the word it is asked with, which the answer's first word echoes (`asked_with`)."""

    group: Optional[int]
    claim: Claim
    reason: Optional[str] = None
    only: Optional[str] = None
    asked: str = ""
    only_value: Optional[str] = None


def asks_to_check(text: str, bare: bool = True) -> bool:
    """Whether a sentence of `text` opens with 是不是/是否 or ends in a tag, or a clause
    of it ends in a tag (「…对吧 不光是直播」) or opens with 是说; when `bare`, also a bare
    particle ending a clause (…吧), 是不是 inside a sentence (「跨境商家是不是也得…」) or a
    stage asked with 吗 (「还在内测吗」), which may put a can-question as a statement."""
    sentences = [s.strip() for s in _SENTENCES.findall(text) if s.strip()] or [text]
    clauses = [c.strip() for c in _CLAUSES.findall(text)]
    tagged = any(
        CHECKS.search(s) or _contrasted(s) or bare and (_MIDWAY.search(s) or _WILL.search(s) or _staged(s))
        for s in sentences
    )
    return tagged or any(_CLAUSE_TAG.search(c) or _MEANING.search(c) or bare and _TAG.search(c) for c in clauses)


def _contrasted(sentence: str) -> bool:
    """「直播可以、橱窗不行？」: parts of one sentence said to differ state what they say,
    whatever the sentence ends with (a can-question has one answer, not two)."""
    said = {_allowed(part) for part in _PARTS.split(sentence)} - {None}
    return len(said) == 2 and not _QUESTION_WORDS.search(sentence)


def _staged(sentence: str) -> bool:
    """「还在内测吗」, 「现在已经全面生效了吗」: a stage of the restriction asked yes or no."""
    return bool(_ASKED.search(sentence)) and any(words.search(sentence) for _, words in _STATUSES)


def places_apart(text: str, mentions: Sequence[Mention]) -> List[Mention]:
    """「直播挂不了联盟这个我懂 但短视频挂联盟还是ok的 我理解得对不对」: one subject whose
    places are said, clause by clause, to differ: each place becomes a subject of its own
    (its `group`), so each is checked against what is said of it."""
    start, end = asking_sentence(text)
    scenes = [m for m in mentions if m.dimension == "scene" and not m.denied]
    if any(m.group for m in mentions) or len(scenes) < 2 or not asks_to_check(text[start:end]):
        return list(mentions)
    bounds = [m.start for m in scenes[1:]] + [len(text)]
    said = [_allowed(text[m.start : stop]) for m, stop in zip(scenes, bounds, strict=True)]
    if None in said or len(set(said)) < 2:
        return list(mentions)
    groups = {id(m): index for index, m in enumerate(scenes, 1)}
    return [replace(m, group=groups[id(m)]) if id(m) in groups else m for m in mentions]


def read_statements(text: str, mentions: Sequence[Mention]) -> List[Statement]:
    """The statements of a text whose question (the asking sentence of a long message,
    mentions.asking_sentence) asks to have them checked; empty otherwise."""
    for begin, stop in exceptions_said(text, mentions):
        text = text[:begin] + "\0" * (stop - begin) + text[stop:]
    start, end = asking_sentence(text)
    if not asks_to_check(text[start:end]):
        # 「那我关店行吗」 checks that closing the shop frees the account.
        return [Statement(None, Claim(closes=True))] if _CLOSING_ASKED.search(text[start:end]) else []
    # 「短视频还能带联盟货吧？」: whether one may, hoped aloud or asked midway, is a
    # can-question (能/不能); a restriction asked so (「跨境店是不是也只能带自己店的」)
    # is a claim, answered in its own word (不是).
    hoped = not asks_to_check(text[start:end], bare=False)
    asked = asked_with(text[start:end])
    # What is stated is said in the sentences that ask to have it checked: 「跨境店也不让
    # 带别家货了？是不是你们搞错了」 asks whether the assistant is wrong, not the rule.
    checked = [m.span() for m in _SENTENCES.finditer(text) if asks_to_check(m.group())]
    first, last = (checked[0][0], checked[-1][1]) if checked else (start, end)
    midway = _MIDWAY.search(text, first, last) if hoped else None
    if midway:
        # 「文档上写12月中旬才全部生效，那…现在是不是还能带别家货」: what follows 是不是 is
        # what is asked; what comes before it is what the merchant read.
        first = midway.end()
    spans = {
        group: (max(begin, first), min(stop, last))
        for group, (begin, stop) in _spans(text, mentions).items()
        if max(begin, first) < min(stop, last) or group is None
    }
    read = {
        group: _statement(text, begin, stop, [m for m in mentions if m.group == group], group)
        for group, (begin, stop) in spans.items()
    }
    stated = [(said, text[begin:stop]) for g, (begin, stop) in spans.items() for said in [read[g]] if said]
    if hoped and len({said.claim for said, _ in stated}) <= 1 and all(_modal(said, words) for said, words in stated):
        return []
    found: List[Statement] = []
    for position, group in enumerate(spans):
        # 「旗舰店和个体店的授权号都只能卖本店的吧」: what is stated once, after the
        # subjects, is stated of each of them.
        said = read[group] or next((read[g] for g in list(spans)[position + 1 :] if read[g]), None)
        if said is not None:
            found.append(replace(said, group=group, asked=asked))
    return found


def asked_with(text: str) -> str:
    """The word a yes-or-no question is put with, for the answer to echo: 会 (「也会被
    限制吗」 → 不会), 是 (「是不是只有直播受限」 → 不是), or "" (对吧, 吧 → 是的/不对)."""
    sentences = [s.strip() for s in _SENTENCES.findall(text) if s.strip()] or [text]
    if any(_WILL.search(s) for s in sentences):
        return "会"
    if any(CHECKS.search(s) or _MIDWAY.search(s) or _staged(s) for s in sentences):
        return "是"
    return ""


def _modal(said: Statement, words: str) -> bool:
    """Whether a statement says only whether one may add products, with a modal (「还能
    带吧」, 「是不是不行了」) or by likeness (「直播间是不是也一样」): asked so, it is a
    can-question. Being restricted or only allowed one's own (「是不是也受影响」, 「是不是
    只能带自己店的」) is a claim."""
    if said.claim != Claim(allowed=said.claim.allowed) or said.reason or said.only or _ALL.search(words):
        return False
    words = _SAME.sub("", words)
    restricted = _ONLY_OWN.search(words) or _UNAFFECTED.search(words) or _AFFECTED.search(words)
    return bool(_CAN.search(words) or _CANNOT.search(words) or _FINE.search(words)) or not restricted


def _spans(text: str, mentions: Sequence[Mention]) -> Dict[Optional[int], Tuple[int, int]]:
    """Where each subject group is said: from its first mention to the next group's."""
    starts: Dict[Optional[int], int] = {}
    for m in mentions:
        starts.setdefault(m.group, m.start)
    if set(starts) <= {None}:
        return {None: (0, len(text))}
    ordered = sorted(starts.items(), key=lambda item: item[1])
    bounds = [0, *(start for _, start in ordered[1:]), len(text)]
    return {group: (bounds[i], bounds[i + 1]) for i, (group, _) in enumerate(ordered)}


def _statement(text: str, start: int, end: int, mine: Sequence[Mention], group: Optional[int]) -> Optional[Statement]:
    # 「会不会被限制」 asks whether it will be (会), and states no 不会.
    said = _A_NOT_A.sub(r"\1", _RULE_NAME.sub("这条规则", text[start:end]))
    reason = _REASON.search(said)
    lifted, date = bool(_LIFTED.search(said)), _date(said)
    if lifted and date:
        # 「到12月底限制就取消了」: lifted by a date, so products may be added again.
        claim = Claim(allowed=True, beyond=bool(_NUMBER.search(said)))
    else:
        synced, closes = _synced(said), _closes(said)
        claim = Claim(
            # 「不会再同步到橱窗了」 is said of the showcase's list, 「关店后就又能带了」 of
            # closing the shop: neither of adding products now.
            allowed=_allowed(said) if synced is None and closes is None else None,
            # 「授权号11月就开始内测了吧」: a stage said with its date is an event then, not
            # the stage now (「现在还在内测，12月中旬才全面生效吧」 says both).
            status=next((status for status, words in _STATUSES if words.search(said)), None)
            if not date or _NOW.search(said)
            else None,
            when=date,
            event=_event(said, date) if date else None,
            by=bool(date and _BY.search(said)),
            synced=synced,
            closes=closes,
            beyond=lifted or bool(_NUMBER.search(said)),
        )
    only = next((m for m in mine if not m.denied and _ONLY.search(text[start : m.start])), None)
    if only is not None:
        # 「只有直播受限 橱窗短视频不受影响」: what is said of the only value is in its clause.
        clause = _CLAUSES.match(text, only.start)
        allowed = _allowed(clause.group()) if clause else None
        claim = claim if allowed is None else replace(claim, allowed=allowed)
    if claim.empty and not reason:
        return None
    return Statement(
        group,
        claim,
        reason.group("reason") if reason else None,
        only.dimension if only else None,
        only_value=only.value if only else None,
    )


def _allowed(said: str) -> Optional[bool]:
    """Whether the products the clause is about (others' unless it names the shop's
    own: 「本店的也不能卖了」) may be added, as it states; a way around the rule (「绕过
    去」) says they may."""
    if _AROUND.search(said):
        return True
    if _ONLY_OWN.search(said):
        return False
    if _UNAFFECTED.search(said):
        return True
    if _CANNOT.search(said) or _AFFECTED.search(said):
        return False
    if _CAN.search(said) or _FINE.search(said):
        return True
    return None


def after_closing(text: str) -> bool:
    """Whether `text` asks of the time after the merchant's shop is closed."""
    return bool(_AFTER_CLOSING.search(text))


def closed_already(text: str) -> bool:
    """Whether `text` says the merchant's shop is closed already."""
    return bool(_CLOSED_ALREADY.search(text))


def _closes(said: str) -> Optional[bool]:
    if _CLOSES_NOT.search(said):
        return False
    return True if _CLOSES.search(said) else None


def _date(said: str) -> Optional[str]:
    """The date stated: one said with its year (「是说今年12月吗」) over one quoted; the
    end of a year (「23年底」) is its December's end."""
    found = sorted(_DATE.finditer(said), key=lambda match: match.group(1) is None)
    if found:
        return found[0].group(0)
    year_end = _YEAR_END.search(said)
    return f"20{year_end.group(2)}年12月底" if year_end else None


def _event(said: str, date: str) -> Optional[Status]:
    """The stage said to happen at `date`: the one named nearest after it, else nearest
    before it (「现在还在内测，12月中旬才全面生效吧」: 全面生效 at 12月中旬; 「内测是11月
    中下旬开始的」), else a start (开始)."""
    at = said.find(date)
    found = [(m.start() < at, abs(m.start() - at), status) for status, words in _EVENTS for m in words.finditer(said)]
    if found:
        return min(found, key=lambda named: named[:2])[2]
    return Status.IN_EFFECT if _STARTED.search(said) else None


def _synced(said: str) -> Optional[bool]:
    match = _SYNCED.search(said)
    if not match or "同步" not in said and "橱窗" not in said:
        return None
    return not match.group(1)
