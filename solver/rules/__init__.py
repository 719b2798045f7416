"""The rules catalogue, typed parameters and weights, and rule sets with rules.toml overrides."""

from solver.rules.catalogue import CATALOGUE, SUBJECTS, CheckedBy, Rule
from solver.rules.params import DeploymentWeights, Params, Weights
from solver.rules.ruleset import (
    DEFAULT_RULES,
    RuleSet,
    apply_overrides,
    from_record,
    load_rules,
)

__all__ = [
    "CATALOGUE",
    "DEFAULT_RULES",
    "SUBJECTS",
    "CheckedBy",
    "DeploymentWeights",
    "Params",
    "Rule",
    "RuleSet",
    "Weights",
    "apply_overrides",
    "from_record",
    "load_rules",
]
