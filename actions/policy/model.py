"""The rule as typed data: what the loader (loader.py) builds from policy.yml."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import FrozenSet, Mapping, Optional, Pattern, Tuple

# The engine's inputs, in the order the assistant asks for them.
INPUTS = ("shop_type", "account_role", "scene", "product_source")
# The inputs that describe the merchant and may be asked for; the product source is not.
PROFILE = ("shop_type", "account_role", "scene")


class PolicyError(ValueError):
    """The policy data file is malformed; the message names the entry."""


class Status(str, Enum):
    """Whether the restriction applies to a profile on a given date."""

    NOT_YET = "not_yet"
    INTERNAL_TEST = "internal_test"
    IN_EFFECT = "in_effect"
    EXEMPT = "exempt"
    NOT_AFFECTED = "not_affected"


@dataclass(frozen=True)
class Value:
    """One canonical value of an input, with the names and descriptions merchants use."""

    id: str
    label: str
    aliases: Tuple[str, ...]
    patterns: Tuple[Pattern[str], ...] = ()
    ruled_out_by: Tuple[Pattern[str], ...] = ()

    @property
    def short(self) -> str:
        """The name that stands in for the value in a text: its label, or its first
        alias when the label carries a qualifier in brackets (直播间（开播前） → 直播间)."""
        return self.aliases[0] if "（" in self.label and self.aliases else self.label


@dataclass(frozen=True)
class Text:
    """A sentence of fact and the source clauses it rests on.

    A fix may be limited to the merchants the source offers it to (`when`), and to
    some shop types. A note the source ties to some scenes (`scenes`) is said with the
    verdict there. A sentence about something ahead may have a `past` wording, said
    from `past_from` on.
    """

    id: str
    text: str
    clauses: Tuple[str, ...]
    when: Optional[str] = None
    shop_types: Tuple[str, ...] = ()
    scenes: Tuple[str, ...] = ()
    past: Optional[str] = None
    past_from: Optional[dt.date] = None

    def said(self, as_of: dt.date) -> str:
        """The wording for `as_of`: the past one once its date has come."""
        if self.past and self.past_from and as_of >= self.past_from:
            return self.past
        return self.text


@dataclass(frozen=True)
class Stage:
    """From `start` on (None: already, no date given) the restriction has `status`:
    `event` happened `when` (the source's date words; None without a date)."""

    status: Status
    start: Optional[dt.date]
    event: str
    clauses: Tuple[str, ...]
    when: Optional[str] = None
    note: Optional[Text] = None

    @property
    def label(self) -> str:
        """What happened, with its date: 「2023年12月中旬全部生效」."""
        return f"{self.when or ''}{self.event}"

    def started(self, as_of: dt.date) -> bool:
        return self.start is None or self.start <= as_of

    def told(self, as_of: dt.date) -> str:
        """The stage as of `as_of`: what happened (「2023年12月中旬已全部生效」), or
        「预计…」 while it is ahead."""
        if not self.started(as_of):
            return f"预计{self.label}"
        return f"{self.when}已{self.event}" if self.when else self.event


@dataclass(frozen=True)
class Timeline:
    id: str
    stages: Tuple[Stage, ...]
    clauses: Tuple[str, ...]
    note: Optional[Text] = None

    def caveat(self, as_of: dt.date) -> Optional[Text]:
        """The note that goes with the dates (「以上日期均为预计」) while one is ahead."""
        ahead = any(not stage.started(as_of) for stage in self.stages)
        return self.note if ahead else None


@dataclass(frozen=True)
class Coverage:
    """A restriction (with a timeline) or an exemption (with a status and what to say)
    for a set of shop types and account roles."""

    id: str
    shop_types: Tuple[str, ...]
    roles: Tuple[str, ...]
    clauses: Tuple[str, ...]
    timeline: Optional[Timeline] = None
    status: Optional[Status] = None
    text: Optional[str] = None
    who: Optional[str] = None
    brief: Optional[str] = None
    fixes: Tuple[Text, ...] = ()
    notes: Tuple[Text, ...] = ()

    def covers(self, shop_type: Optional[str], role: Optional[str]) -> bool:
        """Whether this entry can apply, treating an unknown input as a wildcard."""
        return (shop_type is None or shop_type in self.shop_types) and (role is None or role in self.roles)


@dataclass(frozen=True)
class ErrorMessage:
    """A platform error, the short phrases that name it alone, and where it appears."""

    id: str
    text: str
    keys: Tuple[str, ...]
    where: str
    scene: str
    clauses: Tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    """Where products are added: the place it belongs to, the back-office path, the
    error a blocked merchant sees there, and the reason the source gives."""

    id: str
    place: str
    path: Tuple[str, ...]
    error: ErrorMessage
    reason: Text
    clauses: Tuple[str, ...]
    notes: Tuple[Text, ...] = ()


def _from(section: str) -> Mapping[str, str]:
    return {"section": section}


@dataclass(frozen=True)
class Quoted:
    """The policy texts the answers quote by name, declared once: the loader fails when
    policy.yml lacks one, and the answers read them as attributes (type-checked)."""

    who_is_affected: Text = field(metadata=_from("notes"))
    not_a_quota: Text = field(metadata=_from("notes"))
    future_unknown: Text = field(metadata=_from("notes"))
    gradual_rollout: Text = field(metadata=_from("notes"))
    no_showcase_sync: Text = field(metadata=_from("notes"))
    source_silent: Text = field(metadata=_from("notes"))
    beyond_source: Text = field(metadata=_from("notes"))
    blocked_elsewhere: Text = field(metadata=_from("notes"))
    add_own_products: Text = field(metadata=_from("fixes"))
    close_shop: Text = field(metadata=_from("fixes"))


@dataclass(frozen=True, eq=False)
class Policy:
    """The whole rule; compared and hashed by identity, so lookups can be cached."""

    parts: Mapping[str, str]
    clauses: Mapping[str, str]
    vocabulary: Mapping[str, Mapping[str, Value]]
    default_product_source: str
    unrestricted_products: FrozenSet[str]
    timelines: Mapping[str, Timeline]
    coverage: Tuple[Coverage, ...]
    scenes: Mapping[str, Scene]
    errors: Mapping[str, ErrorMessage]
    reasons: Mapping[str, Text]
    rule_reason: Text
    fixes: Mapping[str, Text]
    notes: Mapping[str, Text]
    quoted: Quoted

    def part(self, clause: str) -> Tuple[str, str]:
        """Where a clause stands in the notice, in words: its part and its passage
        (「第三部分「具体的影响」」, 「直播间」 for 三/直播间/3; no passage for 二/3)."""
        head, *rest = clause.split("/")
        step = rest[0] if rest else ""
        passage = self.parts.get(f"{head}/{step}", "" if step.isdigit() else step)
        return self.parts[head], passage

    def label(self, dimension: str, value: str) -> str:
        """The Chinese name of a canonical value."""
        return self.vocabulary[dimension][value].label

    @property
    def exempt_shop_types(self) -> Tuple[str, ...]:
        """Shop types the rule binds for no role (跨境店), in vocabulary order."""
        return tuple(
            shop
            for shop in self.values("shop_type")
            if all(entry.status for entry in self.coverage if shop in entry.shop_types)
        )

    @property
    def unbound_roles(self) -> Tuple[str, ...]:
        """Roles no shop binds (an account bound to no shop), in vocabulary order."""
        return tuple(
            role
            for role in self.values("account_role")
            if any(entry.status is Status.NOT_AFFECTED and role in entry.roles for entry in self.coverage)
        )

    def values(self, dimension: str) -> Tuple[str, ...]:
        """The canonical ids of an input, in the file's order."""
        return tuple(self.vocabulary[dimension])


def compile_pattern(text: str, owner: str) -> Pattern[str]:
    """A vocabulary pattern, or PolicyError naming its entry."""
    try:
        return re.compile(text)
    except re.error as error:
        raise PolicyError(f"{owner}: pattern {text!r} is not a valid regular expression: {error}") from None
