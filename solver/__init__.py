"""gd-pairing's solver library: rosters, rules, the structural pairs, the yearly deployments and
their independent checkers, for Guangdong's 2021–2035 support of basic education in its east,
west and north (粤府〔2021〕55号, annex 2).

This is the library's public face: the CLI, the scripts and the service import from here. Names
are loaded on first use, so that `import solver` (and `python -m solver validate`) does not pay
for the optimisation libraries it does not need. The rooms behind it are described in
docs/architecture.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    # input problems, rounds, ids
    "InputError": "solver.domain.problems",
    "describe_error": "solver.domain.problems",
    "Problem": "solver.domain.problems",
    "ROUNDS": "solver.domain.policy",
    "Round": "solver.domain.policy",
    "round_years": "solver.domain.policy",
    "PROVINCE_ID": "solver.domain.ids",
    "city_id_of": "solver.domain.ids",
    "label": "solver.domain.ids",
    "decode": "solver.domain.text",
    "neutralise": "solver.domain.text",
    "control_character_problem": "solver.domain.text",
    # the tables a plan is made of
    "Kind": "solver.domain.kinds",
    "KIND_NAMES": "solver.domain.kinds",
    "Pair": "solver.domain.pairs",
    "PAIR_COLUMNS": "solver.domain.pairs",
    "pairs_csv_bytes": "solver.domain.pairs",
    "read_pairs_csv": "solver.domain.pairs",
    "format_terms": "solver.domain.pairs",
    "sort_pairs": "solver.domain.pairs",
    "Pin": "solver.domain.pins",
    "PinAction": "solver.domain.pins",
    "read_pins_csv": "solver.domain.pins",
    "Flow": "solver.domain.flows",
    "FlowRow": "solver.domain.flows",
    "DEPLOYMENT_COLUMNS": "solver.domain.flows",
    "deployments_csv_bytes": "solver.domain.flows",
    "table_records": "solver.domain.flows",
    "Report": "solver.domain.report",
    "report_json": "solver.domain.report",
    "SolveOptions": "solver.domain.results",
    "SolveStatus": "solver.domain.results",
    "Progress": "solver.domain.results",
    "ProgressCallback": "solver.domain.results",
    "relative_gap": "solver.domain.results",
    "DEFAULT_TIME_LIMIT_S": "solver.domain.results",
    "DEFAULT_WORKERS": "solver.domain.results",
    "DEFAULT_SEED": "solver.domain.results",
    # rosters
    "Roster": "solver.roster",
    "Area": "solver.roster",
    "City": "solver.roster",
    "Institute": "solver.roster",
    "School": "solver.roster",
    "University": "solver.roster",
    "Role": "solver.roster",
    "UniversityKind": "solver.roster",
    "UniversityRole": "solver.roster",
    "alternatives": "solver.pairing.why",
    "follows_hard_tie": "solver.pairing.why",
    "Alternative": "solver.pairing.why",
    "SCORED_KINDS": "solver.pairing.why",
    "ALTERNATIVES_METHOD": "solver.pairing.why",
    "term_list": "solver.pairing.why",
    "Table": "solver.roster",
    "Record": "solver.roster",
    "columns": "solver.roster",
    "load_roster": "solver.roster",
    "validate_roster": "solver.roster",
    "records_from_csv": "solver.roster",
    "records_from_rows": "solver.roster",
    "table_csv": "solver.roster",
    "table_rows": "solver.roster",
    "write_roster": "solver.roster",
    "RosterRow": "solver.roster",
    "counts": "solver.roster",
    "summary": "solver.roster",
    # rules
    "RuleSet": "solver.rules",
    "DEFAULT_RULES": "solver.rules",
    "CheckedBy": "solver.rules",
    "load_rules": "solver.rules",
    "apply_overrides": "solver.rules",
    "from_record": "solver.rules",
    # planning and checking
    "PairingRequest": "solver.pairing",
    "PairingResult": "solver.pairing",
    "plan_pairs": "solver.pairing",
    "check_pins": "solver.pairing.pins",
    "DeploymentRequest": "solver.deployment",
    "DeploymentPlan": "solver.deployment",
    "DeploymentStatus": "solver.deployment",
    "plan_deployments": "solver.deployment",
    "RoundPlan": "solver.round",
    "plan_round": "solver.round",
    "build_report": "solver.round",
    "Chain": "solver.round.changes",
    "change_chains": "solver.round.changes",
    "supporter_table": "solver.round.report",
    "budget_lines": "solver.round.report",
    "Assessment": "solver.domain.costs",
    "COST_COLUMNS": "solver.domain.costs",
    "costs_csv_bytes": "solver.domain.costs",
    "Violation": "solver.check",
    "check_pairs": "solver.check",
    "check_deployments": "solver.check",
}
__all__ = [
    "ALTERNATIVES_METHOD",
    "COST_COLUMNS",
    "DEFAULT_RULES",
    "DEFAULT_SEED",
    "DEFAULT_TIME_LIMIT_S",
    "DEFAULT_WORKERS",
    "DEPLOYMENT_COLUMNS",
    "KIND_NAMES",
    "PAIR_COLUMNS",
    "PROVINCE_ID",
    "ROUNDS",
    "SCORED_KINDS",
    "Alternative",
    "Area",
    "Assessment",
    "Chain",
    "CheckedBy",
    "City",
    "DeploymentPlan",
    "DeploymentRequest",
    "DeploymentStatus",
    "Flow",
    "FlowRow",
    "InputError",
    "Institute",
    "Kind",
    "Pair",
    "PairingRequest",
    "PairingResult",
    "Pin",
    "PinAction",
    "Problem",
    "Progress",
    "ProgressCallback",
    "Record",
    "Report",
    "Role",
    "Roster",
    "RosterRow",
    "Round",
    "RoundPlan",
    "RuleSet",
    "School",
    "SolveOptions",
    "SolveStatus",
    "Table",
    "University",
    "UniversityKind",
    "UniversityRole",
    "Violation",
    "alternatives",
    "apply_overrides",
    "budget_lines",
    "build_report",
    "change_chains",
    "check_deployments",
    "check_pairs",
    "check_pins",
    "city_id_of",
    "columns",
    "control_character_problem",
    "costs_csv_bytes",
    "counts",
    "decode",
    "deployments_csv_bytes",
    "describe_error",
    "follows_hard_tie",
    "format_terms",
    "from_record",
    "label",
    "load_roster",
    "load_rules",
    "neutralise",
    "pairs_csv_bytes",
    "plan_deployments",
    "plan_pairs",
    "plan_round",
    "read_pairs_csv",
    "read_pins_csv",
    "records_from_csv",
    "records_from_rows",
    "relative_gap",
    "report_json",
    "round_years",
    "sort_pairs",
    "summary",
    "supporter_table",
    "table_csv",
    "table_records",
    "table_rows",
    "term_list",
    "validate_roster",
    "write_roster",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'solver' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from solver.check import Violation, check_deployments, check_pairs
    from solver.deployment import (
        DeploymentPlan,
        DeploymentRequest,
        DeploymentStatus,
        plan_deployments,
    )
    from solver.domain.costs import COST_COLUMNS, Assessment, costs_csv_bytes
    from solver.domain.flows import (
        DEPLOYMENT_COLUMNS,
        Flow,
        FlowRow,
        deployments_csv_bytes,
        table_records,
    )
    from solver.domain.ids import PROVINCE_ID, city_id_of, label
    from solver.domain.kinds import KIND_NAMES, Kind
    from solver.domain.pairs import (
        PAIR_COLUMNS,
        Pair,
        format_terms,
        pairs_csv_bytes,
        read_pairs_csv,
        sort_pairs,
    )
    from solver.domain.pins import Pin, PinAction, read_pins_csv
    from solver.domain.policy import ROUNDS, Round, round_years
    from solver.domain.problems import InputError, Problem, describe_error
    from solver.domain.report import Report, report_json
    from solver.domain.results import (
        DEFAULT_SEED,
        DEFAULT_TIME_LIMIT_S,
        DEFAULT_WORKERS,
        Progress,
        ProgressCallback,
        SolveOptions,
        SolveStatus,
        relative_gap,
    )
    from solver.domain.text import control_character_problem, decode, neutralise
    from solver.pairing import PairingRequest, PairingResult, plan_pairs
    from solver.pairing.pins import check_pins
    from solver.pairing.why import (
        ALTERNATIVES_METHOD,
        SCORED_KINDS,
        Alternative,
        alternatives,
        follows_hard_tie,
        term_list,
    )
    from solver.roster import (
        Area,
        City,
        Institute,
        Record,
        Role,
        Roster,
        RosterRow,
        School,
        Table,
        University,
        UniversityKind,
        UniversityRole,
        columns,
        counts,
        load_roster,
        records_from_csv,
        records_from_rows,
        summary,
        table_csv,
        table_rows,
        validate_roster,
        write_roster,
    )
    from solver.round import RoundPlan, build_report, plan_round
    from solver.round.changes import Chain, change_chains
    from solver.round.report import budget_lines, supporter_table
    from solver.rules import (
        DEFAULT_RULES,
        CheckedBy,
        RuleSet,
        apply_overrides,
        from_record,
        load_rules,
    )
