"""Applying coordinators' changes to a roster: all or nothing, every problem named.

Changes and uploads become records of the roster's tables and go through the solver's one
validation path (solver.validate_roster), the same as `python -m solver validate`. Each problem
carries its table and the ids it is about, so it is mapped back to the change that touched one
of those rows (a school left in a removed county names the removal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import solver
from service.schemas import ChangeIn, ChangeOp

Rows = dict[str, solver.RosterRow]
Tables = dict[solver.Table, Rows]


class EditError(Exception):
    """The edit is refused; `errors` names every problem (change index or row, table, id, field, message)."""

    def __init__(self, detail: str, errors: list[dict[str, Any]]):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


@dataclass
class Edited:
    tables: Tables
    changed: set[solver.Table]
    roster: solver.Roster
    diff: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Draft:
    """The records of the tables that changes touch, each table copied on first touch."""

    def __init__(self, current: Mapping[solver.Table, Rows]):
        self.current = current
        self.records: dict[solver.Table, dict[str, solver.Record]] = {}

    def table(self, table: solver.Table) -> dict[str, solver.Record]:
        if table not in self.records:
            self.records[table] = {
                r.valid.id: r for r in solver.records_from_rows(self.current[table].values()) if r.valid is not None
            }
        return self.records[table]

    def inputs(self) -> dict[solver.Table, list[solver.Record]]:
        return {
            t: list(self.records[t].values())
            if t in self.records
            else solver.records_from_rows(self.current[t].values())
            for t in solver.Table
        }


def _values(record: solver.Record) -> dict[str, object]:
    return record.valid.model_dump() if record.valid is not None else dict(record.values)


def apply_changes(current: Mapping[solver.Table, Rows], changes: Sequence[ChangeIn], max_errors: int) -> Edited:
    draft = _Draft(current)
    touched: dict[tuple[str, str], int] = {}
    errors: list[dict[str, Any]] = []

    def fail(index: int, change: ChangeIn, field_name: str | None, message: str) -> None:
        errors.append(
            {"index": index, "table": change.table.value, "id": change.id, "field": field_name, "message": message}
        )

    for index, change in enumerate(changes):
        table, id_field = change.table, change.table.model.id_field
        records = draft.table(table)
        touched[(table.value, change.id)] = index
        unknown = sorted(set(change.fields) - set(solver.columns(table)))
        for name in unknown:
            fail(
                index,
                change,
                name,
                f"unknown column of {table.filename}; its columns are {', '.join(solver.columns(table))}",
            )
        given = change.fields.get(id_field)
        if unknown:
            continue
        if given is not None and str(given) != change.id:
            fail(
                index,
                change,
                id_field,
                f"{id_field} {given!r} differs from the change's id {change.id!r}; "
                "to change an id, remove the row and add it again",
            )
        elif change.op == ChangeOp.REMOVE:
            if records.pop(change.id, None) is None:
                fail(index, change, id_field, f"no row with id {change.id} in {table.filename}")
        elif change.op == ChangeOp.ADD and change.id in records:
            fail(index, change, id_field, f"{change.id} already exists in {table.filename}; use update")
        elif change.op == ChangeOp.UPDATE and change.id not in records:
            fail(index, change, id_field, f"no row with id {change.id} in {table.filename}; use add")
        else:
            values = _values(records[change.id]) if change.op == ChangeOp.UPDATE else {}
            values.update(change.fields)
            values[id_field] = change.id
            records[change.id] = solver.Record({k: v for k, v in values.items() if v is not None})
    try:
        roster = solver.validate_roster(draft.inputs())
    except solver.InputError as exc:
        errors += [_mapped(problem, touched) for problem in exc.problems]
        roster = None
    if errors or roster is None:
        raise EditError(_summary(len(errors), "change(s)"), errors[:max_errors])
    return _edited(current, roster, set(draft.records))


def _mapped(problem: solver.Problem, touched: Mapping[tuple[str, str], int]) -> dict[str, Any]:
    """A problem as an error of the change behind it: the row's own change, else one touching a row it names."""
    row_id = problem.ids[0] if problem.ids else None
    index = touched.get((problem.table or "", row_id or ""))
    if index is None:
        by_id = {changed_id: i for (_, changed_id), i in touched.items()}
        found = [by_id[i] for i in problem.ids if i in by_id]
        index = max(found) if found else None
    return {"index": index, "table": problem.table, "id": row_id, "field": problem.field, "message": problem.message}


def replace_table(current: Mapping[solver.Table, Rows], table: solver.Table, data: bytes, max_errors: int) -> Edited:
    """A roster with one table replaced by an uploaded CSV (UTF-8, UTF-8 with BOM or GB18030)."""
    filename = table.filename
    try:
        text = solver.decode(data, filename)
    except solver.InputError as exc:
        raise EditError(
            f"{filename} could not be read: save it as CSV in UTF-8 or GB18030", [p.as_dict() for p in exc.problems]
        ) from exc
    if not text.strip():
        raise EditError(f"{filename} is empty", [solver.Problem(filename, None, None, "the body is empty").as_dict()])
    records, header = solver.records_from_csv(table, text, filename)
    inputs = {t: solver.records_from_rows(current[t].values()) for t in solver.Table}
    inputs[table] = records
    try:
        roster = solver.validate_roster(inputs, header)
    except solver.InputError as exc:
        problems = sorted(
            exc.problems, key=lambda p: (p.file != filename, p.file, p.row or 0, p.field or "", p.message)
        )
        raise EditError(
            _summary(len(problems), f"row(s) of {filename} or the tables that refer to it"),
            [p.as_dict() for p in problems[:max_errors]],
        ) from exc
    return _edited(current, roster, {table})


def _edited(current: Mapping[solver.Table, Rows], roster: solver.Roster, touched: set[solver.Table]) -> Edited:
    tables: Tables = {t: dict(roster.table(t)) for t in solver.Table}
    changed = {t for t in touched if tables[t] != current[t]}
    return Edited(tables, changed, roster, {t.value: row_diff(current[t], tables[t]) for t in sorted(changed)})


def _summary(count: int, what: str) -> str:
    return f"{count} problem(s) found; nothing was changed. Fix the {what} named in `errors` and send again."


# Ids listed per kind of change in a version's record; the counts are always complete.
DIFF_ID_LIMIT = 200


def row_diff(old: Rows, new: Rows, limit: int | None = DIFF_ID_LIMIT) -> dict[str, Any]:
    added = [i for i in new if i not in old]
    removed = [i for i in old if i not in new]
    updated = [i for i in new if i in old and new[i] != old[i]]
    result: dict[str, Any] = {}
    for name, ids in (("added", added), ("removed", removed), ("updated", updated)):
        result[name] = len(ids)
        result[f"{name}_ids"] = ids[:limit]
    return result
