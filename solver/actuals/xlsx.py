"""Workbooks for Excel, the same bytes for the same content: fixed zip times and document dates,
text cells kept text (a cell starting with '=' is a string, never a formula)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

_ZIP_TIME = (2021, 1, 1, 0, 0, 0)
_DOC_TIME = datetime(2021, 1, 1)

Cell = str | int | float | None


class Sheet:
    def __init__(self, title: str, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[int] = ()):
        self.title, self.header, self.rows, self.widths = title, list(header), rows, list(widths)


class _FixedTimeZip(zipfile.ZipFile):
    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = self.compression
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        # openpyxl writes worksheets from temporary files, which would carry their mtime.
        with open(filename, "rb") as handle:
            self.writestr(arcname or filename, handle.read(), compress_type, compresslevel)


def workbook_bytes(sheets: Sequence[Sheet], title: str, stamp: datetime | None = None) -> bytes:
    """The sheets as one workbook; `stamp` is its document date (default a fixed one)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        sheet.append(spec.header)
        for row in spec.rows:
            sheet.append(list(row))
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
    workbook.properties.creator = "gd-pairing"
    workbook.properties.title = title
    when = _DOC_TIME if stamp is None else stamp.replace(tzinfo=None, microsecond=0)
    workbook.properties.created = when
    workbook.properties.modified = when
    out = io.BytesIO()
    with _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return out.getvalue()
