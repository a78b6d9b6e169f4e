"""What a merchant states, checked against the rule: claims in the engine's terms.

A claim says something of one subject's decision: whether others' products (or the
product named) may be added (`allowed`), how far the restriction has come (`status`),
that a stage happened at a date (`when`, optionally for the stage of one status), that
products carried in a live still reach the showcase's list (`synced`), or something the
source does not say at all (`beyond`: a number, a reason it does not give, a lifting).
`check` tells, for one decision, whether the claim holds (True), fails (False), or
cannot be told from the source (None). No I/O, no Rasa.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple

from actions.policy.engine import Decision
from actions.policy.model import Stage, Status

# Statuses in which the restriction binds the account.
_BINDING = (Status.INTERNAL_TEST, Status.IN_EFFECT)
_DATE = re.compile(r"(?:(\d{4})年|(今年|去年|前年|明年))?(\d{1,2})月(初|上旬|中下旬|中旬|下旬|底|末|份)?")
# A year said relative to today (「今年12月」).
_YEARS_AGO = {"今年": 0, "去年": 1, "前年": 2, "明年": -1}
# Periods of a month that one date word covers: 「12月」 covers every period of December.
_PERIODS = {
    "初": {"初"},
    "上旬": {"初"},
    "中旬": {"中"},
    "中下旬": {"中", "下"},
    "下旬": {"下"},
    "底": {"下"},
    "末": {"下"},
}
_WHOLE_MONTH = {"初", "中", "下"}


@dataclass(frozen=True)
class Claim:
    """A statement about a subject; None (or False for `beyond`) where it says nothing."""

    allowed: Optional[bool] = None
    status: Optional[Status] = None
    when: Optional[str] = None
    event: Optional[Status] = None
    synced: Optional[bool] = None
    closes: Optional[bool] = None
    beyond: bool = False
    by: bool = False

    @property
    def empty(self) -> bool:
        return self == Claim()


def encode(claim: Claim) -> Dict[str, str]:
    """The parts a claim states, as text (for NLU entities); `decode` reads them back."""
    found = {}
    for part in fields(Claim):
        value = getattr(claim, part.name)
        if value is None or value is False and part.name in ("beyond", "by"):
            continue
        found[part.name] = value.value if isinstance(value, Status) else str(value).lower()
    return found


def decode(parts: Mapping[str, str]) -> Claim:
    """The claim whose parts `encode` wrote; unknown parts and values are ignored."""
    read: Dict[str, Any] = {}
    for part in fields(Claim):
        value = parts.get(part.name)
        if value is None:
            continue
        if part.name in ("status", "event"):
            read[part.name] = next((s for s in Status if s.value == value), None)
        elif part.name == "when":
            read[part.name] = value
        elif value in ("true", "false"):
            read[part.name] = value == "true"
    return Claim(**read)


def check(claim: Claim, decision: Decision) -> Optional[bool]:
    """Whether `claim` holds for `decision`: each part it states must hold; None when a
    part cannot be told from the source and none fails."""
    results = [
        _allowed(claim.allowed, decision),
        _status(claim.status, decision),
        _dated(claim.when, claim.event, decision, claim.by),
        _synced(claim.synced, decision),
        _closes(claim.closes, decision),
        None if claim.beyond else True,
    ]
    stated = [result for result, part in zip(results, _parts(claim), strict=True) if part]
    if False in stated:
        return False
    return None if None in stated or not stated else True


def _parts(claim: Claim) -> Tuple[bool, ...]:
    return (
        claim.allowed is not None,
        claim.status is not None,
        claim.when is not None,
        claim.synced is not None,
        claim.closes is not None,
        claim.beyond,
    )


def _allowed(allowed: Optional[bool], decision: Decision) -> Optional[bool]:
    if allowed is None or decision.allowed is None:
        return None
    return allowed is decision.allowed


def _status(status: Optional[Status], decision: Decision) -> Optional[bool]:
    """A claimed stage of the restriction against the decision's: an account the rule
    does not bind is in none of them."""
    if status is None or decision.status is None:
        return None
    if decision.status not in _BINDING and decision.status is not Status.NOT_YET:
        return status not in _BINDING
    return status is decision.status


def _dated(when: Optional[str], event: Optional[Status], decision: Decision, by: bool = False) -> Optional[bool]:
    """A date claimed for the restriction: it holds when a stage of the decision's
    timeline (of the status claimed, if any) happened at that date, or, for a claim
    that it had happened `by` then (「12月底覆盖完」), at or before it."""
    if when is None:
        return None
    timeline = decision.timeline
    if timeline is None:
        return False if decision.status in (Status.EXEMPT, Status.NOT_AFFECTED) else None
    stages = [stage for stage in timeline.stages if event is None or stage.status is event]
    if by:
        if any(stage.start is None for stage in stages):
            return True  # in effect from the notice on, before any date it names
        last = _last_day(when, stages, decision.as_of)
        return last is not None and any(stage.started(last) for stage in stages)
    return any(_same_date(when, stage, decision.as_of) for stage in stages)


def _last_day(claimed: str, stages: Iterable[Stage], as_of: dt.date) -> Optional[dt.date]:
    """The last day a date the merchant says covers; without a year, the year of the
    timeline's dates (the notice's)."""
    said = _DATE.search(claimed)
    years = [stage.start.year for stage in stages if stage.start]
    if not said or not (said.group(1) or said.group(2) or years):
        return None
    year = int(said.group(1) or as_of.year - _YEARS_AGO.get(said.group(2) or "", as_of.year - years[0]))
    month = int(said.group(3))
    if not 1 <= month <= 12:
        return None
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    end = {"初": 10, "上旬": 10, "中旬": 20}.get(said.group(4) or "")
    return dt.date(year, month, end) if end else first_of_next - dt.timedelta(days=1)


def _synced(synced: Optional[bool], decision: Decision) -> Optional[bool]:
    """Products carried in a live no longer reach the showcase's list for a restricted
    account (五/橱窗短视频/影响2); the source says nothing of the others."""
    if synced is None or decision.allowed is not False:
        return None
    return synced is False


def _closes(closes: Optional[bool], decision: Decision) -> Optional[bool]:
    """Closing the shop frees the account where the source offers it (六/Q3: a fix
    limited to some merchants); elsewhere the source is silent."""
    if closes is None:
        return None
    offered = any(fix.when for fix in decision.fixes)
    return closes if offered else None


def _same_date(claimed: str, stage: Stage, as_of: dt.date) -> bool:
    """Whether a date the merchant says (a year relative to `as_of` included) is the
    stage's: the same year when said, the same month, an overlapping part of it."""
    if stage.when is None:
        return False
    said, known = _DATE.search(claimed), _DATE.search(stage.when)
    if not said or not known:
        return False
    year = said.group(1) or (str(as_of.year - _YEARS_AGO[said.group(2)]) if said.group(2) else None)
    if year and year != known.group(1):
        return False
    if int(said.group(3)) != int(known.group(3)):
        return False
    return bool(_covered(said.group(4)) & _covered(known.group(4)))


def _covered(period: Optional[str]) -> set[str]:
    return set(_PERIODS.get(period or "", _WHOLE_MONTH))


def truth(results: Iterable[Optional[bool]]) -> Optional[bool]:
    """One answer for several checks of the same claim: False if any fails, True if all
    hold, None when some cannot be told and none fails."""
    found = list(results)
    if False in found:
        return False
    return None if None in found or not found else True
