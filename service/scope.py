"""City scopes of coordinator tokens (`token create --city 441400`).

A scoped coordinator reads everything and changes only rows of its city: the city's own row, its
areas, its institutes, its schools (by their area) and the universities located there. A row's
city is its `city_id`, or else the city of its `area_id`; a row with neither (a table of another
kind) or of the province (the provincial institute) is outside every scope, so only unscoped
coordinators change it. A change is in scope when the row it touches is of the city both before
and after (a scoped coordinator can neither take a row in from another city nor give one away).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import solver
from service.core.problems import ProblemError
from service.roster_edit import Edited, EditError, apply_changes
from service.schemas import ChangeIn, ChangeOp

Rows = Mapping[str, solver.RosterRow]


def row_city(row: solver.RosterRow) -> str | None:
    city = getattr(row, "city_id", None)
    if isinstance(city, str) and city:
        return city
    area = getattr(row, "area_id", None)
    if isinstance(area, str) and area and area != solver.PROVINCE_ID:
        return solver.city_id_of(area)
    return None


def _outside(city: str, table: str, row_id: str, found: Iterable[str | None], index: int | None) -> dict[str, Any]:
    cities = sorted({c or "none" for c in found if c != city})
    entry: dict[str, Any] = {
        "table": table,
        "id": row_id,
        "field": None,
        "city_id": cities[0] if len(cities) == 1 else cities,
        "message": (
            f"{table} row {row_id} is of city {', '.join(cities)}, outside this token's scope (city {city})"
            if cities != ["none"]
            else f"{table} row {row_id} belongs to no city, so only an unscoped coordinator may change it"
        ),
    }
    if index is not None:
        entry = {"index": index, **entry}
    return entry


def check_changes(city: str | None, current: Mapping[solver.Table, Rows], changes: Sequence[ChangeIn]) -> None:
    """Before validation: the rows that updates and removals touch must be of the token's city."""
    if city is None:
        return
    errors = []
    for index, change in enumerate(changes):
        if change.op == ChangeOp.ADD:
            continue
        row = current.get(change.table, {}).get(change.id)
        if row is not None and row_city(row) != city:
            errors.append(_outside(city, change.table.value, change.id, [row_city(row)], index))
    if errors:
        raise refused(city, errors)


def check_rows(
    city: str | None,
    before: Mapping[solver.Table, Rows],
    after: Mapping[solver.Table, Rows],
    tables: Iterable[solver.Table],
    index_of: Mapping[tuple[str, str], int] | None = None,
) -> None:
    """After validation: every row added, removed or changed must be of the city before and after."""
    if city is None:
        return
    errors = []
    for table in tables:
        old, new = before.get(table, {}), after.get(table, {})
        for row_id in sorted(set(old) | set(new)):
            was, now = old.get(row_id), new.get(row_id)
            if was == now:
                continue
            cities = [row_city(r) for r in (was, now) if r is not None]
            if any(c != city for c in cities):
                index = (index_of or {}).get((table.value, row_id))
                errors.append(_outside(city, table.value, row_id, cities, index))
    if errors:
        raise refused(city, errors)


def refused(city: str, errors: list[dict[str, Any]], limit: int = 500) -> ProblemError:
    return ProblemError(
        403,
        f"this token may change only rows of city {city}; {len(errors)} row(s) named in `errors` are outside it, "
        "and nothing was changed",
        slug="outside-scope",
        errors=errors[:limit],
    )


def scoped_changes(
    city: str | None,
    current: Mapping[solver.Table, dict[str, solver.RosterRow]],
    changes: Sequence[ChangeIn],
    max_errors: int,
) -> Edited:
    """Changes applied as POST /rosters/current/changes applies them (and the preview tries them):
    the city scope of the changes, the one validation path (422 naming each problem), then the city
    scope of every row they touched (403)."""
    check_changes(city, current, changes)
    try:
        edited = apply_changes(current, changes, max_errors)
    except EditError as exc:
        raise ProblemError(422, exc.detail, slug="invalid-changes", errors=exc.errors) from exc
    index_of = {(c.table.value, c.id): i for i, c in enumerate(changes)}
    check_rows(city, current, edited.tables, edited.changed, index_of)
    return edited
