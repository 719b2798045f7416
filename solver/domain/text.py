"""Text in and out: decoding what coordinators upload, and writing cells Excel cannot misread."""

from __future__ import annotations

import re

from solver.domain.problems import InputError, Problem

# Chinese Excel saves "CSV" as GB18030 (GBK); UTF-8 with or without BOM is the rest.
ENCODINGS = ("utf-8-sig", "gb18030")
BOM = "\ufeff"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is read by a spreadsheet as a formula (CSV injection)."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters other than tab, line feed and carriage return: never valid in a text field."""


def decode(data: bytes, filename: str) -> str:
    """The text of an uploaded file in UTF-8 (with or without BOM) or GB18030, without its BOM."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([Problem(filename, None, None, "not UTF-8 or GB18030 text: save it as CSV UTF-8")])


def strip_bom(text: str) -> str:
    return text.removeprefix(BOM)


def neutralise(cell: str) -> str:
    """Prefix a quote to a text cell a spreadsheet would read as a formula. Numbers are never passed here."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def restore(cell: str) -> str:
    """Undo `neutralise` when a table we wrote is read back."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) else cell


def csv_cell(value: object) -> str:
    """One cell of a table we write: numbers as plain numbers, booleans as true/false, text guarded."""
    kind = type(value)  # the common cases first: a deployments.csv has ~900,000 cells
    if kind is str:
        return neutralise(value)  # type: ignore[arg-type]
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return neutralise(str(value))


def control_character_problem(text: str) -> str | None:
    """Why a text field is refused, or None when it is fine."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return f"contains the control character U+{ord(found.group()):04X}, which no text field may hold"
