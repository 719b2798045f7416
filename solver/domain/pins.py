"""Pins: pairs a coordinator fixes (must be in the plan) or forbids (must not be). Pins are hard.

pins.csv columns: kind,supporter_id,receiver_id,action (action `fix` or `forbid`), UTF-8
(with or without BOM) or GB18030. A fixed county pair also fixes the city pair it nests in.
"""

from __future__ import annotations

import csv
import io
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, ValidationError

from solver.domain.kinds import Kind
from solver.domain.problems import InputError, Problem, problems_from
from solver.domain.text import decode, strip_bom

PIN_COLUMNS = ["kind", "supporter_id", "receiver_id", "action"]


class PinAction(StrEnum):
    FIX = "fix"
    FORBID = "forbid"


class Pin(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    kind: Kind
    supporter_id: str
    receiver_id: str
    action: PinAction = PinAction.FIX


def read_pins_csv(data: bytes | str, filename: str = "pins.csv") -> list[Pin]:
    text = strip_bom(decode(data, filename) if isinstance(data, bytes) else data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in PIN_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError([Problem(filename, 1, c, "required column is missing") for c in missing])
    pins, problems = [], []
    for line_no, record in enumerate(reader, start=2):
        values = {k: v for k, v in record.items() if k and v and v.strip()}
        try:
            pins.append(Pin.model_validate(values))
        except ValidationError as exc:
            problems.extend(problems_from(exc, filename, line_no))
    if problems:
        raise InputError(problems)
    return pins
