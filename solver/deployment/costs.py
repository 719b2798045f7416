"""What the plan costs each payer (R37), the provincial fund's allocation (R38), and who is over budget.

Costs are sums of rows: every deployment row is costed with R37's rates (solver.domain.costs)
and charged to the party that does the work; costs.csv has one row per payer, year and flow,
and a payer's cost of a year is the sum of its rows. A payer with rows in budgets.csv is
compared year by year with what it set aside (purpose `support`; the province's own programmes
against `provincial_programmes`); a payer without any budget row is not compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from fractions import Fraction

from solver.domain.costs import COST_PAYER, COST_TERMS, Assessment, CostRow, rate_of
from solver.domain.flows import Flow, FlowRow, Payer
from solver.domain.ids import PROVINCE_ID, PROVINCE_NAME
from solver.domain.report import OverBudget
from solver.roster.annex import Purpose
from solver.roster.models import Roster
from solver.rules.params import R37, R38
from solver.rules.ruleset import RuleSet


def _name(roster: Roster, party: str) -> str:
    if party == PROVINCE_ID:
        return PROVINCE_NAME
    try:
        return roster.name_of(party)
    except KeyError:
        return ""


def payer_of(row: FlowRow, receivers: set[str]) -> str:
    side = COST_PAYER.get(row.flow, Payer.SENDER)
    if side == Payer.PROVINCE:
        return PROVINCE_ID
    if side == Payer.HOST:
        return row.to_id
    if side == Payer.SUPPORTER:
        return row.to_id if row.from_id in receivers else row.from_id
    return row.from_id


def row_cost(row: FlowRow, terms: Sequence[tuple[int, Sequence[str]]]) -> int:
    """The row at its flow's rates: each term a rate (yuan) times the row's figures in its columns."""
    total = 0
    for amount, columns in terms:
        for column in columns:
            amount *= getattr(row, column) or 0
        total += amount
    return total


def cost_rows(roster: Roster, rules: RuleSet, rows: Iterable[FlowRow]) -> list[CostRow]:
    """One row per payer, year and flow: the sum of that flow's rows costed at R37's rates."""
    rates = rules.of(R37)
    receivers = {a.area_id for a in roster.receivers()} | {c.city_id for c in roster.receiving_cities()}
    totals: dict[tuple[str, int, Flow], int] = defaultdict(int)
    counted: dict[tuple[str, int, Flow], int] = defaultdict(int)
    priced = {flow: [(rate_of(rates, r), c) for r, c in terms] for flow, terms in COST_TERMS.items()}
    for row in rows:
        terms = priced.get(row.flow)
        if terms is not None:
            key = (payer_of(row, receivers), row.year, row.flow)
            totals[key] += row_cost(row, terms)
            counted[key] += 1
    said = {flow: " + ".join(f"{rate:,} yuan × {' × '.join(c)}" for rate, c in terms) for flow, terms in priced.items()}
    found = []
    for (payer, year, flow), amount in sorted(totals.items()):
        found.append(
            CostRow(
                party_id=payer,
                year=year,
                purpose=flow.value,
                amount=amount,
                party_name=_name(roster, payer),
                source=f"R37: {said[flow]}, over {counted[(payer, year, flow)]} row(s) of deployments.csv",
            )
        )
    return found


def budget_of(roster: Roster) -> dict[tuple[str, int], int]:
    """What each party set aside a year for its own work (the provincial fund is not the province's own)."""
    found: dict[tuple[str, int], int] = defaultdict(int)
    for row in roster.budgets.values():
        if row.purpose != Purpose.PROVINCIAL_FUND:
            found[(row.party_id, row.year)] += row.amount
    return dict(found)


def over_budget(roster: Roster, costs: Sequence[CostRow], years: Sequence[int]) -> list[OverBudget]:
    """Every payer and year whose cost exceeds its budget, largest excess first."""
    budgets = budget_of(roster)
    budgeted = {party for party, _ in budgets}
    spent: dict[tuple[str, int], int] = defaultdict(int)
    for row in costs:
        spent[(row.party_id, row.year)] += row.amount
    found = []
    for (party, year), cost in spent.items():
        budget = budgets.get((party, year), 0)
        if party in budgeted and year in years and cost > budget:
            found.append(
                OverBudget(
                    party_id=party, name=_name(roster, party), year=year, cost=cost, budget=budget, over=cost - budget
                )
            )
    return sorted(found, key=lambda o: (-o.over, o.party_id, o.year))


def allocate(total: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """`total` yuan in proportion to the weights, in whole yuan: floors, then the largest remainders
    (ties by id); everything goes to someone, so the allocations add up to the total."""
    whole = sum(weights.values())
    if total <= 0 or not weights or whole <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / whole for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    left = total - sum(shares.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - shares[k]), k))[:left]:
        shares[k] += 1
    return shares


def fund_weights(roster: Roster, rules: RuleSet, assessment: Assessment | None) -> dict[str, Fraction]:
    """R38: a county's weight is its teachers (need), part of it times its score ÷ 100 when assessed.

    A county the assessment does not score takes the mean of the scores it gives.
    """
    counties = sorted(a.area_id for a in roster.receivers())
    need = {c: Fraction(roster.areas[c].teachers) for c in counties}
    if not assessment:
        return need
    share = Fraction(str(rules.of(R38).assessment_share))
    scores = {c: Fraction(str(s)) for c, s in assessment.items()}
    mean = sum(scores.values(), Fraction(0)) / len(scores)
    return {c: need[c] * ((1 - share) + share * scores.get(c, mean) / 100) for c in counties}


def fund_rows(roster: Roster, rules: RuleSet, round_id: str, year: int, assessment: Assessment | None) -> list[FlowRow]:
    """R38: the province's fund of the year (budgets.csv, provincial_fund) to the receiving counties."""
    total = sum(b.amount for b in roster.budgets.values() if b.purpose == Purpose.PROVINCIAL_FUND and b.year == year)
    if total <= 0:
        return []
    how = "by need (teachers) and the latest assessment" if assessment else "by need (teachers); no assessment given"
    return [
        FlowRow(
            round_id,
            year,
            Flow.PROVINCIAL_FUND,
            PROVINCE_ID,
            PROVINCE_NAME,
            county,
            roster.name_of(county),
            yuan=amount,
            source=f"R38: {how}",
            note="provincial fund for the county's pairing work, teachers' full training first",
        )
        for county, amount in sorted(allocate(total, fund_weights(roster, rules, assessment)).items())
        if amount > 0
    ]
