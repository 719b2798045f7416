"""Problems found in input, each naming where it is (file, row, field), which rows (table, ids) and what.

A `Problem` carries its table and ids as data, so that a caller (the service) can tell which
of its changes caused it without reading the message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where (file, row, field), what, and about which rows."""

    file: str
    row: int | None
    field: str | None
    message: str
    table: str | None = dataclasses.field(default=None, compare=False)
    ids: tuple[str, ...] = dataclasses.field(default=(), compare=False)
    """The id of the row the problem is on first, then the ids it refers to."""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "table": self.table,
            "id": self.ids[0] if self.ids else None,
            "field": self.field,
            "message": self.message,
        }


class InputError(Exception):
    """Input with problems (a roster, pins, a pair table, rules); `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.field or "", p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # Rebuilt from its problems, not its message: it crosses process boundaries (the preview's process).
        return (InputError, (self.problems,))


def describe_error(error: Mapping[str, Any]) -> tuple[str | None, str]:
    """(field, message) of one pydantic error, worded for a coordinator; the one place that words them."""
    loc = [str(part) for part in error.get("loc", ())]
    field_name = loc[0] if loc else None
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if error.get("type") == "missing":
        message = "a value is required"
    elif "input" in error and isinstance(error["input"], (str, int, float, bool)):
        message += f" (got {error['input']!r})"
    return field_name, message


def problems_from(
    exc: ValidationError,
    file: str,
    row: int | None,
    *,
    table: str | None = None,
    row_id: str | None = None,
    id_field: str | None = None,
) -> list[Problem]:
    """Every error of a row's validation as a Problem; whole-row errors are put on `id_field`."""
    found = []
    for error in exc.errors():
        field_name, message = describe_error(error)
        if field_name is None:
            field_name = id_field
        found.append(Problem(file, row, field_name, message, table, (row_id,) if row_id else ()))
    return found
