"""Question frames: what a message asks, of whom, read with the conversation so far.

A frame holds the questions asked (topics, the main one first) and their subjects: each
a set of profiles (per input, the values it may still have), the merchant's own or one
of several the message names (「旗舰店的号和个体店的号」), or every value of an input (a
class: 「所有类型的店」). A claim to check goes with each subject. `own` says the
merchant asks about their own case: then the assistant asks for an input that splits the
answer, where for anyone else it answers each case. The last answered frame is kept
(`as_slot` / `from_slot`): an elliptical follow-up (「那短视频呢」, 「为什么」) or a
correction is read against it. No Rasa.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from actions.answers import DEFAULT_QUESTION, TOPICS, Frame, Reply, Subject, answer
from actions.answers.topics import Topic
from actions.policy import PROFILE, Policy, candidates
from actions.policy.claims import Claim, decode, encode
from actions.understanding import (
    BEYOND,
    FUTURE,
    REASON,
    SAME_TIME,
    VERDICT,
    WHO,
    WHO_INPUTS,
    Statement,
    Understanding,
    Values,
    profile,
    understand,
)

PASTED, WHEN = "report_error_message", "ask_when_effective"
# What a claim states decides the question it is checked as.
_CLAIM_TOPICS = (
    ("synced", "ask_why_live_products_not_in_showcase"),
    ("closes", "ask_keep_selling_as_creator"),
    ("when", WHEN),
    ("status", "ask_rule_status"),
    ("allowed", VERDICT),
)


def from_slot(value: Any, policy: Policy) -> Optional[Frame]:
    """The frame `as_slot` wrote, or None for anything else (an old or foreign value)."""
    if not isinstance(value, dict) or not isinstance(value.get("subjects"), list):
        return None
    asks = tuple(q for q in value.get("asks") or () if q in TOPICS)
    subjects = tuple(
        Subject({name: _known(policy, name, s.get(name)) for name in PROFILE}, _claim(s.get("claim")))
        for s in value["subjects"]
        if isinstance(s, dict)
    )
    if not asks or not subjects:
        return None
    return Frame(
        asks=asks,
        subjects=subjects,
        own=bool(value.get("own", True)),
        product_source=value.get("product_source") if isinstance(value.get("product_source"), str) else None,
    )


def read_frame(
    understood: Understanding,
    claimed: Values,
    denied: Values,
    last: Optional[Frame],
    policy: Policy,
    known: Optional[Mapping[str, Sequence[str]]] = None,
) -> Optional[Frame]:
    """The frame of a message asking `understood.questions`, for a merchant whose
    profile is now `claimed`/`denied` (this message merged with what was `known`);
    `last` is the frame answered before. None when the message asks nothing."""
    if not understood.questions:
        return None
    if BEYOND in understood.questions:
        # 「授权取消掉，那个号是不是就能…」: what lies beyond the source is no claim the
        # engine can check; it is said to be beyond it.
        understood = replace(understood, claims={})
    elif FUTURE in understood.questions:
        understood = replace(understood, claims=_of_today(understood.claims))
    follows = last is not None and (understood.follows_up or understood.corrects or _facts_only(understood))
    if follows and last is not None:
        return _followed(understood, denied, last, policy)
    bases = _bases(understood, claimed, known or {})
    # Chinese leaves the subject out (「橱窗还能挂联盟的吗」): a question is the merchant's
    # own unless it names a class or several subjects.
    own = not understood.each and len(bases) == 1
    subjects = _subjects(bases, understood, denied, policy)
    return Frame(
        asks=_asks(understood, subjects),
        subjects=subjects,
        own=own,
        product_source=understood.product_source,
        errors=tuple(e.id for e in understood.errors),
        compares=understood.compares,
        asked_with=_asked_with(understood),
        closed=understood.closed,
        why=understood.why,
        generalised=tuple(name for name in understood.each if name not in understood.implied),
    )


def _of_today(claims: Mapping[Optional[int], Statement]) -> Dict[Optional[int], Statement]:
    """What a question about the rule's future states that today's rule can check: a
    verdict it asks will come (「跨境店以后会不会也被限制」) is not; one the merchant
    asserts (「到12月底限制就取消了 是吧」) is checked, and so is a stage or a date."""
    kept = {}
    for group, said in claims.items():
        claim = replace(said.claim, allowed=None) if said.asked == "会" else said.claim
        if not claim.empty:
            kept[group] = replace(said, claim=claim)
    return kept


def _asked_with(understood: Understanding) -> str:
    return next((s.asked for s in understood.claims.values() if s.asked), "")


def _facts_only(understood: Understanding) -> bool:
    """A message that only tells facts (「个体店」, "it's an individual store")."""
    return understood.intent in ("inform_profile", "nlu_fallback", "out_of_scope") and bool(
        understood.claimed or understood.denied
    )


def _followed(understood: Understanding, denied: Values, last: Frame, policy: Policy) -> Frame:
    """The last frame, with what this message names replacing its values, asking what
    this message asks by its own words, or else what was asked before."""
    said = {name: values for name, values in understood.claimed.items() if values}
    # 「那是刚上线的功能吧」: what a follow-up states is stated of what was discussed;
    # 「那旗舰店的授权号 跟跨境店的官方号呢」: the subjects it names replace those before.
    # 「哦搞错了 是跨境店的授权号」: a correction checks again what was stated before.
    statement = understood.claims.get(None)
    bases = [{**last.subjects[0].possible, **g} for g in understood.groups] or [
        _replaced(s.possible, said, policy) for s in last.subjects
    ]
    # The same subjects keep what was stated of them, unless this message states anew
    # or asks whether they may in its own words (「那开播以后呢 播着播着能加不」).
    again = statement is None and len(bases) == len(last.subjects) and VERDICT not in understood.worded
    kept = [(s.claim, s.reason) for s in last.subjects]
    subjects = tuple(
        Subject(_narrowed(base, denied, policy), *(kept[i] if again else _stated(statement)))
        for i, base in enumerate(bases)
    )
    own_words = tuple(q for q in understood.questions if q in TOPICS and _asked_by_this(understood, q))
    # A correction asks again what was asked; so does a follow-up that names whom it is
    # about (「那我们的授权号呢」, 「官方号也算吗」): whether they are affected is what was asked.
    again = understood.corrects or bool(said) and set(own_words) <= {WHO}
    # A correction that tells more (「…当初开店就是为了收款」) also asks what its words ask.
    asked = (*last.asks, *own_words) if again else own_words or last.asks
    if said and not own_words and not TOPICS[asked[0]].view and set(said) <= set(WHO_INPUTS):
        # 「个体店」 after 「为什么」: who the merchant is changes no answer about the rule
        # itself (a scene does: 「那橱窗呢」); it is told for the merchant's verdict.
        asked = (DEFAULT_QUESTION,)
    asks = _asks(replace(understood, questions=tuple(dict.fromkeys(asked))), subjects)
    return replace(
        last,
        own=last.own and len(subjects) == 1,
        asks=asks,
        subjects=_dedup(subjects),
        product_source=understood.product_source or last.product_source,
        errors=tuple(e.id for e in understood.errors),
        compares=understood.compares,
        asked_with=_asked_with(understood) if statement else last.asked_with,
        closed=understood.closed,
        why=understood.why,
    )


def _replaced(possible: Mapping[str, Sequence[str]], said: Values, policy: Policy) -> Dict[str, Sequence[str]]:
    """A subject's values with those said now: a shop type said replaces an account
    bound to no shop (which has none)."""
    merged: Dict[str, Sequence[str]] = {**possible, **said}
    if said.get("shop_type") and not said.get("account_role"):
        merged["account_role"] = [r for r in possible.get("account_role", ()) if r not in policy.unbound_roles]
    return merged


def _asked_by_this(understood: Understanding, question: str) -> bool:
    """Whether this message asks `question` itself: a sure intent, or its words
    (「那要是一直这样 会扣保证金不」 asks beyond the source)."""
    by_intent = understood.sure and understood.intent == question and question != "inform_profile"
    # Only words ask a question beyond the source or one marked `asked_by_words`.
    by_words = question in understood.worded and (question == BEYOND or TOPICS[question].asked_by_words)
    # 「为什么」 asks the reason (the understanding makes it the question only then).
    return by_intent or by_words or question == REASON and understood.why


def _bases(understood: Understanding, claimed: Values, known: Mapping[str, Sequence[str]]) -> List[Values]:
    """The values of each subject: one per group the message names (what a group leaves
    unsaid is as known before: 「那我们的授权号呢？另外还有个跨境店」), else the profile."""
    if len(understood.groups) > 1:
        before = {n: tuple(v) for n, v in known.items() if v}
        unsaid = {n: v for n, v in claimed.items() if not any(n in g for g in understood.groups)}
        return [{**before, **unsaid, **g} for g in understood.groups]
    return [dict(claimed)]


def _subjects(
    bases: Sequence[Values], understood: Understanding, denied: Values, policy: Policy
) -> Tuple[Subject, ...]:
    """Subjects with their candidates and claims; a class input takes every value; a
    value said to be the only one (「只有官方号」) adds the others, stated the opposite."""
    found: List[Subject] = []
    statements = understood.claims
    only = next((said for said in statements.values() if said.only and said.claim.allowed is not None), None)
    for index, base in enumerate(bases, 1):
        values = {name: () if name in understood.each else base.get(name, ()) for name in PROFILE}
        said = statements.get(index if len(bases) > 1 else None) or statements.get(None) or _besides(only, base)
        if said and said.only and said.only_value in values[said.only]:
            values[said.only] = _mates(said.only, said.only_value, policy)
        subject = Subject(_narrowed(values, denied, policy), *(_stated(said)))
        found.append(subject)
        if said and said.only and said.claim.allowed is not None:
            # 「只有官方号跟授权号加不了」: the others are those no subject names.
            named = {v for other in bases if other is not base for v in other.get(said.only, ())}
            found += [s for s in _others(subject, said, policy) if not named & set(s.possible[said.only])]
    return _dedup(found)


def _besides(only: Optional[Statement], base: Values) -> Optional[Statement]:
    """What 「只有X受限」 states of another value named beside X (「…授权号不受？」): the
    opposite."""
    if only is None or only.only is None or not base.get(only.only) or only.only_value in base[only.only]:
        return None
    claim = replace(only.claim, allowed=not only.claim.allowed)
    return replace(only, claim=claim, only=None, only_value=None)


def _stated(said: Optional[Statement]) -> Tuple[Optional[Claim], Optional[str]]:
    if said is None:
        return None, None
    return said.claim, said.reason


def _mates(name: str, value: str, policy: Policy) -> Tuple[str, ...]:
    """A value said to be the only one, with those of the same place (直播 is the live
    room before and during a live)."""
    if name != "scene":
        return (value,)
    place = policy.scenes[value].place
    return tuple(s for s in policy.values("scene") if policy.scenes[s].place == place)


def _others(subject: Subject, said: Statement, policy: Policy) -> List[Subject]:
    """「只有X受影响」: every other value of X is said to be the opposite. For scenes,
    the others are the other places (直播间 before and during is one place)."""
    name = str(said.only)
    mine = subject.possible[name]
    if name == "scene":
        places = {policy.scenes[s].place for s in mine}
        others = tuple(s for s in policy.values("scene") if policy.scenes[s].place not in places)
    else:
        others = tuple(v for v in policy.values(name) if v not in mine)
    opposite = replace(said.claim, allowed=not said.claim.allowed)
    return [Subject({**subject.possible, name: (value,)}, opposite) for value in others]


def _narrowed(values: Mapping[str, Sequence[str]], denied: Values, policy: Policy) -> Dict[str, Tuple[str, ...]]:
    return candidates(policy, {n: tuple(values.get(n) or ()) for n in PROFILE}, denied)


def _asks(understood: Understanding, subjects: Sequence[Subject]) -> Tuple[str, ...]:
    """The questions asked; a claim is checked as the question of what it states; a
    comparison (「这俩号规则一样吗」) compares what each subject may do, one of times
    (「是不是同时开始限制的」) their dates."""
    asked = list(understood.questions)
    if understood.compares == SAME_TIME:
        # 「生效时间一样吗」: when each began is what is compared, whatever the classifier guessed.
        asked = [WHEN, *(q for q in asked if q != WHEN)]
    of_verdicts = understood.compares and understood.compares != SAME_TIME
    if of_verdicts and asked and VERDICT not in asked[:1] and asked[0] != "report_error_message":
        asked = [VERDICT, *(q for q in asked if q != VERDICT)]
    elif len(subjects) > 1 and asked and _personal(TOPICS[asked[0]]) and VERDICT not in asked:
        # 「凭什么我们旗舰店不能带 隔壁跨境店就可以」: a question of the rule that speaks
        # to the merchant's case, asked of several, is followed by what each may do.
        asked.append(VERDICT)
    claims = [s.claim for s in subjects if s.claim is not None]
    if claims:
        stated = next((topic for part, topic in _CLAIM_TOPICS if any(encode(c).get(part) for c in claims)), None)
        # A pasted error is answered as such (it happens to restricted accounts only);
        # 「不能带了」 said in a claim is no error.
        pasted = asked[0] == PASTED and understood.errors
        if stated and stated in TOPICS and (stated != VERDICT or not pasted):
            # The classifier's unsure guess is no question beside the claim's, nor is a
            # blocked merchant's verdict beside the verdict the claim is checked as.
            beside = {stated, None if understood.sure else understood.intent, PASTED if stated == VERDICT else None}
            asked = [stated, *(q for q in asked if q not in beside)]
    return tuple(dict.fromkeys(asked))


def _personal(topic: Topic) -> bool:
    """A question of the rule itself (no case by case view) whose answer speaks to the
    merchant's case (the reason, why others still sell, the quota)."""
    return topic.personal and topic.view is None


def _dedup(subjects: Sequence[Subject]) -> Tuple[Subject, ...]:
    seen: Dict[Tuple[Any, ...], Subject] = {}
    for s in subjects:
        key = (tuple((n, tuple(v)) for n, v in sorted(s.possible.items())), s.claim)
        seen.setdefault(key, s)
    return tuple(seen.values())


def _claim(parts: Any) -> Optional[Claim]:
    """The claim a slot's subject carries, or None (none, or not one `encode` wrote)."""
    if not isinstance(parts, dict) or not parts:
        return None
    claim = decode({str(k): str(v) for k, v in parts.items()})
    return None if claim.empty else claim


def _known(policy: Policy, name: str, values: Any) -> Tuple[str, ...]:
    listed = values if isinstance(values, list) else []
    return tuple(v for v in listed if isinstance(v, str) and v in policy.values(name))


@dataclass(frozen=True)
class Turn:
    """One message, understood and answered: the reading, the merchant's profile after
    it, its frame (None when it asks nothing) and the reply to it."""

    understood: Understanding
    claimed: Values
    denied: Values
    frame: Optional[Frame]
    reply: Optional[Reply]


def take_turn(
    parse: Mapping[str, Any],
    known: Mapping[str, Sequence[str]],
    ruled_out: Mapping[str, Sequence[str]],
    last: Optional[Frame],
    pending: Optional[str],
    policy: Policy,
    as_of: Optional[dt.date] = None,
) -> Turn:
    """Reads a parsed message against what is known (the profile `known`, the values
    `ruled_out`, the frame answered `last`, the question `pending`) and answers it: the
    one reading the chat and the agent console share."""
    understood = understand(parse, policy, pending, answered=last is not None)
    claimed, denied = profile(understood, known, ruled_out, policy)
    frame = read_frame(understood, claimed, denied, last, policy, known)
    reply = answer(frame, as_of, policy) if frame else None
    return Turn(understood, claimed, denied, frame, reply)
