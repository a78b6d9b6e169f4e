"""Replies rendered from the policy engine's decisions for a question frame.

Pure Python, no Rasa import: the chat actions, the CLI and the agent console share it.
Every fact in a reply comes from a Decision or the policy data, and every line carries
the clauses it rests on; this package only phrases them. The first sentence answers what
was asked (是的/不对 to a claim, 能/不能 to a can-question, the dates to a when-question);
what was not asked is one tap away (`Reply.follow_ups`, the full explanation).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Callable, Dict, Hashable, Iterable, List, Optional, Sequence, Set, Tuple

from actions.answers.frame import Frame, Subject
from actions.answers.pieces import Line, Situation, exempted, merge, spared, verdict
from actions.answers.topics import DEFAULT_QUESTION, FOLLOW_UPS, MAIN_TOPICS, TOPICS, Topic, View
from actions.policy import PROFILE, Decision, Policy, assess, load_policy, splitting_input
from actions.policy.claims import check, truth
from actions.policy.engine import Profile
from actions.policy.vocabulary import names

__all__ = [
    "DEFAULT_QUESTION",
    "FOLLOW_UPS",
    "INPUT_LABELS",
    "MAIN_TOPICS",
    "TOPICS",
    "Frame",
    "Reply",
    "Subject",
    "Topic",
    "answer",
    "explain",
    "quotes",
]

# The engine's inputs as merchants and agents read them.
INPUT_LABELS = {"shop_type": "店铺类型", "account_role": "账号身份", "scene": "场景", "product_source": "商品来源"}
# The first words of an answer to a claim (it holds, it fails, it partly holds), by the
# word the claim is asked with: 「…对吧」 → 不对, 「是不是…」 → 不是, 「也会被限制吗」 → 不会.
_TRUTH = {
    "": {True: "是的", False: "不对", None: "不完全对"},
    "是": {True: "是的", False: "不是", None: "不完全是"},
    "会": {True: "会的", False: "不会", None: "不一定"},
}


@dataclass(frozen=True)
class Reply:
    """A chat reply: a short answer, the full explanation and what it rests on, and the
    questions worth a tap next (`follow_ups`); or, when the answer to the main question
    (`pending`) depends on an input, that input (`ask`) and no text."""

    text: str
    details: str
    clauses: Tuple[str, ...]
    ask: Optional[str] = None
    pending: Optional[str] = None
    offer_human: bool = False
    follow_ups: Tuple[str, ...] = ()


def answer(frame: Frame, as_of: Optional[dt.date] = None, policy: Optional[Policy] = None) -> Reply:
    """Answer each question of `frame` (the main one first) for its subjects.

    For the merchant's own case, only the main question may ask for an input its answer
    depends on, and only when no further question the message's words ask could be
    answered instead; a further question whose answer would need an input is left out.
    For several subjects or a class, each case gets its answer, one line each. What the
    main question takes for granted holds for the others (a creator asking how to go on
    selling has a bound account). A claim is checked as the main question: its answer
    starts with 是的, 不对 or 不完全对.
    """
    policy = policy or load_policy()
    today = as_of or dt.date.today()
    asked = list(dict.fromkeys(frame.asks or (DEFAULT_QUESTION,)))
    lines: List[Line] = []
    situations: List[Situation] = []
    answered: Set[str] = set()
    offer_human, ask = False, None
    kinds = 0  # how many different answers the main question has
    for position, question in enumerate(asked):
        topic = TOPICS[question]
        checked = position == 0 and frame.claims
        # Only the main question, when the words ask nothing else, is answered for the
        # accounts the rule binds with the exemptions named; a further one is left out.
        # So is a claim checked (as `_checked` weighs it): 「那从选品广场加进橱窗就能绕开了吧」
        # is checked for the accounts the rule binds, whatever else is asked.
        sole = position == 0 and (bool(checked) or not any(TOPICS[q].asked_by_words for q in asked[1:]))
        cases, split = _cases(frame, topic, TOPICS[asked[0]], checked, sole, today, policy)
        if split:
            ask = ask or (split if position == 0 else None)
            continue
        answered.add(question)
        kinds = kinds or len(cases)
        situations += cases
        said, unsure = _composed(topic, cases, frame, checked)
        lines += said
        offer_human = offer_human or unsure or any(topic.offer_human(s) for s in cases)
    if ask and not any(TOPICS[q].asked_by_words for q in answered):
        # Nothing the words of the message asked could be answered: ask for the input.
        return Reply("", "", (), ask=ask, pending=asked[0])
    lines = _compared(_once(lines), frame.compares, kinds)
    return Reply(
        text="\n".join(line.text for line in lines),
        details=explain(situations, lines),
        clauses=merge(*(line.clauses for line in lines)),
        offer_human=offer_human,
        follow_ups=_follow_ups(answered, situations, {line.kind for line in lines}),
    )


def _cases(
    frame: Frame, topic: Topic, main: Topic, checked: bool, sole: bool, as_of: dt.date, policy: Policy
) -> Tuple[List[Situation], Optional[str]]:
    """The situations that answer `topic` for the frame's subjects, each alike in what
    the answer shows; or the input to ask for, when the merchant's own case splits on
    what they can do, or on an exemption and the question is not the `sole` one."""
    errors = tuple(policy.errors[e] for e in frame.errors if e in policy.errors)
    found: List[Tuple[Hashable, Situation]] = []
    for subject in frame.subjects:
        source = frame.product_source if topic.about_products or checked else None
        assessed = assess(subject.possible, source, as_of, policy)
        decisions = _presumed(topic.presumes, _presumed(main.presumes, assessed, policy), policy)
        view = _seen(topic, subject, checked, policy)
        own = frame.own and len(frame.subjects) == 1
        cases = topic.view is not None and not own
        spared: Tuple[Decision, ...] = ()
        if own and splitting_input(decisions, view):
            decisions, spared = _common(decisions) if sole else (decisions, ())
            split = splitting_input(decisions, view)
            if split and splitting_input(decisions, _acts):
                return [], split
            cases = bool(split)
        for shown, group in _partition(decisions, view, cases).items():
            found.append(
                (
                    shown,
                    Situation(
                        policy,
                        tuple(group),
                        subject.possible,
                        errors,
                        frame.own,
                        subject.claim,
                        subject.reason,
                        spared,
                        frame.closed,
                        frame.why,
                    ),
                )
            )
    return _merged(found), None


def _common(decisions: Dict[Profile, Decision]) -> Tuple[Dict[Profile, Decision], Tuple[Decision, ...]]:
    """The merchant's own case without the exemptions (跨境店,
    an account bound to no shop): those are named in the answer, not asked about; and
    the decisions left out."""
    bound = {p: d for p, d in decisions.items() if d.exemption is None}
    if not bound:
        return decisions, ()
    return bound, tuple(d for d in decisions.values() if d.exemption is not None)


def _acts(decision: Decision) -> Hashable:
    """What a merchant can do now: an input whose value changes only the details of an
    answer (the dates of a rule in force for every case) is answered case by case."""
    return decision.allowed, None if decision.allowed is True else decision.status


def _seen(topic: Topic, subject: Subject, checked: bool, policy: Policy) -> Callable[[Decision], Hashable]:
    """What of a decision the answer shows, for engine.splitting_input: the topic's view
    and, for a claim, whether it holds."""
    shown: View = topic.view or (lambda decision, _: None)
    if checked and subject.claim is not None:
        claim = subject.claim
        return lambda decision: (check(claim, decision), shown(decision, policy))
    return lambda decision: shown(decision, policy)


def _partition(
    decisions: Dict[Profile, Decision], view: Callable[[Decision], Hashable], cases: bool
) -> Dict[Hashable, List[Decision]]:
    """Decisions by what the answer shows; where every case is answered (`cases`), an
    exemption that names whom it covers (跨境店, an account bound to no shop) is a case
    of its own, said by its name."""
    groups: Dict[Hashable, List[Decision]] = {}
    for decision in decisions.values():
        entry = decision.entry
        named = entry.id if cases and decision.allowed is True and entry and entry.who else None
        groups.setdefault((view(decision), named), []).append(decision)
    return groups


def _merged(found: List[Tuple[Hashable, Situation]]) -> List[Situation]:
    """Situations that show the same, merged into one (「旗舰店和个体店的授权号都…」);
    those the rule binds first, the exemptions after."""
    merged: Dict[Hashable, Situation] = {}
    for shown, s in found:
        key = (shown, s.claim)
        if key in merged:
            kept = merged[key]
            possible = {n: tuple(dict.fromkeys([*kept.possible[n], *s.possible[n]])) for n in kept.possible}
            merged[key] = replace(kept, decisions=kept.decisions + s.decisions, possible=possible)
        else:
            merged[key] = s
    return sorted(merged.values(), key=lambda s: s.exempt or s.decision.allowed is True)


def _composed(topic: Topic, cases: List[Situation], frame: Frame, checked: bool) -> Tuple[List[Line], bool]:
    """The lines answering one question, and whether a person should be offered (a
    claim the source cannot settle)."""
    # A question about the rule itself (no view: why it exists, who is affected…) is
    # answered once, whatever the subjects.
    several = len(cases) > 1 or len(frame.subjects) > 1 and topic.view is not None
    if several:
        # One line per case, each its own (a line's kind would merge them, see _once);
        # a claim about a class is answered for the class first (「是的，除跨境店外…」).
        lines = [replace(topic.line(s), kind="") for s in cases]
        if len(cases) == 1 and len(frame.subjects) > 1 and topic.together:
            lines = [replace(topic.together(cases[0]), kind="")]
        if checked and len(frame.subjects) == 1 and not cases[0].exempt:
            lines[0] = topic.compose(cases[0])[0]
        restricted = [s for s in cases if s.decision.allowed is not True]
        lines += list(topic.after_cases(restricted[0])) if restricted else []
        lines += spared(cases[0])
    else:
        s = cases[0]
        lines = [*(exempted(s) if topic.personal else ()), *topic.compose(s), *spared(s)]
    if not checked:
        return lines, False
    return _checked(lines, cases, frame)


def _checked(lines: List[Line], cases: List[Situation], frame: Frame) -> Tuple[List[Line], bool]:
    """A claim's answer: 是的/不对/不完全对 first, then the facts that show it."""
    # An exemption the merchant did not single out (跨境店 among the shops their own case
    # or 「所有官方号」 may be) is named in the answer, not weighed against the claim; one
    # inside a class the words ask of (「不管是啥店，一律…」) is weighed with the rest.
    binding = any(not s.exempt for s in cases)
    results = []
    for s in cases:
        if s.claim is None or binding and s.exempt and not _weighed(s, frame):
            continue
        held = truth(check(s.claim, d) for d in s.decisions)
        if s.reason is not None and held is not False:
            # 「不能带联盟是因为我们违规了吗」: what is said to be so is asked of its reason.
            reason = _reason_held(s)
            held = held if reason is None else reason
        results.append(held)
    found = set(results)
    if not found or found == {None}:
        note = cases[0].policy.quoted.beyond_source if cases else None
        unsure = Line(f"{note.text}。按平台说明：" if note else "", note.clauses if note else ())
        return [unsure, *(_bare(line) for line in lines[:1]), *lines[1:]], True
    words = _TRUTH.get(frame.asked_with, _TRUTH[""])
    word = words[None] if {True, False} <= found else words[False not in found]
    first, rest = lines[0], lines[1:]
    return [Line(f"{word}，{_bare(first).text}", first.clauses, first.kind), *rest], None in found


def _weighed(exempted: Situation, frame: Frame) -> bool:
    """Whether an exemption is weighed against a claim: the merchant singled it out
    (「跨境店也…吧」), or it lies inside a class their words ask of."""
    narrower = {n for n in PROFILE if set(exempted.values(n)) < set(exempted.possible[n])}
    return not narrower or bool(narrower & set(frame.generalised))


# The first words of an answer to 「一样吗」 and 「有区别吗」: the same, or not.
_COMPARED = {
    "一样": ("一样，", "不一样："),
    "区别": ("没有区别，", "有区别："),
    "一回事": ("是的，", "不是，"),
    "同时": ("是的，时间相同：", "不是，时间不同："),
}


def _compared(lines: List[Line], compares: str, kinds: int) -> List[Line]:
    """Lines that answer whether the subjects or places asked about differ: said first."""
    if not compares or not lines or not kinds:
        return lines
    same, differ = _COMPARED[compares]
    first = lines[0]
    return [replace(first, text=f"{same if kinds == 1 else differ}{first.text}"), *lines[1:]]


def _reason_held(s: Situation) -> Optional[bool]:
    """A reason the merchant gives holds when it is the source's: it shares a word of
    two characters or more with a reason of the policy. One of the merchant's own
    doing (「是因为我们违规了吗」) fails: the rule binds every account of a kind, and
    one that names no shop type or role names no kind."""
    said = s.reason or ""
    reasons = [r.text for r in s.policy.reasons.values()]
    shared = any(
        said[i : i + 2] in text for text in reasons for i in range(len(said) - 1) if said[i : i + 2] not in _COMMON
    )
    kinds = (name for dimension in ("shop_type", "account_role") for name, _ in names(dimension, s.policy))
    if not shared and _THEIR_DOING.match(said) and not any(name in said for name in kinds):
        return False
    return True if shared else None


# The words an answer opens with: a verdict's, a claim's (longest first).
_LEADS = sorted(
    {
        "可能已经不能。",
        "目前还能。",
        "不能。",
        "能。",
        *(f"{w}，" for words in _TRUTH.values() for w in words.values()),
    },
    key=len,
    reverse=True,
)
# A reason said of the merchant themselves (「我们违规了」, 「我的号被降权」).
_THEIR_DOING = re.compile(r"(我|咱)(们)?(家|的|店|自己)?|自己|本店")
# Two-character words every reason shares, which say nothing of which one it is.
_COMMON = {"为了", "进一", "一步", "提升", "对抖", "抖音", "平台", "用户", "消费"}


def _bare(line: Line) -> Line:
    """A line without its leading 能。/不能。 (to follow a claim's 是的/不对) or a claim's
    first word."""
    for word in _LEADS:
        if line.text.startswith(word):
            return replace(line, text=line.text[len(word) :])
    return line


def _follow_ups(answered: Set[str], situations: Sequence[Situation], shown: Set[str]) -> Tuple[str, ...]:
    """The questions a merchant asks next: what the full explanation says and the reply
    does not (`shown`: its lines' kinds), such as why, since when, where; none when the
    answer is that the rule does not bind."""
    if not situations or all(s.exempt for s in situations):
        return ()
    told = {line.kind for s in situations for line in verdict(s, full=True)} - shown
    return tuple(q for q, kind in FOLLOW_UPS.items() if q not in answered and kind in told)


def explain(situations: Iterable[Situation], lead: Iterable[Line] = ()) -> str:
    """The full explanation: the answer, every fact of the decisions, the source quoted."""
    situations = list(situations)
    lines = list(lead)
    for line in (line for s in situations for line in verdict(s, full=True)):
        # A line of the answer that the full one says in more words gives it its place
        # (the same kind, or its words within: 「建议您…」 and 「建议您…，路径：…」).
        same = [i for i, said in enumerate(lines) if said.kind == line.kind != "" or _within(said, line)]
        if same:
            lines[same[0]] = line
        elif not any(_within(line, said) for said in lines):
            lines.append(line)
    said = "\n".join(line.text for line in lines)
    notes = [note for s in situations for d in s.decisions for note in d.notes]
    as_of = situations[0].decision.as_of if situations else dt.date.today()
    lines += [Line(f"说明：{n.said(as_of)}", n.clauses) for n in dict.fromkeys(notes) if n.said(as_of) not in said]
    texts = list(dict.fromkeys(line.text for line in lines))
    clauses = merge(*(line.clauses for line in lines))
    return "\n".join([*texts, *(_sources(situations[0].policy, clauses) if clauses and situations else ())])


def _sources(policy: Policy, clauses: Iterable[str]) -> List[str]:
    """Where the answer comes from, in words, in the notice's order: its title and parts,
    each with its passages (clause ids and quotes are for agents: `Reply.clauses`)."""
    cited = set(clauses)
    passages: Dict[str, List[str]] = {}
    for clause in (c for c in policy.clauses if c in cited):
        part, passage = policy.part(clause)
        named = passages.setdefault(part, [])
        named += [passage] if passage and passage not in named else []
    said = [f"{part}（{'、'.join(named)}）" if named else part for part, named in passages.items()]
    return [f"以上内容出自平台说明《{policy.clauses['标题']}》：{'；'.join(said)}。"]


def quotes(policy: Policy, clauses: Iterable[str]) -> List[str]:
    """The clauses an answer rests on, by id with their quotes, for agents."""
    return ["原文依据：", *(f"· {clause}：{policy.clauses[clause]}" for clause in clauses)]


def _presumed(
    presumes: Callable[[Decision, Policy], bool], decisions: Dict[Profile, Decision], policy: Policy
) -> Dict[Profile, Decision]:
    """The decisions a question takes for granted (all of them if it excludes every one)."""
    kept = {profile: d for profile, d in decisions.items() if presumes(d, policy)}
    return kept or decisions


_CASE_NAME = re.compile(r"^[^。：，,]{1,20}：")


def _words(line: Line) -> str:
    """What a line says, without its 能/不能, a claim's first word or its case's name."""
    return _CASE_NAME.sub("", _bare(line).text)


def _within(line: Line, other: Line) -> bool:
    """Whether `other` says all that `line` says."""
    return _words(line).rstrip("。") in other.text


def _once(lines: Iterable[Line]) -> List[Line]:
    """Each line once: the first of those that say the same thing (same kind, or the
    same words after their 能/不能 or their case's name: 「能。跨境店不受…」 and 「跨境店不受…」,
    「是的，如果您是达人…」 and 「个体店的授权号：如果您是达人…」); and no line whose every
    sentence an earlier line says (「这条限制已经全面生效。」 after 「是的，这条限制已经全面
    生效，…」, 「建议您…。」 after 「建议您…，路径：…」)."""
    kept: Dict[str, Line] = {}
    said = set()
    for line in lines:
        words = _words(line)
        told = "\n".join(line.text for line in kept.values())
        if words not in said and not all(part in told for part in _sentences(words)):
            kept.setdefault(line.kind or line.text, line)
        said.add(words)
    return list(kept.values())


_SENTENCE = re.compile(r"[。；\n]")
_LABEL = re.compile(r"^[^，。：]{1,30}：")


def _sentences(words: str) -> List[str]:
    """The sentences of a line, each without the label before its 「：」."""
    return [_LABEL.sub("", part) for part in _SENTENCE.split(words) if part.strip()]
