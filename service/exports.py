"""Downloads derived from a plan's stored pairs.csv: filtered CSV, XLSX for Excel, and diffs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import solver
from service.schemas import KindDiff, PairRef, PlanDiff
from solver import (
    PAIR_COLUMNS,
    Kind,
    Pair,
    RosterRow,
    Table,
    format_terms,
    neutralise,
    read_pairs_csv,
    sort_pairs,
)

Cell = str | int | float | None

NUMERIC_COLUMNS = frozenset({"score_distance_km", "score_total"})

# The Chinese headers of the XLSX, in PAIR_COLUMNS order.
XLSX_HEADERS = [
    "轮次",
    "结对类型",
    "支援方代码",
    "支援方名称",
    "受援方代码",
    "受援方名称",
    "受援方所在市代码",
    "距离（公里）",
    "得分合计",
    "得分明细",
    "是否固定",
]
XLSX_WIDTHS = [11, 20, 14, 30, 14, 30, 16, 12, 10, 60, 9]
# Zip entries get this timestamp so the same plan gives the same bytes.
_ZIP_TIME = (2021, 1, 1, 0, 0, 0)


def pairs_of(content: bytes) -> list[Pair]:
    return read_pairs_csv(content)


def pairs_csv_of_kind(content: bytes, kind: Kind | None) -> bytes:
    """The stored pairs.csv, or its rows of one kind.

    The same bytes as solver.plan.pairs_csv_bytes of the pairs of that kind: the stored rows are
    already in that format, so filtering them row by row (with the same CSV dialect) gives those
    bytes without rebuilding thousands of Pair models.
    """
    if kind is None:
        return content
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(next(reader))
    kind_column = PAIR_COLUMNS.index("kind")
    writer.writerows(row for row in reader if row[kind_column] == kind.value)
    return out.getvalue().encode("utf-8-sig")


def deployments_csv_of_year(content: bytes, year: int | None) -> bytes:
    """The stored deployments.csv, or its rows of one year: the bytes RoundPlan.deployments_csv(year)
    gives, since filtering keeps the rows' order and cells and the CSV dialect is the same."""
    if year is None:
        return content
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = next(reader)
    writer.writerow(header)
    year_column = header.index("year")
    writer.writerows(row for row in reader if row[year_column] == str(year))
    return out.getvalue().encode("utf-8-sig")


def pairs_xlsx(pairs: Sequence[Pair], title: str, stamp: datetime) -> bytes:
    """One sheet per kind with Chinese headers; `stamp` fixes the workbook's dates."""
    by_kind: dict[Kind, list[Pair]] = {kind: [] for kind in Kind}
    for pair in sort_pairs(list(pairs)):
        by_kind[pair.kind].append(pair)
    sheets = [
        solver.Sheet(
            kind.chinese,
            XLSX_HEADERS,
            [
                [
                    pair.round,
                    pair.kind.chinese,
                    pair.supporter_id,
                    pair.supporter_name,
                    pair.receiver_id,
                    pair.receiver_name,
                    pair.receiver_city_id,
                    pair.score_distance_km,
                    pair.score_total,
                    format_terms(pair.score_terms),
                    "是" if pair.pinned else "否",
                ]
                for pair in rows
            ],
            XLSX_WIDTHS,
        )
        for kind, rows in by_kind.items()
    ]
    return solver.workbook_bytes(sheets, title, stamp)


def _ref(pair: Pair) -> PairRef:
    return PairRef(
        supporter_id=pair.supporter_id,
        supporter_name=pair.supporter_name,
        receiver_id=pair.receiver_id,
        receiver_name=pair.receiver_name,
    )


def diff_plans(plan_id: int, new: Sequence[Pair], against: int, old: Sequence[Pair]) -> PlanDiff:
    """Pairs kept, added (in `new` only) and removed (in `old` only), per kind; rounds are ignored."""
    kinds: dict[str, KindDiff] = {}
    for kind in Kind:
        new_keys = {p.key: p for p in new if p.kind == kind}
        old_keys = {p.key: p for p in old if p.kind == kind}
        kinds[kind.value] = KindDiff(
            kept=len(new_keys.keys() & old_keys.keys()),
            added=[_ref(new_keys[k]) for k in sorted(new_keys.keys() - old_keys.keys())],
            removed=[_ref(old_keys[k]) for k in sorted(old_keys.keys() - new_keys.keys())],
        )
    return PlanDiff(
        plan_id=plan_id,
        against=against,
        kept=sum(d.kept for d in kinds.values()),
        added=sum(len(d.added) for d in kinds.values()),
        removed=sum(len(d.removed) for d in kinds.values()),
        kinds=kinds,
    )


# --- downloads for Excel users (the web app) ---------------------------------------------

# pairs.csv?header=zh: the Chinese titles, then the city names of both sides as extra columns.
ZH_CITY_HEADERS = ["支援方所在市", "受援方所在市"]
_NUMERIC_PAIR_COLUMNS = {PAIR_COLUMNS.index(c) for c in NUMERIC_COLUMNS}


def pairs_csv_zh(content: bytes, supporter_city: Callable[[str], str], city_name: Callable[[str], str]) -> bytes:
    """A stored pairs.csv (or its rows of one kind) with Chinese titles, kinds in Chinese and the
    supporter's and receiver's city names at the end. Numbers stay numbers (a plan stored before
    numeric cells were left alone has its quote taken off them); text is neutralised."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    next(reader)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(XLSX_HEADERS + ZH_CITY_HEADERS)
    kind_column = PAIR_COLUMNS.index("kind")
    pinned_column = PAIR_COLUMNS.index("pinned")
    supporter_column, city_column = PAIR_COLUMNS.index("supporter_id"), PAIR_COLUMNS.index("receiver_city_id")
    for row in reader:
        cells = [cell.removeprefix("'") if i in _NUMERIC_PAIR_COLUMNS else cell for i, cell in enumerate(row)]
        cells[kind_column] = Kind(cells[kind_column]).chinese
        cells[pinned_column] = "是" if cells[pinned_column] == "true" else "否"
        supporter_id = cells[supporter_column].removeprefix("'")
        cells += [neutralise(supporter_city(supporter_id)), neutralise(city_name(cells[city_column]))]
        writer.writerow(cells)
    return out.getvalue().encode("utf-8-sig")


DIFF_COLUMNS = ["change", "kind", "supporter_id", "supporter_name", "receiver_id", "receiver_name"]
DIFF_HEADERS_ZH = ["变化", "结对类型", "支援方代码", "支援方名称", "受援方代码", "受援方名称"]
CHANGE_NAMES = {"added": "新增", "removed": "撤销"}


def _diff_rows(diff: PlanDiff, zh: bool) -> list[list[str]]:
    rows = []
    for kind_value, kind_diff in diff.kinds.items():
        kind_label = Kind(kind_value).chinese if zh else kind_value
        for change, refs in (("added", kind_diff.added), ("removed", kind_diff.removed)):
            for ref in refs:
                rows.append(
                    [
                        CHANGE_NAMES[change] if zh else change,
                        kind_label,
                        ref.supporter_id,
                        ref.supporter_name,
                        ref.receiver_id,
                        ref.receiver_name,
                    ]
                )
    return rows


def diff_csv(diff: PlanDiff, zh: bool = False) -> bytes:
    """The changed pairs of a diff (added to, removed from plan `against`), UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DIFF_HEADERS_ZH if zh else DIFF_COLUMNS)
    writer.writerows([neutralise(cell) for cell in row] for row in _diff_rows(diff, zh))
    return out.getvalue().encode("utf-8-sig")


def diff_xlsx(diff: PlanDiff, title: str, stamp: datetime) -> bytes:
    rows = [list(row) for row in _diff_rows(diff, zh=True)]
    return solver.workbook_bytes(
        [solver.Sheet("方案对比", DIFF_HEADERS_ZH, rows, [8, 20, 14, 30, 14, 30])], title, stamp
    )


# The deployments.csv columns in Chinese, for the XLSX; numeric columns are written as numbers.
DEPLOYMENT_HEADERS_ZH = {
    "round": "轮次",
    "year": "年度",
    "flow": "类别",
    "from_id": "派出方代码",
    "from_name": "派出方名称",
    "to_id": "接收方代码",
    "to_name": "接收方名称",
    "teams": "团队数",
    "people": "人数",
    "leaders": "学校领导",
    "managers": "中层干部",
    "teachers": "专任教师",
    "activities": "活动次数",
    "days": "天数",
    "hours": "学时",
    "online_hours": "线上学时",
    "yuan": "经费（元）",
    "items": "物品数",
    "from_site_id": "派出学校代码",
    "from_site_name": "派出学校",
    "to_site_id": "接收学校代码",
    "to_site_name": "接收学校",
    "subjects": "学科",
    "rule": "规则",
    "source": "依据",
    "note": "说明",
}
DEPLOYMENT_NUMERIC = {
    "year",
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
}


def _number(cell: str) -> Cell:
    try:
        return int(cell)
    except ValueError:
        try:
            return float(cell)
        except ValueError:
            return cell


def deployments_xlsx(content: bytes, title: str, stamp: datetime, flow_names: Mapping[str, str]) -> bytes:
    """The stored deployments.csv as one sheet with Chinese headers and flows, numbers as numbers."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    header = next(reader)
    numeric = [name in DEPLOYMENT_NUMERIC for name in header]
    flow_column = header.index("flow")

    rows: list[list[Cell]] = []
    for row in reader:
        cells: list[Cell] = [(_number(c) if c and is_number else c) for c, is_number in zip(row, numeric, strict=False)]
        cells[flow_column] = flow_names.get(row[flow_column], row[flow_column])
        rows.append(cells)
    widths = [11 if name in DEPLOYMENT_NUMERIC or name == "round" else 22 for name in header]
    headers = [DEPLOYMENT_HEADERS_ZH.get(name, name) for name in header]
    return solver.workbook_bytes([solver.Sheet("年度安排", headers, rows, widths)], title, stamp)


def city_name(rows: Mapping[Table, Mapping[str, RosterRow]], city_id: str) -> str:
    city = rows[Table.CITIES].get(city_id)
    return city.name if city is not None else ""  # type: ignore[attr-defined]


def city_of_party(rows: Mapping[Table, Mapping[str, RosterRow]], party_id: str) -> str:
    """The city name of any party by id: a city, an area, a university, an institute or a school."""
    for table in (Table.CITIES, Table.AREAS, Table.UNIVERSITIES, Table.INSTITUTES):
        row = rows[table].get(party_id)
        if row is not None:
            return city_name(rows, row.city_id) or ("广东省" if table == Table.INSTITUTES else "")  # type: ignore[attr-defined]
    school = rows[Table.SCHOOLS].get(party_id)
    area = rows[Table.AREAS].get(school.area_id) if school is not None else None  # type: ignore[attr-defined]
    return city_name(rows, area.city_id) if area is not None else ""  # type: ignore[attr-defined]
