"""Reading and writing roster tables as CSV, reporting every problem with file, row and field.

Row numbers are the spreadsheet's: the header is row 1, the first record row 2, so that a
coordinator can go straight to the cell in Excel.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import ValidationError

from solver.domain.problems import Problem, RosterError
from solver.roster.models import Roster, RosterRow, Table, columns, required_columns
from solver.roster.cross import cross_check

# Chinese Excel saves "CSV" as GB18030 (GBK); UTF-8 with or without BOM is the rest.
ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, filename: str) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError([Problem(filename, None, None, "not UTF-8 or GB18030 text")])


@dataclass
class ParsedTable:
    rows: dict[str, RosterRow]
    line_numbers: dict[str, int]
    problems: list[Problem]
    invalid_ids: set[str] = field(default_factory=set)  # ids of rows that failed their own checks


def parse_table(table: Table, text: str, filename: str | None = None) -> ParsedTable:
    """Parse one table's CSV text into rows keyed by id, with every problem found."""
    filename = filename or table.filename
    problems: list[Problem] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in required_columns(table) if name not in header]
    if missing:
        return ParsedTable({}, {}, [Problem(filename, 1, name, "required column is missing") for name in missing])
    model = table.model
    rows: dict[str, RosterRow] = {}
    first_row: dict[str, int] = {}
    invalid: set[str] = set()
    for line_no, record in enumerate(reader, start=2):
        if None in record:
            problems.append(Problem(filename, line_no, None, "more cells than header columns"))
        values = {k: v for k, v in record.items() if k is not None and v is not None and v.strip() != ""}
        if not values:
            continue  # blank line
        try:
            row = model.model_validate(values)
        except ValidationError as exc:
            problems.extend(_problems_from(exc, filename, line_no))
            invalid.add(values.get(model.id_field, ""))
            continue
        if row.id in rows:
            problems.append(
                Problem(filename, line_no, model.id_field, f"duplicate id {row.id} (first at row {first_row[row.id]})")
            )
            continue
        rows[row.id] = row
        first_row[row.id] = line_no
    return ParsedTable(dict(sorted(rows.items())), first_row, problems, invalid)


def _problems_from(exc: ValidationError, filename: str, line_no: int) -> list[Problem]:
    found = []
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        field = loc[0] if loc else None
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "a value is required"
        elif "input" in error and not isinstance(error["input"], dict):
            message += f" (got {error['input']!r})"
        found.append(Problem(filename, line_no, field, message))
    return found


def load_roster(directory: Path | str) -> Roster:
    """Load and fully validate a roster directory; raise RosterError listing every problem."""
    directory = Path(directory)
    texts: dict[Table, str] = {}
    problems: list[Problem] = []
    for table in Table:
        path = directory / table.filename
        if not path.is_file():
            problems.append(Problem(table.filename, None, None, f"file not found in {directory}"))
            continue
        try:
            texts[table] = decode(path.read_bytes(), table.filename)
        except RosterError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RosterError(problems)
    return roster_from_texts(texts)


def roster_from_texts(texts: Mapping[Table, str]) -> Roster:
    """Build a roster from the CSV text of every table, checking rows and cross-references."""
    problems: list[Problem] = []
    parsed = {table: parse_table(table, texts[table]) for table in Table}
    for table in Table:
        problems.extend(parsed[table].problems)
    roster = Roster.model_validate({table.value: parsed[table].rows for table in Table})
    problems.extend(cross_check(roster, {table: parsed[table].line_numbers for table in Table},
                                {table: parsed[table].invalid_ids for table in Table}))
    if problems:
        raise RosterError(problems)
    return roster


def table_csv(table: Table, rows: Iterable[RosterRow]) -> str:
    """One table as CSV text (no BOM) in canonical column order, rows in id order."""
    out = io.StringIO()
    names = columns(table)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in sorted(rows, key=lambda r: r.id):
        writer.writerow([_cell(getattr(row, name)) for name in names])
    return out.getvalue()


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_roster(roster: Roster, directory: Path | str) -> None:
    """Write every table as UTF-8 with BOM, the bundled roster's own format."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for table in Table:
        text = table_csv(table, roster.table(table).values())
        (directory / table.filename).write_text(text, encoding="utf-8-sig", newline="")
