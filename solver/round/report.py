"""The rule report (report.json): every rule of the catalogue with its status and violations.

Statuses come from the independent checker (solver.check.pairs), never from the solver's own word.
Nothing time-dependent goes in, so the same plan gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from solver.check.pairs import Violation, check_pairs, priority_measures
from solver.domain.pins import Pin
from solver.domain.pairs import Kind, Pair
from solver.domain.results import PartResult
from solver.roster.models import Roster
from solver.rules.catalogue import RuleSet


def rule_entries(rules: RuleSet, violations: Sequence[Violation], checked: set[str]) -> list[dict[str, object]]:
    entries = []
    for rule in rules.rules.values():
        found = [v for v in violations if v.rule == rule.id]
        if not rule.hard:
            status = "soft"
        elif rule.id not in checked:
            status = "not_checked"
        else:
            status = "fail" if found else "pass"
        entries.append({
            "id": rule.id,
            "title": rule.title,
            "clause": rule.clause,
            "hard": rule.hard,
            "params": dict(rule.params),
            "status": status,
            "violations": [{"message": v.message, "ids": list(v.ids)} for v in found],
        })
    extra_titles = {"PIN": "coordinator pins (fixed and forbidden pairs)", "ROUND": "every pair belongs to the plan's round"}
    if "DEPLOY" in checked:
        extra_titles["DEPLOY"] = "the deployment table reads as a plan of the round (columns, flows, numbers, years)"
    for rule_id, title in extra_titles.items():
        found = [v for v in violations if v.rule == rule_id]
        entries.append({
            "id": rule_id, "title": title, "clause": "", "hard": True, "params": {},
            "status": "fail" if found else "pass",
            "violations": [{"message": v.message, "ids": list(v.ids)} for v in found],
        })
    return entries


def build_report(roster: Roster, rules: RuleSet, round_id: str, pairs: Sequence[Pair], pins: Sequence[Pin],
                 summary: Mapping[str, object], parts: Sequence[PartResult],
                 extra_violations: Sequence[Violation] = (), extra_checked: Sequence[str] = ()) -> dict[str, object]:
    violations = list(check_pairs(roster, pairs, pins)) if pairs else []
    violations += list(extra_violations)
    checked = {r.id for r in rules.hard_rules("pairs")} | set(extra_checked) if pairs else set(extra_checked)
    return {
        "round": round_id,
        "status": summary["status"],
        "objective": summary["objective"],
        "bound": summary["bound"],
        "gap": summary["gap"],
        "parts": [{k: v for k, v in p.as_dict().items() if k != "runtime_s"} for p in parts],
        "pairs_by_kind": {k.value: sum(p.kind == k for p in pairs) for k in Kind},
        "explanation": list(summary.get("explanation", [])),
        "passes_checker": bool(pairs) and not violations,
        "violations": len(violations),
        "priority_measures": priority_measures(roster, pairs) if pairs else {},
        "weights": dict(rules.weights),
        "rules": rule_entries(rules, violations, checked),
    }


def report_json(report: Mapping[str, object]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
