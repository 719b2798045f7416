"""Pins: pairs a coordinator fixes (must be in the plan) or forbids (must not be). Pins are hard.

pins.csv columns: kind,supporter_id,receiver_id,action (action `fix` or `forbid`), UTF-8
(with or without BOM). A fixed county pair also fixes the city pair it nests in.
"""

from __future__ import annotations

import csv
import io
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, ValidationError

from solver.domain.pairs import Kind
from solver.domain.problems import Problem, RosterError

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

    def describe(self) -> str:
        verb = "fixed" if self.action == PinAction.FIX else "forbidden"
        return f"{verb} {self.kind} pair {self.supporter_id} → {self.receiver_id}"


def read_pins_csv(data: bytes | str, filename: str = "pins.csv") -> list[Pin]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in PIN_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise RosterError([Problem(filename, 1, c, "required column is missing") for c in missing])
    pins, problems = [], []
    for line_no, record in enumerate(reader, start=2):
        values = {k: v for k, v in record.items() if k and v and v.strip()}
        try:
            pins.append(Pin.model_validate(values))
        except ValidationError as exc:
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else None
                problems.append(Problem(filename, line_no, field, error["msg"]))
    if problems:
        raise RosterError(problems)
    return pins
