"""A pairing plan's rows: one supporter → receiver pair of one kind, with its score terms.

The CSV form (pairs.csv) is the contract of docs/csv.md: UTF-8 with BOM, these columns first,
rows sorted by kind, receiver_id, supporter_id, formula-like text cells neutralised, numbers
written as plain numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from solver.domain.kinds import Kind
from solver.domain.problems import InputError, Problem
from solver.domain.text import csv_cell, restore, strip_bom

PAIR_COLUMNS = [
    "round",
    "kind",
    "supporter_id",
    "supporter_name",
    "receiver_id",
    "receiver_name",
    "receiver_city_id",
    "score_distance_km",
    "score_total",
    "score_terms",
    "pinned",
]
Edge = tuple[str, str]
"""(supporter_id, receiver_id): a candidate or chosen pair of some kind."""
PairKey = tuple[str, str, str]
"""(kind, receiver_id, supporter_id): a pair's identity and its place in the table."""


class Pair(BaseModel):
    """One supporter → receiver pair; `score_terms` are the objective's integer terms for it."""

    model_config = ConfigDict(frozen=True)

    round: str
    kind: Kind
    supporter_id: str
    supporter_name: str
    receiver_id: str
    receiver_name: str
    receiver_city_id: str
    score_distance_km: float = 0.0
    score_terms: dict[str, int] = Field(default_factory=dict)
    pinned: bool = False

    @property
    def key(self) -> PairKey:
        return (self.kind.value, self.receiver_id, self.supporter_id)

    @property
    def score_total(self) -> int:
        return sum(self.score_terms.values())

    def csv_row(self) -> list[str]:
        """The row's cells: text guarded against formulas, numbers as plain numbers."""
        text = [
            self.round,
            self.kind.value,
            self.supporter_id,
            self.supporter_name,
            self.receiver_id,
            self.receiver_name,
            self.receiver_city_id,
        ]
        return [
            *map(csv_cell, text),
            f"{self.score_distance_km:.1f}",
            str(self.score_total),
            csv_cell(format_terms(self.score_terms)),
            csv_cell(self.pinned),
        ]


def sort_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: p.key)


def format_terms(terms: dict[str, int]) -> str:
    return ";".join(f"{name}={value}" for name, value in sorted(terms.items()))


def parse_terms(text: str) -> dict[str, int]:
    terms = {}
    for part in filter(None, text.split(";")):
        name, _, value = part.partition("=")
        terms[name] = int(value)
    return terms


def pairs_csv(pairs: Iterable[Pair]) -> str:
    """The pair table as CSV text (without BOM; `pairs_csv_bytes` adds it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PAIR_COLUMNS)
    for pair in sort_pairs(pairs):
        writer.writerow(pair.csv_row())
    return out.getvalue()


def pairs_csv_bytes(pairs: Iterable[Pair]) -> bytes:
    return pairs_csv(pairs).encode("utf-8-sig")


def read_pairs_csv(data: bytes | str, filename: str = "pairs.csv") -> list[Pair]:
    """Read a pair table written by `pairs_csv` (or edited in Excel); every problem is reported."""
    text = strip_bom(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    required = PAIR_COLUMNS[:7]
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError([Problem(filename, 1, c, "required column is missing") for c in missing])
    pairs: list[Pair] = []
    problems: list[Problem] = []
    for line_no, record in enumerate(reader, start=2):
        values = {k: restore((v or "").strip()) for k, v in record.items() if k}
        pair = _pair(values, filename, line_no, required, problems)
        if pair is not None:
            pairs.append(pair)
    if problems:
        raise InputError(problems)
    return sort_pairs(pairs)


def _pair(
    values: dict[str, str], filename: str, line_no: int, required: Sequence[str], problems: list[Problem]
) -> Pair | None:
    try:
        kind = Kind(values["kind"])
    except ValueError:
        problems.append(Problem(filename, line_no, "kind", f"unknown kind {values['kind']!r}"))
        return None
    empty = [c for c in required if not values.get(c) and c not in ("supporter_name", "receiver_name")]
    problems.extend(Problem(filename, line_no, c, "a value is required") for c in empty)
    try:
        terms = parse_terms(values.get("score_terms", ""))
        distance = float(values.get("score_distance_km") or 0)
    except ValueError as exc:
        problems.append(Problem(filename, line_no, "score_terms", str(exc)))
        return None
    return Pair(
        round=values["round"],
        kind=kind,
        supporter_id=values["supporter_id"],
        supporter_name=values.get("supporter_name", ""),
        receiver_id=values["receiver_id"],
        receiver_name=values.get("receiver_name", ""),
        receiver_city_id=values["receiver_city_id"],
        score_distance_km=distance,
        score_terms=terms,
        pinned=values.get("pinned", "false").lower() in ("true", "1", "yes"),
    )
