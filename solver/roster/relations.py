"""What parties already share and what receivers ask for: ties.csv and requests.csv.

A tie is existing cooperation between a supporter and a receiver (an earlier 对口帮扶 round's city
pair, a university's agreement with a city or county, a county pair): '根据…现有合作基础' (annex 2,
clause 8). A request is what a receiving city or county asks of the yearly work: '各项资源支援应以受援方
的需求、意见为主' (annex 2, clause 13). Both tables are optional: a roster without them has none.
Rows are found by their key columns joined by '/' (solver.roster.row).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import field_validator, model_validator

from solver.domain.kinds import Kind
from solver.domain.subjects import SUBJECTS
from solver.roster.fields import Amount, Note, OptionalId, OptionalRoundYear, Text, TieStrength, Year
from solver.roster.row import RosterRow


class Tie(RosterRow):
    id_field: ClassVar[str] = "supporter_id"
    key_fields: ClassVar[tuple[str, ...]] = ("kind", "supporter_id", "receiver_id")

    supporter_id: Text
    receiver_id: Text
    kind: Kind
    strength: TieStrength  # 3 a formal pairing or signed agreement, 2 documented cooperation, 1 a weaker link
    since: Year
    source: Text


class Wish(StrEnum):
    """The yearly flows a receiver may ask more of (solver.domain.flows)."""

    TEACHING_TEAM = "teaching_team"
    BACKBONE_SHADOW = "backbone_shadow"
    LEADER_SHADOW = "leader_shadow"
    MANAGER_SHADOW = "manager_shadow"


class Request(RosterRow):
    id_field: ClassVar[str] = "receiver_id"
    key_fields: ClassVar[tuple[str, ...]] = ("receiver_id", "year", "what", "subject")

    receiver_id: Text
    year: OptionalRoundYear = None  # empty: every year of the round
    what: Wish
    amount: Amount  # teams for teaching_team, people otherwise, a year
    subject: OptionalId = ""  # teaching teams may carry a subject when the receiver asks for one
    prefer_supporter_id: OptionalId = ""
    avoid_supporter_id: OptionalId = ""
    note: Note = ""

    @field_validator("subject")
    @classmethod
    def _known_subject(cls, value: str) -> str:
        if value and value not in SUBJECTS:
            raise ValueError(f"unknown subject {value!r}: one of {'、'.join(SUBJECTS)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Request:
        if self.subject and self.what != Wish.TEACHING_TEAM:
            raise ValueError("only teaching teams carry a subject")
        if self.prefer_supporter_id and self.prefer_supporter_id == self.avoid_supporter_id:
            raise ValueError(f"{self.prefer_supporter_id} is both preferred and avoided")
        return self
