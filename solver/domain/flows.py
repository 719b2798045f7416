"""The deployment table (deployments.csv): who sends how many people where, for every year of a round.

One row is one flow of one year between two parties. The CSV is the contract the checker
(solver.check.deployments) reads back: UTF-8 with BOM, these columns in this order, rows sorted
by their cells, formula-like cells neutralised (solver.domain.text), so the same plan is the
same bytes.

The flows and their columns are documented in docs/csv.md.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from solver.domain.text import FORMULA_PREFIXES, csv_cell, restore, strip_bom


class Flow(StrEnum):
    TEACHING_TEAM = "teaching_team"
    SHADOW = "shadow"
    BACKBONE_SHADOW = "backbone_shadow"
    LEADER_SHADOW = "leader_shadow"
    MANAGER_SHADOW = "manager_shadow"
    SCHOOL_EXCHANGE = "school_exchange"
    PRINCIPAL_PROGRAMME = "principal_programme"
    RESERVE_PRINCIPAL_PROGRAMME = "reserve_principal_programme"
    BACKBONE_TRAINING = "backbone_training"
    INTERN_PLACEMENT = "intern_placement"
    INTERN_RELEASE = "intern_release"
    FULL_TRAINING = "full_training"
    IT_TRAINING = "it_training"
    UNIVERSITY_TRAINEES = "university_trainees"
    UNIVERSITY_EXCHANGE = "university_exchange"
    EDUCATION_GROUP = "education_group"
    INSTITUTE_VISIT = "institute_visit"
    FAMOUS_TEACHER_TOUR = "famous_teacher_tour"
    FAMOUS_TEACHER_WEEK = "famous_teacher_week"
    PRINCIPAL_TRAINING = "principal_training"
    PRINCIPAL_DEGREE = "principal_degree"
    TEACHER_DEGREE = "teacher_degree"
    TEACHING_PRACTICE = "teaching_practice"
    ADMIN_VISIT = "admin_visit"
    RESEARCHER_STATION = "researcher_station"
    STUDIO_MEMBER = "studio_member"
    EDUCATION_GROUP_BATCH = "education_group_batch"
    EQUIPMENT_SUPPORT = "equipment_support"
    BOOK_SUPPORT = "book_support"
    SILVER_TEACHER = "silver_teacher"
    PROVINCIAL_FUND = "provincial_fund"
    BUDGET = "budget"
    SHORTFALL = "shortfall"


FLOW_ZH: dict[str, str] = {
    "teaching_team": "支教团",
    "shadow": "跟岗（1:1）",
    "backbone_shadow": "骨干教师跟岗",
    "leader_shadow": "学校领导跟岗",
    "manager_shadow": "中层干部跟岗",
    "school_exchange": "结对学校交流",
    "principal_programme": "校长培养",
    "reserve_principal_programme": "后备校长培养",
    "backbone_training": "骨干教师培训",
    "intern_placement": "师范生实习",
    "intern_release": "置换教师",
    "full_training": "全员培训",
    "it_training": "信息技术培训",
    "university_trainees": "高校培训学员",
    "university_exchange": "高校交流",
    "education_group": "教育集团",
    "institute_visit": "教研机构送教",
    "famous_teacher_tour": "名师巡回讲学",
    "famous_teacher_week": "名师送教周",
    "principal_training": "校长全员培训",
    "principal_degree": "校长学历提升",
    "teacher_degree": "教师学历达标",
    "teaching_practice": "师范生教育实践",
    "admin_visit": "教育行政人员观摩学习",
    "researcher_station": "教研员蹲点联系",
    "studio_member": "名师工作室学员",
    "education_group_batch": "年度新组教育集团",
    "equipment_support": "设备支援",
    "book_support": "图书支援",
    "silver_teacher": "银龄讲学",
    "provincial_fund": "省级帮扶资金",
    "budget": "经费",
    "shortfall": "缺口",
}
"""The flows' Chinese names, for the Excel downloads (a flow without one shows its id)."""


FLOW_RULE: dict[Flow, str] = {
    Flow.TEACHING_TEAM: "R07",
    Flow.SHADOW: "R08",
    Flow.BACKBONE_SHADOW: "R09",
    Flow.LEADER_SHADOW: "R10",
    Flow.MANAGER_SHADOW: "R10",
    Flow.SCHOOL_EXCHANGE: "R11",
    Flow.PRINCIPAL_PROGRAMME: "R12",
    Flow.RESERVE_PRINCIPAL_PROGRAMME: "R12",
    Flow.BACKBONE_TRAINING: "R13",
    Flow.INTERN_PLACEMENT: "R14",
    Flow.INTERN_RELEASE: "R14",
    Flow.FULL_TRAINING: "R15",
    Flow.IT_TRAINING: "R16",
    Flow.UNIVERSITY_TRAINEES: "R17",
    Flow.UNIVERSITY_EXCHANGE: "R17",
    Flow.EDUCATION_GROUP: "R18",
    Flow.INSTITUTE_VISIT: "R19",
    Flow.FAMOUS_TEACHER_TOUR: "R22",
    Flow.FAMOUS_TEACHER_WEEK: "R22",
    Flow.BUDGET: "R20",
    Flow.PRINCIPAL_TRAINING: "R27",
    Flow.PRINCIPAL_DEGREE: "R28",
    Flow.TEACHER_DEGREE: "R29",
    Flow.TEACHING_PRACTICE: "R30",
    Flow.ADMIN_VISIT: "R31",
    Flow.RESEARCHER_STATION: "R32",
    Flow.STUDIO_MEMBER: "R33",
    Flow.EDUCATION_GROUP_BATCH: "R34",
    Flow.EQUIPMENT_SUPPORT: "R35",
    Flow.BOOK_SUPPORT: "R35",
    Flow.SILVER_TEACHER: "R36",
    Flow.PROVINCIAL_FUND: "R38",
}


class Payer(StrEnum):
    """Which end of a row on teaching or shadowing duty funds its people (R20)."""

    SENDER = "sender"  # the row's from_id
    HOST = "host"  # the row's to_id
    SUPPORTER = "supporter"  # whichever end is not a receiver (flows that go both ways)
    PROVINCE = "province"  # the province's own programmes


DUTY_FLOWS: dict[Flow, Payer] = {
    Flow.TEACHING_TEAM: Payer.SENDER,
    Flow.SHADOW: Payer.HOST,
    Flow.BACKBONE_SHADOW: Payer.HOST,
    Flow.LEADER_SHADOW: Payer.HOST,
    Flow.MANAGER_SHADOW: Payer.HOST,
    Flow.SCHOOL_EXCHANGE: Payer.SUPPORTER,
}
"""R20's '支教、跟岗等人员': the flows of people on teaching or shadowing duty, and which end pays
('支援方按照"带任务、带资金"模式参与帮扶': the supporter, whether it sends or hosts)."""

DEPLOYMENT_COLUMNS = [
    "round",
    "year",
    "flow",
    "from_id",
    "from_name",
    "to_id",
    "to_name",
    "teams",
    "people",
    "leaders",
    "managers",
    "teachers",
    "activities",
    "days",
    "hours",
    "online_hours",
    "yuan",
    "items",
    "from_site_id",
    "from_site_name",
    "to_site_id",
    "to_site_name",
    "subjects",
    "rule",
    "source",
    "note",
]
NUMBER_COLUMNS = (
    "teams",
    "people",
    "leaders",
    "managers",
    "teachers",
    "activities",
    "days",
    "hours",
    "online_hours",
    "yuan",
    "items",
)


@dataclass(frozen=True)
class FlowRow:
    """One flow of one year; figures that do not apply to the flow stay None (an empty cell)."""

    round: str
    year: int
    flow: Flow
    from_id: str
    from_name: str
    to_id: str
    to_name: str
    teams: int = 0
    people: int = 0
    leaders: int | None = None
    managers: int | None = None
    teachers: int | None = None
    activities: int | None = None
    days: int | None = None
    hours: int | None = None
    online_hours: int | None = None
    yuan: int | None = None
    items: int | None = None  # things given (sets of equipment, books): R35
    from_site_id: str = ""
    from_site_name: str = ""
    to_site_id: str = ""
    to_site_name: str = ""
    subjects: tuple[str, ...] = field(default_factory=tuple)
    rule: str = ""
    source: str = ""
    note: str = ""

    def cells(self) -> tuple[str, ...]:
        """The row's CSV cells: numbers plain, text guarded against formulas (made once: rows are frozen)."""
        return self._cells

    @cached_property
    def _cells(self) -> tuple[str, ...]:
        # Field by field, guarding only the text (the same cells as csv_cell gives): a national
        # table has ~7 million of them.
        head = [self.round, self.from_id, self.from_name, self.to_id, self.to_name]
        tail = [
            self.from_site_id,
            self.from_site_name,
            self.to_site_id,
            self.to_site_name,
            ";".join(self.subjects),
            self.rule or FLOW_RULE.get(self.flow, ""),
            self.source,
            self.note,
        ]
        figures = (
            self.teams,
            self.people,
            self.leaders,
            self.managers,
            self.teachers,
            self.activities,
            self.days,
            self.hours,
            self.online_hours,
            self.yuan,
            self.items,
        )
        head = ["'" + v if v[:1] in _FORMULA_FIRST else v for v in head]
        tail = ["'" + v if v[:1] in _FORMULA_FIRST else v for v in tail]
        numbers = ["" if v is None else str(v) if type(v) is int else csv_cell(v) for v in figures]
        return (head[0], str(self.year), self.flow.value, *head[1:], *numbers, *tail)


_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)  # each prefix is one character


def sort_rows(rows: Iterable[FlowRow]) -> list[FlowRow]:
    """Rows in the table's order: by their cells, column by column (the year has four digits)."""
    return [row for _, row in sorted(((row.cells(), row) for row in rows), key=lambda item: item[0])]


def deployments_csv(rows: Iterable[FlowRow], year: int | None = None) -> str:
    """The table as CSV text (without BOM); `year` keeps that year's rows only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DEPLOYMENT_COLUMNS)
    writer.writerows(sorted(row.cells() for row in rows if year is None or row.year == year))
    return out.getvalue()


def deployments_csv_bytes(rows: Iterable[FlowRow], year: int | None = None) -> bytes:
    return deployments_csv(rows, year).encode("utf-8-sig")


def table_records(data: bytes | str) -> list[dict[str, str]]:
    """The rows of a deployments.csv as dicts of cells (formula neutralisation undone)."""
    text = strip_bom(data.decode("utf-8-sig") if isinstance(data, bytes) else data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if "'" not in text:  # nothing was neutralised
        return [dict(zip(header, cells, strict=False)) for cells in reader]
    return [dict(zip(header, [restore(c) if c[:1] == "'" else c for c in cells], strict=False)) for cells in reader]
