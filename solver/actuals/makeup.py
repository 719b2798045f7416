"""Making up, in rows, what recorded years owe of the quotas that need no capacity.

Trainings, education groups, institute visits, lecture tours and degrees are floors of a year or
of the round (at least so many) that follow from the roster, not from a supporter's room: what a
recorded year's row fell short of is added to the same row of the first year left (the same
parties, sites and subjects), or is a row of its own there when that year has none (an education
group is formed in a round's first year). Teams, backbone teachers and leaders are made up by the
allocation under capacity instead (solver.deployment.carry); the other flows follow from those
(shadows, budgets) or are not floors, and what they owe is reported.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from solver.actuals.assess import unit_of
from solver.actuals.table import Actual, PlanRows, RowKey, row_key, whole
from solver.domain.flows import NUMBER_COLUMNS, Flow, FlowRow

MADE_UP_IN_ROWS = frozenset(
    {
        "principal_programme",
        "reserve_principal_programme",
        "backbone_training",
        "full_training",
        "it_training",
        "education_group",
        "institute_visit",
        "famous_teacher_tour",
        "principal_training",
        "principal_degree",
        "teacher_degree",
    }
)

FOLLOWING = frozenset({"shadow", "budget"})
"""Flows that follow others (a team's 1:1 shadows, R08; a supporter's budget, R20): made up with them."""


def _key(row: FlowRow) -> RowKey:
    return (
        str(row.year),
        row.flow.value,
        row.from_id,
        row.to_id,
        row.from_site_id,
        row.to_site_id,
        ";".join(row.subjects),
    )


def owed_rows(
    planned: PlanRows, actuals: Sequence[Actual], years: Iterable[int]
) -> dict[RowKey, tuple[Mapping[str, str], str, int]]:
    """Per planned row of a flow made up in rows (keyed without its year): (the row, its unit, owed)."""
    chosen, got = set(years), {row_key(a.planned): a for a in actuals}
    owed: dict[RowKey, tuple[Mapping[str, str], str, int]] = {}
    totals: dict[RowKey, int] = defaultdict(int)
    for key, row in planned.items():
        if row.get("flow") not in MADE_UP_IN_ROWS or int(row["year"]) not in chosen:
            continue
        unit = unit_of(row)
        actual = got.get(key)
        totals[key[1:]] += (whole(row.get(unit)) or 0) - (actual.delivered.get(unit, 0) if actual else 0)
        owed[key[1:]] = (row, unit, 0)
    return {k: (row, unit, totals[k]) for k, (row, unit, _) in sorted(owed.items()) if totals[k] > 0}


def made_up(
    rows: Sequence[FlowRow], owed: Mapping[RowKey, tuple[Mapping[str, str], str, int]], year: int
) -> list[FlowRow]:
    """`rows` (the years left) with what is owed added to `year`'s rows, or as rows of their own."""
    out = list(rows)
    where = {_key(r): i for i, r in enumerate(out)}
    for key, (row, unit, amount) in owed.items():
        note = f"with {amount} {unit} owed by earlier years (actuals)"
        index = where.get((str(year), *key))
        if index is not None:
            found = out[index]
            figure = (getattr(found, unit) or 0) + amount
            changes: dict[str, Any] = {unit: figure, "note": f"{found.note}; {note}".strip("; ")}
            out[index] = dataclasses.replace(found, **changes)
            continue
        figures: dict[str, Any] = {c: whole(row.get(c)) for c in NUMBER_COLUMNS}
        figures[unit] = amount
        out.append(
            FlowRow(
                row["round"],
                year,
                Flow(row["flow"]),
                row.get("from_id", ""),
                row.get("from_name", ""),
                row.get("to_id", ""),
                row.get("to_name", ""),
                teams=figures.pop("teams") or 0,
                people=figures.pop("people") or 0,
                **figures,
                from_site_id=row.get("from_site_id", ""),
                from_site_name=row.get("from_site_name", ""),
                to_site_id=row.get("to_site_id", ""),
                to_site_name=row.get("to_site_name", ""),
                subjects=tuple(s for s in (row.get("subjects") or "").split(";") if s),
                rule=row.get("rule", ""),
                note=f"made up: {amount} {unit} owed by earlier years (actuals)",
            )
        )
    return out
