"""A pairing plan: the pairs of every kind for one round, with each pair's score terms.

The CSV form (pairs.csv) is the contract of DESIGN.md section 4: UTF-8 with BOM, these
columns first, rows sorted by kind, receiver_id, supporter_id, formula-like cells neutralised.
"""

from __future__ import annotations

import csv
import io
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from solver.problems import Problem, RosterError


class Kind(StrEnum):
    CITY_CITY = "city_city"
    COUNTY_COUNTY = "county_county"
    NORMAL_UNIVERSITY_CITY = "normal_university_city"
    UNIVERSITY_AREA = "university_area"
    INSTITUTE_INSTITUTE = "institute_institute"
    SCHOOL_SCHOOL = "school_school"
    INTRA_REGION = "intra_region"


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
    def key(self) -> tuple[str, str, str]:
        return (self.kind.value, self.receiver_id, self.supporter_id)

    @property
    def score_total(self) -> int:
        return sum(self.score_terms.values())


def sort_pairs(pairs: list[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: p.key)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Cells written as numbers: never neutralised, so a negative score stays a number in Excel.
NUMERIC_COLUMNS = frozenset({"score_distance_km", "score_total"})


def neutralise(cell: str) -> str:
    """Prefix a quote to text cells Excel would read as a formula (CSV injection); numbers are left alone."""
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def format_terms(terms: dict[str, int]) -> str:
    return ";".join(f"{name}={value}" for name, value in sorted(terms.items()))


def parse_terms(text: str) -> dict[str, int]:
    terms = {}
    for part in filter(None, text.split(";")):
        name, _, value = part.partition("=")
        terms[name] = int(value)
    return terms


def pairs_csv(pairs: list[Pair]) -> str:
    """The pair table as CSV text (without BOM; `pairs_csv_bytes` adds it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PAIR_COLUMNS)
    for pair in sort_pairs(pairs):
        row = [
            pair.round,
            pair.kind.value,
            pair.supporter_id,
            pair.supporter_name,
            pair.receiver_id,
            pair.receiver_name,
            pair.receiver_city_id,
            f"{pair.score_distance_km:.1f}",
            str(pair.score_total),
            format_terms(pair.score_terms),
            "true" if pair.pinned else "false",
        ]
        writer.writerow([cell if column in NUMERIC_COLUMNS else neutralise(cell)
                         for column, cell in zip(PAIR_COLUMNS, row)])
    return out.getvalue()


def pairs_csv_bytes(pairs: list[Pair]) -> bytes:
    return pairs_csv(pairs).encode("utf-8-sig")


def read_pairs_csv(data: bytes | str, filename: str = "pairs.csv") -> list[Pair]:
    """Read a pair table written by `pairs_csv` (or edited in Excel); every problem is reported."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    required = PAIR_COLUMNS[:7]
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise RosterError([Problem(filename, 1, c, "required column is missing") for c in missing])
    pairs, problems = [], []
    for line_no, record in enumerate(reader, start=2):
        values = {k: (v or "").strip() for k, v in record.items() if k}
        values = {k: v[1:] if v.startswith("'") and v[1:].startswith(FORMULA_PREFIXES) else v for k, v in values.items()}
        try:
            kind = Kind(values["kind"])
        except ValueError:
            problems.append(Problem(filename, line_no, "kind", f"unknown kind {values['kind']!r}"))
            continue
        for column in required:
            if not values.get(column) and column not in ("supporter_name", "receiver_name"):
                problems.append(Problem(filename, line_no, column, "a value is required"))
        try:
            terms = parse_terms(values.get("score_terms", ""))
            distance = float(values.get("score_distance_km") or 0)
        except ValueError as exc:
            problems.append(Problem(filename, line_no, "score_terms", str(exc)))
            continue
        pairs.append(
            Pair(
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
        )
    if problems:
        raise RosterError(problems)
    return sort_pairs(pairs)
