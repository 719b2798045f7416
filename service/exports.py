"""Downloads derived from a plan's stored pairs.csv: filtered CSV, XLSX for Excel, and diffs."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from service.schemas import KindDiff, PairRef, PlanDiff
from solver import PAIR_COLUMNS, Kind, Pair, format_terms, read_pairs_csv, sort_pairs

# The Chinese headers of the XLSX, in PAIR_COLUMNS order.
XLSX_HEADERS = ["轮次", "结对类型", "支援方代码", "支援方名称", "受援方代码", "受援方名称", "受援方所在市代码",
                "距离（公里）", "得分合计", "得分明细", "是否固定"]
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


class _FixedTimeZip(zipfile.ZipFile):
    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl writes worksheets from temporary files, which would carry their mtime.
        with open(filename, "rb") as handle:
            self.writestr(arcname or filename, handle.read(), compress_type, compresslevel)


def pairs_xlsx(pairs: Sequence[Pair], title: str, stamp: datetime) -> bytes:
    """One sheet per kind with Chinese headers; `stamp` fixes the workbook's dates."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    by_kind: dict[Kind, list[Pair]] = {kind: [] for kind in Kind}
    for pair in sort_pairs(list(pairs)):
        by_kind[pair.kind].append(pair)
    for kind, rows in by_kind.items():
        sheet = workbook.create_sheet(kind.chinese)
        sheet.append(XLSX_HEADERS)
        for pair in rows:
            sheet.append([pair.round, pair.kind.chinese, pair.supporter_id, pair.supporter_name,
                          pair.receiver_id, pair.receiver_name, pair.receiver_city_id,
                          pair.score_distance_km, pair.score_total, format_terms(pair.score_terms),
                          "是" if pair.pinned else "否"])
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    # Text stays text: a name beginning with '=' must not become a formula.
                    cell.data_type = "s"
        for index, width in enumerate(XLSX_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
    naive = stamp.replace(tzinfo=None, microsecond=0)
    workbook.properties.creator = "gd-pairing"
    workbook.properties.title = title
    workbook.properties.created = naive
    workbook.properties.modified = naive
    out = io.BytesIO()
    with _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return out.getvalue()


def _ref(pair: Pair) -> PairRef:
    return PairRef(supporter_id=pair.supporter_id, supporter_name=pair.supporter_name,
                   receiver_id=pair.receiver_id, receiver_name=pair.receiver_name)


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
    return PlanDiff(plan_id=plan_id, against=against,
                    kept=sum(d.kept for d in kinds.values()),
                    added=sum(len(d.added) for d in kinds.values()),
                    removed=sum(len(d.removed) for d in kinds.values()), kinds=kinds)
