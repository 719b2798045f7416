"""Structural facts fixed by the policy text itself (粤府〔2021〕55号, annex 2), with their clauses."""

from __future__ import annotations

ROUNDS = ("2021-2025", "2026-2030", "2031-2035")
"""'结对帮扶工作期限为2021—2035年，分三轮实施' (annex 2, clause 2)."""

RECEIVING_COUNTIES_TOTAL = 84
"""'与粤东粤西粤北84县（含肇庆4个县、江门3个县、惠州3个县）结对，建立84对县级结对帮扶关系' (clause 7)."""

PRD_RECEIVING_COUNTIES: dict[str, int] = {"441200": 4, "440700": 3, "441300": 3}
"""The underdeveloped counties of three PRD cities that receive: 肇庆 4, 江门 3, 惠州 3 (clause 7)."""

RECEIVING_CITIES_TOTAL = 15
"""'根据师范类院校与粤东粤西粤北15市现有合作基础，建立15对' (clause 8)."""

NON_NORMAL_UNIVERSITIES_TOTAL = 140
"""'全省140所非师范类院校与粤东粤西粤北15市84县结对，建立140对' (clause 9)."""


def round_years(round_id: str) -> list[int]:
    """The five years of a round written '2021-2025'."""
    if round_id not in ROUNDS:
        raise ValueError(f"unknown round {round_id!r}: expected one of {', '.join(ROUNDS)}")
    first, last = (int(part) for part in round_id.split("-"))
    return list(range(first, last + 1))
