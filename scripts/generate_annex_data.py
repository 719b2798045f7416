"""Write the bundled roster's degrees.csv, silver.csv and budgets.csv (issue 12) from its other tables.

No public source counts, per county, the principals and teachers below the degree targets, who
takes part in the 银龄讲学 plan, or what each supporter budgets for the programme, so every figure
here is an estimate or an illustration computed from the roster with the ratios stated in each
row's `source`. Same roster, same bytes.

    python scripts/generate_annex_data.py data/guangdong
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solver
from solver.roster.annex import Budget, Degrees, Purpose, Silver
from solver.roster.fields import Stage
from solver.roster.models import Table

PRINCIPALS_BELOW = Fraction(6, 100)  # share of 义务教育 and 普通高中 principals without 本科
HEADS_BELOW = Fraction(15, 100)  # share of kindergarten heads without 专科
TEACHERS_BELOW = Fraction(4, 100)  # share of teachers below their stage's standard
SILVER_A_YEAR = 500  # '每年公开招募约500名'
UNIT_YUAN_PER_TEACHER = 4_000  # a supporting unit's yearly 帮扶资金 per teacher of its own
CITY_YUAN = 60_000_000  # a supporting city's own yearly 帮扶资金
PROVINCIAL_FUND = 300_000_000
PROVINCIAL_PROGRAMMES = 20_000_000
YEARS = range(2021, 2026)


def _round(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


def degrees(roster: solver.Roster) -> list[Degrees]:
    kindergartens = Counter(s.area_id for s in roster.schools.values() if s.stage == Stage.KINDERGARTEN)
    schools = Counter(s.area_id for s in roster.schools.values())
    source = (
        "估算 estimate: no public count per county; principals_below = 6% of the county's non-kindergarten "
        "schools, heads_below = 15% of its kindergartens, teachers_below = 4% of its teachers "
        "(scripts/generate_annex_data.py)"
    )
    return [
        Degrees(
            area_id=a.area_id,
            principals_below=_round((schools[a.area_id] - kindergartens[a.area_id]) * PRINCIPALS_BELOW),
            heads_below=_round(kindergartens[a.area_id] * HEADS_BELOW),
            teachers_below=_round(a.teachers * TEACHERS_BELOW),
            source=source,
        )
        for a in roster.receivers()
    ]


def silver(roster: solver.Roster) -> list[Silver]:
    """500 a year from the supporting units, in proportion to their teachers (largest remainders)."""
    units = roster.supporter_areas()
    whole = sum(a.teachers for a in units)
    exact = {a.area_id: Fraction(SILVER_A_YEAR * a.teachers, whole) for a in units}
    people = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (people[k] - exact[k], k))[: SILVER_A_YEAR - sum(people.values())]:
        people[k] += 1
    source = (
        "illustrative: the province's about 500 a year (main plan: 每年公开招募约500名) shared by the supporting "
        "units in proportion to their teachers; no public list of participants"
    )
    return [Silver(area_id=k, people=n, source=source) for k, n in sorted(people.items()) if n > 0]


def budgets(roster: solver.Roster) -> list[Budget]:
    rows = []
    for year in YEARS:
        rows.append(
            Budget(
                party_id=solver.PROVINCE_ID,
                year=year,
                amount=PROVINCIAL_FUND,
                purpose=Purpose.PROVINCIAL_FUND,
                source="illustrative: no published figure for the provincial 对口帮扶 fund (annex 2 clause 22)",
            )
        )
        rows.append(
            Budget(
                party_id=solver.PROVINCE_ID,
                year=year,
                amount=PROVINCIAL_PROGRAMMES,
                purpose=Purpose.PROVINCIAL_PROGRAMMES,
                source="illustrative: the province's own lecture tours and 银龄讲学",
            )
        )
        for city in roster.supporting_cities():
            rows.append(
                Budget(
                    party_id=city.city_id,
                    year=year,
                    amount=CITY_YUAN,
                    purpose=Purpose.SUPPORT,
                    source=f"illustrative: {CITY_YUAN:,} yuan a year for a supporting city's own work",
                )
            )
        for area in roster.supporter_areas():
            rows.append(
                Budget(
                    party_id=area.area_id,
                    year=year,
                    amount=area.teachers * UNIT_YUAN_PER_TEACHER,
                    purpose=Purpose.SUPPORT,
                    source=f"illustrative: {UNIT_YUAN_PER_TEACHER} yuan a year per own teacher (areas.csv estimate)",
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    args = parser.parse_args()
    directory = Path(args.directory)
    roster = solver.load_roster(directory)
    for table, rows in (
        (Table.DEGREES, degrees(roster)),
        (Table.SILVER, silver(roster)),
        (Table.BUDGETS, budgets(roster)),
    ):
        text = solver.table_csv(table, rows)
        (directory / table.filename).write_text(text, encoding="utf-8-sig", newline="")
        print(f"wrote {directory / table.filename}: {len(rows)} rows")


if __name__ == "__main__":
    main()
