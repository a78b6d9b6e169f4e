"""The pieces every answer is made of, each a line with the source clauses it rests on.

A `Situation` holds the decisions for every profile the merchant may still have, all of
which show the same answer for the question asked (the engine made sure of that): a
piece speaks for all of them at once, e.g. 「直播间、橱窗、短视频都只能添加本店商品」.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from actions.policy import PROFILE, Candidates, Decision, Policy, Status
from actions.policy.model import ErrorMessage, Scene, Text

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
    question's answer shows, and the error messages the merchant pasted."""

    policy: Policy
    decisions: Tuple[Decision, ...]
    possible: Candidates
    errors: Tuple[ErrorMessage, ...] = ()

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
    def uniform(self) -> bool:
        """Whether every decision says the same 能/不能 (with the same status, when
        restricted): the first then speaks for all."""
        if self.decision.status is None or len({d.allowed for d in self.decisions}) > 1:
            return False
        return self.decision.allowed is True or len({d.status for d in self.decisions}) == 1


def conclusion(s: Situation) -> Line:
    """能/不能 first, for this merchant's shop, account and scenes."""
    d = s.decision
    if d.exemption:
        return Line(f"能。{d.exemption}。", d.clauses, "conclusion")
    who, where, others = subject(s), places(s), s.policy.label("product_source", s.policy.default_product_source)
    if d.status is Status.NOT_AFFECTED:
        return Line(f"能。{who}在{where}可以添加本店商品，这条规则只限制非本店商品。", d.clauses, "conclusion")
    stage = d.timeline.stages[0] if d.timeline else None
    if d.status is Status.NOT_YET and stage:
        return Line(f"目前还能。{who}的限制还没有开始（{stage.told(d.as_of)}）。", stage.clauses, "conclusion")
    clauses = _rule_clauses(s)
    if d.status is Status.INTERNAL_TEST:
        text = (
            f"可能已经不能。针对{who}的限制正在内测，您的账号可能已被覆盖；"
            f"覆盖后在{where}只能添加本店商品，不能添加{others}。"
        )
        return Line(text, clauses, "conclusion")
    return Line(f"不能。{who}在{where}只能添加本店商品，不能添加{others}。", clauses, "conclusion")


def subject(s: Situation) -> str:
    """Whose answer it is: 「您旗舰店的授权号」, or as much of it as is known."""
    shop = s.known("shop_type")
    roles = "或".join(s.policy.label("account_role", r) for r in s.values("account_role"))
    shop_label = s.policy.label("shop_type", shop) if shop else ""
    return f"您{shop_label}的{roles}" if shop_label else f"您的{roles}"


def places(s: Situation) -> str:
    """Where the answer holds: the scene named, or every place it holds in."""
    scenes = s.scenes
    if len(scenes) == 1:
        return s.policy.label("scene", scenes[0].id)
    names = list(dict.fromkeys(scene.place for scene in scenes))
    return "、".join(names) + ("都" if len(names) > 1 else "")


def reason(s: Situation) -> Optional[Line]:
    """Why, when blocked: the scene's reason, or the whole rule's over several scenes."""
    if s.decision.allowed is True:
        return None
    reasons = {scene.reason.id: scene.reason for scene in s.scenes}
    chosen = next(iter(reasons.values())) if len(reasons) == 1 else s.policy.rule_reason
    return Line(f"原因：{chosen.text}。", chosen.clauses, "reason")


def timeline(s: Situation, full: bool = False) -> Optional[Line]:
    """The stage in force (or every stage), told as of the decisions' date: what has
    started as what happened, what is ahead as 「预计…」 with the timeline's caveat."""
    d = s.decision
    timelines = {x.timeline.id for x in s.decisions if x.timeline}
    if not d.timeline or d.status is None:
        return None
    if len(timelines) > 1:
        return Line(f"生效时间：{_STATUS_WORDS[d.status]}。", _rule_clauses(s), "timeline")
    stages = d.timeline.stages
    if full:
        text = "；".join(stage.told(d.as_of) for stage in stages)
        clauses = merge(*(_own(s, stage.clauses) for stage in stages))
    elif d.stage is None:
        text, clauses = f"尚未开始，{stages[0].told(d.as_of)}", stages[0].clauses
    elif d.stage.when is None:
        text, clauses = d.stage.event, _own(s, d.stage.clauses)
    else:
        text, clauses = f"{_STATUS_WORDS[d.status]}（{d.stage.told(d.as_of)}）", _own(s, d.stage.clauses)
    note = d.timeline.caveat(d.as_of)
    caveat = f"（{note.text}）" if note else ""
    return Line(f"生效时间：{text}{caveat}。", merge(clauses, note.clauses if note else ()), "timeline")


_STATUS_WORDS = {Status.NOT_YET: "还没有开始", Status.INTERNAL_TEST: "正在内测", Status.IN_EFFECT: "已经生效"}


def status_now(s: Situation) -> str:
    """How far the restriction has come as of the decisions' date: once every stage of
    every timeline has happened, in full, with the last dated one."""
    d = s.decision
    if d.stage is None:
        return "还没有开始"
    stages = [stage for x in s.decisions if x.timeline for stage in x.timeline.stages]
    if d.status is Status.IN_EFFECT and all(stage.started(d.as_of) for stage in stages):
        dated = [stage for stage in stages if stage.start]
        last = max(dated, key=lambda stage: stage.start or d.as_of) if dated else None
        return f"已经全面生效，不再是内测（{last.told(d.as_of)}）" if last else "已经生效"
    return status_words(s)


def exemptions(s: Situation) -> str:
    """Whom of the merchants still possible the rule does not bind, by name:
    「跨境店、未绑定店铺的账号」 (empty when none)."""
    policy, names = s.policy, []
    for entry in policy.coverage:
        shops = [shop for shop in entry.shop_types if shop in s.possible["shop_type"]]
        if entry.status is None or not shops or not set(entry.roles) & set(s.possible["account_role"]):
            continue
        if set(entry.shop_types) == set(policy.values("shop_type")):
            names += [policy.label("account_role", role) for role in entry.roles]
        else:
            names += [policy.label("shop_type", shop) for shop in shops]
    return "、".join(dict.fromkeys(names))


def status_words(s: Situation) -> str:
    return _STATUS_WORDS.get(s.decision.status or Status.IN_EFFECT, "")


def fixes(s: Situation) -> Lines:
    """What to do: the fixes every decision shares, then those offered to some merchants."""
    offered: List[Text] = []
    for d in s.decisions:
        offered += [fix for fix in d.fixes if fix not in offered]
    return tuple(Line(f"建议：{fix_text(fix)}。", fix.clauses, f"fix:{fix.id}") for fix in offered)


def fix_text(fix: Text) -> str:
    return f"{fix.text}（适用于{fix.when}）" if fix.when else fix.text


def paths(s: Situation) -> Lines:
    """Where in the back office: one line for one scene; over several, one line with the
    shared start of the paths and each place's own steps."""
    scenes = s.scenes
    if not scenes:
        return ()
    clauses = merge(*(scene.clauses for scene in scenes))
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
    """The merchant's own verdict: 能/不能, why, since when, what to do, where."""
    if s.decision.status is None:
        return ()
    lines = [conclusion(s), reason(s), timeline(s, full)]
    errors = {scene.error for scene in s.scenes} if s.decision.allowed is not True else set()
    if full:
        lines += [error_line(error) for error in sorted(errors, key=lambda e: e.id)]
    lines += [*fixes(s), *paths(s)] if s.decision.allowed is not True else list(paths(s) if full else ())
    return tuple(line for line in lines if line is not None)


def tailored(s: Situation) -> Lines:
    """The merchant's verdict, when what they told settles it."""
    return (conclusion(s),) if s.told and s.uniform else ()


def exempted(s: Situation) -> Lines:
    """The exemption that settles every answer for this merchant, said first
    (「能。跨境店不受这条规则限制。」)."""
    return tailored(s) if s.decision.exemption and s.decision.allowed is True else ()


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
