"""docs/rules.md, written from the catalogue itself, so the documentation cannot drift from the code.

`python scripts/write_rules_doc.py` rewrites the file; a test fails when it is out of date.
"""

from __future__ import annotations

from pydantic import BaseModel

from solver.rules.catalogue import SUBJECTS, CheckedBy, Rule
from solver.rules.ruleset import DEFAULT_RULES, RuleSet

CHECKER = {CheckedBy.PAIRS: "hard, pairs checker", CheckedBy.DEPLOYMENTS: "hard, deployments checker", None: "soft"}


def _number(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ", ".join(f"`{v}`" for v in value) or "(none)"
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _range(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    low = next((m.ge for m in field.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in field.metadata if hasattr(m, "le")), None)
    if field.annotation is not int and field.annotation is not float:
        return "kinds of pairing" if "Kind" in str(field.annotation) else "true or false"
    kind = "share" if field.annotation is float else "whole number"
    return f"{kind}, {_number(low)}–{_number(high)}" if low is not None and high is not None else kind


def _table(model: BaseModel) -> list[str]:
    cls = type(model)
    lines = ["| parameter | default | range | where the number comes from |", "|---|---|---|---|"]
    for name, value in model.model_dump().items():
        note = cls.model_fields[name].description or ""
        lines.append(f"| `{name}` | {_number(value)} | {_range(cls, name)} | {note} |")
    return lines


def _rule(rule: Rule) -> list[str]:
    lines = [f"## {rule.id} — {rule.title}", "", f"*{CHECKER[rule.checked_by]}*", "", f"> {rule.clause}", ""]
    if rule.params.model_dump():
        lines += [*_table(rule.params), ""]
    return lines


def rules_markdown(rules: RuleSet = DEFAULT_RULES) -> str:
    lines = [
        "# The rules catalogue",
        "",
        "Written by `python scripts/write_rules_doc.py` from `solver/rules/` (the catalogue the models, the",
        "checkers and this page all read); do not edit by hand. Clauses are quoted from annex 2 of",
        "粤府〔2021〕55号 unless they say otherwise. A roster directory's `rules.toml` may override any",
        "parameter or weight below (`[R07]`, `[weights]`, `[deployment_weights]`), within its range.",
        "",
    ]
    for rule in rules.rules.values():
        lines += _rule(rule)
    lines += [
        "## Weights of the pairing objective (`[weights]`)",
        "",
        "Each name is the name of the score term it weighs in a pair's `score_terms`.",
        "",
        *_table(rules.weights),
        "",
        "## Weights of the yearly deployment flows (`[deployment_weights]`)",
        "",
        *_table(rules.deployment_weights),
        "",
        "## Subjects every year's institute visits cover (R19)",
        "",
        "、".join(SUBJECTS),
        "",
    ]
    return "\n".join(lines)
