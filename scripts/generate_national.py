"""Generate a synthetic national-scale roster, shaped like the real problem, for benchmarks.

Guangdong's roster has 15 receiving cities and 84 receiving counties; the national programme it
is modelled on had 832 former national poverty counties. This script writes a roster folder in
the format of data/guangdong (the same CSV tables, read by `python -m solver validate|plan`) with,
at `--scale 1`, about 840 receiving counties in 150 receiving cities of 21 central and western
provinces, 90 supporting cities with about 900 supporter units in 8 eastern provinces, about
200,000 schools, an institute for every city and county-level unit and 1,500 universities.

Everything is synthetic and says so in its `source` cell: the ids follow GB/T 2260's shape with
real province codes (52 贵州, 33 浙江 …) but made-up city and county digits; names are
`贵州第3市第2县` and the like; coordinates scatter around each province's capital; populations,
teachers and schools are drawn from ranges typical of such counties (estimates). The provincial
institute keeps the programme's id jy440000 (one organiser). Same seed and scale, same bytes.

    python scripts/generate_national.py OUT [--scale 1.0] [--seed 20210816]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate_schools import generate as generate_schools

import solver
from solver.domain.ids import PROVINCE_ID, institute_id
from solver.roster.fields import (
    AreaType,
    InstituteLevel,
    Role,
    UniversityKind,
    UniversityLevel,
    UniversityRole,
    Zone,
)
from solver.roster.models import Table
from solver.roster.parties import Area, City, Institute, University
from solver.roster.row import RosterRow

DEFAULT_SEED = 20210816
SOURCE = "synthetic: scripts/generate_national.py seed {seed} scale {scale}"

# (code, short name, zone, capital lat, lon): the receiving provinces (central and western China).
RECEIVING = [
    ("52", "贵州", Zone.WEST, 26.6, 106.7),
    ("53", "云南", Zone.WEST, 25.0, 102.7),
    ("51", "四川", Zone.WEST, 30.6, 104.1),
    ("62", "甘肃", Zone.WEST, 36.1, 103.8),
    ("63", "青海", Zone.WEST, 36.6, 101.8),
    ("64", "宁夏", Zone.WEST, 38.5, 106.3),
    ("65", "新疆", Zone.WEST, 43.8, 87.6),
    ("54", "西藏", Zone.WEST, 29.7, 91.1),
    ("45", "广西", Zone.WEST, 22.8, 108.3),
    ("61", "陕西", Zone.WEST, 34.3, 108.9),
    ("50", "重庆", Zone.WEST, 29.6, 106.5),
    ("15", "内蒙古", Zone.NORTH, 40.8, 111.7),
    ("13", "河北", Zone.NORTH, 38.0, 114.5),
    ("14", "山西", Zone.NORTH, 37.9, 112.5),
    ("23", "黑龙江", Zone.NORTH, 45.8, 126.5),
    ("22", "吉林", Zone.NORTH, 43.9, 125.3),
    ("36", "江西", Zone.EAST, 28.7, 115.9),
    ("41", "河南", Zone.EAST, 34.8, 113.7),
    ("43", "湖南", Zone.EAST, 28.2, 113.0),
    ("42", "湖北", Zone.EAST, 30.6, 114.3),
    ("34", "安徽", Zone.EAST, 31.9, 117.3),
]
# The supporting provinces (the developed east); zone prd stands for "developed, supports".
SUPPORTING = [
    ("11", "北京", 39.9, 116.4),
    ("12", "天津", 39.1, 117.2),
    ("31", "上海", 31.2, 121.5),
    ("32", "江苏", 32.1, 118.8),
    ("33", "浙江", 30.3, 120.2),
    ("35", "福建", 26.1, 119.3),
    ("37", "山东", 36.7, 117.0),
    ("21", "辽宁", 41.8, 123.4),
]
NATIONAL = {"receiving_cities": 150, "receiving_counties": 840, "supporting_cities": 90, "units_per_city": 10}
UNIVERSITIES = 1500


def _spread(n: int, buckets: int) -> list[int]:
    """n split over buckets as evenly as possible, the first ones taking the remainder."""
    return [n // buckets + (1 if i < n % buckets else 0) for i in range(buckets)]


def _jitter(rng: random.Random, lat: float, lon: float, radius: float) -> tuple[float, float]:
    return round(lat + rng.uniform(-radius, radius), 2), round(lon + rng.uniform(-radius, radius), 2)


class _Builder:
    def __init__(self, seed: int, scale: float):
        self.seed, self.scale = seed, scale
        self.source = SOURCE.format(seed=seed, scale=scale)
        self.cities: list[City] = []
        self.areas: list[Area] = []
        self.institutes: list[Institute] = [
            Institute(
                institute_id=institute_id(PROVINCE_ID),
                name="协作组织教研机构（合成）",
                level=InstituteLevel.PROVINCE,
                area_id=PROVINCE_ID,
                source=self.source + "; the programme's one provincial-level institute",
            )
        ]

    def rng(self, *key: object) -> random.Random:
        return random.Random(":".join(str(k) for k in (self.seed, *key)))

    def city(self, code: str, name: str, zone: Zone, lat: float, lon: float, *, supports: bool) -> None:
        rng = self.rng("city", code)
        self.cities.append(
            City(
                city_id=code,
                name=name,
                zone=zone,
                receives=not supports,
                supports=supports,
                capacity=None if supports else 0,
                lat=lat,
                lon=lon,
                source=self.source,
                gdp_yuan_1e8=round(rng.uniform(2000, 20000), 1) if supports else None,
                strength_source="synthetic estimate" if supports else "",
            )
        )
        self.institutes.append(
            Institute(
                institute_id=institute_id(code),
                name=f"{name}教育科学研究院（合成）",
                level=InstituteLevel.CITY,
                area_id=code,
                city_id=code,
                source=self.source,
            )
        )

    def area(self, code: str, city: City, name: str, kind: AreaType, role: Role, rng: random.Random) -> None:
        lat, lon = _jitter(rng, city.lat, city.lon, 0.6)
        if role == Role.SUPPORTER:
            population = rng.randint(400_000, 1_500_000)
            teachers = round(population * 0.0095)
            schools = max(10, teachers // 110)
        else:
            population = rng.randint(150_000, 650_000)
            teachers = round(population * 0.009)
            schools = max(10, teachers // 25)  # many small 村小 and 教学点
        flags = [rng.random() < p for p in (0.25, 0.30, 0.20)] if role == Role.RECEIVER else [False] * 3
        self.areas.append(
            Area(
                area_id=code,
                name=name,
                city_id=city.city_id,
                type=kind,
                role=role,
                lat=lat,
                lon=lon,
                population=population,
                teachers=teachers,
                schools=schools,
                central_soviet=flags[0],
                old_revolutionary=flags[1],
                ethnic=flags[2],
                source=self.source,
                estimate_source="synthetic estimate: population drawn; teachers = population × 0.0095 (supporter) "
                "or × 0.009 (receiver); schools = teachers / 110 or / 25",
            )
        )
        self.institutes.append(
            Institute(
                institute_id=institute_id(code),
                name=f"{name}教师发展中心（合成）",
                level=InstituteLevel.COUNTY,
                area_id=code,
                city_id=city.city_id,
                source=self.source,
            )
        )

    def receiving(self) -> None:
        cities = max(1, round(NATIONAL["receiving_cities"] * self.scale))
        counties = max(cities * 2, round(NATIONAL["receiving_counties"] * self.scale))
        per_province = _spread(cities, len(RECEIVING))
        counties_of = iter(_spread(counties, cities))
        for (code, short, zone, lat, lon), n_cities in zip(RECEIVING, per_province, strict=True):
            for c in range(1, n_cities + 1):
                rng = self.rng("receiving", code, c)
                city_lat, city_lon = _jitter(rng, lat, lon, 2.5)
                city_code = f"{code}{c:02d}00"
                self.city(city_code, f"{short}第{c}市", zone, city_lat, city_lon, supports=False)
                city = self.cities[-1]
                for a in range(1, next(counties_of) + 1):
                    kind = AreaType.DISTRICT if a == 1 else AreaType.COUNTY  # each city's seat is a district
                    label = "区" if kind == AreaType.DISTRICT else "县"
                    self.area(f"{city_code[:4]}{a:02d}", city, f"{short}第{c}市第{a}{label}", kind, Role.RECEIVER, rng)

    def supporting(self) -> None:
        cities = max(1, round(NATIONAL["supporting_cities"] * self.scale))
        for (code, short, lat, lon), n_cities in zip(SUPPORTING, _spread(cities, len(SUPPORTING)), strict=True):
            for c in range(1, n_cities + 1):
                rng = self.rng("supporting", code, c)
                city_lat, city_lon = _jitter(rng, lat, lon, 1.5)
                city_code = f"{code}{c:02d}00"
                self.city(city_code, f"{short}第{c}市", Zone.PRD, city_lat, city_lon, supports=True)
                city = self.cities[-1]
                units = max(3, round(NATIONAL["units_per_city"] * rng.uniform(0.6, 1.4)))
                for a in range(1, units + 1):
                    self.area(
                        f"{city_code[:4]}{a:02d}",
                        city,
                        f"{short}第{c}市第{a}区",
                        AreaType.DISTRICT,
                        Role.SUPPORTER,
                        rng,
                    )

    def universities(self) -> list[University]:
        """A tenth normal (capacity 2), the rest non-normal; most in supporting cities, a tenth take no part."""
        total = max(4, round(UNIVERSITIES * self.scale))
        supporting = [c for c in self.cities if c.supports]
        receiving = [c for c in self.cities if c.receives]
        normal = max(math.ceil(len(receiving) / 2) + 1, total // 10)
        found = []
        for i in range(total):
            rng = self.rng("university", i)
            is_normal = i < normal
            home = rng.choice(supporting if is_normal or rng.random() < 0.75 else receiving)
            takes_part = is_normal or rng.random() < 0.9
            lat, lon = _jitter(rng, home.lat, home.lon, 0.3)
            province, number = home.city_id[:2], 1000 + i
            found.append(
                University(
                    university_id=f"41{province}{number:06d}",
                    name=f"{home.name}第{i + 1}{'师范' if is_normal else ''}学院（合成）",
                    city_id=home.city_id,
                    kind=UniversityKind.NORMAL if is_normal else UniversityKind.NON_NORMAL,
                    level=UniversityLevel.UNDERGRADUATE if rng.random() < 0.5 else UniversityLevel.JUNIOR_COLLEGE,
                    tier=rng.choice((1, 2, 2, 3, 3, 3)),
                    role=UniversityRole.SUPPORTER if takes_part else UniversityRole.NONE,
                    capacity=(2 if is_normal else 1) if takes_part else 0,
                    lat=lat,
                    lon=lon,
                    source=self.source,
                )
            )
        return found


def build(seed: int, scale: float) -> dict[Table, list[RosterRow]]:
    builder = _Builder(seed, scale)
    builder.receiving()
    builder.supporting()
    universities = builder.universities()
    schools = generate_schools(builder.areas, seed)
    return {
        Table.CITIES: sorted(builder.cities, key=lambda c: c.city_id),
        Table.AREAS: sorted(builder.areas, key=lambda a: a.area_id),
        Table.UNIVERSITIES: sorted(universities, key=lambda u: u.university_id),
        Table.INSTITUTES: sorted(builder.institutes, key=lambda i: i.institute_id),
        Table.SCHOOLS: sorted(schools, key=lambda s: s.school_id),
    }


def write(out: Path, tables: dict[Table, list[RosterRow]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        (out / table.filename).write_text(solver.table_csv(table, rows), encoding="utf-8-sig", newline="")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="roster directory to write")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = national (about 840 receiving counties)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    if not 0.005 <= args.scale <= 2.0:
        print(f"--scale {args.scale}: expected 0.005 to 2", file=sys.stderr)
        return 1
    tables = build(args.seed, args.scale)
    write(args.out, tables)
    counts = ", ".join(f"{len(rows)} {table.value}" for table, rows in tables.items())
    print(f"wrote {args.out}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
