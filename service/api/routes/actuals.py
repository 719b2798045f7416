"""Actuals of a plan's years (If-Match, all or nothing), their assessment, and each pair's own plan.

The yearly cycle: a coordinator downloads a year's template (GET …/actuals/{year}.csv: the plan's
rows of that year with empty delivered cells), fills in what was delivered, and sends it back
(PUT, with the ETag it read). The assessment reads every recorded year; a re-plan of the years
left is POST /plans with `from_year` (service.replans).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from fastapi import Path as FastApiPath
from fastapi.responses import JSONResponse

import solver
from service.api.csv_response import XLSX_TYPE, csv_download, download
from service.api.deps import CacheDep, FactoryDep, ProvinceCoordinator, SessionDep, SettingsDep, Viewer
from service.api.openapi import file_200, problems
from service.core.problems import ProblemError, not_found
from service.crud import actuals as crud
from service.crud import plans as plan_crud
from service.models import Plan
from service.plan_inputs import DEPLOYMENTS_CSV, PAIRS_CSV
from service.roster_cache import version_roster
from service.schemas import ActualsYear, PlanId, PlanStatus
from service.uploads import UploadBody, UploadGateDep

router = APIRouter(prefix="/plans", tags=["actuals"])

_ETAG = re.compile(r'^"?actuals-(\d{4})-(\d+)"?$')
Year = Annotated[int, FastApiPath(ge=2021, le=2035, description="a year of the plan's round", examples=[2021])]
PairPath = Annotated[
    str,
    FastApiPath(
        pattern=r"^[0-9A-Za-z]{1,20}_[0-9A-Za-z]{1,20}$",
        description="SUPPORTER_RECEIVER ids of a city or county pair",
        examples=["440103_440811"],
    ),
]
Years = Annotated[list[int] | None, Query(description="only these recorded years (default: every recorded year)")]
IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='required: the ETag of GET /plans/{id}/actuals/{year}.csv, e.g. "actuals-2021-0" '
        "(428 without it, 412 if malformed)",
    ),
]


def etag(year: int, version: int) -> str:
    return f'"actuals-{year}-{version}"'


def _done(session: SessionDep, plan_id: int) -> Plan:
    plan = plan_crud.get_plan(session, plan_id)
    if plan is None:
        raise not_found(f"plan {plan_id}")
    if plan.status != PlanStatus.DONE:
        raise ProblemError(
            409, f"plan {plan.id} is {plan.status}: only a done plan has rows to record", slug="plan-not-done"
        )
    return plan


def _year_of(plan: Plan, year: int) -> int:
    years = solver.round_years(plan.round)
    if year not in years:
        raise ProblemError(
            422,
            f"{year} is not a year of the round {plan.round}",
            slug="invalid-request",
            errors=[{"field": "year", "message": f"one of {', '.join(map(str, years))}"}],
        )
    return year


def _file(session: SessionDep, plan: Plan, name: str) -> bytes:
    content = plan_crud.plan_file(session, plan.id, name)
    if content is None:
        raise not_found(f"{name} of plan {plan.id}")
    return content


def _expected(if_match: str | None, year: int) -> int:
    if if_match is None or not if_match.strip():
        raise ProblemError(
            428,
            "send If-Match with the ETag of GET /plans/{id}/actuals/{year}.csv, so that actuals recorded "
            "meanwhile by someone else are not overwritten",
            slug="if-match-required",
        )
    found = _ETAG.match(if_match.strip())
    if not found or int(found.group(1)) != year:
        raise ProblemError(
            412,
            f"If-Match {if_match!r} is not an ETag of the {year} actuals; use the ETag header of "
            f'GET /plans/{{id}}/actuals/{year}.csv, e.g. "actuals-{year}-0"',
            slug="bad-if-match",
        )
    return int(found.group(2))


@router.get(
    "/{plan_id}/actuals",
    response_model=list[ActualsYear],
    responses=problems(401, 403, 404, 409, 422),
    summary="The years of a plan with recorded actuals",
)
def list_actuals(plan_id: PlanId, session: SessionDep, _user: Viewer) -> list[ActualsYear]:
    """Each recorded year: its version, the ETag a PUT sends, how many rows, who sent it. 409 while
    the plan is not done."""
    plan = _done(session, plan_id)
    return [_year_out(plan.id, a.year, a.version, a.rows, a.created_by) for a in crud.versions(session, plan.id)]


def _year_out(plan_id: int, year: int, version: int, rows: int, by: str | None) -> ActualsYear:
    return ActualsYear(
        year=year,
        version=version,
        etag=etag(year, version),
        rows=rows,
        created_by=by,
        csv=f"/plans/{plan_id}/actuals/{year}.csv",
    )


@router.get(
    "/{plan_id}/actuals/{year}.csv",
    summary="A year's actuals as recorded, or the template to fill in (the plan's rows, delivered cells empty)",
    responses={**file_200("text/csv", "the actuals CSV (UTF-8 with BOM)"), **problems(401, 403, 404, 409, 422)},
)
def get_actuals(plan_id: PlanId, year: Year, session: SessionDep, _user: Viewer) -> Response:
    """The recorded actuals of the year (every delivered cell filled in), or, before any are
    recorded, the plan's rows of that year with empty delivered cells. Its `ETag` is what PUT
    sends as If-Match ("actuals-2021-0" before the first upload)."""
    plan = _done(session, plan_id)
    _year_of(plan, year)
    stored = crud.get(session, plan.id, year)
    if stored is None:
        content, version = solver.actuals_template(_file(session, plan, DEPLOYMENTS_CSV), year), 0
    else:
        content, version = stored.content, stored.version
    response = csv_download(content, f"plan-{plan.id}-{plan.round}-actuals-{year}.csv")
    response.headers["ETag"] = etag(year, version)
    return response


_EXAMPLE_ROW = {
    "round": "2021-2025",
    "year": "2021",
    "flow": "teaching_team",
    "from_id": "440103",
    "from_name": "荔湾区",
    "to_id": "440811",
    "to_name": "麻章区",
    "teams": "1",
    "people": "10",
    "rule": "R07",
    "delivered_teams": "0",
    "delivered_people": "0",
    "delivered_note": "未能派出",
}
ACTUALS_EXAMPLE = (
    ",".join(solver.ACTUAL_COLUMNS) + "\n" + ",".join(_EXAMPLE_ROW.get(c, "") for c in solver.ACTUAL_COLUMNS) + "\n"
)
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "the year's actuals as CSV (UTF-8, UTF-8 with BOM or GB18030): the columns of "
        "deployments.csv, then delivered_teams, delivered_people, delivered_activities, delivered_items, "
        "delivered_days, delivered_note",
        "content": {"text/csv": {"schema": {"type": "string"}, "example": ACTUALS_EXAMPLE}},
    }
}


@router.put(
    "/{plan_id}/actuals/{year}.csv",
    response_model=ActualsYear,
    status_code=201,
    responses=problems(401, 403, 404, 409, 412, 413, 422, 428, 503),
    openapi_extra=UPLOAD_BODY,
    summary="Record what a year delivered: the whole year's actuals, all or nothing, against the ETag",
)
def put_actuals(
    plan_id: PlanId,
    year: Year,
    user: ProvinceCoordinator,
    session: SessionDep,
    factory: FactoryDep,
    settings: SettingsDep,
    gate: UploadGateDep,
    upload: UploadBody,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Replaces the year's actuals with the uploaded CSV. Every row must be a row of the plan's
    deployments.csv of that year (same year, flow, ends, sites and subjects); an empty delivered
    cell means as planned, a planned row left out was not delivered. 422 names every problem by
    row and field and stores nothing; 409 when actuals were recorded since the ETag in If-Match
    (428 without it). Coordinators of the whole province only."""
    plan = _done(session, plan_id)
    _year_of(plan, year)
    expected = _expected(if_match, year)
    stored = crud.get(session, plan.id, year)
    current = stored.version if stored is not None else 0
    if current != expected:
        raise _stale(year, current, expected)
    filename = f"actuals-{year}.csv"
    with gate.turn(settings.UPLOAD_WAIT_S):
        data = upload.read()
        planned = solver.plan_rows(_file(session, plan, DEPLOYMENTS_CSV))
        try:
            if not data.strip():
                raise solver.InputError([solver.Problem(filename, None, None, "the body is empty")])
            actuals = solver.read_actuals_csv(data, filename, plan.round, planned, year)
        except solver.InputError as exc:
            raise ProblemError(
                422,
                f"{len(exc.problems)} problem(s) in {filename}; nothing was stored",
                slug="invalid-actuals",
                errors=[p.as_dict() for p in exc.problems[: settings.MAX_ERRORS]],
            ) from exc
        content = solver.canonical_actuals(actuals)
    session.close()
    try:
        version = crud.store(factory, plan.id, year, expected, content, len(actuals), user)
    except crud.StaleActuals as exc:
        raise _stale(year, exc.current, expected) from exc
    body = _year_out(plan.id, year, version, len(actuals), user.name)
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=201,
        headers={"ETag": etag(year, version), "Location": body.csv},
    )


def _stale(year: int, current: int, expected: int) -> ProblemError:
    return ProblemError(
        409,
        f"the {year} actuals changed since you read them: you sent the ETag of version {expected}, the "
        f"current version is {current}. Read them again, redo your changes and send them with the new ETag",
        slug="stale-actuals",
        headers={"ETag": etag(year, current)},
        extra={"current_version": current},
    )


def _assessment(session: SessionDep, cache: CacheDep, plan_id: int, years: list[int] | None) -> solver.AssessmentReport:
    plan = _done(session, plan_id)
    recorded = {a.year for a in crud.versions(session, plan.id)}
    chosen = sorted({_year_of(plan, y) for y in years}) if years else sorted(recorded)
    missing = [y for y in chosen if y not in recorded]
    if missing or not chosen:
        raise ProblemError(
            409,
            f"plan {plan.id} has no actuals recorded for {', '.join(map(str, missing)) or 'any year'}; "
            "PUT /plans/{id}/actuals/{year}.csv first",
            slug="no-actuals",
        )
    planned = solver.plan_rows(_file(session, plan, DEPLOYMENTS_CSV))
    actuals: list[solver.Actual] = []
    for year, content in sorted(crud.contents(session, plan.id, chosen).items()):
        actuals += solver.read_actuals_csv(content, f"actuals-{year}.csv", plan.round, planned, year)
    roster = version_roster(session, cache, plan.roster_version)
    return solver.assess(roster, plan.round, planned, actuals, chosen, solver.from_record(plan.rules))


@router.get(
    "/{plan_id}/assessment.json",
    response_model=solver.AssessmentReport,
    responses=problems(401, 403, 404, 409, 422),
    summary="The assessment: delivered against planned against the floor, per receiver, supporter and rule",
)
def assessment_json(
    plan_id: PlanId, session: SessionDep, cache: CacheDep, _user: Viewer, year: Years = None
) -> solver.AssessmentReport:
    """Each recorded year's measures per receiver, per supporter and per rule (planned, delivered,
    the policy's floor where it sets one, how far behind each), who is behind in words, and each
    receiving county's score in [0, 100] (docs/design.md). 409 before any actuals are recorded."""
    return _assessment(session, cache, plan_id, year)


@router.get(
    "/{plan_id}/assessment.csv",
    summary="The assessment's measures as CSV (UTF-8 with BOM)",
    responses={**file_200("text/csv", "the measures"), **problems(401, 403, 404, 409, 422)},
)
def assessment_csv(
    plan_id: PlanId, session: SessionDep, cache: CacheDep, _user: Viewer, year: Years = None
) -> Response:
    """The measures of GET …/assessment.json, one a row with its `scope` (receiver, supporter,
    rule), UTF-8 with BOM. 409 before any actuals are recorded."""
    found = _assessment(session, cache, plan_id, year)
    return csv_download(solver.assessment_csv_bytes(found), f"plan-{plan_id}-assessment.csv")


@router.get(
    "/{plan_id}/assessment.xlsx",
    summary="The assessment for Excel: by receiver, by supporter, by rule, the counties' scores, who is behind",
    responses={**file_200(XLSX_TYPE, "the workbook", binary=True), **problems(401, 403, 404, 409, 422)},
)
def assessment_xlsx(
    plan_id: PlanId, session: SessionDep, cache: CacheDep, _user: Viewer, year: Years = None
) -> Response:
    """Sheets 按受援方, 按支援方, 按规则 (the measures with Chinese headers), 县得分 (each county's
    score) and 落后情况 (who is behind, in words). 409 before any actuals are recorded."""
    found = _assessment(session, cache, plan_id, year)
    return download(solver.assessment_xlsx_bytes(found), f"plan-{plan_id}-assessment.xlsx", XLSX_TYPE)


@router.get(
    "/{plan_id}/pairs/{pair}.xlsx",
    summary="A city or county pair's own plan (结对帮扶工作方案): its five years and each year's tasks, in Chinese",
    responses={**file_200(XLSX_TYPE, "the workbook", binary=True), **problems(401, 403, 404, 409, 422)},
)
def pair_plan_xlsx(plan_id: PlanId, pair: PairPath, session: SessionDep, _user: Viewer) -> Response:
    """The plan of one supporter–receiver pair (`SUPPORTER_RECEIVER`, e.g. 440103_440811): a sheet
    with the pair, the five-year plan by task and year, and one sheet of tasks per year, with the
    figures of the plan's deployments.csv. 404 when the plan has no such city or county pair."""
    plan = _done(session, plan_id)
    supporter, receiver = pair.split("_", 1)
    pairs = solver.read_pairs_csv(_file(session, plan, PAIRS_CSV))
    found = next(
        (
            p
            for p in pairs
            if p.kind in solver.PAIR_PLAN_KINDS and p.supporter_id == supporter and p.receiver_id == receiver
        ),
        None,
    )
    if found is None:
        raise not_found(f"a city or county pair {supporter} → {receiver} in plan {plan.id}")
    records = solver.table_records(_file(session, plan, DEPLOYMENTS_CSV))
    content = solver.pair_xlsx_bytes(found, records, solver.round_years(plan.round))
    return download(content, f"plan-{plan.id}-pair-{pair}.xlsx", XLSX_TYPE)
