"""What a merchant's message asks and says, read from the NLU's parse.

One reading serves the chat (actions.actions) and the agent console (channels): the
questions asked, the main one first; the values of the engine's inputs the merchant
claims and denies, per subject when they name several (entity groups); the inputs asked
about for every value (a class); what they ask to have checked (claims); the platform
errors they pasted; whether they report being blocked; whether they speak of their own
case, follow up on the last answer or correct a fact. `profile` merges them with what
was known before. A message that carries facts of the rule is a question about the rule
even when the intent classifier is unsure. No Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from actions.answers import DEFAULT_QUESTION, TOPICS
from actions.policy import PROFILE, Policy, UnknownValueError, normalise
from actions.policy.claims import Claim, decode
from actions.policy.model import ErrorMessage
from actions.policy.statements import ASKED_WITH, after_closing, closed_already

FALLBACK, OUT_OF_SCOPE, INFORM = "nlu_fallback", "out_of_scope", "inform_profile"
# Entities the NLU adds beside the engine's inputs (components/merchant_facts.py).
DENIED, QUESTION, ERROR, BLOCKED, EACH, CLAIM = "denied", "question", "error", "blocked", "each", "claim"
ELSES = "others"  # the role of someone else's shop type or role
IMPLIED = "implied"  # the role of a class the words imply
# Chit-chat: answered as such only when the message carries nothing about the rule.
SMALL_TALK = ("greet", "thank", "goodbye", "affirm", "deny", "bot_challenge")
# Whether subjects or places compare: 「这俩号规则一样吗」, 「开播前和开播中有区别吗」.
_COMPARES = re.compile(
    r"(?<!也)(一样|相同|一回事)(的)?(吗|么|嘛|不|？|\?)|(区别|不同|差别|差异)(吗|么|嘛|？|\?)|有(什么|啥)?(区别|不同|差别)|"
    r"同时(开始|生效|限制|执行|上线|被限)"
)
# 「生效时间一样吗」: a comparison of when, not of what may be done.
_OF_TIMES = re.compile(r"(时间|日期|时候|时点|节奏)[^，。？?,]{0,3}(一样|相同|一致|区别|不同|差别)")
# A support agent quoting the merchant: 「客户追问：咋整」.
_QUOTED = re.compile(r"^(客户|顾客|商家|用户|买家)(追问|又问|问|说|反馈)?\s*[:：]\s*")
# The rule named by what it says or as 「这个规定」: a question about it is about the rule.
_RULE_NAMED = re.compile(
    r"只(能|可以|许)?(挂|带|加|卖|添加|上)?(自己|自家|本店)|(这个|这条|该|此)(规定|规则|新规|限制|政策)|豁免"
)
# The merchant speaks of their own account or shop.
_OWN = re.compile(r"我|咱|俺|本店|自己|自家|\bmy\b|\bour\b|\bwe\b|\bi\b|\bi'm\b")
# A follow-up read against the last answer: short, and opening with 那/那么/那要是…,
# closing with 呢, adding with 也…吗, or nothing but a question word.
_FOLLOW_UP = re.compile(
    r"^(那|那么|那要是|那如果|如果是|要是|换成|换做|那换|and|then|what about|how about)|"
    r"呢[\s？?。!！~]*$|也[^，。,]{0,6}(吗|么|不)[\s？?。]*$|"
    r"^(为什么|为啥|凭啥|凭什么|怎么办|咋办|咋整|怎么弄|怎么处理|然后呢|从哪天算|从什么时候|什么时候|几号|在哪|在哪里|哪里弄|哪里|why|how|when|where)"
    r"[^，。,]{0,6}[\s？?。!！]*$"
)
FOLLOW_UP_LENGTH = 16
# A correction of a fact told before (「不对，是个体店」, "oh wait, it's …").
_CORRECTS = re.compile(
    r"不对|错了|说错|搞错|弄错|更正|纠正|改一下|应该是|其实是|准确(地)?说|\bi meant\b|\bactually\b|"
    r"\boh wait\b|\bsorry\b|\bcorrection\b|\bnot\b.{1,30}\bbut\b|\bwrong\b|\bmistake\b"
)
# Intent confidence below which the assistant offers the other likely questions too.
SURE = 0.7
# A question the classifier ranks at least this high is taken as the one asked, when
# the message carries facts but no intent was sure.
LIKELY = 0.3
PASTED_ERROR, VERDICT, CREATOR = "report_error_message", "ask_why_cannot_add", "ask_keep_selling_as_creator"
OTHERS, QUOTA, BEYOND, WHO = "ask_why_others_still_sell", "ask_limit_quota", "ask_beyond_source", "ask_who_is_affected"
WHERE, ERROR_LOCATION, FUTURE = "ask_where_to_operate", "ask_error_location", "ask_rule_future"
REASON = "ask_rule_reason"
SAME_TIME = "同时"  # how a comparison of when subjects were restricted is asked
# The merchant restates the rule (「…只能卖本店商品了对吧」): not the question when
# another is asked.
_RESTATED = re.compile(
    r"对吧|是吧|对不对|是不是这样|没错吧|我理解|我了解|我知道|知道了|我懂|明白了|看过了|\bok\b|"
    r"只(能|可以|让)(卖|放|加|添加|带|挂|上)?(本店|自己|自家)|"
    r"(?<![能可])不(能|让|可以)(卖|带|加|挂|放)(别人|别家|其他|联盟|非本店)"
)
# The merchant asks why (English and Cantonese arrive as 为什么): a verdict then gives
# the reason (「怎么回事，是不是系统出问题了」).
_WHY = re.compile(r"为什么|为啥|为何|凭什么|凭啥|怎么回事|咋回事|怎么突然|咋突然|how come")
# The merchant rules out the source's way out for a creator (关店): what they ask instead
# (「不想关店 有没有办法只解绑」) is beyond the source.
_NO_CLOSING = re.compile(r"(不想|不愿|不打算|不准备|不能|没法|不要)[^，。,；;]{0,3}(关店|关掉|关了|注销)")
# Who the merchant is.
WHO_INPUTS = ("shop_type", "account_role")
# Facts that make an unsure message a question about the rule on their own; a shop type
# or a scene alone does not (「旗舰店的物流」, 「直播间的美颜」).
_WEAK = ("shop_type", "scene")

Values = Dict[str, Tuple[str, ...]]


@dataclass(frozen=True)
class Statement:
    """What the merchant asks to have checked of one subject: the claim, the reason
    they give, the input and the value they say is the only one (「只有官方号」), the
    word they ask it with (statements.asked_with)."""

    claim: Claim
    reason: Optional[str] = None
    only: Optional[str] = None
    asked: str = ""
    only_value: Optional[str] = None


@dataclass(frozen=True)
class Understanding:
    """One message, understood."""

    intent: Optional[str]
    confidence: float
    questions: Tuple[str, ...] = ()
    worded: Tuple[str, ...] = ()
    claimed: Values = field(default_factory=dict)
    denied: Values = field(default_factory=dict)
    others: Values = field(default_factory=dict)  # someone else's (「隔壁家的官方号」)
    product_source: Optional[str] = None
    errors: Tuple[ErrorMessage, ...] = ()
    blocked: bool = False
    likely: Tuple[str, ...] = ()
    groups: Tuple[Values, ...] = ()
    each: Tuple[str, ...] = ()
    implied: Tuple[str, ...] = ()  # classes the words imply (「所有官方号」: every shop type)
    claims: Mapping[Optional[int], Statement] = field(default_factory=dict)
    own: bool = False
    rule_named: bool = False
    compares: str = ""
    follows_up: bool = False
    corrects: bool = False
    closed: bool = False  # asked of the time after the shop is closed: the account is unbound
    why: bool = False  # the words ask why
    following: bool = False
    disowned: Tuple[str, ...] = ()  # questions of a story the merchant says is not theirs

    @property
    def sure(self) -> bool:
        return self.intent in TOPICS and self.confidence >= SURE

    @property
    def guessed(self) -> bool:
        """Whether the question was guessed: the classifier was unsure of it (a message
        of facts answering a waiting question is not a guess)."""
        return self.intent == FALLBACK or self.intent in TOPICS and not self.sure

    def about_the_rule(self, asks: bool) -> bool:
        """Whether the message carries facts of the rule: a role (the merchant's or
        someone else's: 「隔壁家的官方号怎么还在带」), whose products, a pasted error, being
        blocked; or a shop type with a scene or the rule named (「跨境店需要改成只挂本店商品吗」);
        or one of them in a message that asks something (`asks`) the classifier did not
        call out of scope. 「旗舰店的物流」 and 「把“欢迎来到直播间”翻译成日语」 are not about the rule."""
        named = {name for said in (self.claimed, self.denied, self.others) for name, values in said.items() if values}
        weak = named & set(_WEAK)
        strong = named - set(_WEAK) or self.product_source or self.errors or self.blocked or weak and self.rule_named
        weak = weak or self.rule_named
        return bool(strong or len(named) > 1 or (weak and asks and self.intent != OUT_OF_SCOPE))


def understand(
    parse: Mapping[str, Any], policy: Policy, pending: Optional[str] = None, answered: bool = False
) -> Understanding:
    """The questions and facts of a parsed message (Rasa's parse data); `pending` is a
    question still waiting for an input, or answered last, which a message of facts or
    a follow-up (「那短视频呢」) is read against; `answered`: an answer was given before."""
    entities = [e for e in parse.get("entities") or [] if isinstance(e, dict)]
    intent = parse.get("intent") or {}
    ranking = [
        (str(i.get("name")), float(i.get("confidence") or 0.0))
        for i in parse.get("intent_ranking") or []
        if isinstance(i, dict) and i.get("name") != FALLBACK
    ]
    name = intent.get("name")
    spoken = [e for e in entities if e.get("entity") == QUESTION]
    text = str(parse.get("text") or "")
    statements = _statements(entities)
    reasons = _reasons_given(text, statements)
    worded = [  # the merchant's own, in order
        str(e.get("value")) for e in spoken if e.get("role") != DENIED and not _checked_as_a_reason(e, reasons)
    ]
    said = set(worded)
    if name == FALLBACK and ranking and ranking[0][0] == OUT_OF_SCOPE:
        name = OUT_OF_SCOPE
    claimed, denied = (_values(entities, PROFILE, policy, role) for role in (None, DENIED))
    # 「关了店以后号就能随便带了？」 states what closing does: it is checked of the
    # account as it is now, bound to the shop.
    said_of_closing = any(said.claim.closes is not None for said in statements.values())
    closed = after_closing(text) and not said_of_closing
    if (closed or closed_already(text)) and not claimed.get("account_role"):
        # After the shop is closed the account is unbound, whatever else the words deny.
        claimed = {**claimed, "account_role": policy.unbound_roles}
        denied = {name: values for name, values in denied.items() if name != "account_role"}
    sources = _values(entities, ("product_source",), policy)
    found = {str(e.get("value")) for e in entities if e.get("entity") == ERROR}
    cues = [q for q in worded if q in TOPICS]
    disowned = tuple(str(e.get("value")) for e in spoken if e.get("role") == DENIED)
    compares = _compared(text)
    understood = Understanding(
        intent=name,
        confidence=float(intent.get("confidence") or 0.0),
        claimed=claimed,
        denied=denied,
        others=_values(entities, PROFILE, policy, ELSES),
        product_source=(sources.get("product_source") or (None,))[-1],
        errors=tuple(error for key, error in policy.errors.items() if key in found),
        blocked=any(e.get("entity") == BLOCKED and not _asked_whether(text, e) for e in entities),
        likely=tuple(q for q, _ in ranking if q in TOPICS and q != name)[:3],
        groups=_groups(entities, policy),
        each=tuple(dict.fromkeys(str(e.get("value")) for e in entities if e.get("entity") == EACH)),
        implied=tuple(str(e.get("value")) for e in entities if e.get("entity") == EACH and e.get("role") == IMPLIED),
        # 「是不是同时开始限制的」: the comparison of times is what is checked, by the dates.
        claims=statements if compares != SAME_TIME else {},
        own=bool(_OWN.search(text)),
        rule_named=bool(_RULE_NAMED.search(text)),
        compares=compares,
        follows_up=len(text) <= FOLLOW_UP_LENGTH and bool(_FOLLOW_UP.search(_QUOTED.sub("", text.strip()))),
        corrects=bool(_CORRECTS.search(text)),
        closed=closed,
        why=bool(_WHY.search(text)),
        disowned=disowned,
    )
    following = answered and (understood.follows_up or understood.corrects) and pending in TOPICS
    if name in SMALL_TALK and (understood.about_the_rule(True) or following):
        # 「谢谢，那橱窗呢」, 「再见…对了旗舰店能带吗」: chit-chat never wins over the rule.
        understood = replace(understood, intent=FALLBACK, following=following)
    else:
        understood = replace(understood, following=following)
    if OUT_OF_SCOPE in said and not understood.about_the_rule(False) and understood.intent not in cues:
        # 「帮我们新签的达人想几个昵称」: a service the assistant does not give.
        understood = replace(understood, intent=OUT_OF_SCOPE)
    elif _unsupported(understood, cues):
        # 「台北到高雄的高铁票多少钱」: a question the classifier guessed from a word or
        # two, with no fact of the rule and none of the words that ask it.
        understood = replace(understood, intent=FALLBACK)
    asked = _asked(understood, ranking, cues, str(parse.get("text") or ""), pending)
    return replace(understood, questions=asked, worded=tuple(cues))


def _groups(entities: List[Dict[str, Any]], policy: Policy) -> Tuple[Values, ...]:
    """The values claimed of each subject, when the message names several (the
    entities' `group`): inputs named in one group only hold for every group."""
    numbers = sorted(
        {int(e["group"]) for e in entities if isinstance(e.get("group"), int) and e.get("entity") in PROFILE}
    )
    if len(numbers) < 2:
        return ()
    per_group = [_values([e for e in entities if e.get("group") == n], PROFILE, policy) for n in numbers]
    shared = {
        name: values
        for name in PROFILE
        for values in [tuple(dict.fromkeys(v for g in per_group for v in g.get(name, ())))]
        if sum(bool(g.get(name)) for g in per_group) == 1
    }
    grouped = tuple({**shared, **{k: v for k, v in g.items() if k not in shared}} for g in per_group)
    # 「一个绑了企业店 一个没绑任何店」: sharing would make the subjects one again.
    return grouped if len({tuple(sorted(g.items())) for g in grouped}) > 1 else tuple(per_group)


def _statements(entities: List[Dict[str, Any]]) -> Dict[Optional[int], Statement]:
    """The claims of the message, per subject group (None: the whole message)."""
    parts: Dict[Optional[int], Dict[str, str]] = {}
    for e in entities:
        if e.get("entity") == CLAIM and e.get("role"):
            group = e.get("group") if isinstance(e.get("group"), int) else None
            parts.setdefault(group, {})[str(e["role"])] = str(e.get("value"))
    return {
        group: Statement(
            decode(said),
            said.get("reason"),
            said.get("only") if said.get("only") in PROFILE else None,
            said.get("asked") if said.get("asked") in ASKED_WITH else "",
            said.get("only_value"),
        )
        for group, said in parts.items()
    }


# The end of a clause that asks whether (「都不能带联盟了吗」), not reports, what it says.
_ASKED_WHETHER = re.compile(r"^[^，,。！!；;\n]{0,12}?(吗|(?<![怎什那多这])么|嘛|[？?])")


def _asked_whether(text: str, entity: Mapping[str, Any]) -> bool:
    """Whether a phrase (「不能带」) stands in a clause that asks if it is so."""
    end = entity.get("end")
    return isinstance(end, int) and bool(_ASKED_WHETHER.search(text[end:]))


def _compared(text: str) -> str:
    """How the message asks to compare: 「区别」 (is there a difference), 「一样」 (are they
    the same), 「一回事」 (is it one thing), or "" when it does not."""
    match = _COMPARES.search(text)
    if not match:
        return ""
    said = match.group()
    if "同时" in said or _OF_TIMES.search(text):
        return SAME_TIME
    return "一回事" if "一回事" in said else "区别" if re.search(r"区别|不同|差别|差异", said) else "一样"


def _unsupported(understood: Understanding, cues: List[str]) -> bool:
    """An unsure intent (any for the quota) of a question its words name
    (asked_by_words), without those words and without any fact of the rule."""
    intent = understood.intent
    if intent not in TOPICS or intent in cues or not TOPICS[intent].asked_by_words:
        return False
    # The quota's note goes only to a question of how many products may be added: a
    # sure classifier does not make 「高铁票多少钱」 one.
    return (intent == QUOTA or not understood.sure) and not understood.about_the_rule(True)


def profile(
    understood: Understanding,
    known: Mapping[str, Sequence[str]],
    ruled_out: Mapping[str, Sequence[str]],
    policy: Policy,
) -> Tuple[Values, Values]:
    """(claimed, denied) values of the profile inputs after this message: what it says
    replaces what was known; a shop type said now replaces an account known to be bound
    to no shop (which has none); a denied value stays ruled out until claimed again;
    pasted errors name the scenes they appear in."""
    claimed: Values = {}
    denied: Values = {}
    if understood.claimed.get("shop_type") and not understood.claimed.get("account_role"):
        known = {**known, "account_role": [r for r in known.get("account_role") or () if r not in policy.unbound_roles]}
    for name in PROFILE:
        said = understood.claimed.get(name, ())
        no = set(understood.denied.get(name, ()))
        claimed[name] = tuple(v for v in (said or tuple(known.get(name) or ())) if v not in no)
        kept = [v for v in ruled_out.get(name) or () if v not in said]
        denied[name] = tuple(dict.fromkeys([*kept, *understood.denied.get(name, ())]))
    if understood.errors and not understood.claimed.get("scene"):
        claimed["scene"] = tuple(s.id for s in policy.scenes.values() if s.error in understood.errors)
    return claimed, denied


def _values(
    entities: List[Dict[str, Any]], inputs: Sequence[str], policy: Policy, role: Optional[str] = None
) -> Values:
    """The values of `inputs` the entities of `role` name (None: the merchant's own),
    canonical, in the order said."""
    found: Dict[str, List[str]] = {}
    for entity in sorted(entities, key=lambda e: e.get("start") or 0):
        name = str(entity.get("entity"))
        if name not in inputs or entity.get("role") != role:
            continue
        try:
            value = normalise(name, str(entity.get("value")), policy)
        except UnknownValueError:
            continue
        values = found.setdefault(name, [])
        if value not in values:
            values.append(value)
    return {k: tuple(v) for k, v in found.items()}


def _asked(
    understood: Understanding, ranking: List[Tuple[str, float]], cues: List[str], text: str, pending: Optional[str]
) -> Tuple[str, ...]:
    """The questions a message asks, the main one first; further questions only beside
    a main one. Each rule below says which example it is for."""
    main = _main(understood, ranking, cues, pending)
    if main in understood.disowned:
        # 「不是达人收款用的那种，官方号能不能挂别家货」: not the story's question, whatever
        # the classifier makes of its words; what else is asked.
        main = next((q for q in cues if q != main), VERDICT)
    if not main:
        return ()
    asked = list(dict.fromkeys([main, *cues]))
    unsure = not understood.sure
    general = not TOPICS[main].view and not TOPICS[main].suggests_topics
    said_who = any(understood.claimed.get(name) or understood.denied.get(name) for name in WHO_INPUTS)
    own_kind = main in (BEYOND, ERROR_LOCATION, CREATOR, PASTED_ERROR)
    own_verdict = VERDICT in cues and not own_kind and said_who
    if VERDICT in cues and not own_kind and (said_who or general and unsure):
        # 「我们专卖店的授权号…还能带联盟货吧」: a merchant who says who they are and asks
        # whether they may is asking for their verdict first (the dates, the reason or
        # the paths after it); so is an unsure one asking about the rule in general.
        asked = _first(VERDICT, asked)
    scenes_named = bool(understood.claimed.get("scene"))
    named = [q for q in cues if (TOPICS[q].asked_by_words or q == WHERE and scenes_named) and q != main]
    if unsure and named and not TOPICS[main].asked_by_words and not (own_verdict and main == VERDICT):
        # 「别人能带我不能带 这是在搞灰度吗」, 「短视频和橱窗的商品分别在哪加」, 「授权号又不是
        # 官方号，凭啥也被管」: an unsure classifier's question comes after the one the
        # words name.
        asked = _first(named[0], asked)
    if FUTURE in cues and main in (VERDICT, WHO):
        # 「那跨境店以后会不会也被限制」: the words ask what the rule will become; what
        # it is today after.
        asked = _first(FUTURE, asked)
    if main == BEYOND and BEYOND not in cues and understood.claims:
        # 「官方号跟授权号应该是一个待遇吧 都只能挂本店的货 对吧」: a statement of the
        # rule's to check, not something beyond it.
        asked = _first(VERDICT, [q for q in asked if q != BEYOND])
    facts = said_who or understood.product_source or understood.claimed.get("scene")
    if main == BEYOND and BEYOND not in cues and VERDICT in cues and facts:
        # 「我们做全球购的 授权号短视频带别人家的品受影响不」: the merchant's own case is
        # asked, not something beyond the source.
        asked = _first(VERDICT, [q for q in asked if q != BEYOND])
    guessed = unsure or main == QUOTA  # the quota's note only for how many may be added
    if main in (OTHERS, CREATOR, QUOTA) and guessed and main not in cues and (understood.blocked or VERDICT in cues):
        # 「为什么突然不能带别人家的商品了」, 「不是达人收款用的那种，官方号能不能挂别家货」,
        # 「有几个达人…还能挂别家的货吗」: the classifier's question without its words,
        # beside a verdict's: the verdict is asked.
        asked = _first(PASTED_ERROR if understood.blocked else VERDICT, [q for q in asked if q != main])
    if CREATOR in cues and main in (VERDICT, PASTED_ERROR):
        # 「店只是收款用的…想继续带别人的货」: the creator's question; the verdict after.
        asked = _first(CREATOR, asked)
    if asked[0] == CREATOR and _NO_CLOSING.search(text):
        # 「不想关店 有没有办法只把官方号和店铺解绑」: the way out ruled out, the rest is
        # beyond the source; what it does say follows.
        asked = _first(BEYOND, asked)
    if len(understood.groups) > 1 and VERDICT in cues and asked[0] == CREATOR:
        # 「一家个体店一家企业店…个体店是为了收款开的…两家绑的号还能带联盟吗」: several
        # subjects get each their verdict first; the creator's way out after.
        asked = _first(VERDICT, asked)
    if BEYOND in cues and asked[0] in (CREATOR, VERDICT, PASTED_ERROR):
        # 「企业店想关店，但是店里还有售后订单，能关吗」, 「授权取消掉，那个号是不是就能…」:
        # what lies beyond the source first; what it does say follows.
        asked = [BEYOND, asked[0]]
    if understood.blocked:
        # 「橱窗加不了联盟商品」: blocked, so restricted: the verdict needs no profile.
        asked = [PASTED_ERROR if q == VERDICT else q for q in asked]
    if understood.errors:
        asked = [ERROR_LOCATION if q == WHERE else q for q in asked]
    if ERROR_LOCATION in asked:
        # Where an error appears first; a pasted error needs no verdict beside it.
        verdicts = [] if understood.errors else [q for q in asked if q in (PASTED_ERROR, VERDICT)]
        asked = [q for q in asked if q not in (PASTED_ERROR, VERDICT)] + verdicts
    if _RESTATED.search(text) and any(q not in (VERDICT, PASTED_ERROR) for q in asked):
        # 「…只能卖本店商品了对吧，这个从哪天开始的」: the restated rule is no question; asked
        # why (「为什么不能带联盟了，去哪里改」), its reason is.
        instead = [REASON] if understood.why else []
        asked = [r for q in asked for r in (instead if q in (VERDICT, PASTED_ERROR) else [q])]
    if any(said.reason for said in understood.claims.values()) and set(asked) <= {VERDICT, PASTED_ERROR}:
        # 「不能带联盟是因为我们违规了吗」: a reason given to check is answered with the
        # source's (one about the rollout, 「是分批放开的吧」, by the rollout's).
        asked = [*asked, REASON]
    return tuple(dict.fromkeys(asked))


def _reasons_given(text: str, statements: Mapping[Optional[int], Statement]) -> List[Tuple[int, int]]:
    """Where the reasons the merchant gives stand in `text` (「是因为我们违规了吗」)."""
    reasons = [said.reason for said in statements.values() if said.reason]
    return [(start, start + len(reason)) for reason in reasons for start in [text.find(reason)] if start >= 0]


def _checked_as_a_reason(cue: Mapping[str, Any], reasons: List[Tuple[int, int]]) -> bool:
    """Whether a question beyond the source is worded inside a reason the merchant gives
    (违规 in 「是因为我们违规了吗」): the reason is checked as a claim, and the check says
    when the source does not tell."""
    start = cue.get("start")
    return cue.get("value") == BEYOND and isinstance(start, int) and any(a <= start < b for a, b in reasons)


def _first(question: str, asked: List[str]) -> List[str]:
    return [question, *(q for q in asked if q != question)]


def _main(
    understood: Understanding, ranking: List[Tuple[str, float]], cues: List[str], pending: Optional[str]
) -> Optional[str]:
    """The main question: the intent's; else, for a message about the rule, the question
    it answers facts for (the one waiting, or after an answer the merchant's verdict),
    the one it asks by its words, or the likeliest one."""
    intent = understood.intent
    named = any(understood.claimed.values()) or understood.product_source
    if understood.following and named and not cues and not understood.why and pending in TOPICS:
        # 「百应app里的橱窗管理呢」 after a verdict: a fact and no question word asks the
        # last question again of that fact, whatever the classifier makes of the fact.
        return pending
    if intent in TOPICS:
        return str(intent)
    if understood.following and understood.why and not cues and not understood.corrects:
        # 「为什么」 after an answer: the reason of what was answered.
        return REASON
    if understood.following and pending in TOPICS:
        # 「那怎么办」, "oh wait, it's an individual store": read against the last answer.
        return pending
    if BEYOND in cues and (intent == FALLBACK or intent == OUT_OF_SCOPE and understood.rule_named):
        # 「快手那边是不是也出了一样的规定」, 「虚拟类目有没有单独的豁免」: a near question
        # of the rule the notice does not cover, even when the classifier calls it out of scope.
        return BEYOND
    if understood.claims and intent in (FALLBACK, INFORM):
        # 「跨境店是不是也一样 只能带自己店的东西」: a statement to check asks the verdict.
        return VERDICT
    if understood.each and understood.rule_named and intent != OUT_OF_SCOPE and BEYOND not in cues:
        # 「这个限制是所有店铺类型都适用吗」, 「哪几类店铺的号要受这个限制」: a class the rule
        # is asked of, whom it binds.
        return WHO
    if understood.why and intent == FALLBACK and not cues and ranking[:1] and ranking[0][0] == REASON:
        # "Why did Douyin introduce this rule?": the words ask why and the unsure
        # classifier's likeliest question is the reason.
        return REASON
    answering = pending in TOPICS and intent in (FALLBACK, INFORM)
    alone = next((q for q in cues if TOPICS[q].asked_by_words), None)
    if intent == FALLBACK and alone and not understood.about_the_rule(True):
        # 「别人能带我不能带 这是在搞灰度吗」: the words name the question, no fact needed.
        return alone
    if intent not in (FALLBACK, OUT_OF_SCOPE, INFORM) or not understood.about_the_rule(bool(cues) or answering):
        return None
    facts_only = not (cues or understood.product_source or understood.errors or understood.blocked)
    if facts_only and intent != OUT_OF_SCOPE and pending in TOPICS:
        return pending if TOPICS[pending].view else DEFAULT_QUESTION
    if facts_only and intent == INFORM:
        # A fact before any question (「我们店是专营店」) is noted; the topics are offered.
        return None
    best = next((q for q, confidence in ranking if q in TOPICS and confidence >= LIKELY), None)
    return best or (cues[0] if cues else PASTED_ERROR if understood.errors or understood.blocked else DEFAULT_QUESTION)
