"""Roster versions in the database: tables stored once per content hash, versions never changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from service.core.db import write_session
from service.crud import audit
from service.models import RosterVersion, RosterVersionTable, TableBlob
from solver import Table


class StaleVersion(Exception):
    """Another change was accepted first: the caller's version is no longer current."""

    def __init__(self, current: int | None):
        super().__init__(f"current version is {current}")
        self.current = current


@dataclass(frozen=True)
class NewTable:
    table: Table
    sha256: str
    rows: int
    text: str


def new_table(table: Table, text: str, rows: int) -> NewTable:
    return NewTable(table, hashlib.sha256(text.encode("utf-8")).hexdigest(), rows, text)


def latest_version(session: Session) -> RosterVersion | None:
    return session.scalars(select(RosterVersion).order_by(RosterVersion.version.desc()).limit(1)).first()


def latest_number(session: Session) -> int | None:
    return session.scalar(select(func.max(RosterVersion.version)))


def get_version(session: Session, version: int) -> RosterVersion | None:
    return session.get(RosterVersion, version)


def list_versions(session: Session, limit: int, offset: int) -> Sequence[RosterVersion]:
    return session.scalars(
        select(RosterVersion).order_by(RosterVersion.version.desc()).limit(limit).offset(offset)
    ).all()


def table_infos(session: Session, version: int) -> dict[Table, tuple[str, int]]:
    """sha256 and row count of each table of a version."""
    rows = session.execute(
        select(RosterVersionTable.table_name, TableBlob.sha256, TableBlob.rows)
        .join(TableBlob, TableBlob.sha256 == RosterVersionTable.sha256)
        .where(RosterVersionTable.version == version)
    ).all()
    return {Table(name): (sha, count) for name, sha, count in rows}


def blob_text(session: Session, sha256: str) -> str:
    text = session.scalar(select(TableBlob.content).where(TableBlob.sha256 == sha256))
    if text is None:
        raise LookupError(f"table content {sha256} is missing from the database")
    return text


def create_version(
    factory: sessionmaker[Session],
    expected: int | None,
    shas: Mapping[Table, str],
    blobs: Sequence[NewTable],
    *,
    created_by: str,
    source: str,
    message: str,
    changes: list[Any],
    diff: dict[str, Any],
    counts: dict[str, int],
    actor: audit.Actor | None = None,
    entries: Iterable[audit.Entry] = (),
) -> RosterVersion:
    """Store the next version after `expected` (None: the first), with its audit entries in the
    same transaction; StaleVersion if the number is taken."""
    number = 1 if expected is None else expected + 1
    try:
        with write_session(factory) as session:
            current = latest_number(session)
            if current != expected:
                raise StaleVersion(current)
            _insert_blobs(session, blobs)
            version = RosterVersion(
                version=number,
                created_by=created_by,
                source=source,
                message=message,
                changes=changes,
                diff=diff,
                counts=counts,
            )
            session.add(version)
            # Flushing the version row first makes a concurrent writer of the same number fail here.
            session.flush()
            session.add_all(RosterVersionTable(version=number, table_name=t.value, sha256=shas[t]) for t in Table)
            if actor is not None:
                session.flush()
                audit.add(session, actor, entries, roster_version=number)
    except IntegrityError as exc:
        with factory() as session:
            current = latest_number(session)
        if current == expected:
            raise  # not a lost race: some other constraint failed
        raise StaleVersion(current) from exc
    return version


def _insert_blobs(session: Session, blobs: Sequence[NewTable]) -> None:
    if not blobs:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for blob in blobs:
        # One statement per table: schools.csv alone is megabytes.
        session.execute(
            insert(TableBlob)
            .values(sha256=blob.sha256, table_name=blob.table.value, rows=blob.rows, content=blob.text)
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
