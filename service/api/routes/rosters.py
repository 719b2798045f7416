"""Roster versions: read any version, change the current one (If-Match, all or nothing)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

import solver
from service.api.csv_response import csv_download
from service.api.deps import (
    CacheDep,
    Coordinator,
    FactoryDep,
    SessionDep,
    SettingsDep,
    Viewer,
)
from service.core.problems import ProblemError, not_found
from service.crud import rosters as crud
from service.models import RosterVersion
from service.roster_cache import Rows, version_rows
from service.roster_edit import (
    Edited,
    EditError,
    apply_changes,
    replace_table,
    row_diff,
)
from service.schemas import (
    ChangesIn,
    RosterDetail,
    RosterDiff,
    RosterSummary,
    RosterVersionItem,
    TableInfo,
)
from solver import Table

router = APIRouter(prefix="/rosters", tags=["rosters"])

_ETAG = re.compile(r'^"?roster-(\d+)"?$')
TABLE_NAMES = ", ".join(t.value for t in Table)


def etag(version: int) -> str:
    return f'"roster-{version}"'


def _table(name: str) -> Table:
    try:
        return Table(name)
    except ValueError:
        raise not_found(f"table {name!r} (the tables are {TABLE_NAMES})") from None


def _version_item(v: RosterVersion) -> dict[str, object]:
    return {
        "version": v.version,
        "created_at": v.created_at,
        "created_by": v.created_by,
        "source": v.source,
        "message": v.message,
        "changed_tables": sorted(v.diff),
    }


def _summary(session: SessionDep, v: RosterVersion, prefix: str) -> dict[str, object]:
    infos = crud.table_infos(session, v.version)
    return {
        **_version_item(v),
        "etag": etag(v.version),
        "counts": v.counts,
        "tables": {
            t.value: TableInfo(rows=infos[t][1], sha256=infos[t][0], csv=f"{prefix}/{t.value}.csv") for t in Table
        },
    }


def _detail(session: SessionDep, v: RosterVersion) -> RosterDetail:
    return RosterDetail(**_summary(session, v, f"/rosters/{v.version}"), changes=v.changes, diff=v.diff)


def _current(session: SessionDep) -> RosterVersion:
    version = crud.latest_version(session)
    if version is None:
        raise ProblemError(503, "no roster has been loaded yet", slug="no-roster")
    return version


def _version(session: SessionDep, number: int) -> RosterVersion:
    version = crud.get_version(session, number)
    if version is None:
        raise not_found(f"roster version {number}")
    return version


@router.get("", response_model=list[RosterVersionItem], summary="History of roster versions, newest first")
def list_versions(
    session: SessionDep,
    _user: Viewer,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[RosterVersionItem]:
    return [RosterVersionItem(**_version_item(v)) for v in crud.list_versions(session, limit, offset)]


@router.get("/current", response_model=RosterSummary, summary="The current roster: version, counts, ETag")
def current(session: SessionDep, _user: Viewer, response: Response) -> RosterSummary:
    version = _current(session)
    response.headers["ETag"] = etag(version.version)
    return RosterSummary(**_summary(session, version, "/rosters/current"))


@router.get("/current/{table}.csv", summary="A table of the current roster (UTF-8 with BOM)")
def current_table(table: str, session: SessionDep, _user: Viewer) -> Response:
    version = _current(session)
    return _table_csv(session, version.version, _table(table))


@router.get("/{version}", response_model=RosterDetail, summary="One roster version, with what changed")
def get_version(version: int, session: SessionDep, _user: Viewer, response: Response) -> RosterDetail:
    found = _version(session, version)
    response.headers["ETag"] = etag(found.version)
    return _detail(session, found)


@router.get(
    "/{version}/diff",
    response_model=RosterDiff,
    summary="Rows added, removed and updated per table, from version `against` to this one",
)
def diff_versions(version: int, against: int, session: SessionDep, cache: CacheDep, _user: Viewer) -> RosterDiff:
    new, old = _version(session, version), _version(session, against)
    new_rows = version_rows(session, cache, new.version)
    old_rows = version_rows(session, cache, old.version)
    return RosterDiff(
        version=new.version,
        against=old.version,
        tables={t.value: row_diff(old_rows[t], new_rows[t], limit=None) for t in Table},
    )


@router.get("/{version}/{table}.csv", summary="A table of one roster version (UTF-8 with BOM)")
def version_table(version: int, table: str, session: SessionDep, _user: Viewer) -> Response:
    found = _version(session, version)
    return _table_csv(session, found.version, _table(table))


def _table_csv(session: SessionDep, version: int, table: Table) -> Response:
    sha = crud.table_infos(session, version)[table][0]
    text = crud.blob_text(session, sha)
    response = csv_download(text.encode("utf-8-sig"), table.filename)
    response.headers["ETag"] = f'"{sha}"'
    response.headers["X-Roster-Version"] = str(version)
    return response


def expected_version(if_match: str | None) -> int:
    """The version named by If-Match; 428 without it, 412 when it is not one of our ETags."""
    if if_match is None or not if_match.strip():
        raise ProblemError(
            428,
            "send If-Match with the ETag of GET /rosters/current, so that a change made "
            "meanwhile by someone else is not overwritten",
            slug="if-match-required",
        )
    found = _ETAG.match(if_match.strip())
    if not found:
        raise ProblemError(
            412,
            f'If-Match {if_match!r} is not a roster ETag; use the ETag header of GET /rosters/current, e.g. "roster-3"',
            slug="bad-if-match",
        )
    return int(found.group(1))


IfMatch = Annotated[str | None, Header(alias="If-Match", description='ETag of GET /rosters/current, e.g. "roster-3"')]


def _stale(current: int | None, expected: int) -> ProblemError:
    headers = {"ETag": etag(current)} if current is not None else {}
    return ProblemError(
        409,
        f"the roster changed since you read it: you sent the ETag of version {expected}, "
        f"the current version is {current}. Read GET /rosters/current again, redo your "
        "change on it and send it with the new ETag",
        slug="stale-roster",
        headers=headers,
        extra={"current_version": current},
    )


def _check_current(factory: FactoryDep, cache: CacheDep, expected: int) -> dict[Table, Rows]:
    with factory() as session:
        current = crud.latest_number(session)
        if current != expected:
            raise _stale(current, expected)
        return version_rows(session, cache, expected)


def _store(
    factory: FactoryDep,
    expected: int,
    edited: Edited,
    user_name: str,
    source: str,
    message: str,
    changes: list[dict[str, object]],
) -> Response:
    with factory() as session:
        # Checked again before the costly part: most losers of a race stop here.
        current = crud.latest_number(session)
        if current != expected:
            raise _stale(current, expected)
        if not edited.changed:
            unchanged = _detail(session, _version(session, expected))
            return JSONResponse(unchanged.model_dump(mode="json"), headers={"ETag": etag(expected)})
        old = crud.table_infos(session, expected)
    shas = {t: old[t][0] for t in Table}
    blobs = []
    for table in sorted(edited.changed):
        rows = edited.tables[table]
        blob = crud.new_table(table, solver.table_csv(table, rows.values()), len(rows))
        shas[table] = blob.sha256
        blobs.append(blob)
    try:
        stored = crud.create_version(
            factory,
            expected,
            shas,
            blobs,
            created_by=user_name,
            source=source,
            message=message,
            changes=changes,
            diff=edited.diff,
            counts=solver.counts(edited.roster),
        )
    except crud.StaleVersion as exc:
        raise _stale(exc.current, expected) from exc
    with factory() as session:
        body = _detail(session, stored)
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=201,
        headers={"ETag": etag(stored.version), "Location": f"/rosters/{stored.version}"},
    )


@router.post(
    "/current/changes",
    response_model=RosterDetail,
    status_code=201,
    responses={200: {"description": "nothing changed"}, 409: {}, 412: {}, 422: {}, 428: {}},
    summary="Add, update and remove rows: all or nothing, against the ETag you read",
)
def post_changes(
    body: ChangesIn,
    user: Coordinator,
    factory: FactoryDep,
    cache: CacheDep,
    settings: SettingsDep,
    if_match: IfMatch = None,
) -> Response:
    expected = expected_version(if_match)
    current = _check_current(factory, cache, expected)
    try:
        edited = apply_changes(current, body.changes, settings.MAX_ERRORS)
    except EditError as exc:
        raise ProblemError(422, exc.detail, slug="invalid-changes", errors=exc.errors) from exc
    changes = [c.model_dump(mode="json") for c in body.changes]
    message = body.message or f"{len(changes)} change(s) by {user.name}"
    return _store(factory, expected, edited, user.name, "changes", message, changes)


async def raw_body(request: Request, settings: SettingsDep) -> bytes:
    limit = settings.MAX_UPLOAD_BYTES
    too_large = ProblemError(413, f"the upload is larger than {limit} bytes", slug="too-large")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


@router.put(
    "/current/{table}.csv",
    response_model=RosterDetail,
    status_code=201,
    responses={200: {"description": "nothing changed"}, 409: {}, 412: {}, 422: {}, 428: {}},
    summary="Replace one table with a CSV (UTF-8, UTF-8 with BOM or GB18030), against the ETag",
)
def put_table(
    table: str,
    user: Coordinator,
    factory: FactoryDep,
    cache: CacheDep,
    settings: SettingsDep,
    data: Annotated[bytes, Depends(raw_body)],
    if_match: IfMatch = None,
) -> Response:
    target = _table(table)
    expected = expected_version(if_match)
    current = _check_current(factory, cache, expected)
    try:
        edited = replace_table(current, target, data, settings.MAX_ERRORS)
    except EditError as exc:
        raise ProblemError(422, exc.detail, slug="invalid-table", errors=exc.errors) from exc
    message = f"{target.filename} replaced by {user.name}"
    return _store(factory, expected, edited, user.name, f"upload:{target.filename}", message, [])
