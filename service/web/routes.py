"""JSON views and downloads for the web app, over the same storage as the API: the overview, a
plan's pairs paged and sorted, the why of a pair, the map's data, a county's detail, the
deployments paged, roster rows paged, uploads of CSV or XLSX, and the Excel downloads."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as FastApiPath
from sqlalchemy.orm import Session

import solver
from service.api.csv_response import XLSX_TYPE, csv_download, download
from service.api.deps import CacheDep, Coordinator, FactoryDep, SessionDep, SettingsDep, Viewer
from service.api.openapi import json_200, problems
from service.api.routes import plans as plan_routes
from service.api.routes import rosters as roster_routes
from service.core.problems import ProblemError, not_found
from service.crud import plans as plan_crud
from service.crud import rosters as roster_crud
from service.exports import deployments_xlsx, diff_csv, diff_plans, diff_xlsx, pairs_of
from service.models import Plan
from service.plan_inputs import pairing_request
from service.roster_cache import RosterCache, version_rows
from service.schemas import MAX_ID, Against, PlanId, PlanItem, PlanStatus
from service.schemas import Offset as OffsetQuery
from service.solving import DEPLOYMENTS_CSV
from service.uploads import UploadBody, UploadGateDep
from service.web.plan_data import PlanData, WebCache
from solver import (
    FLOW_ZH,
    ROUNDS,
    SCORED_KINDS,
    InputError,
    Kind,
    Pair,
    SolveStatus,
    columns,
    term_list,
)

router = APIRouter(tags=["web app"])
MAX_PAGE = 500
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"items per page, at most {MAX_PAGE}")]
Offset = OffsetQuery

XLSX_200 = plan_routes.XLSX_200
CSV_200 = plan_routes.CSV_200
PLAN_READ = problems(401, 404, 409, 422)


def get_web_cache(request: Request) -> WebCache:
    return request.app.state.web_cache


WebCacheDep = Annotated[WebCache, Depends(get_web_cache)]


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422,
        f"the request is not valid: check {field}",
        slug="invalid-request",
        errors=[{"field": field, "message": message}],
    )


def _data(session: Session, cache: RosterCache, web: WebCache, plan_id: int) -> tuple[Plan, PlanData]:
    plan = plan_routes._done(session, plan_id)
    return plan, web.plan(session, cache, plan)


def _pair_out(data: PlanData, p: Pair) -> dict[str, Any]:
    parties = data.parties
    return {
        "kind": p.kind.value,
        "supporter_id": p.supporter_id,
        "supporter_name": p.supporter_name,
        "supporter_city": parties.city_name(p.supporter_id),
        "receiver_id": p.receiver_id,
        "receiver_name": p.receiver_name,
        "receiver_city_id": p.receiver_city_id,
        "receiver_city": parties.city_names.get(p.receiver_city_id, ""),
        "distance_km": p.score_distance_km,
        "total": p.score_total,
        "terms": p.score_terms,
        "pinned": p.pinned,
    }


# --- overview ----------------------------------------------------------------------------


@router.get(
    "/web/overview",
    responses=problems(401, 422),
    summary="The overview page: the current roster and each round's latest plan",
)
def overview(session: SessionDep, cache: CacheDep, web: WebCacheDep, _user: Viewer) -> dict[str, Any]:
    """The current roster's version and counts, and per round its latest plan and latest done
    plan with the overview's figures (receivers meeting their yearly floors, pairs kept from
    the base plan, the most loaded supporter, distances, the checker's verdict)."""
    version = roster_crud.latest_version(session)
    rounds = []
    for round_id in ROUNDS:
        latest = plan_crud.list_plans(session, round_id=round_id, status=None, limit=1, offset=0)
        entry: dict[str, Any] = {"round": round_id, "plan": None, "latest_done": None, "figures": None}
        if latest:
            entry["plan"] = PlanItem.model_validate(plan_routes._item(latest[0])).model_dump(mode="json")
        done = plan_crud.list_plans(session, round_id=round_id, status=PlanStatus.DONE.value, limit=1, offset=0)
        if done:
            plan = done[0]
            data = web.plan(session, cache, plan)
            base = None
            if plan.base_plan_id is not None:
                base_plan = plan_crud.get_plan(session, plan.base_plan_id)
                if base_plan is not None and base_plan.status == PlanStatus.DONE:
                    base = web.plan(session, cache, base_plan)
            entry["latest_done"] = PlanItem.model_validate(plan_routes._item(plan)).model_dump(mode="json")
            entry["figures"] = data.figures(base, plan.report)
        rounds.append(entry)
    roster = None
    if version is not None:
        roster = {
            "version": version.version,
            "etag": roster_routes.etag(version.version),
            "created_at": version.created_at.isoformat(),
            "created_by": version.created_by,
            "message": version.message,
            "counts": version.counts,
        }
    return {"roster": roster, "rounds": rounds}


# --- pairs -------------------------------------------------------------------------------

PAIR_SORTS: dict[str, Callable[[Pair], Any]] = {
    "kind": lambda p: p.key,
    "supporter": lambda p: (p.supporter_name, p.supporter_id),
    "receiver": lambda p: (p.receiver_name, p.receiver_id),
    "distance": lambda p: p.score_distance_km,
    "total": lambda p: p.score_total,
}


@router.get(
    "/plans/{plan_id}/pairs", responses=PLAN_READ, summary="A plan's pairs, filtered, searched, sorted and paged"
)
def pairs_page(
    plan_id: PlanId,
    session: SessionDep,
    cache: CacheDep,
    web: WebCacheDep,
    _user: Viewer,
    kind: Annotated[Kind | None, Query(description="only pairs of this kind")] = None,
    q: Annotated[str, Query(max_length=100, description="text in either side's name or id")] = "",
    city: Annotated[str, Query(max_length=12, description="either side's city id")] = "",
    sort: Annotated[
        str,
        Query(
            pattern=r"^-?(kind|supporter|receiver|distance|total)$",
            description="kind, supporter, receiver, distance or total; a leading - sorts descending",
        ),
    ] = "kind",
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    """The pairs of a done plan with each side's name and city, distance, score and terms:
    filtered by kind, text and city, sorted, one page at a time."""
    _, data = _data(session, cache, web, plan_id)
    key = PAIR_SORTS.get(sort.removeprefix("-"))
    if key is None:
        raise _invalid("sort", f"one of {', '.join(PAIR_SORTS)}, optionally with a leading -")
    needle = q.strip().lower()
    found = [
        p
        for p in data.pairs
        if (kind is None or p.kind == kind)
        and (
            not needle
            or needle in p.supporter_name.lower()
            or needle in p.receiver_name.lower()
            or needle in p.supporter_id
            or needle in p.receiver_id
        )
        and (not city or p.receiver_city_id == city or data.supporter_city(p) == city)
    ]
    if sort != "kind":
        found.sort(key=key, reverse=sort.startswith("-"))
    elif sort.startswith("-"):
        found.reverse()
    return {
        "plan_id": plan_id,
        "total": len(found),
        "offset": offset,
        "limit": limit,
        "items": [_pair_out(data, p) for p in found[offset : offset + limit]],
    }


@router.get(
    "/plans/{plan_id}/why",
    responses=PLAN_READ,
    summary="Why a pair: its score terms with their weights, and the best "
    "alternatives with what the plan would lose by switching",
)
def why(
    plan_id: PlanId,
    kind: Annotated[Kind, Query(description="the pair's kind")],
    supporter_id: Annotated[str, Query(max_length=64, description="the pair's supporter")],
    receiver_id: Annotated[str, Query(max_length=64, description="the pair's receiver")],
    session: SessionDep,
    cache: CacheDep,
    web: WebCacheDep,
    _user: Viewer,
    limit: Annotated[int, Query(ge=1, le=10, description="alternatives to show")] = 3,
) -> dict[str, Any]:
    """The pair's score terms with their weights, and its best alternatives re-scored with the
    plan's weights: what the plan's objective would become with each (404 for a pair not in the
    plan)."""
    plan, data = _data(session, cache, web, plan_id)
    pair = next(
        (p for p in data.pairs if p.kind == kind and p.supporter_id == supporter_id and p.receiver_id == receiver_id),
        None,
    )
    if pair is None:
        raise not_found(f"a {kind.value} pair {supporter_id} → {receiver_id} in plan {plan_id}")
    try:
        request = pairing_request(session, cache, plan)
    except (InputError, KeyError, TypeError) as exc:  # recorded by a version whose rules this one cannot read
        raise ProblemError(409, "this plan's rules cannot be read again to solve it", slug="plan-unreadable") from exc
    found = web.alternatives(
        (plan_id, pair.key, limit),
        lambda: solver.alternatives(request, data.pairs, pair, limit, SolveStatus(plan.solve_status or "unknown")),
    )
    weights = request.rules.weights
    return {
        **_pair_out(data, pair),
        "plan_id": plan_id,
        "terms": term_list(pair.score_terms, weights),
        "derived": pair.kind not in SCORED_KINDS,
        "pinned": pair.pinned,
        "hard_tie": solver.follows_hard_tie(request, pair),
        "alternatives": [
            {
                "supporter_id": a.supporter_id,
                "supporter_name": a.supporter_name,
                "total": a.total,
                "terms": term_list(a.terms, weights),
                "delta": a.delta,
                "exact": a.exact,
                "changed": a.changed,
                "status": a.status.value,
            }
            for a in found
        ],
        "method": solver.ALTERNATIVES_METHOD,
    }


# --- map ---------------------------------------------------------------------------------


@router.get(
    "/plans/{plan_id}/map",
    responses=PLAN_READ,
    summary="What the map draws: receiving counties by supporter city, and "
    "supporter → receiver lines per kind (schools grouped by county)",
)
def map_data(plan_id: PlanId, session: SessionDep, cache: CacheDep, web: WebCacheDep, _user: Viewer) -> dict[str, Any]:
    """Every receiving county with its supporter city, the parties' points, and the lines of
    every kind of pair (school pairs grouped by county)."""
    _, data = _data(session, cache, web, plan_id)
    parties = data.parties
    points: dict[str, list[float]] = {}

    def point(party_id: str) -> str | None:
        party = parties.by_id.get(party_id)
        if party is None:
            return None
        if party.type in ("school", "institute"):
            party = parties.by_id.get(party.area_id) or party
        points[party.id] = [party.lon, party.lat]
        return party.id

    lines: dict[str, dict[tuple[str, str], int]] = {k.value: defaultdict(int) for k in Kind}
    for p in data.pairs:
        source, target = point(p.supporter_id), point(p.receiver_id)
        if source and target and source != target:
            lines[p.kind.value][(source, target)] += 1
    receivers = []
    for p in data.of_kind(Kind.COUNTY_COUNTY):
        receivers.append(
            {
                "area_id": p.receiver_id,
                "name": p.receiver_name,
                "city_id": p.receiver_city_id,
                "supporter_id": p.supporter_id,
                "supporter_name": p.supporter_name,
                "supporter_city_id": data.supporter_city(p),
            }
        )
    return {
        "plan_id": plan_id,
        "round": data.round,
        "cities": dict(parties.city_names.items()),
        "names": {pid: parties.by_id[pid].name for pid in points},
        "points": points,
        "receivers": receivers,
        "lines": {
            kind: [{"from": s, "to": r, "count": n} for (s, r), n in sorted(found.items())]
            for kind, found in lines.items()
        },
    }


@router.get(
    "/plans/{plan_id}/areas/{area_id}",
    responses=PLAN_READ,
    summary="A county on the map: its partners of every kind with their score terms, and its yearly deployments",
)
def area_detail(
    plan_id: PlanId,
    area_id: Annotated[str, FastApiPath(max_length=64, description="a county-level unit's (or city's) id")],
    session: SessionDep,
    cache: CacheDep,
    web: WebCacheDep,
    _user: Viewer,
) -> dict[str, Any]:
    """A county-level unit in a done plan: its partners of every kind, the units it supports,
    its school pairs by county, and its deployments by year and flow."""
    plan, data = _data(session, cache, web, plan_id)
    area = data.parties.by_id.get(area_id)
    if area is None or area.type not in ("area", "city"):
        raise not_found(f"county-level unit {area_id} in roster version {data.roster_version}")
    city_id = area.city_id
    institutes = {f"jy{area_id}", f"jy{city_id}"}
    partners, as_supporter = [], []
    school_sources: dict[str, int] = defaultdict(int)
    school_targets: dict[str, int] = defaultdict(int)
    intra = 0
    for p in data.pairs:
        if p.kind == Kind.SCHOOL_SCHOOL:
            if data.receiver_area(p) == area_id:
                school_sources[data.supporter_area(p)] += 1
            elif data.supporter_area(p) == area_id:
                school_targets[data.receiver_area(p)] += 1
            continue
        if p.kind == Kind.INTRA_REGION:
            intra += data.receiver_area(p) == area_id
            continue
        if p.receiver_id in (area_id, city_id) or p.receiver_id in institutes:
            partners.append(_pair_out(data, p))
        elif p.supporter_id in (area_id, f"jy{area_id}"):
            as_supporter.append(_pair_out(data, p))
    names = data.parties.by_id

    def grouped(counts: dict[str, int]) -> list[dict[str, Any]]:
        return [
            {"area_id": a, "name": names[a].name if a in names else a, "pairs": n}
            for a, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]

    years: dict[str, dict[str, dict[str, int]]] = {}
    rows = []
    for row in data.deployments:
        if area_id not in (row["to_id"], row["from_id"]):
            continue
        rows.append(
            {k: row[k] for k in ("year", "flow", "from_id", "from_name", "to_id", "to_name", "teams", "people", "note")}
        )
        cell = years.setdefault(row["year"], {}).setdefault(row["flow"], {"rows": 0, "teams": 0, "people": 0})
        cell["rows"] += 1
        cell["teams"] += int(row["teams"] or 0)
        cell["people"] += int(row["people"] or 0)
    return {
        "plan_id": plan.id,
        "area_id": area_id,
        "name": area.name,
        "city_id": city_id,
        "city_name": data.parties.city_names.get(city_id, ""),
        "receiver": area_id in data.parties.receivers,
        "partners": partners,
        "as_supporter": as_supporter,
        "school_supporters": grouped(school_sources),
        "school_receivers": grouped(school_targets),
        "intra_region_pairs": intra,
        "deployments_by_year": years,
        "deployments": rows[:2000],
        "short": area_id in data.short_receivers(),
    }


# --- deployments -------------------------------------------------------------------------


@router.get(
    "/plans/{plan_id}/deployments",
    responses=PLAN_READ,
    summary="The annual deployments, filtered and paged, with a year × flow summary of the filtered rows",
)
def deployments_page(
    plan_id: PlanId,
    session: SessionDep,
    cache: CacheDep,
    web: WebCacheDep,
    _user: Viewer,
    year: Annotated[int | None, Query(ge=2021, le=2035, description="only this year")] = None,
    flow: Annotated[str, Query(max_length=40, description="only this flow, e.g. teaching_team")] = "",
    q: Annotated[str, Query(max_length=100, description="text in either side's name or id")] = "",
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    """The rows of the plan's deployments.csv, filtered by year, flow and text, one page at a
    time, with the filtered rows' totals by flow and year."""
    _, data = _data(session, cache, web, plan_id)
    needle = q.strip().lower()
    found = [
        r
        for r in data.deployments
        if (year is None or r["year"] == str(year))
        and (not flow or r["flow"] == flow)
        and (not needle or any(needle in r[c].lower() for c in ("from_id", "from_name", "to_id", "to_name")))
    ]
    summary: dict[str, dict[str, dict[str, int]]] = {}
    for r in found:
        cell = summary.setdefault(r["flow"], {}).setdefault(r["year"], {"rows": 0, "teams": 0, "people": 0})
        cell["rows"] += 1
        cell["teams"] += int(r["teams"] or 0)
        cell["people"] += int(r["people"] or 0)
    flows = sorted({r["flow"] for r in data.deployments})
    return {
        "plan_id": plan_id,
        "total": len(found),
        "offset": offset,
        "limit": limit,
        "flows": flows,
        "years": sorted({int(r["year"]) for r in data.deployments}),
        "summary": summary,
        "items": found[offset : offset + limit],
    }


@router.get(
    "/plans/{plan_id}/deployments.xlsx",
    summary="The annual deployments for Excel: Chinese headers, numbers as numbers",
    responses={**XLSX_200, **PLAN_READ},
)
def deployments_xlsx_download(plan_id: PlanId, session: SessionDep, factory: FactoryDep, _user: Viewer) -> Response:
    """One sheet of the plan's deployments with Chinese headers and flow names, numbers as
    numbers and text as text (never a formula); built on first download, then kept."""
    plan = plan_routes._done(session, plan_id)
    name = "deployments.xlsx"
    content = plan_crud.plan_file(session, plan.id, name)
    if content is None:
        source = plan_crud.plan_file(session, plan.id, DEPLOYMENTS_CSV)
        if source is None:
            raise not_found(f"a deployment table of plan {plan.id}")
        content = deployments_xlsx(
            source,
            f"粤东粤西粤北基础教育结对帮扶 {plan.round} 方案 {plan.id} 年度安排",
            plan.finished_at or plan.created_at,
            FLOW_NAMES,
        )
        session.close()
        plan_crud.add_file(factory, plan.id, name, content)
    return download(content, f"plan-{plan.id}-{plan.round}-deployments.xlsx", XLSX_TYPE)


FLOW_NAMES = FLOW_ZH  # the Chinese flow names of every download (solver.domain.flows)


# --- diffs -------------------------------------------------------------------------------


def _diff(session: Session, plan_id: int, against: int):  # type: ignore[no-untyped-def]
    plan = plan_routes._done(session, plan_id)
    other = plan_routes._done(session, against)
    return plan, diff_plans(
        plan.id,
        pairs_of(plan_routes._pairs_csv(session, plan)),
        other.id,
        pairs_of(plan_routes._pairs_csv(session, other)),
    )


@router.get(
    "/plans/{plan_id}/diff.csv",
    summary="The changed pairs from plan `against` to this plan, as CSV",
    responses={**CSV_200, **PLAN_READ},
)
def diff_csv_download(
    plan_id: PlanId,
    against: Against,
    session: SessionDep,
    _user: Viewer,
    header: Annotated[Literal["en", "zh"], Query(description="zh: Chinese titles")] = "en",
) -> Response:
    """`change,kind,supporter_id,supporter_name,receiver_id,receiver_name` for each pair added to
    or removed from plan `against` (formula-safe text, UTF-8 with BOM)."""
    plan, diff = _diff(session, plan_id, against)
    suffix = "-zh" if header == "zh" else ""
    return csv_download(diff_csv(diff, zh=header == "zh"), f"plan-{plan.id}-vs-{against}-diff{suffix}.csv")


@router.get(
    "/plans/{plan_id}/diff.xlsx",
    summary="The changed pairs from plan `against` to this plan, for Excel",
    responses={**XLSX_200, **PLAN_READ},
)
def diff_xlsx_download(plan_id: PlanId, against: Against, session: SessionDep, _user: Viewer) -> Response:
    """The same rows as diff.csv in a workbook, text as text."""
    plan, diff = _diff(session, plan_id, against)
    content = diff_xlsx(diff, f"方案 {plan.id} 与方案 {against} 对比", plan.finished_at or plan.created_at)
    return download(content, f"plan-{plan.id}-vs-{against}-diff.xlsx", XLSX_TYPE)


# --- roster rows -------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(value)
    return value.value if hasattr(value, "value") else value


@router.get(
    "/web/rosters/{version}/{table}",
    responses={**json_200("the page's rows"), **problems(401, 404, 422, 503)},
    summary="Rows of a roster table, filtered, searched, sorted and paged; `version` is a number or current",
)
def roster_rows(
    version: Annotated[str, FastApiPath(max_length=20, description="a version number, or current")],
    table: roster_routes.TableName,
    request: Request,
    session: SessionDep,
    cache: CacheDep,
    _user: Viewer,
    response: Response,
    q: Annotated[str, Query(max_length=100, description="text in any text column")] = "",
    sort: Annotated[
        str, Query(pattern=r"^(-?[a-z_]{1,40})?$", description="a column; a leading - sorts descending")
    ] = "",
    offset: Offset = 0,
    limit: Limit = 50,
) -> dict[str, Any]:
    """The rows of one table of a version, with every column; any column given as a query
    parameter (e.g. `role=receiver`) filters by exact value. Its ETag is the version's."""
    if version == "current":
        found = roster_routes._current(session)
    elif VERSION_NUMBER.fullmatch(version) and 1 <= int(version) <= MAX_ID:
        found = roster_routes._version(session, int(version))
    elif VERSION_NUMBER.fullmatch(version):
        raise not_found(f"roster version {version}")
    else:
        raise _invalid("version", "a version number or current")
    target = roster_routes._table(table)
    names = columns(target)
    if sort and sort.removeprefix("-") not in names:
        raise _invalid("sort", f"a column of {target.filename}: {', '.join(names)}")
    filters = {k: v for k, v in request.query_params.items() if k in names and v != ""}
    rows = [
        {name: _cell(value) for name, value in row.model_dump().items()}
        for row in version_rows(session, cache, found.version)[target].values()
    ]
    needle = q.strip().lower()
    rows = [
        r
        for r in rows
        if all(str(r.get(k, "")).lower() == v.lower() for k, v in filters.items())
        and (not needle or any(needle in str(v).lower() for v in r.values() if isinstance(v, str)))
    ]
    if sort:
        column = sort.removeprefix("-")
        rows.sort(
            key=lambda r: (r[column] is None or r[column] == "", _sortable(r[column])), reverse=sort.startswith("-")
        )
    response.headers["ETag"] = roster_routes.etag(found.version)
    latest = roster_crud.latest_number(session)
    return {
        "version": found.version,
        "current_version": latest,
        "etag": roster_routes.etag(found.version),
        "table": target.value,
        "id_column": target.model.id_field,
        "columns": names,
        "total": len(rows),
        "offset": offset,
        "limit": limit,
        "items": rows[offset : offset + limit],
    }


def _sortable(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool) or value is None:
        return (0, str(value))
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


XLSX_MAGIC = b"PK\x03\x04"
VERSION_NUMBER = re.compile(r"[0-9]{1,20}")


def xlsx_to_csv(data: bytes) -> bytes:
    """The first sheet of a workbook as UTF-8 CSV text (cells as Excel shows them, dates as ISO)."""
    try:
        from openpyxl import load_workbook  # only an upload of a workbook needs it

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ProblemError(422, f"the file is not a readable XLSX workbook: {exc}", slug="invalid-table") from exc
    sheet = workbook.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in sheet.iter_rows(values_only=True):
        cells = [
            ""
            if v is None
            else (
                "true"
                if v is True
                else "false"
                if v is False
                else str(int(v))
                if isinstance(v, float) and v.is_integer()
                else str(v)
            )
            for v in row
        ]
        if any(cells):
            writer.writerow(cells)
    workbook.close()
    return out.getvalue().encode("utf-8")


def _upload_rows(csv_bytes: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return list(csv.reader(io.StringIO(csv_bytes.decode(encoding), newline="")))
        except UnicodeDecodeError:
            continue
    return []


WEB_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "the whole table as CSV (UTF-8, UTF-8 with BOM or GB18030) or an XLSX workbook (its first "
        "sheet), told apart by their bytes whatever the Content-Type",
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": roster_routes.CSV_EXAMPLE},
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"},
                "example": "(the bytes of an .xlsx workbook whose first sheet holds the table)",
            },
        },
    }
}


@router.put(
    "/web/rosters/current/{table}",
    summary="Replace a table with an uploaded CSV or XLSX (first sheet), "
    "against If-Match; each problem carries its row's cells",
    status_code=201,
    response_model=roster_routes.RosterDetail,
    responses={**roster_routes.WRITE_RESPONSES, **problems(404, 413, 503)},
    openapi_extra=WEB_UPLOAD_BODY,
)
def upload_table(
    table: roster_routes.TableName,
    user: Coordinator,
    factory: FactoryDep,
    cache: CacheDep,
    settings: SettingsDep,
    gate: UploadGateDep,
    upload: UploadBody,
    if_match: roster_routes.IfMatch = None,
) -> Response:
    """Like `PUT /rosters/current/{table}.csv`, but the body may also be an XLSX workbook (its
    first sheet is read), and each 422 problem of the file carries `cells`, its row's values."""
    target = roster_routes._table(table)
    expected = roster_routes.expected_version(if_match)
    with gate.turn(settings.UPLOAD_WAIT_S):
        data = upload.read()
        csv_bytes = xlsx_to_csv(data) if data.startswith(XLSX_MAGIC) else data
        del data
        try:
            return roster_routes.replace_uploaded(target, user, factory, cache, settings, csv_bytes, expected)
        except ProblemError as exc:
            _add_cells(exc, csv_bytes, target.filename)
            raise


def _add_cells(exc: ProblemError, csv_bytes: bytes, filename: str) -> None:
    """Each problem of a row of the file gets the row's cells (what the user sees in Excel)."""
    if exc.status == 422:
        lines = _upload_rows(csv_bytes)
        header = lines[0] if lines else []
        for error in exc.errors:
            row = error.get("row")
            if error.get("file") == filename and isinstance(row, int) and 1 <= row <= len(lines):
                error["cells"] = dict(zip(header, lines[row - 1], strict=False)) if row > 1 else {}
