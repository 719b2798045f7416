"""A rule set: the catalogue's rules with their parameters, and the weights, with overrides applied.

A roster directory may hold a `rules.toml` that overrides parameters and weights:

    [R07]
    teams_per_county_min = 4

    [weights]
    distance = 2

    [deployment_weights]
    short_per_person = 20000

Every name must exist and every value must have the parameter's type and lie in its range
(solver.rules.params); otherwise each problem is reported with the file, the rule and the
parameter, and nothing is applied.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from solver.domain.problems import InputError, Problem, describe_error
from solver.rules.catalogue import CATALOGUE, CheckedBy, Rule
from solver.rules.params import R20, R37, DeploymentWeights, Params, Weights

P = TypeVar("P", bound=Params)
WEIGHT_SECTIONS = ("weights", "deployment_weights")


@dataclass(frozen=True)
class RuleSet:
    rules: Mapping[str, Rule]
    weights: Weights = field(default_factory=Weights)
    deployment_weights: DeploymentWeights = field(default_factory=DeploymentWeights)

    def of(self, params: type[P]) -> P:
        """The typed parameters of a rule, found by its parameter class (`rules.of(R07)`)."""
        return cast(P, self.rules[params.rule_id].params)

    def hard_rules(self, checker: CheckedBy) -> list[Rule]:
        return [r for r in self.rules.values() if r.checked_by == checker]

    def record(self) -> dict[str, Any]:
        """Everything the plan was solved with, as JSON-ready data (`from_record` reads it back)."""
        return {
            "rules": {
                r.id: {"title": r.title, "hard": r.hard, "params": r.params.model_dump()} for r in self.rules.values()
            },
            "weights": self.weights.model_dump(),
            "deployment_weights": self.deployment_weights.model_dump(),
        }

    def overrides(self) -> dict[str, dict[str, Any]]:
        """What differs from the catalogue, as rules.toml would say it."""
        found: dict[str, dict[str, Any]] = {}
        for rule in self.rules.values():
            default = DEFAULT_RULES.rules[rule.id].params.model_dump()
            changed = {k: v for k, v in rule.params.model_dump().items() if default[k] != v}
            if changed:
                found[rule.id] = changed
        for section, now, default_model in (
            ("weights", self.weights, Weights()),
            ("deployment_weights", self.deployment_weights, DeploymentWeights()),
        ):
            base = default_model.model_dump()
            changed = {k: v for k, v in now.model_dump().items() if base[k] != v}
            if changed:
                found[section] = changed
        return found


DEFAULT_RULES = RuleSet(MappingProxyType({r.id: r for r in CATALOGUE}))


def from_record(record: Mapping[str, Any], filename: str = "rules") -> RuleSet:
    """The rule set a plan recorded (`RuleSet.record`), rebuilt on the catalogue."""
    overrides: dict[str, dict[str, Any]] = {rid: dict(r["params"]) for rid, r in record["rules"].items()}
    for section in WEIGHT_SECTIONS:
        overrides[section] = dict(record.get(section, {}))
    return apply_overrides(overrides, filename=filename)


def apply_overrides(
    overrides: Mapping[str, object], base: RuleSet = DEFAULT_RULES, filename: str = "rules.toml"
) -> RuleSet:
    """A rule set with `overrides` applied; every unknown name or bad value is reported."""
    problems: list[Problem] = []
    rules = dict(base.rules)
    models: dict[str, BaseModel] = {"weights": base.weights, "deployment_weights": base.deployment_weights}
    for section, values in overrides.items():
        if not isinstance(values, Mapping):
            problems.append(Problem(filename, None, section, "expected a table of name = value"))
        elif section in models:
            updated = _updated(models[section], values, filename, section, problems)
            models[section] = updated or models[section]
        elif section in rules:
            params = _updated(rules[section].params, values, filename, section, problems)
            if params is not None:
                rules[section] = replace(rules[section], params=cast(Params, params))
        else:
            problems.append(Problem(filename, None, section, f"unknown rule {section!r}"))
    problems += _across(rules, filename)
    if problems:
        raise InputError(problems)
    return RuleSet(
        MappingProxyType(rules), cast(Weights, models["weights"]), cast(DeploymentWeights, models["deployment_weights"])
    )


def _across(rules: Mapping[str, Rule], filename: str) -> list[Problem]:
    """Parameters that bound each other across rules: R37's duty rate is at least R20's floor."""
    floor = cast(R20, rules["R20"].params).yuan_per_person_min
    rate = cast(R37, rules["R37"].params).duty_person_year
    if rate < floor:
        return [
            Problem(
                filename,
                None,
                "R37.duty_person_year",
                f"{rate:,} yuan is below R20's floor of {floor:,} a person a year",
            )
        ]
    return []


def _updated(
    model: BaseModel, values: Mapping[str, object], filename: str, section: str, problems: list[Problem]
) -> BaseModel | None:
    try:
        return type(model).model_validate({**model.model_dump(), **values})
    except ValidationError as exc:
        for error in exc.errors():
            name, message = describe_error(error)
            if error["type"] == "extra_forbidden":
                message = "unknown parameter"
            problems.append(Problem(filename, None, f"{section}.{name}" if name else section, message))
        return None


def load_rules(roster_dir: Path | str) -> RuleSet:
    """The default catalogue with the roster directory's rules.toml applied, if it has one."""
    path = Path(roster_dir) / "rules.toml"
    if not path.is_file():
        return DEFAULT_RULES
    try:
        overrides = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(path.name, None, None, f"not valid TOML: {exc}")]) from exc
    return apply_overrides(overrides, filename=path.name)
