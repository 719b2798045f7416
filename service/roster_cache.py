"""Parsed roster tables and rosters, cached by content hash (parsing 25k schools takes a while).

Stored table texts are canonical (written by solver.roster_io.table_csv), so a hash names one
set of rows for good and the cache never needs invalidating, only bounding.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from service.crud import rosters as crud
from solver.domain.problems import RosterError
from solver.roster.models import Roster, RosterRow, Table
from solver.roster.io import parse_table

K = TypeVar("K")
V = TypeVar("V")

Rows = dict[str, RosterRow]


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
        self._tables: _Lru[str, Rows] = _Lru(size * len(Table))
        self._rosters: _Lru[tuple[str, ...], Roster] = _Lru(size)

    def rows(self, table: Table, sha256: str, text: Callable[[], str]) -> Rows:
        return self._tables.get_or_make(sha256, lambda: parse_rows(table, text()))

    def roster(self, shas: Mapping[Table, str], text: Callable[[Table], str]) -> Roster:
        key = tuple(shas[t] for t in Table)

        def make() -> Roster:
            return Roster.model_validate({t.value: self.rows(t, shas[t], lambda t=t: text(t)) for t in Table})

        return self._rosters.get_or_make(key, make)


def parse_rows(table: Table, text: str) -> Rows:
    parsed = parse_table(table, text)
    if parsed.problems:
        # Stored tables were validated when accepted; this means the rules changed since.
        raise RosterError(parsed.problems)
    return parsed.rows


def version_shas(session: Session, version: int) -> dict[Table, str]:
    return {table: sha for table, (sha, _) in crud.table_infos(session, version).items()}


def version_rows(session: Session, cache: RosterCache, version: int) -> dict[Table, Rows]:
    shas = version_shas(session, version)
    return {t: cache.rows(t, shas[t], lambda t=t: crud.blob_text(session, shas[t])) for t in Table}


def version_roster(session: Session, cache: RosterCache, version: int) -> Roster:
    shas = version_shas(session, version)
    return cache.roster(shas, lambda t: crud.blob_text(session, shas[t]))
