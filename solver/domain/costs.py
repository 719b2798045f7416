"""What each flow costs and who pays (R37), the cost table (costs.csv), and the assessment input (R38).

A flow's cost is a sum of terms, each a rate of R37 times the product of some of the row's
figures (people × days × `training_person_day`, …); the party that does the work pays
('支援方按照"带任务、带资金"模式参与帮扶', clause 21), the province for its own programmes. The
planner (solver.deployment.costs) and the checker (solver.check.deployments.costs) both read this
table of terms, and each works the sums out on its own.

costs.csv has one row per payer, year and flow, like budgets.csv (`party_id,year,amount,purpose,
source`, the purpose being the flow): a payer's cost of a year is the sum of its rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from solver.domain.flows import DUTY_FLOWS, Flow, Payer
from solver.domain.text import csv_cell, restore, strip_bom

Assessment = Mapping[str, float]
"""The latest assessment of receiving counties (R38): county id → score in [0, 100]."""

DUTY = (("duty_person_year", ("people",)),)
TRAINING = (("training_person_day", ("people", "days")), ("online_hour", ("people", "online_hours")))

COST_TERMS: dict[Flow, tuple[tuple[str, tuple[str, ...]], ...]] = {
    **dict.fromkeys(DUTY_FLOWS, DUTY),
    **dict.fromkeys(
        (
            Flow.PRINCIPAL_PROGRAMME,
            Flow.RESERVE_PRINCIPAL_PROGRAMME,
            Flow.BACKBONE_TRAINING,
            Flow.FULL_TRAINING,
            Flow.IT_TRAINING,
            Flow.PRINCIPAL_TRAINING,
        ),
        TRAINING,
    ),
    Flow.INTERN_PLACEMENT: (("intern_person", ("people",)),),
    Flow.INTERN_RELEASE: (("released_teacher", ("people",)),),
    Flow.UNIVERSITY_TRAINEES: (("trainee_person", ("people",)),),
    **dict.fromkeys(
        (Flow.UNIVERSITY_EXCHANGE, Flow.EDUCATION_GROUP, Flow.EDUCATION_GROUP_BATCH, Flow.INSTITUTE_VISIT),
        (("activity", ("activities",)),),
    ),
    Flow.FAMOUS_TEACHER_TOUR: (("tour_person_time", ("people",)),),
    Flow.FAMOUS_TEACHER_WEEK: (("famous_person_day", ("people", "days")),),
    Flow.PRINCIPAL_DEGREE: (("degree_person", ("people",)),),
    Flow.TEACHER_DEGREE: (("degree_person", ("people",)),),
    Flow.TEACHING_PRACTICE: (("practice_person_day", ("people", "days")),),
    Flow.ADMIN_VISIT: (("visit_person_day", ("people", "days")),),
    Flow.RESEARCHER_STATION: (("visit_person_day", ("people", "days")),),
    Flow.STUDIO_MEMBER: (("studio_member_year", ("people",)),),
    Flow.EQUIPMENT_SUPPORT: (("equipment_set", ("items",)),),
    Flow.BOOK_SUPPORT: (("book", ("items",)),),
    Flow.SILVER_TEACHER: (("silver_person_year", ("people",)),),
}
"""Flows not listed cost nothing of their own: `budget` and `provincial_fund` are money, `shortfall` is absence."""

COST_PAYER: dict[Flow, Payer] = {
    **DUTY_FLOWS,
    **dict.fromkeys(
        (
            Flow.INTERN_RELEASE,
            Flow.UNIVERSITY_TRAINEES,
            Flow.ADMIN_VISIT,
            Flow.STUDIO_MEMBER,
        ),
        Payer.HOST,
    ),
    **dict.fromkeys((Flow.FAMOUS_TEACHER_TOUR, Flow.SILVER_TEACHER), Payer.PROVINCE),
}
"""Who pays a costed flow; every other costed flow is paid by its sender (from_id)."""

COST_COLUMNS = ["party_id", "party_name", "year", "amount", "purpose", "rule", "source"]


@dataclass(frozen=True, order=True)
class CostRow:
    """One payer's cost of one flow in one year."""

    party_id: str
    year: int
    purpose: str  # the flow
    amount: int
    party_name: str = ""
    rule: str = "R37"
    source: str = ""

    def cells(self) -> list[str]:
        values: list[object] = [
            self.party_id,
            self.party_name,
            self.year,
            self.amount,
            self.purpose,
            self.rule,
            self.source,
        ]
        return [csv_cell(v) for v in values]


def costs_csv_bytes(rows: Iterable[CostRow]) -> bytes:
    """costs.csv: UTF-8 with BOM, rows by payer, year and flow, so the same plan is the same bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COST_COLUMNS)
    writer.writerows(row.cells() for row in sorted(rows))
    return out.getvalue().encode("utf-8-sig")


def cost_records(data: bytes | str) -> list[dict[str, str]]:
    """The rows of a costs.csv as dicts of cells."""
    text = strip_bom(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    return [dict(zip(header, [restore(c) if c[:1] == "'" else c for c in cells], strict=False)) for cells in reader]


def rate_of(rates: object, name: str) -> int:
    """A rate of R37's parameters by its name in COST_TERMS."""
    return int(getattr(rates, name))


def assessment_problems(assessment: Assessment, counties: Iterable[str]) -> list[str]:
    """What is wrong with an assessment: scores outside [0, 100], or ids that are not receiving counties."""
    known = set(counties)
    found = []
    for county, score in sorted(assessment.items()):
        if county not in known:
            found.append(f"assessment: {county} is not a receiving county of the roster")
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
            found.append(f"assessment: the score of {county} is {score!r}; a score is a number from 0 to 100")
    return found
