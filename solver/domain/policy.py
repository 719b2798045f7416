"""Structural facts fixed by the policy text itself (粤府〔2021〕55号, annex 2), with their clauses."""

from __future__ import annotations

from enum import StrEnum


class Round(StrEnum):
    """'结对帮扶工作期限为2021—2035年，分三轮实施' (annex 2, clause 2)."""

    R2021 = "2021-2025"
    R2026 = "2026-2030"
    R2031 = "2031-2035"

    @property
    def years(self) -> list[int]:
        first, last = (int(part) for part in self.value.split("-"))
        return list(range(first, last + 1))


ROUNDS: tuple[str, ...] = tuple(r.value for r in Round)

PRD_RECEIVING_COUNTIES: dict[str, int] = {"441200": 4, "440700": 3, "441300": 3}
"""The underdeveloped counties of three PRD cities that receive: 肇庆 4, 江门 3, 惠州 3
('与粤东粤西粤北84县（含肇庆4个县、江门3个县、惠州3个县）结对', clause 7)."""


def round_years(round_id: str) -> list[int]:
    """The five years of a round written '2021-2025'."""
    if round_id not in ROUNDS:
        raise ValueError(f"unknown round {round_id!r}: expected one of {', '.join(ROUNDS)}")
    return Round(round_id).years
