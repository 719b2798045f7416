"""Reading a deployment table (deployments.csv) as rows of the round, or the violations that stop it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from solver.check.common import Violation, violation
from solver.domain.flows import NUMBER_COLUMNS, Flow
from solver.domain.policy import round_years

DEPLOY_RULE = "DEPLOY"
REQUIRED_COLUMNS = ("round", "year", "flow", "from_id", "from_name", "to_id", "to_name", "teams", "people")
KNOWN_FLOWS = frozenset(flow.value for flow in Flow)


@dataclass(frozen=True)
class Row:
    line: int
    round: str
    year: int
    flow: str
    from_id: str
    to_id: str
    numbers: Mapping[str, int | None]
    from_site: str
    to_site: str
    subjects: frozenset[str]
    source: str

    def n(self, column: str) -> int:
        """The figure, 0 when the cell is empty."""
        return self.numbers.get(column) or 0


def read_rows(records: Sequence[Mapping[str, str]], round_id: str) -> tuple[list[Row], list[Violation]]:
    years = round_years(round_id)
    found: list[Violation] = []
    if records:
        missing = [c for c in REQUIRED_COLUMNS if c not in records[0]]
        if missing:
            return [], [violation(DEPLOY_RULE, f"The deployment table lacks the columns {', '.join(missing)}.")]
    rows = []
    for line, record in enumerate(records, start=2):
        get = record.get  # cells read inline: a national table has ~7 million

        def where(line: int = line) -> str:
            return f"Row {line} of the deployment table"

        flow = (get("flow") or "").strip()
        if flow not in KNOWN_FLOWS:
            found.append(violation(DEPLOY_RULE, f"{where()} has the unknown flow {flow!r}."))
            continue
        if flow == "shortfall":
            continue
        round_of_row = (get("round") or "").strip()
        if round_of_row != round_id:
            found.append(violation(DEPLOY_RULE, f"{where()} is of round {round_of_row!r}, not {round_id}."))
            continue
        year = (get("year") or "").strip()
        if not year.isdigit() or int(year) not in years:
            found.append(violation(DEPLOY_RULE, f"{where()} is for year {year!r}, not a year of round {round_id}."))
            continue
        numbers: dict[str, int | None] = {}
        bad = []
        for column in NUMBER_COLUMNS:
            value = get(column) or ""
            if value.isdigit():
                numbers[column] = int(value)
            elif not value or not (value := value.strip()):
                numbers[column] = None
            elif value.isdigit():
                numbers[column] = int(value)
            else:
                bad.append(column)
        from_id, to_id = (get("from_id") or "").strip(), (get("to_id") or "").strip()
        if bad:
            found.append(
                violation(
                    DEPLOY_RULE,
                    f"{where()} ({flow}) has {', '.join(bad)} that are not whole numbers of 0 or more.",
                    from_id,
                    to_id,
                )
            )
            continue
        subjects = frozenset(s for s in (get("subjects") or "").strip().split(";") if s)
        rows.append(
            Row(
                line,
                round_id,
                int(year),
                flow,
                from_id,
                to_id,
                numbers,
                (get("from_site_id") or "").strip(),
                (get("to_site_id") or "").strip(),
                subjects,
                (get("source") or "").strip(),
            )
        )
    return rows, found
