"""R37 and R38: the cost table against the deployments, and the provincial fund's allocation."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from solver.check.common import Violation, violation
from solver.check.deployments.facts import Facts, Table
from solver.check.deployments.table import Row
from solver.domain.costs import COST_PAYER, COST_TERMS, rate_of
from solver.domain.flows import Payer
from solver.domain.ids import PROVINCE_ID
from solver.roster.annex import Purpose
from solver.rules.params import R37, R38

R37_CLAUSE = "R37, annex 2, clauses 21 and 33"
R38_CLAUSE = "R38, annex 2, clause 22"


def _payer(facts: Facts, row: Row, side: Payer) -> str:
    """Who pays for the row, `side` being who pays for its flow."""
    if side == Payer.PROVINCE:
        return PROVINCE_ID
    if side == Payer.HOST:
        return row.to_id
    if side == Payer.SUPPORTER:
        return row.to_id if row.from_id in facts.county_set or row.from_id in facts.cities else row.from_id
    return row.from_id


def check_r37_costs(facts: Facts, table: Table) -> list[Violation]:
    """R37: costs.csv charges every payer, year and flow exactly the flow's rows costed at R37's rates
    (people × days × a day's rate, …), to the party that does the work; nothing else.

    Only checked when a cost table is given (Facts.costs)."""
    if facts.costs is None:
        return []
    rates = facts.rules.of(R37)
    want: dict[tuple[str, int, str], int] = defaultdict(int)
    for flow, terms in COST_TERMS.items():
        priced = [(rate_of(rates, rate), columns) for rate, columns in terms]
        side = COST_PAYER.get(flow, Payer.SENDER)
        for row in table.whole_round(flow.value):  # what recorded years delivered cost too
            amount = 0
            for term, columns in priced:
                for column in columns:
                    term *= row.n(column)
                amount += term
            want[(_payer(facts, row, side), row.year, flow.value)] += amount
    found = []
    got: dict[tuple[str, int, str], int] = defaultdict(int)
    for line, record in enumerate(facts.costs, start=2):
        year_cell, amount_cell = (record.get("year") or "").strip(), (record.get("amount") or "").strip()
        if not year_cell.isdigit() or not amount_cell.isdigit():
            found.append(
                violation("R37", f"Row {line} of the cost table has a year or amount that is not a whole number.")
            )
            continue
        key = ((record.get("party_id") or "").strip(), int(year_cell), (record.get("purpose") or "").strip())
        got[key] += int(amount_cell)
    for key in sorted(set(want) | set(got)):
        party, year, flow_name = key
        if want.get(key, 0) != got.get(key, 0):
            found.append(
                violation(
                    "R37",
                    f"{year}: the cost table charges {facts.label(party)} {got.get(key, 0):,} yuan for {flow_name}; its "
                    f"rows of deployments.csv at R37's rates cost {want.get(key, 0):,} ({R37_CLAUSE}).",
                    party,
                )
            )
    return found


def _allocation(total: int, weights: dict[str, Fraction]) -> dict[str, int]:
    whole = sum(weights.values())
    if total <= 0 or whole <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / whole for k, w in weights.items()}
    floors = {k: int(v) for k, v in exact.items()}
    order = sorted(exact, key=lambda k: (floors[k] - exact[k], k))
    for k in order[: total - sum(floors.values())]:
        floors[k] += 1
    return floors


def check_r38_provincial_fund(facts: Facts, table: Table) -> list[Violation]:
    """R38: each year the province's provincial_fund budget goes, to the yuan, to the receiving
    counties in proportion to their teachers, `assessment_share` of it times the county's score ÷ 100
    when the plan was made with an assessment (a county without a score takes the mean score)."""
    rows = table.of("provincial_fund")
    found = [
        violation(
            "R38",
            f"{r.year}: provincial fund {facts.label(r.from_id)} → {facts.label(r.to_id)} is not the province's to a "
            f"receiving county ({R38_CLAUSE}).",
            r.from_id,
            r.to_id,
        )
        for r in rows
        if r.from_id != PROVINCE_ID or r.to_id not in facts.county_set
    ]
    weights = {c: Fraction(facts.roster.areas[c].teachers) for c in facts.counties}
    if facts.assessment:
        share = Fraction(str(facts.rules.of(R38).assessment_share))
        scores = {c: Fraction(str(s)) for c, s in facts.assessment.items()}
        mean = sum(scores.values(), Fraction(0)) / len(scores)
        weights = {c: w * (1 - share + share * scores.get(c, mean) / 100) for c, w in weights.items()}
    given: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        given[(row.year, row.to_id)] += row.n("yuan")
    for year in facts.years:
        fund = sum(
            b.amount
            for b in facts.roster.budgets.values()
            if b.party_id == PROVINCE_ID and b.purpose == Purpose.PROVINCIAL_FUND and b.year == year
        )
        for county, amount in sorted(_allocation(fund, weights).items()):
            got = given.get((year, county), 0)
            if got != amount:
                found.append(
                    violation(
                        "R38",
                        f"{year}: {facts.label(county)} gets {got:,} yuan of the provincial fund of {fund:,}; its share "
                        f"by need{' and assessment' if facts.assessment else ''} is {amount:,} ({R38_CLAUSE}).",
                        county,
                    )
                )
    return found
