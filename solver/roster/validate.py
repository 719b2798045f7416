"""The one path that validates a roster, wherever its rows come from.

A roster directory (solver.roster.io.load_roster), an uploaded table, and stored rows with a
coordinator's changes applied (the service) all become `Record`s per table and go through
`validate_roster`, so the same bad row gives the same problems on every path. Each problem
names its file, row (when the row came from a file), table, ids and field.

Follow-on problems are suppressed: a row that fails its own checks is reported once, and
references to it from other rows are not reported again as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from solver.domain.problems import InputError, Problem, problems_from
from solver.roster.cross import cross_check
from solver.roster.models import Roster, Table
from solver.roster.row import RosterRow


@dataclass(frozen=True)
class Record:
    """One row to validate: its cells (CSV text or JSON values), where it came from, and, for a
    stored row that was validated when it was accepted, the row itself (not checked again)."""

    values: Mapping[str, object]
    row: int | None = None
    valid: RosterRow | None = None


@dataclass
class _Table:
    rows: dict[str, RosterRow]
    lines: dict[str, int]
    invalid: set[str]


def validate_roster(tables: Mapping[Table, Sequence[Record]], problems: Sequence[Problem] = ()) -> Roster:
    """The roster of these records, checked row by row and across tables; InputError lists every
    problem (with `problems` found earlier, e.g. in the files' headers)."""
    found = list(problems)
    parsed = {table: _parse(table, tables.get(table, ()), found) for table in Table}
    roster = Roster.model_validate({t.value: dict(sorted(parsed[t].rows.items())) for t in Table})
    found += cross_check(roster, {t: parsed[t].lines for t in Table}, {t: parsed[t].invalid for t in Table})
    if found:
        raise InputError(found)
    return roster


def parse_records(table: Table, records: Sequence[Record], problems: list[Problem]) -> dict[str, RosterRow]:
    """One table's rows, each checked on its own; the problems are added to `problems`."""
    return dict(sorted(_parse(table, records, problems).rows.items()))


def _parse(table: Table, records: Sequence[Record], problems: list[Problem]) -> _Table:
    model, filename = table.model, table.filename
    parsed = _Table({}, {}, set())
    for record in records:
        row = record.valid
        if row is None:
            row_id = str(record.values.get(model.id_field, "") or "")
            try:
                row = model.model_validate(record.values)
            except ValidationError as exc:
                problems.extend(
                    problems_from(
                        exc, filename, record.row, table=table.value, row_id=row_id or None, id_field=model.id_field
                    )
                )
                parsed.invalid.add(row_id)
                continue
        if row.id in parsed.rows:
            first = parsed.lines.get(row.id)
            where = f" (first at row {first})" if first else ""
            problems.append(
                Problem(filename, record.row, model.id_field, f"duplicate id {row.id}{where}", table.value, (row.id,))
            )
            continue
        parsed.rows[row.id] = row
        if record.row is not None:
            parsed.lines[row.id] = record.row
    return parsed
