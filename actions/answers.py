"""Replies rendered from the policy engine's Decision: one function per question.

Pure Python, no Rasa import: the chat actions, the CLI and the agent console share it.
Every fact in a reply comes from the Decision or the policy data; this module only
phrases them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Mapping, Optional, Tuple

from actions.policy import Decision, Policy, Status, evaluate, load_policy
from actions.policy.model import Text

ARROW = " › "
# The engine's inputs as merchants and agents read them.
INPUT_LABELS = {"shop_type": "店铺类型", "account_role": "账号身份", "scene": "场景", "product_source": "商品来源"}


@dataclass(frozen=True)
class Reply:
    """A chat reply: a short bubble, the full explanation, and what it rests on."""

    text: str
    details: str
    clauses: Tuple[str, ...]
    missing: Tuple[str, ...] = ()
    offer_human: bool = False


@dataclass(frozen=True)
class Topic:
    """A kind of question: its button title, the inputs its answer needs, its composer."""

    title: str
    needs: Tuple[str, ...]
    compose: Callable[[Decision, Policy], Tuple[str, ...]]
    offer_human: Callable[[Decision], bool] = lambda decision: False


def answer(
    question: Optional[str],
    facts: Mapping[str, Optional[str]],
    as_of: Optional[dt.date] = None,
    policy: Optional[Policy] = None,
) -> Reply:
    """Answer `question` (an intent name, see TOPICS) for the merchant's `facts`.

    When the answer needs an input that `facts` lacks, the reply is empty and
    `missing` names what to ask for, in order.
    """
    policy = policy or load_policy()
    topic = TOPICS[question or DEFAULT_QUESTION]
    decision = evaluate(**facts, as_of=as_of, policy=policy)
    missing = tuple(name for name in decision.missing if name in topic.needs)
    if missing:
        return Reply(text="", details="", clauses=(), missing=missing)
    lines = topic.compose(decision, policy)
    # The rule itself first, then what the answer quotes, then the rest.
    quoted = _clauses_of(lines, decision, policy)
    clauses = tuple(dict.fromkeys(decision.clauses[:2] + quoted + decision.clauses))
    return Reply(
        text="\n".join(lines + (_source_line(clauses),)),
        details=explain(decision, policy, lines),
        clauses=clauses,
        offer_human=topic.offer_human(decision),
    )


def explain(decision: Decision, policy: Policy, lead: Iterable[str] = ()) -> str:
    """The full explanation: every fact of the decision and the source quoted."""
    sections = [*lead, *_verdict_lines(decision, policy, full=True)]
    said = "\n".join(sections)
    sections += [f"说明：{note.text}" for note in decision.notes if note.text not in said]
    quotes = [f"· {clause}：{policy.clauses[clause]}" for clause in decision.clauses]
    if quotes:
        sections += ["原文依据：", *quotes]
    return "\n".join(dict.fromkeys(sections))


# --- the pieces every answer is made of -------------------------------------------


def conclusion(decision: Decision, policy: Policy) -> str:
    """能/不能 first, for this merchant's shop, account and scene."""
    who = _subject(decision, policy)
    where = _scene(decision, policy)
    others = policy.label("product_source", "alliance")
    status = decision.status
    if status is Status.EXEMPT:
        return f"能。{who}不受这条规则限制。"
    if status is Status.NOT_AFFECTED and decision.facts["product_source"] == "own":
        return f"能。{who}在{where}可以添加本店商品，这条规则只限制非本店商品。"
    if status is Status.NOT_AFFECTED:
        return f"能。{who}不受这条规则限制。"
    if status is Status.NOT_YET:
        return f"目前还能。{who}的限制还没有开始（{decision.timeline.stages[0].label}）。"
    if status is Status.INTERNAL_TEST:
        return (
            f"可能已经不能。针对{who}的限制正在内测，您的账号可能已被覆盖；"
            f"覆盖后在{where}只能添加本店商品，不能添加{others}。"
        )
    return f"不能。{who}在{where}只能添加本店商品，不能添加{others}。"


def _verdict_lines(decision: Decision, policy: Policy, full: bool = False) -> Tuple[str, ...]:
    lines = [conclusion(decision, policy)] if decision.status else []
    if decision.reason and decision.allowed is not True:
        lines.append(f"原因：{decision.reason}。")
    if decision.timeline:
        lines.append(f"生效时间：{_timeline(decision, full)}")
    if decision.error_message and full:
        error = decision.error_message
        lines.append(f"您会看到的提示：「{error.text}」（出现在{error.where}）")
    lines += [f"建议：{_fix(fix)}。" for fix in decision.fixes]
    if decision.path:
        lines.append(f"操作路径：{ARROW.join(decision.path)}")
    return tuple(lines)


def _timeline(decision: Decision, full: bool) -> str:
    """The stage in force (or every stage), with the timeline's caveat."""
    if full:
        text = "；".join(stage.label for stage in decision.timeline.stages)
    elif decision.stage is None:
        text = f"尚未开始，{decision.timeline.stages[0].label}"
    elif decision.stage.status is Status.IN_EFFECT and decision.stage.start:
        text = f"已生效，{decision.stage.label}"
    else:
        text = decision.stage.label
    note = decision.timeline.note
    return f"{text}（{note.text}）。" if note else f"{text}。"


def _fix(fix: Text) -> str:
    return f"{fix.text}（适用于{fix.when}）" if fix.when else fix.text


def _subject(decision: Decision, policy: Policy) -> str:
    facts = decision.facts
    shop = policy.label("shop_type", facts["shop_type"]) if facts["shop_type"] else ""
    role = policy.label("account_role", facts["account_role"]) if facts["account_role"] else ""
    if decision.status is Status.EXEMPT:
        return shop
    if facts["account_role"] == "unbound":
        return role
    return f"您{shop}的{role}" if shop and role else f"您的{shop or role or '账号'}"


def _scene(decision: Decision, policy: Policy) -> str:
    scene = decision.facts["scene"]
    if scene:
        return policy.label("scene", scene)
    labels = [value.label for value in policy.vocabulary["scene"].values()]
    return "、".join(dict.fromkeys(label.split("（")[0] for label in labels))


def _source_line(clauses: Tuple[str, ...]) -> str:
    return f"依据：平台说明 {'、'.join(clauses[:4])}{' 等' if len(clauses) > 4 else ''}"


def _clauses_of(lines: Iterable[str], decision: Decision, policy: Policy) -> Tuple[str, ...]:
    """Clauses of the policy texts that `lines` quote, so the source note fits the answer."""
    stages = decision.timeline.stages if decision.timeline else ()
    quoted = [
        *((t.text, t.clauses) for t in (*policy.notes.values(), *policy.reasons.values(), *policy.fixes.values())),
        *((stage.label, stage.clauses) for stage in stages),
    ]
    body = "\n".join(lines)
    found = (c for text, clauses in quoted if text in body for c in clauses)
    # What the decision rests on already says which of a shared text's clauses apply.
    return tuple(dict.fromkeys(c for c in found if not decision.clauses or c in decision.clauses))


def _tailored(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    """The merchant's own verdict, when their profile is known well enough."""
    return (conclusion(decision, policy),) if decision.status else ()


# --- one composer per question ---------------------------------------------------


def _who(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    return (policy.notes["who_is_affected"].text + "。", *_tailored(decision, policy))


_STATUS_WORDS = {Status.NOT_YET: "还没有开始", Status.INTERNAL_TEST: "正在内测", Status.IN_EFFECT: "已经生效"}


def _when(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    if not decision.timeline:
        return _tailored(decision, policy)
    now = f"{_subject(decision, policy)}的限制{_STATUS_WORDS[decision.status]}。"
    if len(decision.timeline.stages) == 1:
        return (now,)
    return (now, f"时间安排：{_timeline(decision, full=True)}")


def _quota(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    return (policy.notes["not_a_quota"].text + "。", *_tailored(decision, policy))


def _where(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    if not decision.path:
        return _tailored(decision, policy)
    scene = _scene(decision, policy)
    return (f"{scene}的操作路径：{ARROW.join(decision.path)}", *_tailored(decision, policy))


def _others(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    return (policy.notes["gradual_rollout"].text + "。", *_tailored(decision, policy))


def _no_sync(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    reason = policy.reasons["platform_trust"].text
    return (
        policy.notes["no_showcase_sync"].text + "。",
        f"原因：{reason}，官方账号和授权号不能把非本店商品添加到橱窗和短视频。",
        f"建议：{policy.fixes['add_own_products'].text}。",
    )


def _creator(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    conditional = [fix for fix in decision.fixes if fix.when]
    if conditional:
        return tuple(f"{_fix(fix)}。" for fix in conditional)
    return (*_tailored(decision, policy), policy.notes["source_silent"].text + "，建议您联系人工客服确认。")


def _reason(decision: Decision, policy: Policy) -> Tuple[str, ...]:
    reasons = "；".join(reason.text for reason in policy.reasons.values())
    return (f"平台的说明是：{reasons}。", *_tailored(decision, policy))


TOPICS: Dict[str, Topic] = {
    "ask_why_cannot_add": Topic("为什么加不了非本店商品", ("shop_type", "account_role", "scene"), _verdict_lines),
    "report_error_message": Topic("添加商品时报错怎么办", ("shop_type", "account_role", "scene"), _verdict_lines),
    "ask_who_is_affected": Topic("哪些商家和账号受影响", (), _who),
    "ask_when_effective": Topic("规则什么时候生效", ("shop_type", "account_role"), _when),
    "ask_limit_quota": Topic("能添加多少联盟商品", (), _quota),
    "ask_where_to_operate": Topic("在后台哪里操作", ("scene",), _where),
    "ask_why_others_still_sell": Topic("为什么别人还能带别家的货", (), _others),
    "ask_why_live_products_not_in_showcase": Topic("直播过的商品为什么不在橱窗列表", (), _no_sync),
    "ask_keep_selling_as_creator": Topic(
        "店铺只为收款，怎样继续带货",
        ("shop_type", "account_role"),
        _creator,
        offer_human=lambda decision: not any(fix.when for fix in decision.fixes),
    ),
    "ask_rule_reason": Topic("为什么会有这条规则", (), _reason),
}
DEFAULT_QUESTION = "ask_why_cannot_add"
