"""`Scorer.costs` (every candidate pair at once, for national-scale rosters) gives exactly what
`Scorer.cost` gives pair by pair, on the bundled roster, with ties, a base plan and universities."""

from __future__ import annotations

import numpy as np

import solver
from solver.domain.kinds import Kind
from solver.pairing.scoring import Scorer
from solver.rules.ruleset import DEFAULT_RULES


def test_costs_match_cost_pair_by_pair(bundled_roster: solver.Roster, bundled_round: solver.RoundPlan) -> None:
    roster = bundled_roster
    base = bundled_round.result.pairs
    for replan in (False, True):
        scorer = Scorer.build(roster, DEFAULT_RULES.weights, base, replan=replan)
        units = [a.area_id for a in roster.supporter_areas()]
        counties = [a.area_id for a in roster.receivers()]
        cities = [c.city_id for c in roster.receiving_cities()]
        universities = list(roster.universities)
        for kind, supporters, receivers in (
            (Kind.COUNTY_COUNTY, units, counties),
            (Kind.CITY_CITY, [c.city_id for c in roster.supporting_cities()], cities),
            (Kind.UNIVERSITY_AREA, universities, cities + counties),
            (Kind.NORMAL_UNIVERSITY_CITY, universities, cities),
        ):
            matrix = scorer.costs(kind, supporters, receivers)
            expected = np.array([[scorer.cost(kind, s, r) for r in receivers] for s in supporters])
            assert (matrix == expected).all(), kind
