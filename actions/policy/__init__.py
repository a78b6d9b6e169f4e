"""The policy engine: the rule as data and its application. Knows nothing of Rasa."""

from actions.policy.engine import Decision, current_stage, evaluate, match_error
from actions.policy.model import INPUTS, Policy, PolicyError, Status, load_policy, parse_policy
from actions.policy.vocabulary import UnknownValueError, classify, fold, names, normalise

__all__ = [
    "INPUTS",
    "Decision",
    "Policy",
    "PolicyError",
    "Status",
    "UnknownValueError",
    "classify",
    "current_stage",
    "evaluate",
    "fold",
    "load_policy",
    "match_error",
    "names",
    "normalise",
    "parse_policy",
]
