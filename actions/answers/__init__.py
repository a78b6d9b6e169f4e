"""Replies rendered from the policy engine's decisions: one composer per question.

Pure Python, no Rasa import: the chat actions, the CLI and the agent console share it.
Every fact in a reply comes from a Decision or the policy data, and every line carries
the clauses it rests on; this package only phrases them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Dict, Hashable, Iterable, List, Optional, Sequence, Set, Tuple

from actions.answers.pieces import Line, Situation, exempted, merge, verdict
from actions.answers.topics import DEFAULT_QUESTION, MAIN_TOPICS, TOPICS, Topic, View
from actions.policy import Candidates, Decision, Policy, assess, load_policy, splitting_input
from actions.policy.engine import Profile
from actions.policy.model import ErrorMessage

__all__ = ["DEFAULT_QUESTION", "INPUT_LABELS", "MAIN_TOPICS", "TOPICS", "Reply", "Topic", "answer", "explain"]

# The engine's inputs as merchants and agents read them.
INPUT_LABELS = {"shop_type": "店铺类型", "account_role": "账号身份", "scene": "场景", "product_source": "商品来源"}
SOURCE_CLAUSES_SHOWN = 4


@dataclass(frozen=True)
class Reply:
    """A chat reply: a short bubble, the full explanation and what it rests on; or,
    when the answer to the main question (`pending`) depends on an input, that input
    (`ask`) and no text."""

    text: str
    details: str
    clauses: Tuple[str, ...]
    ask: Optional[str] = None
    pending: Optional[str] = None
    offer_human: bool = False


def answer(
    questions: Sequence[str],
    possible: Candidates,
    product_source: Optional[str] = None,
    errors: Sequence[ErrorMessage] = (),
    as_of: Optional[dt.date] = None,
    policy: Optional[Policy] = None,
) -> Reply:
    """Answer each of `questions` (intent names, see TOPICS, the main one first) for a
    merchant who may have any of the `possible` profiles.

    Only the main question may ask for an input its answer depends on, and only when
    no further question the message's words ask could be answered instead (「…别人怎么
    还能带，原因是什么」 is answered, not met with a question); a further question whose
    answer would need an input is left out. What the main question takes for granted
    holds for the others (a creator asking how to go on selling has a bound account).
    An exemption that settles everything for this merchant comes first.
    """
    policy = policy or load_policy()
    general = assess(possible, None, as_of, policy)
    about = {
        False: general,
        True: general
        if product_source in (None, policy.default_product_source)
        else assess(possible, product_source, as_of, policy),
    }
    lines: List[Line] = []
    situations: List[Situation] = []
    offer_human = False
    asked = list(dict.fromkeys(questions or (DEFAULT_QUESTION,)))
    answered: Set[str] = set()
    presumes = TOPICS[asked[0]].presumes
    ask: Optional[str] = None
    for position, question in enumerate(asked):
        topic = TOPICS[question]
        decisions = _presumed(topic.presumes, _presumed(presumes, about[topic.about_products]))
        split = splitting_input(decisions, _seen(topic.view, policy)) if topic.view else None
        if split and position == 0:
            ask = split
        if split:
            continue
        situation = Situation(policy, tuple(decisions.values()), possible, tuple(errors))
        situations.append(situation)
        answered.add(question)
        lines += [*(exempted(situation) if topic.personal else ()), *topic.compose(situation)]
        offer_human = offer_human or topic.offer_human(situation)
    if ask and not any(TOPICS[q].asked_by_words for q in answered):
        # Nothing the words of the message asked could be answered: ask for the input.
        return Reply("", "", (), ask=ask, pending=asked[0])
    lines = _once(lines)
    clauses = merge(*(line.clauses for line in lines))
    return Reply(
        text="\n".join([*(line.text for line in lines), _source_line(clauses)]),
        details=explain(situations, lines),
        clauses=clauses,
        offer_human=offer_human,
    )


def explain(situations: Iterable[Situation], lead: Iterable[Line] = ()) -> str:
    """The full explanation: the answer, every fact of the decisions, the source quoted."""
    situations = list(situations)
    lines = list(lead)
    for line in (line for s in situations for line in verdict(s, full=True)):
        same = [i for i, said in enumerate(lines) if line.kind and said.kind == line.kind]
        if same:
            lines[same[0]] = line
        else:
            lines.append(line)
    said = "\n".join(line.text for line in lines)
    notes = [note for s in situations for d in s.decisions for note in d.notes]
    as_of = situations[0].decision.as_of if situations else dt.date.today()
    lines += [Line(f"说明：{n.said(as_of)}", n.clauses) for n in dict.fromkeys(notes) if n.said(as_of) not in said]
    texts = list(dict.fromkeys(line.text for line in lines))
    clauses = merge(*(line.clauses for line in lines))
    if clauses and situations:
        quotes = situations[0].policy.clauses
        texts += ["原文依据：", *(f"· {clause}：{quotes[clause]}" for clause in clauses)]
    return "\n".join(texts)


def _seen(view: View, policy: Policy) -> Callable[[Decision], Hashable]:
    """What of a decision the answer shows, for engine.splitting_input."""
    return lambda decision: view(decision, policy)


def _presumed(presumes: Callable[[Decision], bool], decisions: Dict[Profile, Decision]) -> Dict[Profile, Decision]:
    """The decisions a question takes for granted (all of them if it excludes every one)."""
    kept = {profile: d for profile, d in decisions.items() if presumes(d)}
    return kept or decisions


def _once(lines: Iterable[Line]) -> List[Line]:
    """Each line once: the first of those that say the same thing (same kind or text)."""
    kept: Dict[str, Line] = {}
    for line in lines:
        kept.setdefault(line.kind or line.text, line)
    return list(kept.values())


def _source_line(clauses: Tuple[str, ...]) -> str:
    shown = "、".join(clauses[:SOURCE_CLAUSES_SHOWN])
    return f"依据：平台说明 {shown}{' 等' if len(clauses) > SOURCE_CLAUSES_SHOWN else ''}"
