"""Applying the rule: facts about a merchant in, a Decision out. No I/O.

`evaluate` decides for one profile. What a merchant has told may leave several profiles
possible (an input not said yet, or only denied values); `assess` decides for each of
them, and `splitting_input` names the one input whose value changes what an answer
shows, so the assistant asks for that input only, and answers at once when none does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Dict, Hashable, Iterable, Mapping, Optional, Sequence, Set, Tuple

from actions.policy.loader import load_policy
from actions.policy.model import (
    INPUTS,
    PROFILE,
    Coverage,
    ErrorMessage,
    Policy,
    Scene,
    Stage,
    Status,
    Text,
    Timeline,
)
from actions.policy.vocabulary import normalise
from actions.policy.words import fold

_ALLOWED_BY_STATUS = {
    Status.NOT_YET: True,
    Status.INTERNAL_TEST: None,  # the random rollout may or may not cover the account yet
    Status.IN_EFFECT: False,
}
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Decision:
    """What the rule means for one merchant, with the clauses it rests on.

    `allowed` is None when it cannot be said: inputs are `missing`, or the rollout is
    in its internal test and may or may not cover the account yet.
    """

    facts: Mapping[str, Optional[str]]
    as_of: dt.date
    allowed: Optional[bool] = None
    status: Optional[Status] = None
    entry: Optional[Coverage] = None
    timeline: Optional[Timeline] = None
    stage: Optional[Stage] = None
    reason: Optional[str] = None
    fixes: Tuple[Text, ...] = ()
    path: Tuple[str, ...] = ()
    error_message: Optional[ErrorMessage] = None
    notes: Tuple[Text, ...] = ()
    clauses: Tuple[str, ...] = ()
    missing: Tuple[str, ...] = ()

    @property
    def rule(self) -> Optional[str]:
        """The id of the restriction or exemption applied."""
        return self.entry.id if self.entry else None

    @property
    def exemption(self) -> Optional[str]:
        """What an exemption that applies says, e.g. 「跨境店不受这条规则限制」."""
        return self.entry.text if self.entry else None


def evaluate(
    shop_type: Optional[str] = None,
    account_role: Optional[str] = None,
    scene: Optional[str] = None,
    product_source: Optional[str] = None,
    as_of: Optional[dt.date] = None,
    policy: Optional[Policy] = None,
) -> Decision:
    """Decide whether the merchant may add the product, and why.

    Inputs may be canonical ids or any alias ('旗舰', '授权帐号'); None means unknown.
    An unknown value raises UnknownValueError naming the allowed ones.
    """
    policy = policy or load_policy()
    given = zip(INPUTS, (shop_type, account_role, scene, product_source), strict=True)
    canonical = tuple(None if value is None else normalise(name, value, policy) for name, value in given)
    return _decide(canonical, as_of or dt.date.today(), policy)


@lru_cache(maxsize=4096)
def _decide(canonical: Tuple[Optional[str], ...], as_of: dt.date, policy: Policy) -> Decision:
    """evaluate() for canonical ids (decisions are immutable, so they are cached)."""
    facts = dict(zip(INPUTS, canonical, strict=True))
    entry = _coverage(policy, facts["shop_type"], facts["account_role"])
    place = policy.scenes.get(facts["scene"]) if facts["scene"] else None
    if entry is None:
        return Decision(
            facts=facts,
            as_of=as_of,
            path=place.path if place else (),
            clauses=place.clauses if place else (),
            missing=_unknown(facts, INPUTS),
        )
    if entry.status is not None:
        return Decision(
            facts=facts,
            as_of=as_of,
            allowed=True,
            status=entry.status,
            entry=entry,
            clauses=entry.clauses,
        )
    if facts["product_source"] in policy.unrestricted_products:
        return Decision(
            facts=facts,
            as_of=as_of,
            allowed=True,
            status=Status.NOT_AFFECTED,
            entry=entry,
            path=place.path if place else (),
            clauses=_merge(entry.clauses, place.clauses if place else ()),
        )
    return _restricted(facts, as_of, entry, place)


def _restricted(facts: Dict[str, Optional[str]], as_of: dt.date, entry: Coverage, place: Optional[Scene]) -> Decision:
    timeline = entry.timeline
    assert timeline is not None, "the loader gives every restriction a timeline"
    stage = current_stage(timeline, as_of)
    status = stage.status if stage else Status.NOT_YET
    allowed = _ALLOWED_BY_STATUS[status] if facts["product_source"] else None
    blocked = allowed is not True
    fixes = entry.fixes if blocked else ()
    caveat = timeline.caveat(as_of)
    notes = _present(*entry.notes, stage.note if stage else None, *(place.notes if place else ()), caveat)
    error = place.error if place and blocked else None
    dated = [stage.clauses if stage else timeline.clauses]
    dated += [note.clauses for note in (stage.note if stage else None, caveat) if note]
    return Decision(
        facts=facts,
        as_of=as_of,
        allowed=allowed,
        status=status,
        entry=entry,
        timeline=timeline,
        stage=stage,
        reason=place.reason.text if place else None,
        fixes=fixes,
        path=place.path if place else (),
        error_message=error,
        notes=notes,
        clauses=_merge(
            entry.clauses,
            *(_own(entry, clauses) for clauses in dated),
            place.clauses if place else (),
            place.reason.clauses if place else (),
            error.clauses if error else (),
            *(fix.clauses for fix in fixes),
            *(note.clauses for note in notes if note not in (caveat, stage and stage.note)),
        ),
        missing=_unknown(facts, ("scene", "product_source")),
    )


# Per profile input, the values the merchant may still have.
Candidates = Mapping[str, Tuple[str, ...]]
# One value per profile input, in PROFILE order.
Profile = Tuple[str, ...]


def candidates(
    policy: Policy,
    claimed: Mapping[str, Sequence[str]],
    denied: Mapping[str, Sequence[str]],
) -> Dict[str, Tuple[str, ...]]:
    """The values each profile input may still have: those the merchant claimed, or
    else every value they have not denied. An account bound to no shop has no shop
    type: a shop type claimed leaves it out of the roles (「我们是跨境店」)."""
    found = {}
    for name in PROFILE:
        said = tuple(claimed.get(name) or ())
        ruled_out = set(denied.get(name) or ())
        if name == "account_role" and claimed.get("shop_type"):
            ruled_out |= set(policy.unbound_roles)
        found[name] = said or tuple(v for v in policy.values(name) if v not in ruled_out)
        found[name] = found[name] or policy.values(name)
    return found


def assess(
    possible: Candidates,
    product_source: Optional[str] = None,
    as_of: Optional[dt.date] = None,
    policy: Optional[Policy] = None,
) -> Dict[Profile, Decision]:
    """The decision for every profile the candidates allow."""
    policy = policy or load_policy()
    source = normalise("product_source", product_source, policy) if product_source else policy.default_product_source
    today = as_of or dt.date.today()
    return {
        profile: _decide((*profile, source), today, policy)
        for profile in itertools.product(*(possible[name] for name in PROFILE))
    }


def splitting_input(decisions: Mapping[Profile, Decision], view: Callable[[Decision], Hashable]) -> Optional[str]:
    """The first profile input (in the order the assistant asks) whose value changes the
    `view` of the decisions while the others stay fixed; None when every decision
    shows the same."""
    if len({view(decision) for decision in decisions.values()}) <= 1:
        return None
    for position, name in enumerate(PROFILE):
        shown: Dict[Profile, Set[Hashable]] = {}
        for profile, decision in decisions.items():
            others = profile[:position] + profile[position + 1 :]
            shown.setdefault(others, set()).add(view(decision))
        if any(len(views) > 1 for views in shown.values()):
            return name
    return None


def _own(entry: Coverage, clauses: Tuple[str, ...]) -> Tuple[str, ...]:
    """A timeline shared by several rules cites all their clauses: keep this rule's."""
    return tuple(clause for clause in clauses if clause in entry.clauses) or clauses


def current_stage(timeline: Timeline, as_of: dt.date) -> Optional[Stage]:
    """The latest stage that has started by `as_of`; None before the first."""
    started = [s for s in timeline.stages if s.start is None or s.start <= as_of]
    return started[-1] if started else None


def _coverage(policy: Policy, shop_type: Optional[str], role: Optional[str]) -> Optional[Coverage]:
    """The entry that applies, or None while a missing input could change it.

    When every entry the known inputs leave open is an exemption, the answer no longer
    depends on the missing input (a cross-border shop is exempt whatever the role).
    """
    candidates = [entry for entry in policy.coverage if entry.covers(shop_type, role)]
    if len(candidates) == 1 or all(entry.status for entry in candidates):
        return candidates[0]
    return None


def match_error(text: str, policy: Optional[Policy] = None) -> Optional[ErrorMessage]:
    """The platform error message that `text` quotes, exactly, partly or mistyped.

    None when it quotes neither, or both equally (e.g. only '添加联盟商品').
    """
    policy = policy or load_policy()
    said = _letters(text)
    scored = sorted(
        ((_overlap(_letters(error.text), said), error) for error in policy.errors.values()),
        key=lambda pair: pair[0],
        reverse=True,
    )
    (best, error), runner_up = scored[0], (scored[1][0] if len(scored) > 1 else 0.0)
    return error if best >= 0.25 and best - runner_up >= 0.1 else None


def match_errors(text: str, policy: Optional[Policy] = None) -> Tuple[ErrorMessage, ...]:
    """Every platform error `text` quotes or names by one of its key phrases; the one
    it quotes best first."""
    policy = policy or load_policy()
    said = _letters(text)
    quoted = match_error(text, policy)
    named = [e for e in policy.errors.values() if any(_letters(key) in said for key in e.keys)]
    return tuple(dict.fromkeys([*([quoted] if quoted else []), *named]))


def _letters(text: str) -> str:
    return _NOT_WORD.sub("", fold(text))


def _overlap(reference: str, said: str) -> float:
    """Share of `reference` found in `said`, in runs of three characters or more."""
    blocks = SequenceMatcher(None, reference, said, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks if block.size >= 3) / len(reference)


def _unknown(facts: Mapping[str, Optional[str]], names: Iterable[str]) -> Tuple[str, ...]:
    return tuple(name for name in names if facts[name] is None)


def _present(*texts: Optional[Text]) -> Tuple[Text, ...]:
    return tuple(dict.fromkeys(text for text in texts if text is not None))


def _merge(*groups: Iterable[str]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(clause for group in groups for clause in group))
