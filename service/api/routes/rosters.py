"""Roster versions: read any version, change the current one (If-Match, all or nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from fastapi import Path as FastApiPath
from fastapi.responses import JSONResponse

import solver
from service import scope
from service.api.csv_response import csv_download
from service.api.deps import (
    CacheDep,
    Coordinator,
    FactoryDep,
    Principal,
    SessionDep,
    SettingsDep,
    Viewer,
)
from service.api.openapi import file_200, problems
from service.core.problems import ProblemError, not_found
from service.crud import audit
from service.crud import rosters as crud
from service.models import RosterVersion
from service.roster_cache import Rows, version_rows
from service.roster_edit import (
    Edited,
    EditError,
    replace_table,
    row_diff,
)
from service.schemas import (
    Against,
    ChangesIn,
    Offset,
    RosterDetail,
    RosterDiff,
    RosterSummary,
    RosterVersionItem,
    TableInfo,
    VersionNumber,
)
from service.table_downloads import table_download
from service.uploads import UploadBody, UploadGateDep
from solver import Table

router = APIRouter(prefix="/rosters", tags=["rosters"])

_ETAG = re.compile(r'^"?roster-(\d+)"?$')
TABLE_NAMES = ", ".join(t.value for t in Table)


def etag(version: int) -> str:
    return f'"roster-{version}"'


# Documented as the tables' names (so clients and fuzzers use real ones); any other name is a 404.
TableName = Annotated[
    str,
    FastApiPath(
        description=f"one of {TABLE_NAMES}",
        examples=["cities"],
        json_schema_extra={"enum": [t.value for t in Table]},
    ),
]


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


@router.get(
    "",
    response_model=list[RosterVersionItem],
    responses=problems(401, 422),
    summary="History of roster versions, newest first",
)
def list_versions(
    session: SessionDep,
    _user: Viewer,
    limit: Annotated[int, Query(ge=1, le=1000, description="at most this many versions")] = 100,
    offset: Offset = 0,
) -> list[RosterVersionItem]:
    """Every accepted roster version, newest first: who made it, when, from what, and which tables changed."""
    return [RosterVersionItem(**_version_item(v)) for v in crud.list_versions(session, limit, offset)]


@router.get(
    "/current",
    response_model=RosterSummary,
    responses=problems(401, 422, 503),
    summary="The current roster: version, counts, ETag",
)
def current(session: SessionDep, _user: Viewer, response: Response) -> RosterSummary:
    """The newest roster version with its counts and tables. Its `ETag` header (`"roster-N"`) is
    what a change or an upload sends as If-Match."""
    version = _current(session)
    response.headers["ETag"] = etag(version.version)
    return RosterSummary(**_summary(session, version, "/rosters/current"))


CSV_200 = file_200("text/csv", "the table as CSV (UTF-8 with BOM)")


@router.get(
    "/current/{table}.csv",
    summary="A table of the current roster (UTF-8 with BOM)",
    responses={**CSV_200, **problems(401, 404, 422, 503)},
)
def current_table(table: TableName, session: SessionDep, cache: CacheDep, _user: Viewer) -> Response:
    """One table of the current version as CSV (UTF-8 with BOM, canonical column order, rows by
    id): numbers never quoted, and text a spreadsheet would read as a formula prefixed with `'`."""
    version = _current(session)
    return _table_csv(session, cache, version.version, _table(table))


@router.get(
    "/{version}",
    response_model=RosterDetail,
    responses=problems(401, 404, 422),
    summary="One roster version, with what changed",
)
def get_version(version: VersionNumber, session: SessionDep, _user: Viewer, response: Response) -> RosterDetail:
    """A version with the changes that made it and, per table, the rows added, removed and updated."""
    found = _version(session, version)
    response.headers["ETag"] = etag(found.version)
    return _detail(session, found)


@router.get(
    "/{version}/diff",
    response_model=RosterDiff,
    responses=problems(401, 404, 422),
    summary="Rows added, removed and updated per table, from version `against` to this one",
)
def diff_versions(
    version: VersionNumber, against: Against, session: SessionDep, cache: CacheDep, _user: Viewer
) -> RosterDiff:
    """Every row id added, removed and updated in each table, from version `against` to `version`."""
    new, old = _version(session, version), _version(session, against)
    new_rows = version_rows(session, cache, new.version)
    old_rows = version_rows(session, cache, old.version)
    return RosterDiff(
        version=new.version,
        against=old.version,
        tables={t.value: row_diff(old_rows[t], new_rows[t], limit=None) for t in Table},
    )


@router.get(
    "/{version}/{table}.csv",
    summary="A table of one roster version (UTF-8 with BOM)",
    responses={**CSV_200, **problems(401, 404, 422)},
)
def version_table(
    version: VersionNumber, table: TableName, session: SessionDep, cache: CacheDep, _user: Viewer
) -> Response:
    """One table of a version as CSV, formula-safe like the current one's."""
    found = _version(session, version)
    return _table_csv(session, cache, found.version, _table(table))


def _table_csv(session: SessionDep, cache: CacheDep, version: int, table: Table) -> Response:
    sha = crud.table_infos(session, version)[table][0]
    content = table_download(session, cache, table, sha)
    response = csv_download(content, table.filename)
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


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='required: the ETag of GET /rosters/current, e.g. "roster-3" (428 without it, 412 if malformed)',
    ),
]


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
    *,
    actor: Principal | None = None,
    entries: Iterable[audit.Entry] = (),
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
            actor=actor,
            entries=entries,
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


WRITE_RESPONSES = {
    200: {"model": RosterDetail, "description": "nothing changed: the current version, no new one"},
    **problems(401, 403, 409, 412, 422, 428),
}


@router.post(
    "/current/changes",
    response_model=RosterDetail,
    status_code=201,
    responses=WRITE_RESPONSES,
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
    """Applies the changes in order and validates the whole roster (the solver's one validation
    path: every field's range, ids, references across tables). All or nothing: 201 with the new
    version and its `ETag`; 200 when nothing changes; 422 naming every problem by change index,
    table, id and field; 409 when another change was accepted since the version in If-Match (428
    without If-Match). A city-scoped coordinator changes only rows of its city (403 naming the
    others). Every changed row is written to the audit trail (`GET /audit`)."""
    expected = expected_version(if_match)
    current = _check_current(factory, cache, expected)
    edited = scope.scoped_changes(user.city_id, current, body.changes, settings.MAX_ERRORS)
    changes = [c.model_dump(mode="json") for c in body.changes]
    message = body.message or f"{len(changes)} change(s) by {user.name}"
    entries = audit.row_entries(current, edited.tables, sorted(edited.changed))
    return _store(factory, expected, edited, user.name, "changes", message, changes, actor=user, entries=entries)


CSV_EXAMPLE = "city_id,name,zone,receives,supports,capacity,lat,lon,source\n440100,广州市,prd,false,true,3,23.13,113.26,official\n"
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "the whole table as CSV (UTF-8, UTF-8 with BOM or GB18030), header first",
        "content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
    }
}


@router.put(
    "/current/{table}.csv",
    response_model=RosterDetail,
    status_code=201,
    responses={**WRITE_RESPONSES, **problems(404, 413, 503)},
    openapi_extra=UPLOAD_BODY,
    summary="Replace one table with a CSV (UTF-8, UTF-8 with BOM or GB18030), against the ETag",
)
def put_table(
    table: TableName,
    user: Coordinator,
    factory: FactoryDep,
    cache: CacheDep,
    settings: SettingsDep,
    gate: UploadGateDep,
    upload: UploadBody,
    if_match: IfMatch = None,
) -> Response:
    """Replaces one table with the uploaded CSV, validated with the rest of the roster like a
    change (422 names every problem by file, row and field). The body is spooled to disk as it
    arrives and parsed one upload at a time (see MAX_CONCURRENT_UPLOADS); 413 past
    MAX_UPLOAD_BYTES. A city-scoped coordinator may upload a table only if every row it adds,
    removes or changes is of its city (403 naming the others)."""
    target = _table(table)
    expected = expected_version(if_match)
    with gate.turn(settings.UPLOAD_WAIT_S):
        return replace_uploaded(target, user, factory, cache, settings, upload.read(), expected)


def replace_uploaded(
    target: Table,
    user: Principal,
    factory: FactoryDep,
    cache: CacheDep,
    settings: SettingsDep,
    data: bytes,
    expected: int,
) -> Response:
    """A table replaced by uploaded CSV bytes, against version `expected` (in the upload's turn)."""
    current = _check_current(factory, cache, expected)
    try:
        edited = replace_table(current, target, data, settings.MAX_ERRORS)
    except EditError as exc:
        raise ProblemError(422, exc.detail, slug="invalid-table", errors=exc.errors) from exc
    del data
    scope.check_rows(user.city_id, current, edited.tables, edited.changed)
    message = f"{target.filename} replaced by {user.name}"
    entries = audit.row_entries(current, edited.tables, sorted(edited.changed))
    source = f"upload:{target.filename}"
    return _store(factory, expected, edited, user.name, source, message, [], actor=user, entries=entries)
