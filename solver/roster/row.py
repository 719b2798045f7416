"""The base of every roster row: its id (one column, or several for tables keyed by more than one)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

KEY_SEPARATOR = "/"


class RosterRow(BaseModel):
    """Common behaviour of a row of one roster table.

    A row is found by its id: the value of `id_field`, or for a table keyed by several columns
    (`key_fields`) their values joined by '/', e.g. a tie `city_city/440100/441800`.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)
    id_field: ClassVar[str]
    key_fields: ClassVar[tuple[str, ...]] = ()
    id_pattern: ClassVar[re.Pattern[str] | None] = None
    id_format: ClassVar[str] = ""

    @classmethod
    def key_names(cls) -> tuple[str, ...]:
        return cls.key_fields or (cls.id_field,)

    @classmethod
    def id_of(cls, values: Mapping[str, object]) -> str:
        """The id a row with these cells would have (for rows that fail their own checks too)."""
        return KEY_SEPARATOR.join("" if values.get(k) is None else str(values.get(k)) for k in cls.key_names())

    @property
    def id(self) -> str:
        if not self.key_fields:  # the common case, on every row of a 200,000-school roster
            value = getattr(self, self.id_field)
            return "" if value is None else str(value)
        return type(self).id_of({k: getattr(self, k) for k in self.key_names()})

    @model_validator(mode="after")
    def _id_well_formed(self) -> RosterRow:
        if self.id_pattern is not None and not self.id_pattern.match(self.id):
            raise ValueError(f"malformed id {self.id!r}: expected {self.id_format}")
        return self
