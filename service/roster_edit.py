"""Applying coordinators' changes to a roster: all or nothing, every problem named.

Each change is validated as a row (the table's pydantic model), then the whole resulting roster
is checked across tables (solver.roster_check.cross_check), and each problem is mapped back to
the change that caused it: the row it names, or a changed id its message mentions (a school
left in a removed county names the county).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from service.schemas import ChangeIn, ChangeOp
from solver.domain.problems import Problem, RosterError
from solver.roster.models import Roster, RosterRow, Role, Table, UniversityKind, UniversityRole, columns
from solver.roster.cross import cross_check
from solver.roster.io import decode, parse_table

Rows = dict[str, RosterRow]
Tables = dict[Table, Rows]
_FILE_TABLE = {t.filename: t for t in Table}


class EditError(Exception):
    """The edit is refused; `errors` names every problem (change index or row, field, message)."""

    def __init__(self, detail: str, errors: list[dict[str, Any]]):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


@dataclass
class Edited:
    tables: Tables
    changed: set[Table]
    roster: Roster
    diff: dict[str, dict[str, Any]] = field(default_factory=dict)


def line_numbers(rows: Rows) -> dict[str, int]:
    """Spreadsheet rows of the canonical CSV (header row 1, rows in id order)."""
    return {row_id: n for n, row_id in enumerate(rows, start=2)}


def _check(tables: Tables, lines: Mapping[Table, Mapping[str, int]]) -> tuple[Roster, list[Problem]]:
    roster = Roster.model_validate({t.value: tables[t] for t in Table})
    return roster, cross_check(roster, lines)


def _validation_messages(exc: ValidationError, id_field: str) -> list[tuple[str | None, str]]:
    found = []
    for error in exc.errors():
        field_name = str(error["loc"][0]) if error["loc"] else None
        if field_name is None and " id" in error["msg"]:
            # Whole-row checks (id format, id against city or stage) are about the id.
            field_name = id_field
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "a value is required"
        elif "input" in error and not isinstance(error["input"], dict):
            message += f" (got {error['input']!r})"
        found.append((field_name, message))
    return found


def apply_changes(current: Mapping[Table, Rows], changes: Sequence[ChangeIn], max_errors: int) -> Edited:
    tables: Tables = {t: current[t] for t in Table}
    copied: set[Table] = set()
    touched: dict[tuple[Table, str], int] = {}
    errors: list[dict[str, Any]] = []

    def fail(index: int, change: ChangeIn, field_name: str | None, message: str) -> None:
        errors.append({"index": index, "table": change.table.value, "id": change.id, "field": field_name,
                       "message": message})

    for index, change in enumerate(changes):
        table, model = change.table, change.table.model
        if table not in copied:
            tables[table] = dict(tables[table])
            copied.add(table)
        rows = tables[table]
        touched[(table, change.id)] = index
        known = set(columns(table))
        unknown = sorted(set(change.fields) - known)
        for name in unknown:
            fail(index, change, name, f"unknown column of {table.filename}; its columns are {', '.join(columns(table))}")
        if unknown:
            continue
        if change.op == ChangeOp.REMOVE:
            if change.id not in rows:
                fail(index, change, model.id_field, f"no row with id {change.id} in {table.filename}")
            else:
                del rows[change.id]
            continue
        given = change.fields.get(model.id_field)
        if given is not None and str(given) != change.id:
            fail(index, change, model.id_field,
                 f"{model.id_field} {given!r} differs from the change's id {change.id!r}; "
                 "to change an id, remove the row and add it again")
            continue
        if change.op == ChangeOp.ADD:
            if change.id in rows:
                fail(index, change, model.id_field, f"{change.id} already exists in {table.filename}; use update")
                continue
            values: dict[str, Any] = {}
        else:
            if change.id not in rows:
                fail(index, change, model.id_field, f"no row with id {change.id} in {table.filename}; use add")
                continue
            values = rows[change.id].model_dump()
        values.update(change.fields)
        values[model.id_field] = change.id
        values = {k: v for k, v in values.items() if v is not None}
        try:
            rows[change.id] = model.model_validate(values)
        except ValidationError as exc:
            for field_name, message in _validation_messages(exc, model.id_field):
                fail(index, change, field_name, message)

    for table in copied:
        tables[table] = dict(sorted(tables[table].items()))
    lines = {t: line_numbers(tables[t]) for t in Table}
    roster, problems = _check(tables, lines)
    errors += _map_problems(problems, lines, touched)
    if errors:
        raise EditError(_summary(len(errors), "change(s)"), _limit(errors, max_errors))
    changed = {t for t in copied if tables[t] != current[t]}
    return Edited(tables, changed, roster, {t.value: row_diff(current[t], tables[t]) for t in sorted(changed)})


def _map_problems(problems: Iterable[Problem], lines: Mapping[Table, Mapping[str, int]],
                  touched: Mapping[tuple[Table, str], int]) -> list[dict[str, Any]]:
    at_line = {t: {n: row_id for row_id, n in lines[t].items()} for t in Table}
    mapped = []
    for problem in problems:
        table = _FILE_TABLE.get(problem.file)
        row_id = at_line[table].get(problem.row) if table is not None and problem.row is not None else None
        index = touched.get((table, row_id)) if table is not None and row_id is not None else None
        if index is None:
            mentioned = [i for (_, changed_id), i in touched.items() if _mentions(problem.message, changed_id)]
            index = max(mentioned) if mentioned else None
        mapped.append({"index": index, "table": table.value if table else None, "id": row_id,
                       "field": problem.field, "message": problem.message})
    return mapped


def _mentions(message: str, row_id: str) -> bool:
    return re.search(rf"(?<![0-9A-Za-z]){re.escape(row_id)}(?![0-9A-Za-z])", message) is not None


def replace_table(current: Mapping[Table, Rows], table: Table, data: bytes, max_errors: int) -> Edited:
    """A roster with one table replaced by an uploaded CSV (UTF-8, UTF-8 with BOM or GB18030)."""
    filename = table.filename
    try:
        text = decode(data, filename)
    except RosterError as exc:
        raise EditError(f"{filename} could not be read: save it as CSV in UTF-8 or GB18030",
                        [p.as_dict() for p in exc.problems]) from exc
    if not text.strip():
        raise EditError(f"{filename} is empty", [Problem(filename, None, None, "the body is empty").as_dict()])
    parsed = parse_table(table, text, filename)
    tables: Tables = {t: current[t] for t in Table}
    tables[table] = parsed.rows
    lines = {t: line_numbers(tables[t]) for t in Table}
    lines[table] = parsed.line_numbers
    problems = list(parsed.problems)
    if not problems:
        # Cross-table checks only on sound rows: a row dropped for a typo would otherwise be
        # reported again through every row that refers to it.
        _, cross = _check(tables, lines)
        problems += cross
    if problems:
        problems.sort(key=lambda p: (p.file != filename, p.file, p.row or 0, p.field or "", p.message))
        errors = [p.as_dict() for p in problems]
        raise EditError(_summary(len(errors), f"row(s) of {filename} or the tables that refer to it"),
                        _limit(errors, max_errors))
    roster = Roster.model_validate({t.value: tables[t] for t in Table})
    changed = {table} if tables[table] != current[table] else set()
    return Edited(tables, changed, roster, {t.value: row_diff(current[t], tables[t]) for t in sorted(changed)})


def _summary(count: int, what: str) -> str:
    return f"{count} problem(s) found; nothing was changed. Fix the {what} named in `errors` and send again."


def _limit(errors: list[dict[str, Any]], max_errors: int) -> list[dict[str, Any]]:
    return errors[:max_errors]


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


def roster_counts(roster: Roster) -> dict[str, int]:
    unis = roster.universities.values()
    return {
        **{t.value: len(roster.table(t)) for t in Table},
        "receiving_cities": len(roster.receiving_cities()),
        "supporting_cities": len(roster.supporting_cities()),
        "receiving_areas": len(roster.receivers()),
        "supporter_areas": len(roster.supporter_areas()),
        "other_areas": sum(a.role == Role.NONE for a in roster.areas.values()),
        "normal_university_supporters": sum(u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER
                                            for u in unis),
        "non_normal_university_supporters": sum(u.kind == UniversityKind.NON_NORMAL
                                                and u.role == UniversityRole.SUPPORTER for u in unis),
        "priority_schools": sum(s.priority for s in roster.schools.values()),
    }
