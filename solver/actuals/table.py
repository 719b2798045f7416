"""The actuals table (actuals.csv): what a plan's rows of a year actually delivered.

Exactly the columns of deployments.csv, then `delivered_teams`, `delivered_people`,
`delivered_activities`, `delivered_days` and `delivered_note`. A row is keyed like a row of the
plan (year, flow, from, to, sites, subjects), so a coordinator downloads a year's
deployments.csv (or the template GET /plans/{id}/actuals/{year}.csv gives), fills in the
delivered cells and sends it back. An empty delivered cell means "as planned"; a planned row the
file leaves out counts as not delivered. The planned figures of the file are not read: the
plan's own are.

Any flow of solver.domain.flows.Flow is accepted, so flows added later need nothing here; rows
of flow `shortfall` are the plan's own account and are skipped. One validation path: every
problem names the file, row and field, and a file with any problem is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from solver.domain.flows import DEPLOYMENT_COLUMNS, NUMBER_COLUMNS, Flow, FlowRow, table_records
from solver.domain.policy import round_years
from solver.domain.problems import InputError, Problem
from solver.domain.text import control_character_problem, csv_cell, decode, restore, strip_bom

DELIVERED_LIMITS: dict[str, int] = {
    "delivered_teams": 1_000,
    "delivered_people": 1_000_000,
    "delivered_activities": 10_000,
    "delivered_items": 1_000_000,
    "delivered_days": 366,
}
"""The delivered figures and their upper bounds (0 is the lower one): a team count of a county's
year, the people or things given (equipment sets, books: R35) of a whole province's flow, a year's days."""
NOTE_MAX = 500
MAX_ROWS = 200_000
ACTUAL_COLUMNS = [*DEPLOYMENT_COLUMNS, *DELIVERED_LIMITS, "delivered_note"]
KEY_COLUMNS = ("year", "flow", "from_id", "to_id", "from_site_id", "to_site_id", "subjects")
DELIVERED_SOURCE = "actual: delivered (recorded)"
"""The `source` of a re-plan's rows of a recorded year: what was delivered, not a plan."""
FIGURES = ("teams", "people", "activities", "items", "days")
"""The plan's figures that have a delivered counterpart (delivered_<figure>)."""

RowKey = tuple[str, ...]
_WHOLE = re.compile(r"[0-9]{1,12}")
"""A whole number as a cell may hold it: ASCII digits only ('²'.isdigit() is true, int('²') fails)."""
PlanRows = Mapping[RowKey, Mapping[str, str]]
"""A plan's deployment rows by key (plan_rows)."""
FLOW_NAMES = frozenset(f.value for f in Flow)


def whole(cell: str | None) -> int | None:
    """The cell's whole number, or None when it holds none."""
    text = (cell or "").strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def row_key(record: Mapping[str, str]) -> RowKey:
    """A row's identity in its plan: year, flow, ends, sites and subjects."""
    return tuple((record.get(column) or "").strip() for column in KEY_COLUMNS)


@dataclass(frozen=True)
class Actual:
    """One planned row and what it delivered (figures as planned where the file left them empty)."""

    line: int
    planned: Mapping[str, str]  # the plan's row, as cells
    delivered: Mapping[str, int]  # figure -> delivered amount, for the figures the row plans or records
    note: str

    @property
    def year(self) -> int:
        return int(self.planned["year"])

    @property
    def flow(self) -> str:
        return self.planned["flow"]

    def planned_figure(self, figure: str) -> int:
        return whole(self.planned.get(figure)) or 0


def plan_rows(deployments: bytes | str | Sequence[Mapping[str, str]]) -> dict[RowKey, Mapping[str, str]]:
    """The plan's rows (deployments.csv, without its shortfall rows) by their key."""
    records = table_records(deployments) if isinstance(deployments, (bytes, str)) else deployments
    bad = [
        Problem("deployments.csv", line, "year", f"{r.get('year')!r} is not a year")
        for line, r in enumerate(records, start=2)
        if whole(r.get("year")) is None
    ]
    if bad:
        raise InputError(bad)
    return {row_key(r): r for r in records if r.get("flow") != Flow.SHORTFALL.value}


def read_actuals_csv(
    data: bytes,
    filename: str,
    round_id: str,
    planned: Mapping[RowKey, Mapping[str, str]],
    year: int | None = None,
) -> list[Actual]:
    """The actuals of a plan (`planned`: plan_rows of its deployments.csv), of `year` when given.

    Raises InputError naming every problem by file, row and field.
    """
    text = strip_bom(decode(data, filename))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    problems = _header_problems(header, filename)
    if problems:
        raise InputError(problems)
    years = round_years(round_id)
    found: list[Actual] = []
    seen: dict[RowKey, int] = {}
    for line, cells in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise InputError([Problem(filename, line, None, f"more than {MAX_ROWS:,} rows")])
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(filename, line, None, f"has {len(cells)} cells; the header has {len(header)}"))
            continue
        record = {h: restore(c) for h, c in zip(header, cells, strict=True)}
        actual, row_problems = _read_row(record, filename, line, round_id, years, year, planned)
        problems += row_problems
        if actual is None:
            continue
        key = row_key(record)
        if key in seen:
            problems.append(
                Problem(filename, line, "flow", f"repeats row {seen[key]} (same year, flow, ends, sites and subjects)")
            )
            continue
        seen[key] = line
        found.append(actual)
    if problems:
        raise InputError(problems)
    return found


def _header_problems(header: list[str], filename: str) -> list[Problem]:
    if not header or header == [""]:
        return [Problem(filename, None, None, "the file is empty: send the header and the rows")]
    problems = [Problem(filename, 1, c, "this column is missing") for c in ACTUAL_COLUMNS if c not in header]
    problems += [
        Problem(filename, 1, c or "(empty)", f"unknown column; the columns are {', '.join(ACTUAL_COLUMNS)}")
        for c in header
        if c not in ACTUAL_COLUMNS
    ]
    repeated = sorted({c for c in header if header.count(c) > 1})
    problems += [Problem(filename, 1, c, "this column appears more than once") for c in repeated]
    return problems


def _read_row(
    record: dict[str, str],
    filename: str,
    line: int,
    round_id: str,
    years: list[int],
    year: int | None,
    planned: Mapping[RowKey, Mapping[str, str]],
) -> tuple[Actual | None, list[Problem]]:
    problems = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(filename, line, field, message))

    for column, value in record.items():
        bad = control_character_problem(value)
        if bad:
            problem(column, bad)
    if problems:
        return None, problems
    flow = record["flow"].strip()
    if flow == Flow.SHORTFALL.value:
        return None, []
    if flow not in FLOW_NAMES:
        problem("flow", f"unknown flow {flow!r}; the flows are those of deployments.csv (docs/csv.md)")
    if record["round"].strip() != round_id:
        problem("round", f"is {record['round'].strip()!r}; this plan's round is {round_id}")
    cell_year = record["year"].strip()
    if not _WHOLE.fullmatch(cell_year) or int(cell_year) not in years:
        problem("year", f"{cell_year!r} is not a year of round {round_id}")
    elif year is not None and int(cell_year) != year:
        problem("year", f"is {cell_year}; this file records {year}")
    for column in NUMBER_COLUMNS:
        value = record[column].strip()
        if value and not _WHOLE.fullmatch(value):
            problem(column, f"{value!r} is not a whole number of 0 or more")
    delivered: dict[str, int] = {}
    for column, most in DELIVERED_LIMITS.items():
        value = record[column].strip()
        if not value:
            continue
        if not _WHOLE.fullmatch(value) or int(value) > most:
            problem(column, f"{value!r} is not a whole number from 0 to {most:,}")
        else:
            delivered[column.removeprefix("delivered_")] = int(value)
    note = record["delivered_note"].strip()
    if len(note) > NOTE_MAX:
        problem("delivered_note", f"is {len(note)} characters long; at most {NOTE_MAX}")
    if problems:
        return None, problems
    plan_row = planned.get(row_key(record))
    if plan_row is None:
        problem(
            "flow",
            f"the plan has no {flow} row from {record['from_id'] or '(none)'} to {record['to_id'] or '(none)'} "
            f"in {cell_year} with these sites and subjects; record only rows of the plan's deployments.csv",
        )
        return None, problems
    actual = Actual(line, plan_row, _resolved(plan_row, delivered), note)
    return actual, []


def _resolved(plan_row: Mapping[str, str], delivered: Mapping[str, int]) -> dict[str, int]:
    """Delivered figures: the recorded ones, and the planned ones where nothing was recorded."""
    out = {}
    for figure in FIGURES:
        planned = whole(plan_row.get(figure))
        if figure in delivered:
            out[figure] = delivered[figure]
        elif planned is not None:
            out[figure] = planned
    return out


def recorded_in_plan(planned: PlanRows, year: int) -> list[Actual] | None:
    """A year that a re-plan already holds as delivered (every row's source says so), as its own
    actuals (each row delivered as it stands); None when the year is a plan, not a record."""
    rows = [r for r in planned.values() if r.get("year") == str(year)]
    if not rows or any(r.get("source") != DELIVERED_SOURCE for r in rows):
        return None
    return [Actual(0, r, _resolved(r, {}), r.get("note", "")) for r in rows]


def actuals_template(deployments: bytes, year: int) -> bytes:
    """The year's rows of a plan with empty delivered cells: the file a coordinator fills in."""
    records = [r for r in plan_rows(deployments).values() if r.get("year") == str(year)]
    return actuals_csv_bytes([(r, {}, "") for r in records])


def actuals_csv_bytes(rows: Sequence[tuple[Mapping[str, str], Mapping[str, int], str]]) -> bytes:
    """An actuals table (UTF-8 with BOM, rows sorted like deployments.csv): (plan row, delivered, note)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ACTUAL_COLUMNS)
    body = []
    for record, delivered, note in rows:
        cells = [csv_cell(record.get(c) or "") for c in DEPLOYMENT_COLUMNS]
        cells += [csv_cell(delivered.get(c.removeprefix("delivered_"))) for c in DELIVERED_LIMITS]
        body.append([*cells, csv_cell(note)])
    writer.writerows(sorted(body))
    return out.getvalue().encode("utf-8-sig")


def canonical_actuals(actuals: Sequence[Actual]) -> bytes:
    """The stored form of accepted actuals: every delivered cell filled, so the same record is the same bytes."""
    return actuals_csv_bytes([(a.planned, a.delivered, a.note) for a in actuals])


def delivered_rows(actuals: Sequence[Actual]) -> list[FlowRow]:
    """The actuals as deployment rows (a re-plan's years that are history): delivered figures in place
    of the planned ones; where people changed, the split into leaders, managers and teachers is dropped."""
    rows = []
    for actual in actuals:
        p = actual.planned

        figures = {c: whole(p.get(c)) for c in NUMBER_COLUMNS}
        for figure, amount in actual.delivered.items():
            figures[figure] = amount
        if actual.delivered.get("people") != actual.planned_figure("people"):
            figures.update(leaders=None, managers=None, teachers=None)
        rows.append(
            FlowRow(
                p["round"],
                int(p["year"]),
                Flow(p["flow"]),
                p.get("from_id", ""),
                p.get("from_name", ""),
                p.get("to_id", ""),
                p.get("to_name", ""),
                teams=figures.pop("teams") or 0,
                people=figures.pop("people") or 0,
                **figures,
                from_site_id=p.get("from_site_id", ""),
                from_site_name=p.get("from_site_name", ""),
                to_site_id=p.get("to_site_id", ""),
                to_site_name=p.get("to_site_name", ""),
                subjects=tuple(s for s in (p.get("subjects") or "").split(";") if s),
                rule=p.get("rule", ""),
                source=DELIVERED_SOURCE,
                note=actual.note or p.get("note", ""),
            )
        )
    return rows
