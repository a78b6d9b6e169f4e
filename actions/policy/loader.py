"""Loading and validating the policy file: the model (model.py) built from its YAML, whose
keys and types shape.py checks; every error names the entry it is about."""

from __future__ import annotations

import itertools
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Pattern, Tuple

import yaml

from actions.policy import shape
from actions.policy.model import (
    INPUTS,
    Coverage,
    ErrorMessage,
    Policy,
    PolicyError,
    Quoted,
    Scene,
    Stage,
    Text,
    Timeline,
    Value,
    compile_pattern,
)

DEFAULT_POLICY_PATH = Path(__file__).with_name("policy.yml")
SECTIONS = (
    "version",
    "parts",
    "clauses",
    "vocabulary",
    "products",
    "timelines",
    "restrictions",
    "exemptions",
    "scenes",
    "errors",
    "reasons",
    "rule_reason",
    "fixes",
    "notes",
)
Vocabulary = Mapping[str, Mapping[str, Value]]


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
    top = shape.entry_fields(raw, "policy file", required=SECTIONS)
    if top["version"] != 1:
        raise PolicyError(f"policy file: unsupported version {top['version']!r}")
    clauses = shape.mapping(top["clauses"], "clauses")
    parts = shape.mapping(top["parts"], "parts")
    for clause_id, quote in clauses.items():
        if not isinstance(quote, str) or not quote.strip():
            raise PolicyError(f"clause {clause_id}: the quote must be non-empty text")
        if clause_id.split("/")[0] not in parts:
            raise PolicyError(f"clause {clause_id}: its part {clause_id.split('/')[0]} is not named in parts")
    vocabulary = _vocabulary(top["vocabulary"])
    refs = _References(clauses, vocabulary)
    notes = {key: refs.text(key, entry, "note", optional=("scenes",)) for key, entry in shape.items(top, "notes")}
    fixes = {
        key: refs.text(key, entry, "fix", optional=("when", "shop_types")) for key, entry in shape.items(top, "fixes")
    }
    reasons = {key: refs.text(key, entry, "reason") for key, entry in shape.items(top, "reasons")}
    timelines = {key: _timeline(key, entry, refs, notes) for key, entry in shape.items(top, "timelines")}
    errors = {key: _error(key, entry, refs, vocabulary) for key, entry in shape.items(top, "errors")}
    scenes = {key: _scene(key, entry, refs, errors, reasons, notes) for key, entry in shape.items(top, "scenes")}
    shape.same_keys(scenes, vocabulary["scene"], "scenes", "scene vocabulary")
    coverage = tuple(
        _coverage(entry, kind, refs, vocabulary, timelines, fixes, notes)
        for kind in ("restrictions", "exemptions")
        for entry in shape.listed(top[kind], kind)
    )
    _check_coverage(coverage, vocabulary)
    products = shape.entry_fields(top["products"], "products", required=("default", "unrestricted"))
    sources = vocabulary["product_source"]
    return Policy(
        parts={key: str(words) for key, words in parts.items()},
        clauses=clauses,
        vocabulary=vocabulary,
        default_product_source=shape.lookup(sources, products["default"], "products", "value").id,
        unrestricted_products=frozenset(shape.value_ids(products["unrestricted"], sources, "products")),
        timelines=timelines,
        coverage=coverage,
        scenes=scenes,
        errors=errors,
        reasons=reasons,
        rule_reason=shape.lookup(reasons, top["rule_reason"], "rule_reason", "reason"),
        fixes=fixes,
        notes=notes,
        quoted=_quoted({"notes": notes, "fixes": fixes}),
    )


class _References:
    """Resolves and checks clause ids and vocabulary values."""

    def __init__(self, clauses: Mapping[str, str], vocabulary: Vocabulary) -> None:
        self._known = clauses
        self._vocabulary = vocabulary

    def clauses(self, value: Any, owner: str) -> Tuple[str, ...]:
        ids = tuple(shape.listed(value, f"{owner}: clauses"))
        if not ids:
            raise PolicyError(f"{owner}: lists no source clause")
        unknown = [clause for clause in ids if clause not in self._known]
        if unknown:
            raise PolicyError(f"{owner}: unknown clause id(s) {', '.join(map(str, unknown))}")
        return ids

    def text(self, key: str, entry: Any, kind: str, optional: Tuple[str, ...] = ()) -> Text:
        owner = f"{kind} {key}"
        fields_ = shape.entry_fields(
            entry, owner, required=("text", "clauses"), optional=(*optional, "past", "past_from")
        )
        if ("past" in fields_) != ("past_from" in fields_):
            raise PolicyError(f"{owner}: a past wording ('past') needs the date it is said from ('past_from')")
        return Text(
            id=key,
            text=shape.text(fields_["text"], owner),
            clauses=self.clauses(fields_["clauses"], owner),
            when=fields_.get("when"),
            shop_types=shape.value_ids(fields_.get("shop_types", []), self._vocabulary["shop_type"], owner),
            scenes=shape.value_ids(fields_.get("scenes", []), self._vocabulary["scene"], owner),
            past=shape.text(fields_["past"], owner) if "past" in fields_ else None,
            past_from=shape.date(fields_.get("past_from"), owner, "past_from"),
        )


def _vocabulary(raw: Any) -> Dict[str, Dict[str, Value]]:
    vocabulary = shape.mapping(raw, "vocabulary")
    shape.same_keys(vocabulary, dict.fromkeys(INPUTS), "vocabulary", "the engine's inputs")
    seen: Dict[str, str] = {}
    result: Dict[str, Dict[str, Value]] = {}
    for dimension in INPUTS:
        result[dimension] = {}
        for value_id, entry in shape.mapping(vocabulary[dimension], dimension).items():
            owner = f"vocabulary {dimension}.{value_id}"
            fields_ = shape.entry_fields(
                entry, owner, required=("label", "aliases"), optional=("patterns", "ruled_out_by")
            )
            value = Value(
                id=value_id,
                label=shape.text(fields_["label"], owner),
                aliases=tuple(shape.text(alias, owner) for alias in shape.listed(fields_["aliases"], owner)),
                patterns=_patterns(fields_.get("patterns", []), owner),
                ruled_out_by=_patterns(fields_.get("ruled_out_by", []), owner),
            )
            for name in (value.label, *value.aliases):
                key = name.casefold()
                if key in seen and seen[key] != owner:
                    raise PolicyError(f"{owner}: alias {name!r} is already used by {seen[key]}")
                seen[key] = owner
            result[dimension][value_id] = value
    return result


def _patterns(raw: Any, owner: str) -> Tuple[Pattern[str], ...]:
    return tuple(compile_pattern(shape.text(p, owner), owner) for p in shape.listed(raw, owner))


def _timeline(key: str, entry: Any, refs: _References, notes: Mapping[str, Text]) -> Timeline:
    owner = f"timeline {key}"
    fields_ = shape.entry_fields(entry, owner, required=("clauses", "stages"), optional=("note",))
    stages = [
        _stage(f"{owner} stage {index}", raw, refs, notes)
        for index, raw in enumerate(shape.listed(fields_["stages"], owner), 1)
    ]
    if not stages:
        raise PolicyError(f"{owner}: has no stages")
    for earlier, later in itertools.pairwise(stages):
        if later.start is None or (earlier.start is not None and later.start <= earlier.start):
            raise PolicyError(f"{owner}: stage {later.label!r} must start after stage {earlier.label!r}")
    return Timeline(
        id=key,
        stages=tuple(stages),
        clauses=refs.clauses(fields_["clauses"], owner),
        note=shape.optional_lookup(notes, fields_, "note", owner),
    )


def _stage(owner: str, raw: Any, refs: _References, notes: Mapping[str, Text]) -> Stage:
    stage = shape.entry_fields(raw, owner, required=("status", "from", "event", "clauses"), optional=("when", "note"))
    start = shape.date(stage["from"], owner)
    if (start is None) != ("when" not in stage):
        raise PolicyError(f"{owner}: a stage with a date ('from') says when it is ('when'), and only then")
    return Stage(
        status=shape.status(stage["status"], owner),
        start=start,
        event=shape.text(stage["event"], owner),
        when=shape.text(stage["when"], owner) if "when" in stage else None,
        clauses=refs.clauses(stage["clauses"], owner),
        note=shape.optional_lookup(notes, stage, "note", owner),
    )


def _error(key: str, entry: Any, refs: _References, vocabulary: Vocabulary) -> ErrorMessage:
    owner = f"error {key}"
    fields_ = shape.entry_fields(entry, owner, required=("text", "where", "scene", "clauses"), optional=("keys",))
    return ErrorMessage(
        id=key,
        text=shape.text(fields_["text"], owner),
        keys=tuple(shape.text(k, owner) for k in shape.listed(fields_.get("keys", []), owner)),
        where=shape.text(fields_["where"], owner),
        scene=shape.lookup(vocabulary["scene"], fields_["scene"], owner, "scene").id,
        clauses=refs.clauses(fields_["clauses"], owner),
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
    fields_ = shape.entry_fields(
        entry, owner, required=("place", "path", "error", "reason", "clauses"), optional=("notes",)
    )
    return Scene(
        id=key,
        place=shape.text(fields_["place"], owner),
        path=tuple(shape.text(step, owner) for step in shape.listed(fields_["path"], owner)),
        error=shape.lookup(errors, fields_["error"], owner, "error"),
        reason=shape.lookup(reasons, fields_["reason"], owner, "reason"),
        clauses=refs.clauses(fields_["clauses"], owner),
        notes=shape.lookups(notes, fields_.get("notes", []), owner, "note"),
    )


def _coverage(
    entry: Any,
    kind: str,
    refs: _References,
    vocabulary: Vocabulary,
    timelines: Mapping[str, Timeline],
    fixes: Mapping[str, Text],
    notes: Mapping[str, Text],
) -> Coverage:
    restriction = kind == "restrictions"
    owner = f"{kind[:-1]} {shape.mapping(entry, kind).get('id', '(no id)')}"
    base = ("id", "shop_types", "roles", "clauses")
    own = ("timeline", "fixes") if restriction else ("status", "text", "who", "brief")
    fields_ = shape.entry_fields(entry, owner, required=base + own, optional=("notes",))
    return Coverage(
        id=shape.text(fields_["id"], owner),
        shop_types=shape.value_ids(fields_["shop_types"], vocabulary["shop_type"], owner),
        roles=shape.value_ids(fields_["roles"], vocabulary["account_role"], owner),
        clauses=refs.clauses(fields_["clauses"], owner),
        timeline=shape.lookup(timelines, fields_["timeline"], owner, "timeline") if restriction else None,
        status=None if restriction else shape.status(fields_["status"], owner),
        text=None if restriction else shape.text(fields_["text"], owner),
        who=None if restriction else shape.text(fields_["who"], owner),
        brief=None if restriction else shape.text(fields_["brief"], owner),
        fixes=shape.lookups(fixes, fields_.get("fixes", []), owner, "fix"),
        notes=shape.lookups(notes, fields_.get("notes", []), owner, "note"),
    )


def _check_coverage(coverage: Iterable[Coverage], vocabulary: Vocabulary) -> None:
    """Every (shop type, role) pair is covered by exactly one entry."""
    owners: Dict[Tuple[str, str], str] = {}
    for entry in coverage:
        for pair in itertools.product(entry.shop_types, entry.roles):
            if pair in owners:
                raise PolicyError(f"{owners[pair]} and {entry.id} both cover shop type {pair[0]} with role {pair[1]}")
            owners[pair] = entry.id
    for pair in itertools.product(vocabulary["shop_type"], vocabulary["account_role"]):
        if pair not in owners:
            raise PolicyError(f"no restriction or exemption covers shop type {pair[0]} with role {pair[1]}")


def _quoted(sections: Mapping[str, Mapping[str, Text]]) -> Quoted:
    """The texts the answers quote by name (model.Quoted), each from its section."""
    found = {}
    for declared in fields(Quoted):
        section = declared.metadata["section"]
        if declared.name not in sections[section]:
            raise PolicyError(f"{section}: missing {declared.name}, which the answers quote")
        found[declared.name] = sections[section][declared.name]
    return Quoted(**found)
