"""The policy engine: the rule as data and its application. Knows nothing of Rasa."""

from actions.policy.engine import (
    Candidates,
    Decision,
    assess,
    candidates,
    current_stage,
    evaluate,
    match_error,
    match_errors,
    splitting_input,
)
from actions.policy.loader import load_policy, parse_policy
from actions.policy.model import INPUTS, PROFILE, Policy, PolicyError, Status
from actions.policy.vocabulary import UnknownValueError, classify, names, normalise
from actions.policy.words import fold, normalise_text

__all__ = [
    "INPUTS",
    "PROFILE",
    "Candidates",
    "Decision",
    "Policy",
    "PolicyError",
    "Status",
    "UnknownValueError",
    "assess",
    "candidates",
    "classify",
    "current_stage",
    "evaluate",
    "fold",
    "load_policy",
    "match_error",
    "match_errors",
    "names",
    "normalise",
    "normalise_text",
    "parse_policy",
    "splitting_input",
]
