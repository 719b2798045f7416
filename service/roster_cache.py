"""Parsed roster tables and rosters, cached by content hash (parsing 25k schools takes a while).

Stored table texts are canonical (written by solver.table_csv), so a hash names one set of rows
for good and the cache never needs invalidating, only bounding. Rows are read back through the
solver's own path (solver.table_rows), so a stored table that no longer passes (after a rules
change) says so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

import solver
from service.crud import rosters as crud

K = TypeVar("K")
V = TypeVar("V")

Rows = dict[str, solver.RosterRow]


class _Lru(Generic[K, V]):
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()  # outside the lock: two threads may both parse once, which is harmless
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


class RosterCache:
    def __init__(self, size: int = 4):
        self._tables: _Lru[str, Rows] = _Lru(size * len(solver.Table))
        self._rosters: _Lru[tuple[str, ...], solver.Roster] = _Lru(size)

    def rows(self, table: solver.Table, sha256: str, text: Callable[[], str]) -> Rows:
        return self._tables.get_or_make(sha256, lambda: solver.table_rows(table, text()))

    def _rows_of(self, table: solver.Table, sha256: str, text: Callable[[solver.Table], str]) -> Rows:
        return self.rows(table, sha256, lambda: text(table))

    def roster(self, shas: Mapping[solver.Table, str], text: Callable[[solver.Table], str]) -> solver.Roster:
        key = tuple(shas[t] for t in solver.Table)

        def make() -> solver.Roster:
            return solver.Roster.model_validate({t.value: self._rows_of(t, shas[t], text) for t in solver.Table})

        return self._rosters.get_or_make(key, make)


def version_shas(session: Session, version: int) -> dict[solver.Table, str]:
    return {table: sha for table, (sha, _) in crud.table_infos(session, version).items()}


def version_rows(session: Session, cache: RosterCache, version: int) -> dict[solver.Table, Rows]:
    shas = version_shas(session, version)
    return {t: cache.rows(t, shas[t], lambda t=t: crud.blob_text(session, shas[t])) for t in solver.Table}  # type: ignore[misc]


def version_roster(session: Session, cache: RosterCache, version: int) -> solver.Roster:
    shas = version_shas(session, version)
    return cache.roster(shas, lambda t: crud.blob_text(session, shas[t]))
