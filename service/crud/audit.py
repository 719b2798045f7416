"""The audit trail: who changed what, when, with which token. Entries are added in the session of
the change itself, so a change and its audit rows commit (or roll back) together."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from service.models import AuditEvent, utcnow


class Actor(Protocol):
    """Who acts: the caller's token (service.api.deps.Principal), or the command line."""

    @property
    def token_id(self) -> int | None: ...

    @property
    def name(self) -> str: ...

    @property
    def city_id(self) -> str | None: ...


@dataclass(frozen=True)
class Entry:
    action: str
    table_name: str | None = None
    row_id: str | None = None
    detail: dict[str, Any] | None = None


CHUNK = 2000


def add(session: Session, actor: Actor, entries: Iterable[Entry], roster_version: int | None = None) -> int:
    """Insert the entries, a chunk per statement (an upload may change thousands of rows); how many."""
    at = utcnow()
    values = (
        {
            "at": at,
            "token_id": actor.token_id,
            "token_name": actor.name,
            "token_city_id": actor.city_id,
            "action": e.action,
            "table_name": e.table_name,
            "row_id": e.row_id,
            "roster_version": roster_version,
            "detail": e.detail or {},
        }
        for e in entries
    )
    count = 0
    while chunk := list(itertools.islice(values, CHUNK)):
        session.execute(insert(AuditEvent), chunk)
        count += len(chunk)
    return count


def search(
    session: Session,
    *,
    table: str | None,
    row_id: str | None,
    action: str | None,
    token_id: int | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> Sequence[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    if table is not None:
        query = query.where(AuditEvent.table_name == table)
    if row_id is not None:
        query = query.where(AuditEvent.row_id == row_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if token_id is not None:
        query = query.where(AuditEvent.token_id == token_id)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return session.scalars(query).all()


def row_entries(
    before: Mapping[Any, Mapping[str, Any]], after: Mapping[Any, Mapping[str, Any]], tables: Iterable[Any]
) -> Iterator[Entry]:
    """One entry per row added, removed or updated in `tables` (roster tables, rows by id); an
    update names each changed field with its old and new value."""
    for table in tables:
        old, new = before.get(table, {}), after.get(table, {})
        name = str(getattr(table, "value", table))
        for row_id in sorted(set(old) | set(new)):
            was, now = old.get(row_id), new.get(row_id)
            if was == now:
                continue
            if was is None:
                yield Entry("roster.add", name, row_id)
            elif now is None:
                yield Entry("roster.remove", name, row_id)
            else:
                a, b = was.model_dump(mode="json"), now.model_dump(mode="json")
                fields = {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
                yield Entry("roster.update", name, row_id, {"fields": fields})
