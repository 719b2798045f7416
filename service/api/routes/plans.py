"""Plans: start a solve (202 at once), watch it, download and compare the pairs."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from service import replans
from service.api.csv_response import XLSX_TYPE, csv_download, download
from service.api.deps import (
    CacheDep,
    FactoryDep,
    ProvinceCoordinator,
    RulesDep,
    SessionDep,
    SettingsDep,
    Viewer,
)
from service.api.openapi import file_200, json_200, problems
from service.core.db import write_session
from service.core.problems import ProblemError, not_found
from service.crud import audit
from service.crud import plans as crud
from service.crud import rosters as roster_crud
from service.exports import (
    city_name,
    city_of_party,
    deployments_csv_of_year,
    diff_plans,
    pairs_csv_of_kind,
    pairs_csv_zh,
    pairs_of,
    pairs_xlsx,
)
from service.models import Plan
from service.roster_cache import version_roster, version_rows
from service.schemas import (
    Against,
    Offset,
    PlanCreated,
    PlanDetail,
    PlanDiff,
    PlanId,
    PlanIn,
    PlanItem,
    PlanStatus,
    ProgressOut,
    RuleValue,
)
from service.solving import COSTS_CSV, DEPLOYMENTS_CSV, PAIRS_CSV, plan_options
from solver import (
    ROUNDS,
    InputError,
    Kind,
    Pin,
    Round,
    RuleSet,
    apply_overrides,
    check_pins,
    from_record,
    report_json,
    round_years,
)

router = APIRouter(prefix="/plans", tags=["plans"])
PAIRS_XLSX = "pairs.xlsx"


def _plan(session: SessionDep, plan_id: int) -> Plan:
    """The plan, or 404 (also for ids no plan can have: the API takes 1..2**63-1)."""
    plan = crud.get_plan(session, plan_id)
    if plan is None:
        raise not_found(f"plan {plan_id}")
    return plan


def _links(plan_id: int) -> dict[str, str]:
    base = f"/plans/{plan_id}"
    return {
        "self": base,
        "pairs_csv": f"{base}/pairs.csv",
        "pairs_xlsx": f"{base}/pairs.xlsx",
        "deployments_csv": f"{base}/deployments.csv",
        "costs_csv": f"{base}/costs.csv",
        "report_json": f"{base}/report.json",
    }


def _item(plan: Plan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in PlanItem.model_fields}


def _progress(plan: Plan) -> ProgressOut | None:
    if not plan.progress:
        return None
    progress = dict(plan.progress)
    if plan.status == PlanStatus.RUNNING and plan.started_at is not None:
        progress["elapsed_s"] = round((datetime.now(UTC) - plan.started_at).total_seconds(), 3)
    return ProgressOut.model_validate(progress)


def _invalid(detail: str, errors: list[dict[str, Any]]) -> ProblemError:
    return ProblemError(422, detail, slug="invalid-plan-request", errors=errors)


def _rules(base: RuleSet, overrides: dict[str, dict[str, RuleValue]]) -> RuleSet:
    try:
        return apply_overrides(overrides, base, filename="rules")
    except InputError as exc:
        raise _invalid(
            "the rule overrides name unknown rules, parameters or bad values",
            [{"field": f"rules.{p.field}", "message": p.message} for p in exc.problems],
        ) from exc


@router.post(
    "",
    response_model=PlanCreated,
    status_code=202,
    responses=problems(401, 403, 422, 503),
    summary="Start planning a round on the current roster; answers at once with the plan's id",
)
def create_plan(
    body: PlanIn,
    user: ProvinceCoordinator,
    factory: FactoryDep,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    base_rules: RulesDep,
) -> JSONResponse:
    """Queues a plan of `round` on the current roster version and answers 202 at once, with the
    plan's id and a `Location`; a solve worker claims it (`GET /plans/{id}` shows its progress).
    Coordinators of the whole province only (403 for a city-scoped token); 503 with `Retry-After`
    when MAX_QUEUED_PLANS plans are already queued or running; 422 names a bad base plan, pin or
    rule override."""
    if body.time_limit_s is not None and body.time_limit_s > settings.SOLVE_TIME_LIMIT_S:
        raise _invalid(
            "the time limit is above the server's",
            [{"field": "time_limit_s", "message": f"at most {settings.SOLVE_TIME_LIMIT_S:g} s on this server"}],
        )
    rules = _rules(base_rules, body.rules)
    version = roster_crud.latest_number(session)
    if version is None:
        raise ProblemError(503, "no roster has been loaded yet", slug="no-roster")
    if body.base_plan_id is not None:
        base = crud.get_plan(session, body.base_plan_id)
        if base is None:
            raise _invalid(
                f"base plan {body.base_plan_id} does not exist",
                [{"field": "base_plan_id", "message": f"no plan {body.base_plan_id}"}],
            )
        if base.status != PlanStatus.DONE:
            raise _invalid(
                f"base plan {base.id} has no pairs to start from (it is {base.status})",
                [{"field": "base_plan_id", "message": f"plan {base.id} is {base.status}; choose a done plan"}],
            )
        if ROUNDS.index(base.round) > ROUNDS.index(body.round):
            raise _invalid(
                f"base plan {base.id} is of a later round ({base.round})",
                [{"field": "base_plan_id", "message": f"choose a plan of {body.round} or an earlier round"}],
            )
    replan = None
    if body.from_year is not None:
        replan = replans.queued(session, body, base if body.base_plan_id is not None else None)
        version, rules = replan.roster_version, from_record(replan.rules)
    pins = [Pin.model_validate(p.model_dump()) for p in body.pins]
    if pins:
        try:
            check_pins(version_roster(session, cache, version), pins, filename="pins")
        except InputError as exc:
            raise _invalid(
                "some pins name parties that are not in the current roster",
                [{"index": (p.row or 2) - 2, "field": p.field, "message": p.message} for p in exc.problems],
            ) from exc
    session.close()
    with write_session(factory) as writer:
        plan = Plan(
            round=body.round,
            status=PlanStatus.QUEUED.value,
            roster_version=version,
            base_plan_id=body.base_plan_id,
            pins=[p.model_dump(mode="json") for p in pins],
            rule_overrides=body.rules,
            rules=rules.record(),
            options=plan_options(settings, body.time_limit_s, replan.years if replan else None, body.from_year),
            created_by=user.name,
        )
        if not crud.enqueue(writer, plan, settings.MAX_QUEUED_PLANS):
            raise ProblemError(
                503,
                f"{settings.MAX_QUEUED_PLANS} plans are already waiting or running; try again when one has finished",
                slug="queue-full",
                headers={"Retry-After": "30"},
            )
        plan_id = plan.id
        if replan is not None:
            replans.add_files(writer, plan_id, replan)
        detail: dict[str, object] = {"round": body.round, "roster_version": version, "base_plan_id": body.base_plan_id}
        if body.from_year is not None:
            detail["from_year"] = body.from_year
        audit.add(writer, user, [audit.Entry("plan.create", "plans", str(plan_id), detail)])
    created = PlanCreated(id=plan_id, status=PlanStatus.QUEUED, roster_version=version, links=_links(plan_id))
    return JSONResponse(created.model_dump(mode="json"), status_code=202, headers={"Location": f"/plans/{plan_id}"})


@router.get("", response_model=list[PlanItem], responses=problems(401, 403, 422), summary="Plans, newest first")
def list_plans(
    session: SessionDep,
    _user: Viewer,
    round: Annotated[Round | None, Query(description="only plans of this round")] = None,
    status: Annotated[PlanStatus | None, Query(description="only plans with this status")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="at most this many plans")] = 100,
    offset: Offset = 0,
) -> list[PlanItem]:
    """Every plan, newest first, optionally of one round or status, paged."""
    plans = crud.list_plans(
        session, round_id=round, status=status.value if status else None, limit=limit, offset=offset
    )
    return [PlanItem.model_validate(_item(p)) for p in plans]


@router.get(
    "/{plan_id}",
    response_model=PlanDetail,
    responses=problems(401, 403, 404, 422),
    summary="A plan: status, progress while running, the rule report, the explanation if infeasible",
)
def get_plan(plan_id: PlanId, session: SessionDep, _user: Viewer) -> PlanDetail:
    """The plan's request and status; while it runs, its latest progress; when finished, its
    objective, bound, checker verdict and rule report, the explanation when no plan exists, or
    the reason it failed or was cancelled."""
    plan = _plan(session, plan_id)
    return _detail(plan)


def _detail(plan: Plan) -> PlanDetail:
    return PlanDetail(
        **_item(plan),
        attempts=plan.attempts,
        worker=plan.lease_owner,
        cancel_requested_at=plan.cancel_requested_at,
        cancelled_by=plan.cancelled_by,
        pins=plan.pins,
        rule_overrides=plan.rule_overrides,
        rules=plan.rules,
        options=plan.options,
        progress=_progress(plan),
        explanation=plan.explanation or [],
        error=plan.error,
        report=plan.report,
        links=_links(plan.id),
    )


def _done(session: SessionDep, plan_id: int) -> Plan:
    plan = _plan(session, plan_id)
    if plan.status != PlanStatus.DONE:
        hint = {
            PlanStatus.QUEUED: "it is waiting for a solver; try again shortly",
            PlanStatus.RUNNING: "it is being solved; try again shortly",
        }.get(PlanStatus(plan.status), f"see GET /plans/{plan.id} for why")
        raise ProblemError(
            409,
            f"plan {plan.id} has no pairs: it is {plan.status} ({hint})",
            slug="plan-not-done",
            extra={"plan_status": plan.status},
        )
    return plan


def _pairs_csv(session: SessionDep, plan: Plan) -> bytes:
    content = crud.plan_file(session, plan.id, PAIRS_CSV)
    if content is None:
        raise ProblemError(409, f"plan {plan.id} has no stored pairs", slug="plan-not-done")
    return content


CSV_200 = file_200("text/csv", "the CSV file (UTF-8 with BOM)")
XLSX_200 = file_200(XLSX_TYPE, "the workbook", binary=True)


@router.post(
    "/{plan_id}/cancel",
    response_model=PlanDetail,
    responses={
        **problems(401, 403, 404, 409, 422),
        202: {"model": PlanDetail, "description": "the plan is running: its worker stops it within seconds"},
    },
    summary="Cancel a queued or running plan",
)
def cancel_plan(plan_id: PlanId, user: ProvinceCoordinator, factory: FactoryDep) -> JSONResponse:
    """A queued plan is `cancelled` at once (200). A running plan is marked, and its worker stops
    the solve at its next poll (about a second), killing it if it has not stopped by itself
    STOP_GRACE_S later (202; `GET /plans/{id}` shows `cancelled` within a few seconds). A plan
    already cancelled answers 200 again; a finished one 409. Coordinators of the whole province
    only."""
    with write_session(factory) as session:
        status = crud.request_cancel(session, plan_id, user.name)
        if status is None:
            raise not_found(f"plan {plan_id}")
        if status not in (PlanStatus.CANCELLED, PlanStatus.RUNNING):
            raise ProblemError(
                409,
                f"plan {plan_id} has already finished ({status}); there is nothing to cancel",
                slug="plan-finished",
                extra={"plan_status": status},
            )
        audit.add(session, user, [audit.Entry("plan.cancel", "plans", str(plan_id), {"status": status})])
    with factory() as session:
        plan = _plan(session, plan_id)
        body = _detail(plan).model_dump(mode="json")
    return JSONResponse(body, status_code=202 if plan.status == PlanStatus.RUNNING else 200)


@router.get(
    "/{plan_id}/pairs.csv",
    summary="The pairs, as the CLI writes them (UTF-8 with BOM)",
    responses={**CSV_200, **problems(401, 403, 404, 409, 422)},
)
def pairs_csv(
    plan_id: PlanId,
    session: SessionDep,
    cache: CacheDep,
    _user: Viewer,
    kind: Annotated[Kind | None, Query(description="only pairs of this kind")] = None,
    header: Annotated[
        Literal["en", "zh"],
        Query(description="zh: Chinese titles and kinds, the two sides' city names as last columns"),
    ] = "en",
) -> Response:
    """The plan's pairs.csv, byte for byte as `python -m solver plan` writes it (UTF-8 with BOM,
    numbers never quoted, text that a spreadsheet would read as a formula prefixed with `'`);
    optionally one kind, or with Chinese headers. 409 while the plan has no pairs."""
    plan = _done(session, plan_id)
    content = pairs_csv_of_kind(_pairs_csv(session, plan), kind)
    suffix = f"-{kind.value}" if kind else ""
    if header == "zh":
        names = version_rows(session, cache, plan.roster_version)
        content = pairs_csv_zh(content, partial(city_of_party, names), partial(city_name, names))
        suffix += "-zh"
    return csv_download(content, f"plan-{plan.id}-{plan.round}-pairs{suffix}.csv")


@router.get(
    "/{plan_id}/deployments.csv",
    summary="The annual deployments, as the CLI writes them (UTF-8 with BOM)",
    responses={**CSV_200, **problems(401, 403, 404, 409, 422)},
)
def deployments_csv(
    plan_id: PlanId,
    session: SessionDep,
    _user: Viewer,
    year: Annotated[int | None, Query(ge=2021, le=2035, description="only this year of the round")] = None,
) -> Response:
    """The plan's deployments.csv (the annual flows), optionally one year of its round (422 for a
    year outside it). 409 while the plan has no pairs."""
    plan = _done(session, plan_id)
    years = round_years(plan.round)
    if year is not None and year not in years:
        raise ProblemError(
            422,
            f"{year} is not a year of the round {plan.round}",
            slug="invalid-request",
            errors=[{"field": "year", "message": f"one of {', '.join(map(str, years))}"}],
        )
    content = crud.plan_file(session, plan.id, DEPLOYMENTS_CSV)
    if content is None:
        raise not_found(f"a deployment table of plan {plan.id} (it was solved before deployments were planned)")
    suffix = f"-{year}" if year else ""
    return csv_download(deployments_csv_of_year(content, year), f"plan-{plan.id}-{plan.round}-deployments{suffix}.csv")


@router.get(
    "/{plan_id}/costs.csv",
    summary="What each payer's work costs, by year and flow (R37), as the CLI writes it (UTF-8 with BOM)",
    responses={**CSV_200, **problems(401, 403, 404, 409, 422)},
)
def costs_csv(plan_id: PlanId, session: SessionDep, _user: Viewer) -> Response:
    """The plan's costs.csv: a row per payer, year and flow; a payer's cost of a year is the sum of
    its rows. 409 while the plan has no pairs; 404 for a plan solved before costs were computed."""
    plan = _done(session, plan_id)
    content = crud.plan_file(session, plan.id, COSTS_CSV)
    if content is None:
        raise not_found(f"a cost table of plan {plan.id} (it was solved before costs were computed)")
    return csv_download(content, f"plan-{plan.id}-{plan.round}-costs.csv")


@router.get(
    "/{plan_id}/pairs.xlsx",
    summary="The pairs for Excel: one sheet per kind, Chinese headers",
    responses={**XLSX_200, **problems(401, 403, 404, 409, 422)},
)
def pairs_xlsx_download(plan_id: PlanId, session: SessionDep, factory: FactoryDep, _user: Viewer) -> Response:
    """One sheet per kind of pair with Chinese headers, numbers as numbers and text as text
    (never a formula); the same bytes for the same plan (built on first download, then kept)."""
    plan = _done(session, plan_id)
    content = crud.plan_file(session, plan.id, PAIRS_XLSX)
    if content is None:
        # Built on first download (seconds for ~15k pairs) and kept: the bytes never change.
        pairs = pairs_of(_pairs_csv(session, plan))
        stamp = plan.finished_at or plan.created_at
        content = pairs_xlsx(pairs, f"粤东粤西粤北基础教育结对帮扶 {plan.round} 方案 {plan.id}", stamp)
        session.close()
        crud.add_file(factory, plan.id, PAIRS_XLSX, content)
    return download(content, f"plan-{plan.id}-{plan.round}-pairs.xlsx", XLSX_TYPE)


@router.get(
    "/{plan_id}/report.json",
    summary="The rule report, as the CLI writes it",
    responses={**json_200("the report"), **problems(401, 404, 409, 422)},
)
def report_file(plan_id: PlanId, session: SessionDep, _user: Viewer) -> Response:
    """Every rule with its status and violations, from the independent checker, as the CLI's
    report.json (a download). 409 before the plan has a report."""
    plan = _plan(session, plan_id)
    if plan.report is None:
        raise ProblemError(409, f"plan {plan.id} has no report yet: it is {plan.status}", slug="plan-not-done")
    return Response(
        report_json(plan.report).encode("utf-8"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="plan-{plan.id}-report.json"'},
    )


@router.get(
    "/{plan_id}/diff",
    response_model=PlanDiff,
    responses=problems(401, 403, 404, 409, 422),
    summary="Pairs kept, added and removed per kind, from plan `against` to this plan",
)
def diff(plan_id: PlanId, against: Against, session: SessionDep, _user: Viewer) -> PlanDiff:
    """How this plan differs from plan `against`: pairs kept, added and removed, per kind. Both
    plans must be done (409 otherwise)."""
    plan = _done(session, plan_id)
    other = _done(session, against)
    return diff_plans(plan.id, pairs_of(_pairs_csv(session, plan)), other.id, pairs_of(_pairs_csv(session, other)))
