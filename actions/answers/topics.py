"""The questions merchants ask: for each, what its answer shows and how it is composed.

A topic's `view` is what of a decision its answer shows; the engine asks for an input
only when its value changes that view (engine.splitting_input), and where the merchant
asks about several cases, each case with its own view gets a line (`line`). A topic
whose view is constant never asks. `presumes` keeps the decisions the question takes for
granted: a pasted rule error happens only to restricted accounts; a creator whose shop
receives their money has an account bound to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Dict, Hashable, Optional, Tuple

from actions.answers.pieces import (
    Line,
    Lines,
    Situation,
    alike,
    brief,
    conclusion,
    dates,
    error_line,
    exempt,
    exemptions,
    fix,
    fix_text,
    merge,
    name,
    paths,
    places,
    status_now,
    subject,
    tailored,
    verdict,
)
from actions.policy import Decision, Policy, Status

View = Callable[[Decision, Policy], Hashable]


@dataclass(frozen=True)
class Topic:
    """A kind of question: its button title (and the shorter one of a quick reply after
    an answer), its composer, what of a decision its answer shows (None: it needs to know
    nothing of the merchant), the line of one of several cases, what it takes for
    granted, whether it is about whose products (本店/联盟), what it offers after, whether
    its words alone (a cue such as 「灰度」) make an unsure message this question, and
    whether its answer speaks to the merchant's own case (an exemption that settles that
    case then comes first). Several subjects answered alike get one line, `together`
    (「都不能。…」; by default the case's own line). After the lines of several cases,
    `after_cases` says once what the first restricted one calls for (what to do)."""

    title: str
    compose: Callable[[Situation], Lines]
    view: Optional[View] = None
    line: Callable[[Situation], Line] = brief
    together: Optional[Callable[[Situation], Line]] = None
    after_cases: Callable[[Situation], Lines] = lambda situation: ()
    presumes: Callable[[Decision, Policy], bool] = lambda decision, policy: True
    about_products: bool = False
    offer_human: Callable[[Situation], bool] = lambda situation: False
    suggests_topics: bool = False
    asked_by_words: bool = False
    personal: bool = False
    follow_up: str = ""


def verdict_view(decision: Decision, policy: Policy) -> Hashable:
    """能/不能, how far the restriction has come, and the fixes every such merchant gets.
    Where it is done and the dates in detail follow the scene and the rule, and are
    shown for all of them; every 能 is the same answer (not restricted)."""
    if decision.allowed is True:
        return True
    firm = tuple(fix.id for fix in decision.fixes if not fix.when)
    return decision.allowed, decision.status, firm


def dates_view(decision: Decision, policy: Policy) -> Hashable:
    return decision.status, decision.exemption, decision.timeline.id if decision.timeline else None


def status_view(decision: Decision, policy: Policy) -> Hashable:
    """How far the restriction has come today (the rule's status, asked of the
    accounts it binds: the question presumes them)."""
    return decision.status


def creator_view(decision: Decision, policy: Policy) -> Hashable:
    """An exemption, or the fixes a creator of this shop type is offered."""
    return decision.exemption or tuple(_closing(decision, policy))


def _closing(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    """Fixes the source offers a creator of this shop type (关店 for 个体店/企业店)."""
    shop = decision.facts["shop_type"]
    return tuple(f.id for f in policy.fixes.values() if f.when and shop in f.shop_types)


def _restricted(decision: Decision, policy: Policy) -> bool:
    return decision.allowed is not True


def _bound(decision: Decision, policy: Policy) -> bool:
    return decision.status is not Status.NOT_AFFECTED or decision.exemption is None


def _paying(decision: Decision, policy: Policy) -> bool:
    """A creator's shop kept only to be paid: bound, and of a shop type the source offers
    creators a way out for (「达人绑定个体店或企业店只为收款」): the story implies it."""
    return _bound(decision, policy) and bool(_closing(decision, policy))


def _when(s: Situation) -> Lines:
    line = dates(s)
    if line is None:
        return tailored(s) or (conclusion(s),)
    return (Line(f"{subject(s)}：{line.text}。", line.clauses, "timeline"),)


def _when_line(s: Situation) -> Line:
    line = dates(s)
    if line is None:
        return brief(s)
    return Line(f"{name(s)}：{line.text}。", line.clauses, "timeline")


def _status_line(s: Situation) -> Line:
    if s.decision.timeline is None:
        return brief(s)
    return Line(f"{name(s)}：{status_now(s)}。", merge(*(d.clauses for d in s.decisions[:1])), "status")


def _status_together(s: Situation) -> Line:
    """Several subjects' status, the same: 「都已经全面生效，…」."""
    if s.decision.timeline is None:
        return alike(s)
    return replace(_status_line(s), text=f"都{status_now(s)}。")


def _status(s: Situation) -> Lines:
    """How far the restriction has come today, with its last step; while the shop type
    is open, whom of the merchants still possible it does not bind."""
    if s.decision.timeline is None:
        return (conclusion(s),)
    clauses = merge(*(stage.clauses for d in s.decisions if d.timeline for stage in d.timeline.stages))
    if not s.own:
        text = f"{name(s)}：{status_now(s)}。"
    else:
        text = f"这条限制{f'对{subject(s)}' if s.told else ''}{status_now(s)}。"
    return (Line(text, clauses, "status"), *(exemptions(s) if s.known("shop_type") is None else ()))


def _future(s: Situation) -> Lines:
    """Lifting, pausing or relaxing the rule: not in the source; its status today."""
    note = s.policy.quoted.future_unknown
    today = (exempt(s),) if s.exempt else _status(s)
    return (*today, Line(f"{note.text}。", note.clauses, "future"))


def who_view(decision: Decision, policy: Policy) -> Hashable:
    """Whether the rule binds the account (now or once its rollout reaches it): no
    exemption (跨境店, an account bound to no shop) applies."""
    return decision.exemption is None


def _who(s: Situation) -> Lines:
    """Whom the rule binds, every shop type by its name, and where; for the merchant's
    own accounts, that they are bound (「官方号也算吗」: 是的); or the exemption."""
    if s.exempt:
        return (conclusion(s),)
    if s.own and s.told:
        whose = subject(s) if s.known("shop_type") else name(s, spelled=True)
        return (Line(f"是的，{whose}受这条规则限制，在{places(s)}只能添加本店商品。", _who_line(s).clauses, "who"),)
    return (_who_line(s),)


def _who_line(s: Situation) -> Line:
    if s.exempt:
        return brief(s)
    clauses = merge(s.policy.quoted.who_is_affected.clauses, *(d.entry.clauses for d in s.decisions if d.entry))
    return Line(f"受这条规则限制的是{name(s, spelled=True)}：在{places(s)}只能添加本店商品。", clauses, "who")


def _quota(s: Situation) -> Lines:
    note = s.policy.quoted.not_a_quota
    return (Line(note.text + "。", note.clauses), *tailored(s))


def _where(s: Situation) -> Lines:
    return (*paths(s), *tailored(s))


def _error_location(s: Situation) -> Lines:
    """Where the pasted errors appear; else the errors of the scenes named; else all."""
    named = (
        tuple(dict.fromkeys(scene.error for scene in s.scenes))
        if s.possible["scene"] != s.policy.values("scene")
        else ()
    )
    errors = s.errors or named or tuple(s.policy.errors.values())
    lines = [Line(f"「{e.text}」出现在{e.where}。", e.clauses) for e in errors]
    fix = s.policy.quoted.add_own_products
    return (*lines, *tailored(s), Line(f"建议您{fix.text}。", fix.clauses))


def _others(s: Situation) -> Lines:
    note = s.policy.quoted.gradual_rollout
    return (Line(note.said(s.decision.as_of) + "。", note.clauses), *tailored(s))


def _no_sync(s: Situation) -> Lines:
    note, fix = s.policy.quoted.no_showcase_sync, s.policy.quoted.add_own_products
    scene = next(scene for scene in s.policy.scenes.values() if note in scene.notes)
    return (
        Line(note.text + "。", note.clauses),
        Line(
            f"原因是{scene.reason.text}，官方账号和授权号不能把非本店商品添加到{scene.place}。",
            scene.reason.clauses,
            "reason",
        ),
        *tailored(s),
        Line(f"建议您{fix.text}。", fix.clauses),
    )


def _creator(s: Situation) -> Lines:
    if s.decision.exemption:
        return (conclusion(s),)
    closing = _closing(s.decision, s.policy)
    if closing:
        fixes_ = [s.policy.fixes[f] for f in closing]
        return tuple(Line(f"{fix_text(fix)}。", fix.clauses, f"fix:{fix.id}") for fix in fixes_)
    silent = s.policy.quoted.source_silent
    return (Line(silent.text + "，建议您联系人工客服确认。", silent.clauses),)


def _creator_line(s: Situation) -> Line:
    if s.exempt:
        return brief(s)
    first = _creator(s)[0]
    return Line(f"{name(s)}：{first.text}", first.clauses, first.kind)


def _reason(s: Situation) -> Lines:
    """The reason of the scenes asked about, or of the whole rule."""
    reasons = {scene.reason.id: scene.reason for scene in s.scenes} if s.told else {}
    chosen = list(reasons.values()) if len(reasons) == 1 else list(s.policy.reasons.values())
    text = "；".join(r.text for r in chosen)
    return (Line(f"平台的说明是：{text}。", merge(*(r.clauses for r in chosen)), "reason"), *tailored(s))


def _beyond(s: Situation) -> Lines:
    note = s.policy.quoted.beyond_source
    return (Line(note.text + "。下面是这条规则里和您的问题最接近的内容，也可以转人工客服确认：", note.clauses),)


def _pasted(s: Situation) -> Lines:
    """A pasted error or being blocked: the verdict; for an account the rule does not
    bind, that something else blocks it (a person looks)."""
    if s.exempt:
        note = s.policy.quoted.blocked_elsewhere
        return (conclusion(s), Line(f"{note.text}。", note.clauses))
    return verdict(s) or tuple(error_line(e) for e in s.errors)


TOPICS: Dict[str, Topic] = {
    "ask_why_cannot_add": Topic(
        "为什么加不了非本店商品",
        verdict,
        verdict_view,
        together=alike,
        after_cases=fix,
        about_products=True,
        follow_up="能不能加",
    ),
    "report_error_message": Topic(
        "加商品被拦或报错怎么办",
        _pasted,
        verdict_view,
        together=alike,
        after_cases=fix,
        presumes=_restricted,
        offer_human=lambda s: s.exempt,
        about_products=True,
        follow_up="怎么办",
    ),
    "ask_when_effective": Topic(
        "规则什么时候生效",
        _when,
        dates_view,
        line=_when_line,
        presumes=_restricted,
        asked_by_words=True,
        follow_up="什么时候开始的",
    ),
    "ask_rule_status": Topic(
        "规则现在执行到哪一步",
        _status,
        status_view,
        presumes=_restricted,
        line=_status_line,
        together=_status_together,
        follow_up="现在执行到哪一步",
    ),
    "ask_rule_future": Topic(
        "规则之后会不会取消或调整",
        _future,
        status_view,
        presumes=_restricted,
        line=_status_line,
        offer_human=lambda s: True,
        asked_by_words=True,
    ),
    "ask_keep_selling_as_creator": Topic(
        "店铺只为收款，怎样继续带货",
        _creator,
        creator_view,
        line=_creator_line,
        presumes=_paying,
        offer_human=lambda s: not s.decision.exemption and not _closing(s.decision, s.policy),
        follow_up="我是达人，店只为收款",
    ),
    "ask_who_is_affected": Topic(
        "哪些商家和账号受影响", _who, who_view, line=_who_line, personal=True, follow_up="哪些账号受影响"
    ),
    "ask_limit_quota": Topic(
        "精选联盟商品有数量上限吗", _quota, asked_by_words=True, personal=True, offer_human=lambda s: True
    ),
    "ask_where_to_operate": Topic("在后台哪里操作", _where, about_products=True, follow_up="在哪里操作"),
    "ask_error_location": Topic("报错提示出现在哪里", _error_location, asked_by_words=True),
    "ask_why_others_still_sell": Topic("为什么有的账号看起来不受限", _others, asked_by_words=True, personal=True),
    "ask_why_live_products_not_in_showcase": Topic(
        "直播过的商品为什么不在橱窗列表", _no_sync, asked_by_words=True, personal=True
    ),
    "ask_rule_reason": Topic("为什么会有这条规则", _reason, asked_by_words=True, personal=True, follow_up="为什么"),
    "ask_beyond_source": Topic("规则说明以外的问题", _beyond, offer_human=lambda s: True, suggests_topics=True),
}
DEFAULT_QUESTION = "ask_why_cannot_add"
# The questions offered when the assistant cannot help with what was asked.
MAIN_TOPICS = ("ask_why_cannot_add", "ask_when_effective", "ask_who_is_affected", "ask_where_to_operate")
# Quick replies after an answer, in this order: the questions a merchant asks next, each
# with the kind of line of the full explanation that answers it.
FOLLOW_UPS = {
    "ask_rule_reason": "reason",
    "ask_when_effective": "timeline",
    "ask_where_to_operate": "path",
    "ask_keep_selling_as_creator": "fix:close_shop",
}
