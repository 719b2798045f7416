"""Roster table downloads, formula-safe whatever the stored text: each table is rendered again
from its parsed rows by solver.table_csv (numbers as numbers, text a spreadsheet would read as a
formula prefixed with `'`), so a table stored before that guard existed is served safe too. The
bytes are cached by the table's content hash (a hash names one set of rows for good)."""

from __future__ import annotations

from sqlalchemy.orm import Session

import solver
from service.crud import rosters as crud
from service.roster_cache import RosterCache, _Lru

# About 3 MB per schools table; a handful of versions' tables at once.
_DOWNLOADS: _Lru[str, bytes] = _Lru(16)


def table_download(session: Session, cache: RosterCache, table: solver.Table, sha256: str) -> bytes:
    def render() -> bytes:
        rows = cache.rows(table, sha256, lambda: crud.blob_text(session, sha256))
        return solver.table_csv(table, rows.values()).encode("utf-8-sig")

    return _DOWNLOADS.get_or_make(f"{table.value}:{sha256}", render)
