"""Request and response bodies of the API (pydantic). Every field is described: the OpenAPI
document (GET /openapi.json, /docs) is the reference, and a test holds it to that."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, cast

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PositiveFloat

from service.core.security import Role
from solver import Kind, PinAction, Round, Table, control_character_problem

CellValue = str | int | float | bool | list[str] | None
RuleValue = int | float | list[str]  # a rule parameter or weight, as in rules.toml
MAX_ID = 2**63 - 1
CITY_ID_PATTERN = r"^44\d{2}00$"


def _plain(value: str) -> str:
    problem = control_character_problem(value)
    if problem:
        raise ValueError(problem)
    return value


PlainText = Annotated[str, AfterValidator(_plain)]
"""Text without control characters (NUL included): PostgreSQL cannot store NUL, and no name needs one."""

# Ids in paths and queries: 1..2**63-1 (the database's 64-bit ids); anything else is a 422.
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="a plan's id", examples=[1])]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="a token's id", examples=[2])]
VersionNumber = Annotated[int, Path(ge=1, le=MAX_ID, description="a roster version number", examples=[1])]
Against = Annotated[int, Query(ge=1, le=MAX_ID, description="the id (or version) to compare with", examples=[1])]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="items to skip (paging)")]


def _model(description: str, example: dict[str, Any] | None = None, **config: Any) -> ConfigDict:
    extra: dict[str, Any] = {"description": description}
    if example is not None:
        extra["examples"] = [example]
    return cast(ConfigDict, {"json_schema_extra": extra, **config})


class Health(BaseModel):
    model_config = _model("Whether the service and its database answer, and how the solve queue stands.")

    status: Literal["ok"] = Field(description="always `ok` when the service answers (503 otherwise)")
    database: Literal["ok"] = Field(description="`ok`: the database answered")
    roster_version: int | None = Field(description="the current roster version (none before the first load)")
    solves_waiting: int = Field(description="plans queued or running")
    solves_queued: int = Field(description="plans waiting for a worker")
    solves_running: int = Field(description="plans being solved by a worker")
    workers: int = Field(description="solve worker processes that reported within the last lease")
    oldest_queued_s: float | None = Field(description="seconds the oldest queued plan has waited")


# --- rosters ---------------------------------------------------------------------------


class TableInfo(BaseModel):
    model_config = _model("One table of a roster version.")

    rows: int = Field(description="number of rows")
    sha256: str = Field(description="sha256 of the table's canonical CSV text (also its download's ETag)")
    csv: str = Field(description="path of the table's CSV download")


class RosterVersionItem(BaseModel):
    model_config = _model("A roster version in the history.")

    version: int = Field(description="version number, 1 for the bundled roster")
    created_at: datetime = Field(description="when it was accepted (UTC)")
    created_by: str = Field(description="name of the token that made it (`bundled` for version 1)")
    source: str = Field(description="`bundled`, `changes` or `upload:<table>.csv`")
    message: str = Field(description="the note sent with the change")
    changed_tables: list[str] = Field(description="tables whose rows differ from the previous version")


class RosterSummary(RosterVersionItem):
    model_config = _model("A roster version with its counts and tables.")

    etag: str = Field(description='the version\'s ETag, e.g. `"roster-3"`: send it as If-Match to change it')
    counts: dict[str, int] = Field(description="counts by table, zone, role and flag")
    tables: dict[str, TableInfo] = Field(description="every table of the version, by name")


class RosterDetail(RosterSummary):
    model_config = _model("A roster version with the changes that made it.")

    changes: list[dict[str, Any]] = Field(description="the changes as sent (empty for uploads)")
    diff: dict[str, dict[str, Any]] = Field(
        description="per changed table: counts of rows added, removed, updated, with up to 200 ids of each"
    )


class RosterDiff(BaseModel):
    model_config = _model("Rows added, removed and updated per table between two versions.")

    version: int = Field(description="the newer version")
    against: int = Field(description="the version compared with")
    tables: dict[str, dict[str, Any]] = Field(
        description="per table: counts and ids of rows added, removed and updated from `against` to `version`"
    )


class ChangeOp(StrEnum):
    ADD = "add"
    UPDATE = "update"
    REMOVE = "remove"


class ChangeIn(BaseModel):
    model_config = _model(
        "One row to add, update or remove.",
        {"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 4}},
        extra="forbid",
    )

    op: ChangeOp = Field(description="`add` a new row, `update` some fields of a row, `remove` a row")
    table: Table = Field(description="the table of the row")
    id: PlainText = Field(min_length=1, max_length=64, description="the row's id (its table's id column)")
    fields: dict[PlainText, CellValue] = Field(
        default_factory=dict,
        description="column → value: every column for `add`, the changed ones for `update`; none for `remove`",
    )


class ChangesIn(BaseModel):
    model_config = _model(
        "Changes applied together or not at all.",
        {
            "changes": [{"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 4}}],
            "message": "广州 takes a fourth city",
        },
        extra="forbid",
    )

    changes: list[ChangeIn] = Field(min_length=1, max_length=50_000, description="the changes, applied in order")
    message: PlainText = Field("", max_length=2000, description="a note kept with the new version")


# --- plans -----------------------------------------------------------------------------


class PinIn(BaseModel):
    model_config = _model(
        "A pair the plan must contain (fix) or must not contain (forbid).",
        {"kind": "city_city", "supporter_id": "440100", "receiver_id": "441400", "action": "fix"},
        extra="forbid",
        str_strip_whitespace=True,
    )

    kind: Kind = Field(description="the kind of pair")
    supporter_id: PlainText = Field(min_length=1, max_length=64, description="the supporting party's id")
    receiver_id: PlainText = Field(min_length=1, max_length=64, description="the receiving party's id")
    action: PinAction = Field(PinAction.FIX, description="`fix`: the pair is in the plan; `forbid`: it is not")


class PlanIn(BaseModel):
    model_config = _model(
        "A plan to solve on the current roster.",
        {"round": "2021-2025", "base_plan_id": None, "pins": [], "rules": {}, "time_limit_s": 20},
        extra="forbid",
    )

    round: Round = Field(description="the five-year round to plan")
    base_plan_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="re-plan from this done plan (same round: fewest changes; earlier round: continuity)",
    )
    pins: list[PinIn] = Field(default_factory=list, max_length=10_000, description="pairs fixed or forbidden")
    rules: dict[PlainText, dict[PlainText, RuleValue]] = Field(
        default_factory=dict, description="rule parameter and weight overrides, as in rules.toml"
    )
    time_limit_s: PositiveFloat | None = Field(None, description="per sub-model; at most the server's limit")
    from_year: int | None = Field(
        None,
        ge=2021,
        le=2035,
        description="re-plan the years from this one on from the base plan's recorded actuals: the base's "
        "pairs, roster version and rules are kept (needs base_plan_id of the same round)",
    )


class PlanStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    INFEASIBLE = "infeasible"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ProgressOut(BaseModel):
    model_config = _model("The latest progress of a running solve.")

    phase: str = Field(description="the sub-model being solved")
    best_objective: int | None = Field(description="the best objective found so far in this phase")
    bound: int | None = Field(description="the best bound proven so far in this phase")
    gap: float | None = Field(description="relative gap between the two")
    phase_elapsed_s: float = Field(description="seconds spent in this phase")
    elapsed_s: float = Field(description="seconds since the solve started")


class PlanItem(BaseModel):
    model_config = _model("A plan in a list.")

    id: int = Field(description="the plan's id")
    round: str = Field(description="the round planned")
    status: PlanStatus = Field(description="`queued`, `running`, then `done`, `infeasible`, `failed` or `cancelled`")
    roster_version: int = Field(description="the roster version it was solved on")
    base_plan_id: int | None = Field(description="the plan it re-plans from, if any")
    created_at: datetime = Field(description="when it was requested (UTC)")
    created_by: str = Field(description="name of the token that requested it")
    started_at: datetime | None = Field(description="when its current (or last) solve started")
    finished_at: datetime | None = Field(description="when it reached its final status")
    solve_status: str | None = Field(description="the solver's status: optimal, feasible, infeasible, unknown")
    objective: int | None = Field(description="objective of the plan (lower is better)")
    bound: int | None = Field(description="proven lower bound of the objective")
    gap: float | None = Field(description="relative gap between objective and bound")
    runtime_s: float | None = Field(description="solver time in seconds")
    passes_checker: bool | None = Field(description="whether the independent checker accepts the plan")
    pairs_by_kind: dict[str, int] | None = Field(description="number of pairs of each kind")


class PlanDetail(PlanItem):
    model_config = _model("A plan with its request, progress, outcome and report.")

    pins: list[dict[str, Any]] = Field(description="the pins it was solved with")
    rule_overrides: dict[str, Any] = Field(description="the rule overrides it was requested with")
    rules: dict[str, Any] = Field(description="the rule parameters and weights the plan was solved with")
    options: dict[str, Any] = Field(description="solver options: time_limit_s, num_workers, seed")
    progress: ProgressOut | None = Field(description="while running: the latest progress")
    explanation: list[str] = Field(description="when infeasible: the rules that cannot all hold together")
    error: str | None = Field(description="why the plan failed, was cancelled or has no plan")
    report: dict[str, Any] | None = Field(description="the rule report (as report.json)")
    attempts: int = Field(description="how many times a worker claimed it (more than 1: a worker died on it)")
    worker: str | None = Field(description="the worker that holds or last held it (host:pid:tag)")
    cancel_requested_at: datetime | None = Field(description="when a cancel was asked for")
    cancelled_by: str | None = Field(description="name of the token that asked for the cancel")
    links: dict[str, str] = Field(description="paths of the plan and its downloads")


class PlanCreated(BaseModel):
    model_config = _model("A plan accepted into the queue.")

    id: int = Field(description="the new plan's id")
    status: PlanStatus = Field(description="`queued`")
    roster_version: int = Field(description="the roster version it will be solved on")
    links: dict[str, str] = Field(description="paths of the plan and its downloads")


class PairRef(BaseModel):
    model_config = _model("One pair, by its parties.")

    supporter_id: str = Field(description="the supporting party's id")
    supporter_name: str = Field(description="the supporting party's name")
    receiver_id: str = Field(description="the receiving party's id")
    receiver_name: str = Field(description="the receiving party's name")


class KindDiff(BaseModel):
    model_config = _model("Changes of one kind of pair.")

    kept: int = Field(description="pairs in both plans")
    added: list[PairRef] = Field(description="pairs only in this plan")
    removed: list[PairRef] = Field(description="pairs only in the plan compared with")


class PlanDiff(BaseModel):
    model_config = _model("Pairs kept, added and removed between two plans.")

    plan_id: int = Field(description="this plan")
    against: int = Field(description="the plan compared with")
    kept: int = Field(description="pairs in both")
    added: int = Field(description="pairs only in this plan")
    removed: int = Field(description="pairs only in the other")
    kinds: dict[str, KindDiff] = Field(description="the same, per kind of pair")


class PreviewIn(ChangesIn):
    model_config = _model(
        "Changes to try on the current roster against a done plan; nothing is stored.",
        {
            "changes": [{"op": "update", "table": "cities", "id": "440100", "fields": {"capacity": 1}}],
            "base_plan_id": 1,
        },
        extra="forbid",
    )

    base_plan_id: int = Field(ge=1, le=MAX_ID, description="a done plan: its pairs are the base of the re-plan")


class KpisOut(BaseModel):
    model_config = _model("Key figures of a set of pairs.")

    pairs: int = Field(description="number of pairs")
    pairs_by_kind: dict[str, int] = Field(description="number of pairs of each kind")
    supporter_load_spread: dict[str, int] = Field(
        description="per kind: the most receivers one supporter has minus the fewest (among supporters with pairs)"
    )


class PreviewOut(BaseModel):
    model_config = _model("What the changes would do to the plan's pairs; no roster version or plan was stored.")

    base_plan_id: int = Field(description="the plan compared with")
    round: str = Field(description="the round re-planned (the base plan's)")
    roster_version: int = Field(description="the roster version the changes were applied to (it stays current)")
    status: str = Field(description="the solver's status: optimal, feasible, infeasible, unknown")
    objective: int | None = Field(description="objective of the previewed pairs (lower is better)")
    bound: int | None = Field(description="proven lower bound of the objective")
    gap: float | None = Field(description="relative gap between objective and bound")
    runtime_s: float = Field(description="solver time in seconds")
    explanation: list[str] = Field(description="when infeasible: the rules that cannot all hold together")
    score: int = Field(description="sum of the previewed pairs' score terms")
    base_score: int = Field(description="sum of the base plan's pairs' score terms")
    score_change: dict[str, int] = Field(
        description="per score term: its sum over the previewed pairs minus its sum over the base plan's pairs; "
        "the changes add up to `score` minus `base_score`"
    )
    kept: int = Field(description="pairs in both")
    added: int = Field(description="pairs only in the preview")
    removed: int = Field(description="pairs only in the base plan")
    kinds: dict[str, KindDiff] = Field(description="pairs kept, added and removed, per kind")
    kpis: KpisOut = Field(description="key figures of the previewed pairs")
    base_kpis: KpisOut = Field(description="the same for the base plan's pairs")


# --- tokens ----------------------------------------------------------------------------


class TokenIn(BaseModel):
    model_config = _model(
        "A token to create.",
        {"name": "梅州市教育局", "role": "coordinator", "city_id": "441400"},
        extra="forbid",
        str_strip_whitespace=True,
    )

    name: PlainText = Field(min_length=1, max_length=100, description="who holds it (shown in the history)")
    role: Role = Field(description="`viewer` reads; `coordinator` also changes rosters and plans; `admin` also tokens")
    city_id: str | None = Field(
        None,
        pattern=CITY_ID_PATTERN,
        description="coordinators only: the city whose rows it may change (none: the whole province)",
    )


class TokenOut(BaseModel):
    model_config = _model("A token (never its secret).")

    id: int = Field(description="the token's id")
    name: str = Field(description="who holds it")
    role: Role = Field(description="its role")
    city_id: str | None = Field(description="its city scope, if any")
    created_at: datetime = Field(description="when it was created (UTC)")
    created_by: str | None = Field(description="name of the admin token that created it")
    revoked_at: datetime | None = Field(description="when it was revoked, if it was")


class TokenCreated(TokenOut):
    model_config = _model("A new token, with its secret.")

    token: str = Field(description="the secret; shown only now, store it safely")


# --- audit -----------------------------------------------------------------------------


class AuditOut(BaseModel):
    model_config = _model("One audited change.")

    id: int = Field(description="the entry's id (newer entries have larger ids)")
    at: datetime = Field(description="when (UTC)")
    token_id: int | None = Field(description="the token used (none: the command line)")
    token_name: str = Field(description="the token's name")
    token_city_id: str | None = Field(description="the token's city scope, if any")
    action: str = Field(
        description="roster.add, roster.update, roster.remove, plan.create, plan.cancel, token.create, token.revoke"
    )
    table: str | None = Field(description="the table (cities, …, plans, api_tokens)")
    row_id: str | None = Field(description="the row's id")
    roster_version: int | None = Field(description="the roster version the change made")
    detail: dict[str, Any] = Field(description="for updates: each changed field's old and new value")


# --- problems --------------------------------------------------------------------------


class ProblemItem(BaseModel):
    model_config = _model("One problem of a request, named as precisely as the request allows.")

    index: int | None = Field(None, description="index of the change or pin in the request's list")
    row: int | None = Field(None, description="row of an uploaded file (the header is row 1)")
    file: str | None = Field(None, description="the file a row is in")
    table: str | None = Field(None, description="the roster table")
    id: str | None = Field(None, description="the row's id")
    field: str | None = Field(None, description="the field, column or parameter")
    message: str = Field(description="what is wrong, and what would be right")


class Problem(BaseModel):
    model_config = _model(
        "An error, as RFC 9457 problem details (application/problem+json).",
        {
            "type": "https://gd-pairing.invalid/problems/invalid-changes",
            "title": "Invalid input",
            "status": 422,
            "detail": "1 problem(s) found; nothing was changed.",
            "errors": [{"index": 0, "table": "cities", "id": "440100", "field": "capacity", "message": "…"}],
        },
    )

    type: str = Field(description="a URI naming the kind of problem (`about:blank` for plain HTTP errors)")
    title: str = Field(description="short summary of the status")
    status: int = Field(description="the HTTP status")
    detail: str = Field(description="what happened and what to do")
    errors: list[ProblemItem] | None = Field(None, description="each problem of the request")


class ActualsYear(BaseModel):
    model_config = _model("One year's recorded actuals of a plan.")

    year: int = Field(description="the year of the round")
    version: int = Field(ge=0, description="accepted uploads of this year (0: none yet)")
    etag: str = Field(description="what a PUT of this year sends as If-Match")
    rows: int = Field(ge=0, description="rows of the plan recorded")
    created_by: str | None = Field(description="who sent the current version")
    csv: str = Field(description="the link of the year's actuals CSV")
