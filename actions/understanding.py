"""What a merchant's message asks and says, read from the NLU's parse.

One reading serves the chat (actions.actions) and the agent console (channels): the
questions asked, the main one first; the values of the engine's inputs the merchant
claims and denies; the platform errors they pasted; whether they report being blocked.
`profile` merges them with what was known before. A message that carries facts of the
rule is a question about the rule even when the intent classifier is unsure. No Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from actions.answers import DEFAULT_QUESTION, TOPICS
from actions.policy import PROFILE, Policy, UnknownValueError, normalise
from actions.policy.model import ErrorMessage

FALLBACK, OUT_OF_SCOPE, INFORM = "nlu_fallback", "out_of_scope", "inform_profile"
# Entities the NLU adds beside the engine's inputs (components/merchant_facts.py).
DENIED, QUESTION, ERROR, BLOCKED = "denied", "question", "error", "blocked"
# Intent confidence below which the assistant offers the other likely questions too.
SURE = 0.7
# A question the classifier ranks at least this high is taken as the one asked, when
# the message carries facts but no intent was sure.
LIKELY = 0.3
PASTED_ERROR, VERDICT = "report_error_message", "ask_why_cannot_add"
WHERE, ERROR_LOCATION = "ask_where_to_operate", "ask_error_location"
# The merchant restates the rule (「…只能卖本店商品了对吧」): not the question when
# another is asked.
_RESTATED = re.compile(
    r"对吧|是吧|对不对|是不是这样|没错吧|我理解|我了解|我知道|知道了|我懂|明白了|看过了|\bok\b|"
    r"只(能|可以|让)(卖|放|加|添加|带|挂|上)?(本店|自己|自家)|"
    r"(?<![能可])不(能|让|可以)(卖|带|加|挂|放)(别人|别家|其他|联盟|非本店)"
)
# Facts that make an unsure message a question about the rule on their own; a shop type
# or a scene alone does not (「旗舰店的物流」, 「直播间的美颜」).
_WEAK = ("shop_type", "scene")

Values = Dict[str, Tuple[str, ...]]


@dataclass(frozen=True)
class Understanding:
    """One message, understood."""

    intent: Optional[str]
    confidence: float
    questions: Tuple[str, ...] = ()
    claimed: Values = field(default_factory=dict)
    denied: Values = field(default_factory=dict)
    product_source: Optional[str] = None
    errors: Tuple[ErrorMessage, ...] = ()
    blocked: bool = False
    likely: Tuple[str, ...] = ()

    @property
    def sure(self) -> bool:
        return self.intent in TOPICS and self.confidence >= SURE

    @property
    def about_the_rule(self) -> bool:
        """Whether the message carries facts of the rule. One the classifier called out
        of scope needs a role, whose products, a pasted error, being blocked, or a shop
        type with a scene: 「旗舰店的物流」 and 「直播间的美颜」 are not about the rule."""
        named = {name for name, values in {**self.claimed, **self.denied}.items() if values}
        strong = named - set(_WEAK) or self.product_source or self.errors or self.blocked
        if self.intent != OUT_OF_SCOPE:
            return bool(named or strong)
        return bool(strong or len(named & set(_WEAK)) > 1)


def understand(parse: Mapping[str, Any], policy: Policy, pending: Optional[str] = None) -> Understanding:
    """The questions and facts of a parsed message (Rasa's parse data); `pending` is a
    question still waiting for an input, which a message of facts answers."""
    entities = [e for e in parse.get("entities") or [] if isinstance(e, dict)]
    intent = parse.get("intent") or {}
    ranking = [
        (str(i.get("name")), float(i.get("confidence") or 0.0))
        for i in parse.get("intent_ranking") or []
        if isinstance(i, dict) and i.get("name") != FALLBACK
    ]
    name = intent.get("name")
    if name == FALLBACK and ranking and ranking[0][0] == OUT_OF_SCOPE:
        name = OUT_OF_SCOPE
    claimed, denied = _values(entities, PROFILE, policy)
    sources, _ = _values(entities, ("product_source",), policy)
    found = {str(e.get("value")) for e in entities if e.get("entity") == ERROR}
    understood = Understanding(
        intent=name,
        confidence=float(intent.get("confidence") or 0.0),
        claimed=claimed,
        denied=denied,
        product_source=(sources.get("product_source") or (None,))[-1],
        errors=tuple(error for key, error in policy.errors.items() if key in found),
        blocked=any(e.get("entity") == BLOCKED for e in entities),
        likely=tuple(q for q, _ in ranking if q in TOPICS and q != name)[:3],
    )
    cues = [str(e.get("value")) for e in entities if e.get("entity") == QUESTION and e.get("value") in TOPICS]
    asked = _asked(understood, ranking, cues, str(parse.get("text") or ""), pending)
    return replace(understood, questions=asked)


def profile(
    understood: Understanding,
    known: Mapping[str, Sequence[str]],
    ruled_out: Mapping[str, Sequence[str]],
    policy: Policy,
) -> Tuple[Values, Values]:
    """(claimed, denied) values of the profile inputs after this message: what it says
    replaces what was known; a denied value stays ruled out until claimed again; pasted
    errors name the scenes they appear in."""
    claimed: Values = {}
    denied: Values = {}
    for name in PROFILE:
        said = understood.claimed.get(name, ())
        no = set(understood.denied.get(name, ()))
        claimed[name] = tuple(v for v in (said or tuple(known.get(name) or ())) if v not in no)
        kept = [v for v in ruled_out.get(name) or () if v not in said]
        denied[name] = tuple(dict.fromkeys([*kept, *understood.denied.get(name, ())]))
    if understood.errors and not understood.claimed.get("scene"):
        claimed["scene"] = tuple(s.id for s in policy.scenes.values() if s.error in understood.errors)
    return claimed, denied


def _values(entities: List[Dict[str, Any]], inputs: Sequence[str], policy: Policy) -> Tuple[Values, Values]:
    """Claimed and denied values of `inputs`, canonical, in the order said."""
    found: Dict[bool, Dict[str, List[str]]] = {True: {}, False: {}}
    for entity in sorted(entities, key=lambda e: e.get("start") or 0):
        name = str(entity.get("entity"))
        if name not in inputs:
            continue
        try:
            value = normalise(name, str(entity.get("value")), policy)
        except UnknownValueError:
            continue
        values = found[entity.get("role") == DENIED].setdefault(name, [])
        if value not in values:
            values.append(value)
    claimed, denied = ({k: tuple(v) for k, v in found[side].items()} for side in (False, True))
    return claimed, denied


def _asked(
    understood: Understanding, ranking: List[Tuple[str, float]], cues: List[str], text: str, pending: Optional[str]
) -> Tuple[str, ...]:
    """The questions a message asks, the main one first; further questions only beside
    a main one."""
    main = _main(understood, ranking, cues, pending)
    if not main:
        return ()
    asked = list(dict.fromkeys([main, *cues]))
    general = not TOPICS[main].view and not TOPICS[main].suggests_topics
    if VERDICT in cues and general and not understood.sure and any(understood.claimed.values()):
        # 「个体店官方号 …还允许吗」: a merchant who says who they are and asks whether
        # they may is asking for their verdict first, when the classifier was unsure.
        asked = [VERDICT, *(q for q in asked if q != VERDICT)]
    if understood.blocked:
        asked = [PASTED_ERROR if q == VERDICT else q for q in asked]
    if understood.errors:
        asked = [ERROR_LOCATION if q == WHERE else q for q in asked]
        if ERROR_LOCATION in asked:
            asked = [q for q in asked if q not in (PASTED_ERROR, VERDICT)]
    if _RESTATED.search(text) and any(q not in (VERDICT, PASTED_ERROR) for q in asked):
        asked = [q for q in asked if q not in (VERDICT, PASTED_ERROR)]
    return tuple(dict.fromkeys(asked))


def _main(understood: Understanding, ranking: List[Tuple[str, float]], cues: List[str], pending: Optional[str]) -> Optional[str]:
    """The main question: the intent's; else, for a message of facts, the question
    waiting for them, or the likeliest one."""
    intent = understood.intent
    if intent in TOPICS:
        return str(intent)
    if intent not in (FALLBACK, OUT_OF_SCOPE, INFORM) or not (understood.about_the_rule or (intent == INFORM and pending)):
        return None
    if pending in TOPICS and TOPICS[pending].view:
        return pending
    best = next((q for q, confidence in ranking if q in TOPICS and confidence >= LIKELY), None)
    return best or (cues[0] if cues else PASTED_ERROR if understood.errors or understood.blocked else DEFAULT_QUESTION)
