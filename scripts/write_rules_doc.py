"""Rewrite docs/rules.md from the rules catalogue (solver/rules/).

python scripts/write_rules_doc.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from solver.rules.markdown import rules_markdown  # noqa: E402

if __name__ == "__main__":
    (ROOT / "docs" / "rules.md").write_text(rules_markdown(), encoding="utf-8")
    print("wrote docs/rules.md")
