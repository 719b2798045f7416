"""Generate the synthetic school roster (schools.csv) from the estimated counts in areas.csv.

No official school-by-school list is public, so this script makes a reproducible one: for every
county-level unit (and 镇街 of 东莞/中山) it creates `schools` schools sharing `teachers`
full-time teachers, with a stage mix and a urban/township/rural split typical of the unit's
type. Every row says it is synthetic. Same areas.csv and seed, same bytes.

    python scripts/generate_schools.py data/guangdong [--seed 20210816]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solver
from solver.roster.fields import (
    COUNTY_TYPES,
    SENIOR_STAGES,
    STAGE_CATEGORY,
    AreaType,
    Location,
    Role,
    Stage,
)
from solver.roster.models import Table
from solver.roster.parties import Area, School

DEFAULT_SEED = 20210816  # the date of 粤府〔2021〕55号

# Share of schools by stage (estimate: the rough national mix of 幼儿园, 小学, 初中, 九年一贯制,
# 高中, 完全中学 and 特殊教育学校 counts; kindergartens are the most numerous).
STAGE_SHARE: dict[Stage, float] = {
    Stage.KINDERGARTEN: 0.46,
    Stage.PRIMARY: 0.34,
    Stage.JUNIOR: 0.09,
    Stage.NINE_YEAR: 0.05,
    Stage.SENIOR: 0.03,
    Stage.COMPLETE_SECONDARY: 0.02,
    Stage.SPECIAL: 0.01,
}
# Relative teachers per school by stage (estimate).
STAGE_SIZE: dict[Stage, float] = {
    Stage.KINDERGARTEN: 12,
    Stage.PRIMARY: 38,
    Stage.JUNIOR: 70,
    Stage.NINE_YEAR: 60,
    Stage.SENIOR: 130,
    Stage.COMPLETE_SECONDARY: 150,
    Stage.SPECIAL: 25,
}
# Probability of urban / township / rural location by area type (estimate).
LOCATION_SHARE: dict[str, tuple[float, float, float]] = {
    "district": (0.70, 0.25, 0.05),
    "county": (0.25, 0.45, 0.30),
    AreaType.SUBDISTRICT.value: (0.95, 0.05, 0.0),
    AreaType.TOWN.value: (0.45, 0.50, 0.05),
}
STAGE_NAME: dict[Stage, str] = {
    Stage.KINDERGARTEN: "幼儿园",
    Stage.PRIMARY: "小学",
    Stage.JUNIOR: "初级中学",
    Stage.NINE_YEAR: "九年一贯制学校",
    Stage.SENIOR: "高级中学",
    Stage.COMPLETE_SECONDARY: "中学",
    Stage.SPECIAL: "特殊教育学校",
}
LOCATION_NAME: dict[Location, str] = {Location.URBAN: "城区", Location.TOWNSHIP: "镇", Location.RURAL: "村"}


def stage_counts(total: int) -> dict[Stage, int]:
    """Split `total` schools by STAGE_SHARE (largest remainders, ties in stage order)."""
    raw = {stage: total * share for stage, share in STAGE_SHARE.items()}
    counts = {stage: int(value) for stage, value in raw.items()}
    order = sorted(STAGE_SHARE, key=lambda s: (-(raw[s] - counts[s]), list(STAGE_SHARE).index(s)))
    for stage in order[: total - sum(counts.values())]:
        counts[stage] += 1
    if total >= 3 and counts[Stage.PRIMARY] == 0:
        counts[Stage.PRIMARY] = 1
        counts[Stage.KINDERGARTEN] -= 1
    return counts


def location_for(area: Area, stage: Stage, rng: random.Random) -> Location:
    if area.type in COUNTY_TYPES:
        key = "county"
    elif area.type == AreaType.DISTRICT:
        key = "district"
    else:
        key = area.type.value
    urban, township, _rural = LOCATION_SHARE[key]
    if stage in SENIOR_STAGES or stage == Stage.SPECIAL:
        # 县域普通高中 and special schools sit mostly in the county seat.
        urban, township = max(urban, 0.7), 1 - max(urban, 0.7)
    draw = rng.random()
    if draw < urban:
        return Location.URBAN
    if draw < urban + township:
        return Location.TOWNSHIP
    return Location.RURAL


def is_priority(area: Area, stage: Stage, location: Location) -> bool:
    """乡镇中小学校（含幼儿园） and 县域普通高中 of receiving areas (annex 2, clause 1; main plan 12)."""
    if area.role != Role.RECEIVER:
        return False
    return location != Location.URBAN or (stage in SENIOR_STAGES and area.type in COUNTY_TYPES)


def generate(areas: list[Area], seed: int) -> list[School]:
    schools: list[School] = []
    # One sequence per category and province (the id's digits 3-4), so Guangdong's ids are as before.
    sequence: dict[tuple[str, str], int] = {}
    for area in sorted(areas, key=lambda a: a.area_id):
        rng = random.Random(f"{seed}:{area.area_id}")
        planned = [(stage, n) for stage, count in stage_counts(max(area.schools, 1)).items() for n in range(count)]
        weights = [STAGE_SIZE[stage] * rng.uniform(0.6, 1.4) for stage, _ in planned]
        scale = area.teachers / sum(weights)
        numbers: dict[tuple[Stage, Location], int] = {}
        for (stage, _), weight in zip(planned, weights, strict=True):
            location = location_for(area, stage, rng)
            category = STAGE_CATEGORY[stage]
            key = (category, area.area_id[:2])
            sequence[key] = sequence.get(key, 900000 if key[1] == "44" else 0) + 1
            n = numbers[(stage, location)] = numbers.get((stage, location), 0) + 1
            schools.append(
                School(
                    school_id=f"{category}{key[1]}{sequence[key]:06d}",
                    name=f"{area.name}{LOCATION_NAME[location]}第{n}{STAGE_NAME[stage]}（合成）",
                    area_id=area.area_id,
                    stage=stage,
                    location=location,
                    teachers=max(3, round(weight * scale)),
                    priority=is_priority(area, stage, location),
                    synthetic=True,
                    source=f"synthetic: scripts/generate_schools.py seed {seed} from areas.csv estimates",
                )
            )
    return schools


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roster", type=Path, help="roster directory holding areas.csv")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    areas_path = args.roster / Table.AREAS.filename
    try:
        areas = solver.table_rows(Table.AREAS, solver.decode(areas_path.read_bytes(), areas_path.name))
    except solver.InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    schools = generate([row for row in areas.values() if isinstance(row, Area)], args.seed)
    out = args.roster / Table.SCHOOLS.filename
    out.write_text(solver.table_csv(Table.SCHOOLS, schools), encoding="utf-8-sig", newline="")
    print(f"wrote {len(schools)} synthetic schools to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
