"""The pieces every answer is made of, each a line with the source clauses it rests on.

A `Situation` holds decisions that all show the same answer to the question asked (the
engine made sure of that): a piece speaks for all of them at once, e.g. 「直播间、橱窗、
短视频都只能添加本店商品」. Several situations answer one question when the merchant asks
about several subjects or a class: each is then named (`name`) on a line of its own.
Dates are told as of the decisions' date: what has happened in the past tense, what is
ahead as 「预计…」.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, Iterable, List, Optional, Set, Tuple

from actions.policy import PROFILE, Candidates, Decision, Policy, Status
from actions.policy.claims import Claim
from actions.policy.model import Coverage, ErrorMessage, Scene, Text

ARROW = " › "


@dataclass(frozen=True)
class Line:
    """One sentence of an answer and the source clauses it rests on; lines of the same
    `kind` say the same thing (the full explanation's timeline replaces the short one)."""

    text: str
    clauses: Tuple[str, ...] = ()
    kind: str = ""


Lines = Tuple[Line, ...]


@dataclass(frozen=True)
class Situation:
    """What an answer may rely on: the decisions still possible, all alike in what the
    question's answer shows; the error messages the merchant pasted; whether it is the
    merchant's own case; what they state of it."""

    policy: Policy
    decisions: Tuple[Decision, ...]
    possible: Candidates
    errors: Tuple[ErrorMessage, ...] = ()
    own: bool = True
    claim: Optional[Claim] = None
    reason: Optional[str] = None
    spared: Tuple[Decision, ...] = ()
    closed: bool = False  # asked of the time after the shop is closed
    why: bool = False  # the merchant asks why

    @property
    def decision(self) -> Decision:
        """A decision that speaks for all of them."""
        return self.decisions[0]

    def values(self, name: str) -> Tuple[str, ...]:
        """The values of a profile input among the decisions, in vocabulary order."""
        present = {d.facts[name] for d in self.decisions}
        return tuple(v for v in self.policy.values(name) if v in present)

    def known(self, name: str) -> Optional[str]:
        """The input's value when the merchant may have only one."""
        values = self.values(name)
        return values[0] if len(values) == 1 else None

    @property
    def told(self) -> bool:
        """Whether the merchant said anything that narrows who they are."""
        return any(len(self.possible[name]) < len(self.policy.values(name)) for name in PROFILE)

    @property
    def scenes(self) -> Tuple[Scene, ...]:
        return tuple(self.policy.scenes[s] for s in self.values("scene"))

    @property
    def exempt(self) -> bool:
        """Whether the rule does not bind any of these accounts at all."""
        return self.decision.exemption is not None and self.decision.allowed is True

    @property
    def uniform(self) -> bool:
        """Whether every decision says the same 能/不能 (with the same status, when
        restricted): the first then speaks for all."""
        if self.decision.status is None or len({d.allowed for d in self.decisions}) > 1:
            return False
        return self.decision.allowed is True or len({d.status for d in self.decisions}) == 1


def conclusion(s: Situation) -> Line:
    """能/不能 first, for this merchant's shop, account and scenes."""
    d = s.decision
    if d.exemption and s.closed:
        # 「关完之后这个号能接着带别人家的货吗」: closing is what unbinds the account.
        fix = s.policy.quoted.close_shop
        return Line(f"能。{fix.text}。", merge(fix.clauses, d.clauses), "conclusion")
    if d.exemption:
        line = exempt(s)
        return replace(line, text=f"能。{line.text}")
    who, where = subject(s), places(s)
    if d.status is Status.NOT_AFFECTED:
        return Line(
            f"能。这条规则只限制非本店商品，本店商品不受影响，{who}在{where}可以正常添加。", d.clauses, "conclusion"
        )
    stage = d.timeline.stages[0] if d.timeline else None
    if d.status is Status.NOT_YET and stage:
        return Line(f"目前还能。{who}的限制还没有开始（{stage.told(d.as_of)}）。", stage.clauses, "conclusion")
    clauses = _rule_clauses(s)
    if d.status is Status.INTERNAL_TEST:
        text = f"可能已经不能。针对{who}的限制正在内测，您的账号可能已被覆盖；覆盖后在{where}只能添加本店商品。"
        return Line(text, clauses, "conclusion")
    return Line(f"不能。{who}在{where}只能添加本店商品，不能添加{refused(s)}。", clauses, "conclusion")


def refused(s: Situation) -> str:
    """What the merchant asked to add and may not: the product source's name
    (「精选联盟商品」), so that 不能 answers the question as it was put."""
    source = s.decision.facts["product_source"] or s.policy.default_product_source
    return s.policy.label("product_source", source)


def exempt(s: Situation) -> Line:
    """An exemption said as the fact it is, the answer to whom the rule binds
    (「跨境店不受这条规则限制。」); a verdict says 能 before it."""
    return Line(f"{_exemption(s)}。", s.decision.clauses, "conclusion")


def brief(s: Situation) -> Line:
    """The verdict of one of several cases, on a line that names it: 「个体店的授权号：
    不能，在直播间只能添加本店商品。」"""
    d = s.decision
    if d.entry and d.entry.brief and d.allowed is True:
        return Line(f"能。{name(s)}{d.entry.brief}。", d.clauses, "conclusion")
    if d.status is Status.NOT_AFFECTED:
        return Line(f"{name(s)}：能，本店商品不受这条规则限制。", d.clauses, "conclusion")
    word = {Status.NOT_YET: "目前还能", Status.INTERNAL_TEST: "可能已经不能"}.get(d.status or Status.IN_EFFECT, "不能")
    return Line(f"{name(s)}：{word}，在{places(s)}只能添加本店商品。", _rule_clauses(s), "conclusion")


def alike(s: Situation) -> Line:
    """The verdict of several subjects the answer is the same for, said once: 「都不能。
    旗舰店和个体店的授权号在橱窗只能添加本店商品。」"""
    d = s.decision
    if d.allowed is True or d.status is not Status.IN_EFFECT:
        return brief(s)
    return Line(f"都不能。{name(s)}在{places(s)}只能添加本店商品。", _rule_clauses(s), "conclusion")


def subject(s: Situation) -> str:
    """Whose answer it is: 「您旗舰店的授权号」 for the merchant's own case, or the name
    of the accounts it holds for."""
    if not s.own:
        return name(s)
    shop = s.known("shop_type")
    said = s.values("account_role")
    every = set(said) == set(s.policy.values("account_role"))
    roles = "账号" if every else "或".join(s.policy.label("account_role", r) for r in said)
    shop_label = s.policy.label("shop_type", shop) if shop else ""
    return f"您{shop_label}的{roles}" if shop_label else f"您的{roles}"


def name(s: Situation, spelled: bool = False) -> str:
    """The accounts the decisions are about, as few words as name them: an exemption's
    own name (「跨境店」), 「除跨境店外，各类店铺的授权号」, 「旗舰店和个体店的官方账号」;
    `spelled`: every shop type by its name (「卖场、官方旗舰店…和个体店的…」)."""
    entries = {d.entry for d in s.decisions}
    if all(entry and entry.who for entry in entries):
        return "和".join(str(entry.who) for entry in s.policy.coverage if entry in entries)
    shops: Dict[str, Set[str]] = {}
    for d in s.decisions:
        shops.setdefault(str(d.facts["account_role"]), set()).add(str(d.facts["shop_type"]))
    by_shops: Dict[Tuple[str, ...], List[str]] = {}
    for role in s.policy.values("account_role"):
        if role in shops:
            key = tuple(v for v in s.policy.values("shop_type") if v in shops[role])
            by_shops.setdefault(key, []).append(s.policy.label("account_role", role))
    return "；".join(f"{_shops(key, s.policy, spelled)}的{'和'.join(roles)}" for key, roles in by_shops.items())


def _shops(shops: Tuple[str, ...], policy: Policy, spelled: bool = False) -> str:
    """「各类店铺」 for every shop type, 「除跨境店外，各类店铺」 for all the rule binds;
    each by name when `spelled`."""
    every = policy.values("shop_type")
    exempt = policy.exempt_shop_types
    if spelled and len(shops) > 2:
        labels = [policy.label("shop_type", v) for v in shops]
        return f"{'、'.join(labels[:-1])}和{labels[-1]}"
    if shops == every:
        return "各类店铺"
    if exempt and shops == tuple(v for v in every if v not in exempt) and len(shops) > 2:
        return f"除{'、'.join(policy.label('shop_type', v) for v in exempt)}外，各类店铺"
    return (
        "和".join(policy.label("shop_type", v) for v in shops)
        if len(shops) <= 2
        else "、".join(policy.label("shop_type", v) for v in shops)
    )


def _exemption(s: Situation) -> str:
    """What the exemption says: for the merchant's own case its text, else its brief."""
    entry = s.decision.entry
    assert entry is not None and entry.text is not None
    return entry.text if s.own or not entry.who else f"{entry.who}{entry.brief}"


def places(s: Situation) -> str:
    """Where the answer holds: the scene named; the scenes of one place, each named
    (「直播间（开播前、开播中）都」, 「橱窗、精选联盟选品广场都」); or every place."""
    scenes = s.scenes
    if len(scenes) == 1:
        return s.policy.label("scene", scenes[0].id)
    names = list(dict.fromkeys(scene.place for scene in scenes))
    if len(names) > 1:
        return "、".join(names) + "都"
    labels = [s.policy.label("scene", scene.id) for scene in scenes]
    inner = [label[len(names[0]) :].strip("（）") for label in labels]
    if all(label.startswith(f"{names[0]}（") for label in labels):
        return f"{names[0]}（{'、'.join(inner)}）都"
    return "、".join(labels) + "都"


def reason(s: Situation) -> Optional[Line]:
    """Why, when blocked: the scene's reason, or the whole rule's over several scenes."""
    if s.decision.allowed is True:
        return None
    reasons = {scene.reason.id: scene.reason for scene in s.scenes}
    chosen = next(iter(reasons.values())) if len(reasons) == 1 else s.policy.rule_reason
    return Line(f"原因是{chosen.text}。", chosen.clauses, "reason")


def dates(s: Situation) -> Optional[Line]:
    """When, as of the decisions' date: every stage of the timeline, told as what
    happened or, while ahead, as 「预计…」, with the caveat that goes with them."""
    d = s.decision
    if not d.timeline or d.status is None:
        return None
    stages = d.timeline.stages
    if all(stage.when is None for stage in stages):
        text = f"{'、'.join(stage.event for stage in stages)}（平台说明没有给出具体日期）"
        return Line(text, merge(*(stage.clauses for stage in stages)), "timeline")
    text = "，".join(stage.told(d.as_of) for stage in stages)
    caveat = d.timeline.caveat(d.as_of)
    clauses = merge(*(_own(s, stage.clauses) for stage in stages), caveat.clauses if caveat else ())
    return Line(f"{text}{f'（{caveat.text}）' if caveat else ''}", clauses, "timeline")


def in_force(s: Situation) -> Optional[Line]:
    """That a restriction is in force, in a few words (「这条限制已经全面生效。」); its
    dates are one tap away."""
    d = s.decision
    if d.allowed is True or d.status is not Status.IN_EFFECT or not d.timeline:
        return None
    clauses = merge(*(_own(s, stage.clauses) for stage in d.timeline.stages))
    return Line(f"这条限制{status_now(s, dated=False)}。", clauses, "since")


def status_now(s: Situation, dated: bool = True) -> str:
    """How far the restriction has come as of the decisions' date: once every stage of
    every timeline has happened, in full, with the last dated one (when `dated`)."""
    d = s.decision
    if d.stage is None:
        return "还没有开始"
    stages = [stage for x in s.decisions if x.timeline for stage in x.timeline.stages]
    if d.status is Status.IN_EFFECT and all(stage.started(d.as_of) for stage in stages):
        starts = [stage for stage in stages if stage.start]
        last = max(starts, key=lambda stage: stage.start or d.as_of) if starts else None
        if last is None:
            return "已经生效"
        return f"已经全面生效，不再是内测（{last.told(d.as_of)}）" if dated else "已经全面生效"
    words = {Status.INTERNAL_TEST: "正在内测", Status.IN_EFFECT: "已经生效"}
    return words.get(d.status or Status.IN_EFFECT, "")


def exemptions(s: Situation) -> Lines:
    """Whom of the merchants still possible the rule does not bind, by name
    (「跨境店和没有绑定店铺的账号不受这条规则限制。」; nothing when none)."""
    shops, roles = set(s.possible["shop_type"]), set(s.possible["account_role"])
    return _exempt(s.policy, [e for e in s.policy.coverage if set(e.shop_types) & shops and set(e.roles) & roles])


def spared(s: Situation) -> Lines:
    """The exemptions left out of an answer about the merchant's own case, by name: the
    merchant may be one of them."""
    left_out = {d.entry for d in s.spared}
    return _exempt(s.policy, [entry for entry in s.policy.coverage if entry in left_out])


def _exempt(policy: Policy, entries: Iterable[Coverage]) -> Lines:
    named = [entry for entry in entries if entry.who]
    if not named:
        return ()
    names = "和".join(str(entry.who) for entry in named)
    return (Line(f"{names}不受这条规则限制。", merge(*(e.clauses for e in named)), "exempt"),)


def fix(s: Situation) -> Lines:
    """What to do, in one sentence: the fix every decision shares, with where to do it
    when the answer is about one place (the line then also shows the path)."""
    shared = _shared_fix(s)
    if shared is None:
        return ()
    where = path_words(s)
    clauses = shared.clauses + (_path_clauses(s) if where else ())
    return (Line(f"{_sentence(shared.text)}{where}。", clauses, "path" if where else f"fix:{shared.id}"),)


def fixes(s: Situation) -> Lines:
    """Every fix: the one every decision shares (`fix`), then those offered to some
    merchants (「如果您是达人…」)."""
    shared = _shared_fix(s)
    offered: List[Text] = []
    for d in s.decisions:
        offered += [f for f in d.fixes if f not in offered and f is not shared]
    return (*fix(s), *(Line(f"{_sentence(fix_text(f))}。", f.clauses, f"fix:{f.id}") for f in offered))


def _shared_fix(s: Situation) -> Optional[Text]:
    """The first fix offered to every merchant of the decisions."""
    return next((f for f in s.decision.fixes if not f.when and all(f in d.fixes for d in s.decisions)), None)


def _sentence(text: str) -> str:
    return text if text.startswith("如果") else f"建议您{text}"


def fix_text(fix: Text) -> str:
    return f"{fix.text}（适用于{fix.when}）" if fix.when else fix.text


def path_words(s: Situation) -> str:
    """「，路径：巨量百应 › …」 for one place (each of its entries named: 橱窗管理, or 精选联盟 ›
    选品广场); nothing over several places (one tap away)."""
    if len({scene.place for scene in s.scenes}) != 1:
        return ""
    paths_ = list(dict.fromkeys(ARROW.join(scene.path) for scene in s.scenes))
    return f"，路径：{'，或 '.join(paths_)}"


def _path_clauses(s: Situation) -> Tuple[str, ...]:
    return merge(*(scene.clauses for scene in s.scenes))


def paths(s: Situation) -> Lines:
    """Where in the back office: one line for one scene; over several, one line with the
    shared start of the paths and each place's own steps."""
    scenes = s.scenes
    if not scenes:
        return ()
    clauses = _path_clauses(s)
    if len({scene.path for scene in scenes}) == 1:
        return (Line(f"操作路径：{ARROW.join(scenes[0].path)}", clauses, "path"),)
    shared = _shared_start([scene.path for scene in scenes])
    by_place: Dict[str, List[str]] = {}
    for scene in scenes:
        steps = ARROW.join(scene.path[len(shared) :])
        by_place.setdefault(scene.place, [])
        if steps not in by_place[scene.place]:
            by_place[scene.place].append(steps)
    parts = [f"{place}在 {'，或 '.join(steps)}" for place, steps in by_place.items()]
    return (Line(f"操作路径（{ARROW.join(shared)}）：{'；'.join(parts)}", clauses, "path"),)


def error_line(error: ErrorMessage) -> Line:
    return Line(f"您会看到的提示：「{error.text}」（出现在{error.where}）", error.clauses, f"error:{error.id}")


def verdict(s: Situation, full: bool = False) -> Lines:
    """The merchant's own verdict: 能/不能 and what to do (where, for one place); in
    full also why, every date, the error they see, every fix and every path."""
    if s.decision.status is None:
        return ()
    lines: List[Optional[Line]]
    if not full:
        lines = [conclusion(s), *placed_notes(s), in_force(s), reason(s) if s.why else None, *fix(s)]
        return tuple(line for line in lines if line is not None)
    when = dates(s)
    errors = {scene.error for scene in s.scenes} if s.decision.allowed is not True else set()
    lines = [
        conclusion(s),
        reason(s),
        Line(f"时间：{when.text}。", when.clauses, "timeline") if when else None,
        *(error_line(error) for error in sorted(errors, key=lambda e: e.id)),
        *fixes(s),
    ]
    lines += () if any(line and line.kind == "path" for line in lines) else paths(s)
    return tuple(line for line in lines if line is not None)


def placed_notes(s: Situation) -> Lines:
    """What the source says of a restriction in the places asked about (「个体店和企业店的
    官方账号按每场直播执行」), once."""
    notes = {n: d for d in s.decisions if d.allowed is False for n in d.notes if d.facts["scene"] in n.scenes}
    return tuple(Line(f"{n.said(d.as_of)}。", n.clauses, f"note:{n.id}") for n, d in notes.items())


def tailored(s: Situation) -> Lines:
    """The merchant's verdict, when what they told settles it."""
    return (conclusion(s),) if s.own and s.told and s.uniform else ()


def exempted(s: Situation) -> Lines:
    """The exemption that settles every answer for this merchant, said first
    (「能。跨境店不受这条规则限制。」)."""
    return tailored(s) if s.exempt else ()


def _rule_clauses(s: Situation) -> Tuple[str, ...]:
    """The clauses of the rules (restrictions or exemptions) behind the decisions."""
    return merge(*(d.entry.clauses for d in s.decisions if d.entry))


def _own(s: Situation, clauses: Tuple[str, ...]) -> Tuple[str, ...]:
    """A timeline shared by several rules cites their clauses; keep the decisions' own."""
    mine = {c for d in s.decisions for c in d.clauses}
    return tuple(c for c in clauses if c in mine) or clauses


def _shared_start(paths_: List[Tuple[str, ...]]) -> Tuple[str, ...]:
    shared: List[str] = []
    for steps in zip(*paths_, strict=False):
        if len(set(steps)) > 1:
            break
        shared.append(steps[0])
    return tuple(shared)


def merge(*groups: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(clause for group in groups for clause in group))
