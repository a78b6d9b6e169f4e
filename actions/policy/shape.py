"""The shape of the policy file's YAML: keys, types and references, checked one entry at a
time. Every check raises PolicyError naming the entry (`owner`) it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Mapping, Optional, Tuple, TypeVar

from actions.policy.model import PolicyError, Status, Value

Item = TypeVar("Item")


def entry_fields(entry: Any, owner: str, required: Tuple[str, ...], optional: Tuple[str, ...] = ()) -> Dict[str, Any]:
    """The entry's keys and values: a mapping with all `required` keys and no unknown one."""
    fields_ = mapping(entry, owner)
    unknown = sorted(set(fields_) - set(required) - set(optional))
    if unknown:
        raise PolicyError(f"{owner}: unknown key(s) {', '.join(map(str, unknown))}")
    absent = [key for key in required if key not in fields_]
    if absent:
        raise PolicyError(f"{owner}: missing key(s) {', '.join(absent)}")
    return fields_


def mapping(value: Any, owner: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise PolicyError(f"{owner}: expected a mapping, got {type(value).__name__}")
    return {str(key): item for key, item in value.items()}


def items(top: Mapping[str, Any], section: str) -> List[Tuple[str, Any]]:
    """The (key, entry) pairs of a top-level section."""
    return list(mapping(top[section], section).items())


def listed(value: Any, owner: str) -> List[Any]:
    if not isinstance(value, list):
        raise PolicyError(f"{owner}: expected a list, got {type(value).__name__}")
    return value


def text(value: Any, owner: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"{owner}: expected non-empty text, got {value!r}")
    return value


def date(value: Any, owner: str, key: str = "from") -> Optional[dt.date]:
    if value is None or isinstance(value, dt.date):
        return value
    raise PolicyError(f"{owner}: '{key}' must be a date (YYYY-MM-DD) or null, got {value!r}")


def status(value: Any, owner: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        allowed = ", ".join(member.value for member in Status)
        raise PolicyError(f"{owner}: unknown status {value!r} (allowed: {allowed})") from None


def lookup(table: Mapping[str, Item], key: Any, owner: str, kind: str) -> Item:
    """`table[key]`, or PolicyError listing the known keys."""
    if key not in table:
        raise PolicyError(f"{owner}: unknown {kind} {key!r} (known: {', '.join(table)})")
    return table[key]


def optional_lookup(table: Mapping[str, Item], fields_: Mapping[str, Any], key: str, owner: str) -> Optional[Item]:
    """The entry that `fields_[key]` names in `table`, or None when the key is absent."""
    return lookup(table, fields_[key], owner, key) if key in fields_ else None


def lookups(table: Mapping[str, Item], keys: Any, owner: str, kind: str) -> Tuple[Item, ...]:
    return tuple(lookup(table, key, owner, kind) for key in listed(keys, owner))


def value_ids(keys: Any, values: Mapping[str, Value], owner: str) -> Tuple[str, ...]:
    """The canonical ids a list names, each checked against an input's vocabulary."""
    return tuple(lookup(values, key, owner, "value").id for key in listed(keys, owner))


def same_keys(actual: Mapping[str, Any], expected: Mapping[str, Any], what: str, against: str) -> None:
    if set(actual) != set(expected):
        raise PolicyError(f"{what}: keys {sorted(actual)} do not match {against} {sorted(expected)}")
