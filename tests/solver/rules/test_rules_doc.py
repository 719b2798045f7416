"""docs/rules.md is written from the catalogue; it must say what the code says."""

from __future__ import annotations

from pathlib import Path

from solver.rules.markdown import rules_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_docs_rules_md_is_current():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), "run python scripts/write_rules_doc.py"
