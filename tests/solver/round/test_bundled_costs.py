"""The bundled round's costs (R37) against the bundled roster's illustrative budgets: the report names
the payers over budget, and every total adds up from the rows of costs.csv and budgets.csv."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from solver import RoundPlan, budget_lines
from tests.conftest import BUNDLED


def _cost_rows(planned: RoundPlan) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(planned.costs_csv().decode("utf-8-sig"))))


def test_the_report_names_who_is_over_budget_and_the_totals_add_up(bundled_round, bundled_roster):
    summary = bundled_round.report.deployments
    assert summary is not None and bundled_round.passes_checker
    rows = _cost_rows(bundled_round)
    spent: dict[tuple[str, int], int] = defaultdict(int)
    for row in rows:
        spent[(row["party_id"], int(row["year"]))] += int(row["amount"])
    for year, total in summary.cost_yuan_by_year.items():
        assert total == sum(v for (_, y), v in spent.items() if y == int(year))
    budgets: dict[tuple[str, int], int] = defaultdict(int)
    for row in csv.DictReader(io.StringIO((BUNDLED / "budgets.csv").read_text(encoding="utf-8-sig"))):
        if row["purpose"] != "provincial_fund":
            budgets[(row["party_id"], int(row["year"]))] += int(row["amount"])
    over = {(o.party_id, o.year): o for o in summary.over_budget}
    assert over, "the illustrative budgets leave some supporters short"
    for (party, year), o in over.items():
        assert (o.cost, o.budget, o.over) == (spent[(party, year)], budgets[(party, year)], o.cost - o.budget)
    for (party, year), budget in budgets.items():
        assert ((party, year) in over) == (spent.get((party, year), 0) > budget)
    assert {"440100", "440300"} <= {o.party_id for o in summary.over_budget}  # 广州 and 深圳 spend beyond 6,000 万
    assert "440000" not in {o.party_id for o in summary.over_budget}  # the province's programmes fit
    printed = "\n".join(budget_lines(summary))
    assert "over budget" in printed and "广州市（440100）" in printed


def test_the_provincial_fund_is_spent_to_the_yuan(bundled_round, bundled_roster):
    fund = defaultdict(int)
    for row in csv.DictReader(io.StringIO(bundled_round.deployments_csv().decode("utf-8-sig"))):
        if row["flow"] == "provincial_fund":
            fund[row["year"]] += int(row["yuan"])
    assert dict(fund) == {str(y): 300_000_000 for y in range(2021, 2026)}
