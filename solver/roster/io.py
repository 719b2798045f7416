"""Roster tables as CSV: reading a directory or an upload into records, writing canonical tables.

Row numbers are the spreadsheet's: the header is row 1, the first record row 2, so that a
coordinator can go straight to the cell in Excel. Validation itself is solver.roster.validate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from solver.domain.problems import InputError, Problem
from solver.domain.text import csv_cell, decode, restore, strip_bom
from solver.roster.models import Roster, Table, columns, required_columns
from solver.roster.row import RosterRow
from solver.roster.validate import Record, parse_records, validate_roster


def records_from_csv(table: Table, text: str, filename: str | None = None) -> tuple[list[Record], list[Problem]]:
    """The records of one table's CSV text, and the problems of its header and shape."""
    filename = filename or table.filename
    reader = csv.reader(io.StringIO(strip_bom(text), newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in required_columns(table) if name not in header]
    if missing:
        return [], [Problem(filename, 1, name, "required column is missing", table.value) for name in missing]
    records: list[Record] = []
    problems: list[Problem] = []
    width = len(header)
    for line_no, cells in enumerate(reader, start=2):
        if len(cells) > width:
            problems.append(Problem(filename, line_no, None, "more cells than header columns", table.value))
        # As csv.DictReader would have it (a later column of a repeated name wins), without its cost.
        values = {}
        for name, cell in zip(header, cells, strict=False):
            value = cell.strip()
            if value:
                values[name] = restore(value) if value[0] == "'" else value
            else:
                values.pop(name, None)
        if values:  # a blank line is no record
            records.append(Record(values, line_no))
    return records, problems


def records_from_rows(rows: Iterable[RosterRow]) -> list[Record]:
    """Stored rows (validated when they were accepted) as records, numbered as in their canonical CSV."""
    return [Record({}, line_no, row) for line_no, row in enumerate(sorted(rows, key=lambda r: r.id), start=2)]


def table_rows(table: Table, text: str) -> dict[str, RosterRow]:
    """The rows of one table's CSV text, each checked on its own (not across tables); InputError if any fails."""
    records, problems = records_from_csv(table, text)
    found = list(problems)
    rows = parse_records(table, records, found)
    if found:
        raise InputError(found)
    return rows


def load_roster(directory: Path | str) -> Roster:
    """Load and fully validate a roster directory; raise InputError listing every problem."""
    directory = Path(directory)
    tables: dict[Table, list[Record]] = {}
    problems: list[Problem] = []
    for table in Table:
        path = directory / table.filename
        if not path.is_file():
            if table.optional:
                tables[table] = []
            else:
                problems.append(Problem(table.filename, None, None, f"file not found in {directory}", table.value))
            continue
        try:
            records, found = records_from_csv(table, decode(path.read_bytes(), table.filename))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        tables[table] = records
        problems.extend(found)
    if len(tables) < len(Table):
        raise InputError(problems)
    return validate_roster(tables, problems)


def roster_from_texts(texts: Mapping[Table, str]) -> Roster:
    """The roster of every table's CSV text (an upload, or files read elsewhere); InputError lists every problem."""
    tables: dict[Table, list[Record]] = {}
    problems: list[Problem] = []
    for table in Table:
        if table.optional and table not in texts:
            tables[table] = []
            continue
        tables[table], found = records_from_csv(table, texts[table])
        problems.extend(found)
    return validate_roster(tables, problems)


def table_csv(table: Table, rows: Iterable[RosterRow]) -> str:
    """One table as CSV text (no BOM) in canonical column order, rows in id order, text cells guarded."""
    out = io.StringIO()
    names = columns(table)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in sorted(rows, key=lambda r: r.id):
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, list):
        return csv_cell(";".join(value))
    return csv_cell(value)


def write_roster(roster: Roster, directory: Path | str) -> None:
    """Write every table as UTF-8 with BOM, the bundled roster's own format."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for table in Table:
        text = table_csv(table, roster.table(table).values())
        (directory / table.filename).write_text(text, encoding="utf-8-sig", newline="")
