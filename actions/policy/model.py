"""The rule as typed data: loading and validating the policy file."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple

import yaml

DEFAULT_POLICY_PATH = Path(__file__).with_name("policy.yml")

# The engine's inputs, in the order the assistant asks for them.
INPUTS = ("shop_type", "account_role", "scene", "product_source")


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
    """One canonical value of an input, with the names merchants type for it."""

    id: str
    label: str
    aliases: Tuple[str, ...]


@dataclass(frozen=True)
class Text:
    """A sentence of fact and the source clauses it rests on."""

    id: str
    text: str
    clauses: Tuple[str, ...]
    when: Optional[str] = None


@dataclass(frozen=True)
class Stage:
    """From `start` on (None: already, no date given) the restriction has `status`."""

    status: Status
    start: Optional[dt.date]
    label: str
    clauses: Tuple[str, ...]
    note: Optional[Text] = None


@dataclass(frozen=True)
class Timeline:
    id: str
    stages: Tuple[Stage, ...]
    clauses: Tuple[str, ...]
    note: Optional[Text] = None


@dataclass(frozen=True)
class Coverage:
    """A restriction (with a timeline) or an exemption (with a status) for
    a set of shop types and account roles."""

    id: str
    shop_types: Tuple[str, ...]
    roles: Tuple[str, ...]
    clauses: Tuple[str, ...]
    timeline: Optional[Timeline] = None
    status: Optional[Status] = None
    fixes: Tuple[Text, ...] = ()
    notes: Tuple[Text, ...] = ()

    def covers(self, shop_type: Optional[str], role: Optional[str]) -> bool:
        """Whether this entry can apply, treating an unknown input as a wildcard."""
        return (shop_type is None or shop_type in self.shop_types) and (
            role is None or role in self.roles
        )


@dataclass(frozen=True)
class ErrorMessage:
    id: str
    text: str
    where: str
    scene: str
    clauses: Tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    id: str
    path: Tuple[str, ...]
    error: ErrorMessage
    reason: Text
    clauses: Tuple[str, ...]
    notes: Tuple[Text, ...] = ()


@dataclass(frozen=True, eq=False)
class Policy:
    """The whole rule; compared and hashed by identity, so lookups can be cached."""

    clauses: Mapping[str, str]
    vocabulary: Mapping[str, Mapping[str, Value]]
    timelines: Mapping[str, Timeline]
    coverage: Tuple[Coverage, ...]
    scenes: Mapping[str, Scene]
    errors: Mapping[str, ErrorMessage]
    reasons: Mapping[str, Text]
    fixes: Mapping[str, Text]
    notes: Mapping[str, Text]

    def label(self, dimension: str, value: str) -> str:
        """The Chinese name of a canonical value."""
        return self.vocabulary[dimension][value].label


@lru_cache(maxsize=None)
def load_policy(path: Path = DEFAULT_POLICY_PATH) -> Policy:
    """Read and validate the policy file (cached per path)."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PolicyError(f"{path}: not valid YAML: {error}") from error
    return parse_policy(raw)


def parse_policy(raw: Any) -> Policy:
    """Build a Policy from the file's parsed YAML, or raise PolicyError."""
    top = _fields(
        raw,
        "policy file",
        required=(
            "version", "clauses", "vocabulary", "timelines", "restrictions",
            "exemptions", "scenes", "errors", "reasons", "fixes", "notes",
        ),
    )
    if top["version"] != 1:
        raise PolicyError(f"policy file: unsupported version {top['version']!r}")
    clauses = _mapping(top["clauses"], "clauses")
    for clause_id, quote in clauses.items():
        if not isinstance(quote, str) or not quote.strip():
            raise PolicyError(f"clause {clause_id}: the quote must be non-empty text")
    vocabulary = _vocabulary(top["vocabulary"])
    refs = _References(clauses)

    notes = {key: refs.text(key, entry, "note") for key, entry in _items(top, "notes")}
    fixes = {
        key: refs.text(key, entry, "fix", optional=("when",))
        for key, entry in _items(top, "fixes")
    }
    reasons = {key: refs.text(key, entry, "reason") for key, entry in _items(top, "reasons")}
    timelines = {
        key: _timeline(key, entry, refs, notes) for key, entry in _items(top, "timelines")
    }
    errors = {
        key: _error(key, entry, refs, vocabulary) for key, entry in _items(top, "errors")
    }
    scenes = {
        key: _scene(key, entry, refs, errors, reasons, notes)
        for key, entry in _items(top, "scenes")
    }
    _same_keys(scenes, vocabulary["scene"], "scenes", "scene vocabulary")
    coverage = tuple(
        _coverage(entry, kind, refs, vocabulary, timelines, fixes, notes)
        for kind in ("restrictions", "exemptions")
        for entry in _list(top[kind], kind)
    )
    _check_coverage(coverage, vocabulary)
    return Policy(
        clauses=clauses,
        vocabulary=vocabulary,
        timelines=timelines,
        coverage=coverage,
        scenes=scenes,
        errors=errors,
        reasons=reasons,
        fixes=fixes,
        notes=notes,
    )


class _References:
    """Resolves and checks clause ids against the `clauses` section."""

    def __init__(self, clauses: Mapping[str, str]) -> None:
        self._known = clauses

    def clauses(self, value: Any, owner: str) -> Tuple[str, ...]:
        ids = tuple(_list(value, f"{owner}: clauses"))
        if not ids:
            raise PolicyError(f"{owner}: lists no source clause")
        unknown = [clause for clause in ids if clause not in self._known]
        if unknown:
            raise PolicyError(f"{owner}: unknown clause id(s) {', '.join(map(str, unknown))}")
        return ids

    def text(
        self, key: str, entry: Any, kind: str, optional: Tuple[str, ...] = ()
    ) -> Text:
        owner = f"{kind} {key}"
        fields = _fields(entry, owner, required=("text", "clauses"), optional=optional)
        return Text(
            id=key,
            text=_string(fields["text"], owner),
            clauses=self.clauses(fields["clauses"], owner),
            when=fields.get("when"),
        )


def _vocabulary(raw: Any) -> Dict[str, Dict[str, Value]]:
    vocabulary = _mapping(raw, "vocabulary")
    _same_keys(vocabulary, dict.fromkeys(INPUTS), "vocabulary", "the engine's inputs")
    seen: Dict[str, str] = {}
    result: Dict[str, Dict[str, Value]] = {}
    for dimension in INPUTS:
        result[dimension] = {}
        for value_id, entry in _mapping(vocabulary[dimension], dimension).items():
            owner = f"vocabulary {dimension}.{value_id}"
            fields = _fields(entry, owner, required=("label", "aliases"))
            value = Value(
                id=value_id,
                label=_string(fields["label"], owner),
                aliases=tuple(_string(alias, owner) for alias in _list(fields["aliases"], owner)),
            )
            for name in (value.label, *value.aliases):
                key = name.casefold()
                if key in seen and seen[key] != owner:
                    raise PolicyError(f"{owner}: alias {name!r} is already used by {seen[key]}")
                seen[key] = owner
            result[dimension][value_id] = value
    return result


def _timeline(key: str, entry: Any, refs: _References, notes: Mapping[str, Text]) -> Timeline:
    owner = f"timeline {key}"
    fields = _fields(entry, owner, required=("clauses", "stages"), optional=("note",))
    stages = []
    for index, raw_stage in enumerate(_list(fields["stages"], owner), start=1):
        stage_owner = f"{owner} stage {index}"
        stage = _fields(
            raw_stage, stage_owner, required=("status", "from", "label", "clauses"),
            optional=("note",),
        )
        stages.append(
            Stage(
                status=_enum(Status, stage["status"], stage_owner),
                start=_date(stage["from"], stage_owner),
                label=_string(stage["label"], stage_owner),
                clauses=refs.clauses(stage["clauses"], stage_owner),
                note=_optional(notes, stage, "note", stage_owner),
            )
        )
    if not stages:
        raise PolicyError(f"{owner}: has no stages")
    for earlier, later in zip(stages, stages[1:]):
        if later.start is None or (earlier.start is not None and later.start <= earlier.start):
            raise PolicyError(
                f"{owner}: stage {later.label!r} must start after stage {earlier.label!r}"
            )
    return Timeline(
        id=key,
        stages=tuple(stages),
        clauses=refs.clauses(fields["clauses"], owner),
        note=_optional(notes, fields, "note", owner),
    )


def _error(
    key: str, entry: Any, refs: _References, vocabulary: Mapping[str, Mapping[str, Value]]
) -> ErrorMessage:
    owner = f"error {key}"
    fields = _fields(entry, owner, required=("text", "where", "scene", "clauses"))
    return ErrorMessage(
        id=key,
        text=_string(fields["text"], owner),
        where=_string(fields["where"], owner),
        scene=_lookup(vocabulary["scene"], fields["scene"], owner, "scene").id,
        clauses=refs.clauses(fields["clauses"], owner),
    )


def _scene(
    key: str,
    entry: Any,
    refs: _References,
    errors: Mapping[str, ErrorMessage],
    reasons: Mapping[str, Text],
    notes: Mapping[str, Text],
) -> Scene:
    owner = f"scene {key}"
    fields = _fields(
        entry, owner, required=("path", "error", "reason", "clauses"), optional=("notes",)
    )
    return Scene(
        id=key,
        path=tuple(_string(step, owner) for step in _list(fields["path"], owner)),
        error=_lookup(errors, fields["error"], owner, "error"),
        reason=_lookup(reasons, fields["reason"], owner, "reason"),
        clauses=refs.clauses(fields["clauses"], owner),
        notes=_lookups(notes, fields.get("notes", []), owner, "note"),
    )


def _coverage(
    entry: Any,
    kind: str,
    refs: _References,
    vocabulary: Mapping[str, Mapping[str, Value]],
    timelines: Mapping[str, Timeline],
    fixes: Mapping[str, Text],
    notes: Mapping[str, Text],
) -> Coverage:
    restriction = kind == "restrictions"
    owner = f"{kind[:-1]} {_mapping(entry, kind).get('id', '(no id)')}"
    base = ("id", "shop_types", "roles", "clauses")
    fields = _fields(
        entry,
        owner,
        required=base + (("timeline", "fixes") if restriction else ("status",)),
        optional=("notes",),
    )
    return Coverage(
        id=_string(fields["id"], owner),
        shop_types=_values(fields["shop_types"], vocabulary["shop_type"], owner),
        roles=_values(fields["roles"], vocabulary["account_role"], owner),
        clauses=refs.clauses(fields["clauses"], owner),
        timeline=_lookup(timelines, fields["timeline"], owner, "timeline") if restriction else None,
        status=None if restriction else _enum(Status, fields["status"], owner),
        fixes=_lookups(fixes, fields.get("fixes", []), owner, "fix"),
        notes=_lookups(notes, fields.get("notes", []), owner, "note"),
    )


def _check_coverage(
    coverage: Iterable[Coverage], vocabulary: Mapping[str, Mapping[str, Value]]
) -> None:
    """Every (shop type, role) pair is covered by exactly one entry."""
    owners: Dict[Tuple[str, str], str] = {}
    for entry in coverage:
        for pair in itertools.product(entry.shop_types, entry.roles):
            if pair in owners:
                raise PolicyError(
                    f"{owners[pair]} and {entry.id} both cover shop type {pair[0]} "
                    f"with role {pair[1]}"
                )
            owners[pair] = entry.id
    for pair in itertools.product(vocabulary["shop_type"], vocabulary["account_role"]):
        if pair not in owners:
            raise PolicyError(f"no restriction or exemption covers shop type {pair[0]} with role {pair[1]}")


def _fields(
    entry: Any, owner: str, required: Tuple[str, ...], optional: Tuple[str, ...] = ()
) -> Dict[str, Any]:
    fields = _mapping(entry, owner)
    unknown = sorted(set(fields) - set(required) - set(optional))
    if unknown:
        raise PolicyError(f"{owner}: unknown key(s) {', '.join(map(str, unknown))}")
    absent = [key for key in required if key not in fields]
    if absent:
        raise PolicyError(f"{owner}: missing key(s) {', '.join(absent)}")
    return fields


def _items(top: Mapping[str, Any], section: str) -> Iterable[Tuple[str, Any]]:
    return _mapping(top[section], section).items()


def _mapping(value: Any, owner: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise PolicyError(f"{owner}: expected a mapping, got {type(value).__name__}")
    return {str(key): item for key, item in value.items()}


def _list(value: Any, owner: str) -> list:
    if not isinstance(value, list):
        raise PolicyError(f"{owner}: expected a list, got {type(value).__name__}")
    return value


def _string(value: Any, owner: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"{owner}: expected non-empty text, got {value!r}")
    return value


def _date(value: Any, owner: str) -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    raise PolicyError(f"{owner}: 'from' must be a date (YYYY-MM-DD) or null, got {value!r}")


def _enum(enum: type, value: Any, owner: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise PolicyError(f"{owner}: unknown status {value!r} (allowed: {allowed})") from None


def _lookup(table: Mapping[str, Any], key: Any, owner: str, kind: str) -> Any:
    if key not in table:
        raise PolicyError(f"{owner}: unknown {kind} {key!r} (known: {', '.join(table)})")
    return table[key]


def _optional(table: Mapping[str, Any], fields: Mapping[str, Any], key: str, owner: str) -> Any:
    return _lookup(table, fields[key], owner, key) if key in fields else None


def _lookups(table: Mapping[str, Any], keys: Any, owner: str, kind: str) -> Tuple[Any, ...]:
    return tuple(_lookup(table, key, owner, kind) for key in _list(keys, owner))


def _values(keys: Any, values: Mapping[str, Value], owner: str) -> Tuple[str, ...]:
    return tuple(_lookup(values, key, owner, "value").id for key in _list(keys, owner))


def _same_keys(actual: Mapping[str, Any], expected: Mapping[str, Any], what: str, against: str) -> None:
    if set(actual) != set(expected):
        raise PolicyError(
            f"{what}: keys {sorted(actual)} do not match {against} {sorted(expected)}"
        )
