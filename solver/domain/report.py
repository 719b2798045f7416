"""The report of a round's plan (report.json), as typed models.

Statuses come from the independent checkers (solver.check), never from the solver's own word.
Nothing time-dependent goes in, so the same plan gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from solver.domain.results import PartResult


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartOut(_Model):
    """One sub-model's outcome: status, objective, bound and relative gap."""

    name: str
    status: str
    objective: int | None
    bound: int | None
    gap: float | None

    @classmethod
    def of(cls, part: PartResult) -> PartOut:
        return cls(name=part.name, status=part.status.value, objective=part.objective, bound=part.bound, gap=part.gap)


class RuleStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SOFT = "soft"  # weighed in the objective, not checked
    NOT_CHECKED = "not_checked"  # a hard rule whose checker had nothing to check (no plan)


class ViolationOut(_Model):
    message: str
    ids: list[str]


class RuleOut(_Model):
    id: str
    title: str
    clause: str
    hard: bool
    params: dict[str, int | float | list[str]]
    status: RuleStatus
    violations: list[ViolationOut]


class Shortfall(_Model):
    """A quota the deployment plan could not meet: who, which rule, how much, and why in words."""

    year: int
    receiver_id: str
    rule: str
    what: str
    amount: int = Field(description="in the quota's unit (teams or people)")
    people: int
    message: str
    against: Literal["floor", "request", "carried"] = Field(
        "floor",
        description="short of the policy's floor, of what the receiver asked beyond it (R25), or of what "
        "recorded years owed it and a re-plan could not make up",
    )


class OverBudget(_Model):
    """A payer whose cost of a year (costs.csv) exceeds what it set aside (budgets.csv): R37."""

    party_id: str
    name: str
    year: int
    cost: int = Field(description="yuan: the sum of its rows of costs.csv for the year")
    budget: int = Field(description="yuan: its rows of budgets.csv for the year")
    over: int = Field(description="yuan: cost − budget")


class DeploymentSummary(_Model):
    round: str
    status: str
    parts: list[PartOut]
    rows: int
    people_by_year_and_flow: dict[str, dict[str, int]]
    budget_yuan_by_year: dict[str, int]
    cost_yuan_by_year: dict[str, int] = Field(
        default_factory=dict, description="R37: the sum of costs.csv's rows of each year"
    )
    over_budget: list[OverBudget] = Field(default_factory=list, description="R37: payers over their budget")
    shortfalls: list[Shortfall]
    explanation: list[str]


class SupporterRow(_Model):
    """One supporting city's load in the plan, against its strength (R24)."""

    city_id: str
    name: str
    receiving_cities: list[str]
    receiving_counties: int
    receiving_teachers: int = Field(description="teachers of the receiving counties of its receiving cities")
    own_teachers: int = Field(description="teachers of its supporting units")
    load_ratio: float = Field(description="receiving teachers ÷ own teachers")
    strength_share: float = Field(description="its share of the supporting cities' strength (R24)")
    fair_load: int = Field(description="receiving teachers in proportion to its strength share (R24)")
    load_to_fair: float = Field(description="receiving teachers ÷ fair load (1: exactly its share)")
    gdp_yuan_1e8: float | None = Field(description="2020 GDP, 亿元 (the fiscal measure of strength)")
    pairs_following_ties: int = Field(description="its city and county pairs that follow an existing tie (R23)")
    distance_km: float = Field(description="total distance of its city and county pairs")


class TieShare(_Model):
    """How many pairs of a kind follow an existing tie (R23)."""

    kind: str
    pairs: int
    following_ties: int
    share: float
    ties: int = Field(description="ties of this kind in the roster")


class Report(_Model):
    round: str
    status: str
    objective: int | None
    bound: int | None
    gap: float | None
    parts: list[PartOut]
    objective_by_kind: dict[str, int] = Field(
        description="what each kind adds to the objective, from the models' own costs; the pairs' score_total "
        "of that kind sums to it"
    )
    pairs_by_kind: dict[str, int]
    explanation: list[str]
    passes_checker: bool
    violations: int
    priority_measures: dict[str, float]
    weights: dict[str, int]
    deployment_weights: dict[str, int]
    rules: list[RuleOut]
    supporters: list[SupporterRow] = Field(default_factory=list)
    load_ratio_spread: float | None = Field(None, description="largest minus smallest load ratio of the supporters")
    load_to_fair_spread: float | None = Field(
        None, description="largest minus smallest receiving teachers ÷ fair load of the supporters (R24)"
    )
    ties: list[TieShare] = Field(default_factory=list)
    over_limits: list[str] = Field(default_factory=list, description="schools and institutes beyond R26's limits")
    deployments: DeploymentSummary | None = None

    def json_text(self) -> str:
        return report_json(self.model_dump(mode="json"))


def report_json(data: Mapping[str, object]) -> str:
    """report.json's text: the same bytes for a report and for its stored JSON form."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
