"""Request and response bodies of the API (pydantic)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat

from service.core.security import Role
from solver import Kind, PinAction, Round, Table

CellValue = str | int | float | bool | list[str] | None
RuleValue = int | float | list[str]  # a rule parameter or weight, as in rules.toml


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok"]
    roster_version: int | None
    solves_waiting: int


# --- rosters ---------------------------------------------------------------------------


class TableInfo(BaseModel):
    rows: int
    sha256: str
    csv: str


class RosterVersionItem(BaseModel):
    version: int
    created_at: datetime
    created_by: str
    source: str
    message: str
    changed_tables: list[str]


class RosterSummary(RosterVersionItem):
    etag: str
    counts: dict[str, int]
    tables: dict[str, TableInfo]


class RosterDetail(RosterSummary):
    changes: list[dict[str, Any]]
    diff: dict[str, dict[str, Any]]


class RosterDiff(BaseModel):
    version: int
    against: int
    tables: dict[str, dict[str, Any]] = Field(
        description="per table: counts and ids of rows added, removed and updated from `against` to `version`"
    )


class ChangeOp(StrEnum):
    ADD = "add"
    UPDATE = "update"
    REMOVE = "remove"


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: ChangeOp
    table: Table
    id: str = Field(min_length=1, max_length=64)
    fields: dict[str, CellValue] = Field(default_factory=dict)


class ChangesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    changes: list[ChangeIn] = Field(min_length=1, max_length=50_000)
    message: str = Field("", max_length=2000, description="a note kept with the new version")


# --- plans -----------------------------------------------------------------------------


class PinIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Kind
    supporter_id: str = Field(min_length=1)
    receiver_id: str = Field(min_length=1)
    action: PinAction = PinAction.FIX


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    round: Round
    base_plan_id: int | None = Field(
        None, description="re-plan from this plan (same round: fewest changes; earlier round: continuity)"
    )
    pins: list[PinIn] = Field(default_factory=list, max_length=10_000)
    rules: dict[str, dict[str, RuleValue]] = Field(
        default_factory=dict, description="rule parameter and weight overrides, as in rules.toml"
    )
    time_limit_s: PositiveFloat | None = Field(None, description="per sub-model; at most the server's limit")


class PlanStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    INFEASIBLE = "infeasible"
    FAILED = "failed"


class ProgressOut(BaseModel):
    phase: str
    best_objective: int | None
    bound: int | None
    gap: float | None
    phase_elapsed_s: float
    elapsed_s: float


class PlanItem(BaseModel):
    id: int
    round: str
    status: PlanStatus
    roster_version: int
    base_plan_id: int | None
    created_at: datetime
    created_by: str
    started_at: datetime | None
    finished_at: datetime | None
    solve_status: str | None
    objective: int | None
    bound: int | None
    gap: float | None
    runtime_s: float | None
    passes_checker: bool | None
    pairs_by_kind: dict[str, int] | None


class PlanDetail(PlanItem):
    pins: list[dict[str, Any]]
    rule_overrides: dict[str, Any]
    rules: dict[str, Any] = Field(description="the rule parameters and weights the plan was solved with")
    options: dict[str, Any]
    progress: ProgressOut | None
    explanation: list[str]
    error: str | None
    report: dict[str, Any] | None
    links: dict[str, str]


class PlanCreated(BaseModel):
    id: int
    status: PlanStatus
    roster_version: int
    links: dict[str, str]


class PairRef(BaseModel):
    supporter_id: str
    supporter_name: str
    receiver_id: str
    receiver_name: str


class KindDiff(BaseModel):
    kept: int
    added: list[PairRef]
    removed: list[PairRef]


class PlanDiff(BaseModel):
    plan_id: int
    against: int
    kept: int
    added: int
    removed: int
    kinds: dict[str, KindDiff]


# --- tokens ----------------------------------------------------------------------------


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    role: Role


class TokenOut(BaseModel):
    id: int
    name: str
    role: Role
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="the secret; shown only now, store it safely")
