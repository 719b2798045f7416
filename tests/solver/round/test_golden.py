"""The bundled 2021-2025 plan's objective, bound and its parts, pinned in a golden file, so that a
change of the model, the weights or the roster is a visible decision (rewrite the file with
UPDATE_GOLDEN=1 and say why in the commit). The pairs' scores add up to the objective, per kind
and in all."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from solver import Kind, RoundPlan, read_pairs_csv

GOLDEN = Path(__file__).parent / "golden" / "bundled-2021-2025.json"


def figures(planned: RoundPlan) -> dict[str, object]:
    report = planned.report
    return {
        "status": report.status,
        "objective": report.objective,
        "bound": report.bound,
        "objective_by_kind": report.objective_by_kind,
        "pairs_by_kind": report.pairs_by_kind,
    }


def test_the_bundled_plan_matches_its_golden_figures(bundled_round):
    found = figures(bundled_round)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_scores_in_pairs_csv_add_up_to_the_objective(bundled_round):
    pairs = read_pairs_csv(bundled_round.pairs_csv())
    by_kind = Counter[str]()
    for pair in pairs:
        by_kind[pair.kind.value] += pair.score_total
    report = bundled_round.report
    assert {k.value: by_kind[k.value] for k in Kind} == report.objective_by_kind
    assert sum(by_kind.values()) == report.objective == report.bound
