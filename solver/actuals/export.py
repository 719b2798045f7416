"""The assessment as CSV and XLSX, and the pair's own plan (结对帮扶工作方案) as XLSX, in Chinese."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence

from solver.actuals.assess import AssessmentReport, Measure, unit_of
from solver.actuals.table import whole
from solver.actuals.xlsx import Cell, Sheet, workbook_bytes
from solver.domain.flows import FLOW_RULE, FLOW_ZH, Flow
from solver.domain.kinds import Kind
from solver.domain.pairs import Pair
from solver.domain.text import csv_cell

UNIT_ZH = {"teams": "个支教团", "people": "人", "activities": "次", "items": "件（套）"}
SCOPE_ZH = {"receiver": "按受援方", "supporter": "按支援方", "rule": "按规则"}

ASSESSMENT_COLUMNS = [
    "scope",
    "year",
    "party_id",
    "party_name",
    "rule",
    "unit",
    "planned",
    "delivered",
    "floor",
    "behind_plan",
    "behind_floor",
]
ASSESSMENT_HEADERS_ZH = ["年度", "代码", "名称", "规则", "单位", "计划", "完成", "政策底线", "落后计划", "低于底线"]


def flow_zh(flow: str) -> str:
    return FLOW_ZH.get(flow, flow)


def assessment_csv_bytes(assessment: AssessmentReport) -> bytes:
    """Every measure, one a row (UTF-8 with BOM, like the other downloads)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ASSESSMENT_COLUMNS)
    for m in assessment.measures:
        writer.writerow([csv_cell(v) for v in _cells(m, english=True)])
    return out.getvalue().encode("utf-8-sig")


def _cells(m: Measure, english: bool = False) -> list[Cell]:
    head: list[Cell] = [m.scope] if english else []
    unit = m.unit if english else UNIT_ZH[m.unit]
    return [
        *head,
        m.year,
        m.party_id,
        m.party_name,
        m.rule,
        unit,
        m.planned,
        m.delivered,
        m.floor,
        m.behind_plan,
        m.behind_floor,
    ]


def assessment_xlsx_bytes(assessment: AssessmentReport) -> bytes:
    """Sheets by receiver, by supporter and by rule, the counties' scores and who is behind."""
    widths = [8, 14, 30, 8, 12, 10, 10, 10, 10, 10]
    sheets = [
        Sheet(SCOPE_ZH[scope], ASSESSMENT_HEADERS_ZH, [_cells(m) for m in assessment.of(scope)], widths)  # type: ignore[arg-type]
        for scope in SCOPE_ZH
    ]
    sheets.append(
        Sheet(
            "县得分",
            ["县代码", "县名称", "得分（0–100）", "分规则得分"],
            [
                [s.county_id, s.name, s.score, "；".join(f"{r} {v:g}" for r, v in s.by_rule.items())]
                for s in assessment.scores
            ],
            [12, 24, 14, 60],
        )
    )
    sheets.append(Sheet("落后情况", ["说明"], [[line] for line in assessment.behind_zh], [120]))
    return workbook_bytes(sheets, f"考核评价 {assessment.round}（{'、'.join(map(str, assessment.years))}）")


# --- the pair's own plan ------------------------------------------------------------------------

TASK_HEADERS_ZH = [
    "年度",
    "任务",
    "规则",
    "派出方代码",
    "派出方",
    "接收方代码",
    "接收方",
    "支教团（个）",
    "人数",
    "活动（次）",
    "天数",
    "学时",
    "派出学校（单位）",
    "接收学校（单位）",
    "学科",
    "经费（元）",
    "说明",
]


PAIR_PLAN_KINDS = (Kind.CITY_CITY, Kind.COUNTY_COUNTY)
"""The pairs that write a plan together (the supporting and receiving city or county)."""


def pair_rows(pair: Pair, records: Sequence[Mapping[str, str]]) -> list[Mapping[str, str]]:
    """The deployment rows between the pair's two parties, either way (without shortfall rows)."""
    ends = {pair.supporter_id, pair.receiver_id}
    return [
        r
        for r in records
        if r.get("flow") != Flow.SHORTFALL.value and {r.get("from_id", ""), r.get("to_id", "")} == ends
    ]


def _number(record: Mapping[str, str], column: str) -> int | None:
    return whole(record.get(column))


def pair_xlsx_bytes(pair: Pair, records: Sequence[Mapping[str, str]], years: Sequence[int]) -> bytes:
    """结对帮扶工作方案 of one supporter–receiver pair: the five-year plan by task and year, then each
    year's tasks row by row, with the figures of the plan's deployments.csv."""
    rows = pair_rows(pair, records)
    totals: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        unit = unit_of(r)
        totals[(r["flow"], unit)][int(r["year"])] += _number(r, unit) or 0
    five_year: list[list[Cell]] = [
        [
            flow_zh(flow),
            (_rule(flow)),
            UNIT_ZH[unit],
            *[by_year.get(y, 0) for y in years],
            sum(by_year.values()),
        ]
        for (flow, unit), by_year in sorted(totals.items())
    ]
    info: list[list[Cell]] = [
        ["轮次", pair.round],
        ["结对类型", pair.kind.chinese],
        ["支援方", f"{pair.supporter_name}（{pair.supporter_id}）"],
        ["受援方", f"{pair.receiver_name}（{pair.receiver_id}）"],
        ["任务行数", len(rows)],
    ]
    sheets = [
        Sheet("结对信息", ["项目", "内容"], info, [12, 50]),
        Sheet(
            "五年规划",
            ["任务", "规则", "单位", *[f"{y}年" for y in years], "合计"],
            five_year,
            [22, 8, 10, *[10] * len(years), 10],
        ),
    ]
    for year in years:
        tasks = [_task(r) for r in rows if r["year"] == str(year)]
        sheets.append(Sheet(f"{year}年任务", TASK_HEADERS_ZH, sorted(tasks, key=_sort_key), [8, 20, 8, 12, 24, 12, 24]))
    title = f"{pair.supporter_name}—{pair.receiver_name} 结对帮扶工作方案（{pair.round}）"
    return workbook_bytes(sheets, title)


def _rule(flow: str) -> str:
    try:
        return FLOW_RULE.get(Flow(flow), "")
    except ValueError:
        return ""


def _task(r: Mapping[str, str]) -> list[Cell]:
    return [
        int(r["year"]),
        flow_zh(r["flow"]),
        r.get("rule") or _rule(r["flow"]),
        r.get("from_id", ""),
        r.get("from_name", ""),
        r.get("to_id", ""),
        r.get("to_name", ""),
        _number(r, "teams"),
        _number(r, "people"),
        _number(r, "activities"),
        _number(r, "days"),
        _number(r, "hours"),
        r.get("from_site_name", ""),
        r.get("to_site_name", ""),
        (r.get("subjects") or "").replace(";", "、"),
        _number(r, "yuan"),
        r.get("note", ""),
    ]


def _sort_key(cells: Sequence[Cell]) -> tuple[str, ...]:
    return tuple("" if c is None else str(c) for c in cells)


def pair_file_name(pair: Pair) -> str:
    return f"{pair.supporter_id}_{pair.receiver_id}.xlsx"
