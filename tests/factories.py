"""Tiny but valid rosters and pair plans, built in memory for tests.

`tiny_roster()` is a two-by-two miniature of the programme that passes the roster's own
cross-checks (`solver.roster_check.cross_check`):

- supporting PRD cities 广州 440100 (荔湾区 440103 capacity 2, 越秀区 440104 capacity 1) and
  深圳 440300 (罗湖区 440303, 福田区 440304, capacity 1 each), each city capacity 1;
  with `dongguan=True` also 东莞 441900 with two 镇街 (东城街道 441900003, 虎门镇 441900121,
  capacity 1 each, no institutes of their own);
- receiving cities 梅州 441400 (梅江区 441402 district, 大埔县 441422 and 蕉岭县 441427 counties)
  and 河源 441600 (源城区 441602 district, 龙川县 441622 county); 大埔、蕉岭 are 原中央苏区,
  龙川 革命老区;
- 2 normal universities (华南师范大学 has a tie with 梅州, ties.csv), `non_normal_universities`
  taking-part non-normal ones (default 7 = the 2 receiving cities + 5 receiving counties, the
  fewest that cover every receiver) and one non-normal university that does not take part;
- institutes for the province, every city and every 6-digit area;
- schools: two urban ones in every supporting unit; in every receiving area an urban primary,
  a township primary, `rural_schools` rural primaries and an urban senior school (a
  县域普通高中, priority, in counties) or junior school (in districts).

Names, coordinates and codes are realistic in form only: this is fixture data, not a source.
`valid_pairs(roster)` builds, by hand and without the solver, a plan that passes every hard rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from solver.domain.pairs import Kind, Pair, sort_pairs
from solver.domain.policy import ROUNDS
from solver.roster.fields import (
    COUNTY_TYPES,
    STAGE_CATEGORY,
    AreaType,
    InstituteLevel,
    Location,
    Role,
    Stage,
    UniversityKind,
    UniversityLevel,
    UniversityRole,
    Zone,
)
from solver.roster.models import TABLE_MODELS, Roster, Table
from solver.roster.parties import Area, City, Institute, School, University
from solver.roster.relations import Request, Tie
from solver.roster.row import RosterRow

ROUND = ROUNDS[0]
SOURCE = "synthetic: tests/factories.py"

# city_id, name, zone, receives, supports, capacity, lat, lon
CITIES = [
    ("440100", "广州市", Zone.PRD, False, True, 1, 23.13, 113.26),
    ("440300", "深圳市", Zone.PRD, False, True, 1, 22.54, 114.06),
    ("441400", "梅州市", Zone.NORTH, True, False, 0, 24.29, 116.12),
    ("441600", "河源市", Zone.NORTH, True, False, 0, 23.74, 114.70),
]
DONGGUAN_CITY = ("441900", "东莞市", Zone.PRD, False, True, 1, 23.02, 113.75)

# area_id, name, type, role, capacity, lat, lon, teachers, (central_soviet, old_revolutionary, ethnic)
AREAS = [
    ("440103", "荔湾区", AreaType.DISTRICT, Role.SUPPORTER, 2, 23.13, 113.24, 9000, (False, False, False)),
    ("440104", "越秀区", AreaType.DISTRICT, Role.SUPPORTER, 1, 23.13, 113.27, 12000, (False, False, False)),
    ("440303", "罗湖区", AreaType.DISTRICT, Role.SUPPORTER, 1, 22.55, 114.13, 8000, (False, False, False)),
    ("440304", "福田区", AreaType.DISTRICT, Role.SUPPORTER, 1, 22.52, 114.05, 11000, (False, False, False)),
    ("441402", "梅江区", AreaType.DISTRICT, Role.RECEIVER, 0, 24.31, 116.12, 5000, (False, False, False)),
    ("441422", "大埔县", AreaType.COUNTY, Role.RECEIVER, 0, 24.35, 116.70, 4000, (True, True, False)),
    ("441427", "蕉岭县", AreaType.COUNTY, Role.RECEIVER, 0, 24.66, 116.17, 2500, (True, False, False)),
    ("441602", "源城区", AreaType.DISTRICT, Role.RECEIVER, 0, 23.73, 114.70, 4500, (False, False, False)),
    ("441622", "龙川县", AreaType.COUNTY, Role.RECEIVER, 0, 24.10, 115.26, 6000, (False, True, False)),
]
DONGGUAN_AREAS = [
    ("441900003", "东城街道", AreaType.SUBDISTRICT, Role.SUPPORTER, 1, 23.03, 113.77, 3000, (False, False, False)),
    ("441900121", "虎门镇", AreaType.TOWN, Role.SUPPORTER, 1, 22.82, 113.67, 3500, (False, False, False)),
]

# university_id, name, city_id, kind, level, tier
NORMAL_UNIVERSITIES = [
    ("4144010574", "华南师范大学", "440100", UniversityLevel.UNDERGRADUATE, 1),
    ("4144014278", "广东第二师范学院", "440100", UniversityLevel.UNDERGRADUATE, 2),
]
NON_NORMAL_UNIVERSITIES = [
    ("4144010558", "中山大学", "440100", UniversityLevel.UNDERGRADUATE, 1),
    ("4144010561", "华南理工大学", "440100", UniversityLevel.UNDERGRADUATE, 1),
    ("4144010564", "华南农业大学", "440100", UniversityLevel.UNDERGRADUATE, 1),
    ("4144010590", "深圳大学", "440300", UniversityLevel.UNDERGRADUATE, 1),
    ("4144014325", "南方科技大学", "440300", UniversityLevel.UNDERGRADUATE, 1),
    ("4144011078", "广州大学", "440100", UniversityLevel.UNDERGRADUATE, 2),
    ("4144011845", "广东工业大学", "440100", UniversityLevel.UNDERGRADUATE, 2),
    ("4144010582", "嘉应学院", "441400", UniversityLevel.UNDERGRADUATE, 2),
    ("4144011113", "深圳职业技术学院", "440300", UniversityLevel.JUNIOR_COLLEGE, 3),
]
NOT_TAKING_PART = ("4144011347", "仲恺农业工程学院", "440100", UniversityLevel.UNDERGRADUATE, 2)
"""A non-normal university with role none (capacity 0), always in the tiny roster."""


def tiny_roster(
    *,
    dongguan: bool = False,
    non_normal_universities: int = 7,
    rural_schools: int = 1,
    capacity: Mapping[str, int] | None = None,
) -> Roster:
    """The tiny roster described in the module docstring.

    `capacity` overrides the capacity of cities, areas or universities by id. Beyond the nine
    named non-normal universities, synthetic ones (4144900001 …, in 广州) are added.
    """
    city_rows = CITIES + ([DONGGUAN_CITY] if dongguan else [])
    area_rows = AREAS + (DONGGUAN_AREAS if dongguan else [])
    cities = [_city(*row) for row in city_rows]
    areas = [_area(*row) for row in area_rows]
    universities = _universities(non_normal_universities)
    institutes = _institutes(cities, areas)
    schools = _schools(areas, rural_schools)
    ties = [tie(Kind.NORMAL_UNIVERSITY_CITY, "4144010574", "441400")]  # 华南师范大学 with 梅州
    roster = _roster([*cities, *areas, *universities, *institutes, *schools, *ties])
    if capacity:
        roster = updated_many(roster, {row_id: {"capacity": value} for row_id, value in capacity.items()})
    return roster


def tie(kind: Kind, supporter_id: str, receiver_id: str, strength: int = 3, since: int = 2013) -> Tie:
    return Tie(
        supporter_id=supporter_id, receiver_id=receiver_id, kind=kind, strength=strength, since=since, source=SOURCE
    )


def request(receiver_id: str, what: str, amount: int, **fields: object) -> Request:
    return Request.model_validate({"receiver_id": receiver_id, "what": what, "amount": amount, **fields})


def _city(
    city_id: str, name: str, zone: Zone, receives: bool, supports: bool, capacity: int, lat: float, lon: float
) -> City:
    return City(
        city_id=city_id,
        name=name,
        zone=zone,
        receives=receives,
        supports=supports,
        capacity=capacity,
        lat=lat,
        lon=lon,
        source=SOURCE,
    )


def _area(
    area_id: str,
    name: str,
    type_: AreaType,
    role: Role,
    capacity: int,
    lat: float,
    lon: float,
    teachers: int,
    flags: tuple[bool, bool, bool],
) -> Area:
    central_soviet, old_revolutionary, ethnic = flags
    return Area(
        area_id=area_id,
        name=name,
        city_id=area_id[:4] + "00",
        type=type_,
        role=role,
        lat=lat,
        lon=lon,
        population=teachers * 60,
        teachers=teachers,
        schools=teachers // 40,
        central_soviet=central_soviet,
        old_revolutionary=old_revolutionary,
        ethnic=ethnic,
        capacity=capacity,
        source=SOURCE,
    )


def _university(
    university_id: str,
    name: str,
    city_id: str,
    kind: UniversityKind,
    level: UniversityLevel,
    tier: int,
    role: UniversityRole = UniversityRole.SUPPORTER,
) -> University:
    lat, lon = next((row[6], row[7]) for row in CITIES if row[0] == city_id)
    return University(
        university_id=university_id,
        name=name,
        city_id=city_id,
        kind=kind,
        level=level,
        tier=tier,
        role=role,
        capacity=1 if role == UniversityRole.SUPPORTER else 0,
        lat=lat,
        lon=lon,
        source=SOURCE,
    )


def _universities(non_normal: int) -> list[University]:
    found = [
        _university(uid, name, city, UniversityKind.NORMAL, level, tier)
        for uid, name, city, level, tier in NORMAL_UNIVERSITIES
    ]
    named = NON_NORMAL_UNIVERSITIES[:non_normal]
    found += [
        _university(uid, name, city, UniversityKind.NON_NORMAL, level, tier) for uid, name, city, level, tier in named
    ]
    for n in range(1, non_normal - len(named) + 1):
        found.append(
            _university(
                f"41449{n:05d}",
                f"合成院校{n}（合成）",
                "440100",
                UniversityKind.NON_NORMAL,
                UniversityLevel.UNDERGRADUATE,
                2,
            )
        )
    uid, name, city, level, tier = NOT_TAKING_PART
    found.append(_university(uid, name, city, UniversityKind.NON_NORMAL, level, tier, role=UniversityRole.NONE))
    return found


def _institutes(cities: Sequence[City], areas: Sequence[Area]) -> list[Institute]:
    found = [
        Institute(
            institute_id="jy440000",
            name="广东省教育研究院",
            level=InstituteLevel.PROVINCE,
            area_id="440000",
            source=SOURCE,
        )
    ]
    found += [
        Institute(
            institute_id=f"jy{c.city_id}",
            name=f"{c.name}教育局教研室",
            level=InstituteLevel.CITY,
            area_id=c.city_id,
            city_id=c.city_id,
            source=SOURCE,
        )
        for c in cities
    ]
    found += [
        Institute(
            institute_id=f"jy{a.area_id}",
            name=f"{a.name}教师发展中心",
            level=InstituteLevel.COUNTY,
            area_id=a.area_id,
            city_id=a.city_id,
            source=SOURCE,
        )
        for a in areas
        if len(a.area_id) == 6
    ]
    return found


def _schools(areas: Sequence[Area], rural_schools: int) -> list[School]:
    found: list[School] = []
    for area in areas:
        if area.role == Role.SUPPORTER:
            plan = [(Stage.PRIMARY, Location.URBAN, "实验小学", 120), (Stage.JUNIOR, Location.URBAN, "第一中学", 100)]
        elif area.role == Role.RECEIVER:
            top = (
                (Stage.SENIOR, Location.URBAN, "县中学", 150)
                if area.type in COUNTY_TYPES
                else (Stage.JUNIOR, Location.URBAN, "城区初级中学", 90)
            )
            plan = [
                (Stage.PRIMARY, Location.URBAN, "城区小学", 80),
                (Stage.PRIMARY, Location.TOWNSHIP, "镇中心小学", 40),
            ]
            plan += [(Stage.PRIMARY, Location.RURAL, f"第{n}村小学", 15) for n in range(1, rural_schools + 1)]
            plan.append(top)
        else:
            plan = []
        for stage, location, suffix, teachers in plan:
            sequence = 900001 + len(found)
            priority = area.role == Role.RECEIVER and (
                location != Location.URBAN or (stage == Stage.SENIOR and area.type in COUNTY_TYPES)
            )
            found.append(
                School(
                    school_id=f"{STAGE_CATEGORY[stage]}44{sequence:06d}",
                    name=f"{area.name}{suffix}（合成）",
                    area_id=area.area_id,
                    stage=stage,
                    location=location,
                    teachers=teachers,
                    priority=priority,
                    synthetic=True,
                    source=SOURCE,
                )
            )
    return found


# --- editing rosters -------------------------------------------------------------------------

TABLE_OF: dict[type[RosterRow], Table] = {model: table for table, model in TABLE_MODELS.items()}


def _roster(rows: Iterable[RosterRow]) -> Roster:
    tables: dict[str, dict[str, RosterRow]] = {t.value: {} for t in Table}
    for row in rows:
        tables[TABLE_OF[type(row)].value][row.id] = row
    return Roster(**{name: dict(sorted(table.items())) for name, table in tables.items()})


def _all_rows(roster: Roster) -> list[RosterRow]:
    return [row for table in Table for row in roster.table(table).values()]


def with_rows(roster: Roster, *rows: RosterRow) -> Roster:
    """The roster with `rows` added, or replacing the rows of the same id."""
    replaced = {(type(row), row.id) for row in rows}
    return _roster([*(r for r in _all_rows(roster) if (type(r), r.id) not in replaced), *rows])


def without_ids(roster: Roster, *ids: str) -> Roster:
    """The roster without the rows of `ids` (any table); nothing else changes."""
    return _roster(r for r in _all_rows(roster) if r.id not in set(ids))


def updated(roster: Roster, row_id: str, **changes: object) -> Roster:
    """The roster with one row's fields changed (validated again), e.g. updated(r, "440103", capacity=3)."""
    return updated_many(roster, {row_id: changes})


def updated_many(roster: Roster, changes: Mapping[str, Mapping[str, object]]) -> Roster:
    rows = {row.id: row for row in _all_rows(roster)}
    new = [
        type(rows[row_id]).model_validate({**rows[row_id].model_dump(), **fields}) for row_id, fields in changes.items()
    ]
    return with_rows(roster, *new)


# --- building plans by hand -----------------------------------------------------------------


def receiver_city_id(roster: Roster, party_id: str) -> str:
    """What a pair's receiver_city_id says for a receiver (a city is its own)."""
    if party_id in roster.schools:
        return roster.schools[party_id].area_id[:4] + "00"
    if party_id in roster.institutes:
        return roster.institutes[party_id].city_id
    return party_id[:4] + "00"


def make_pair(roster: Roster, kind: Kind, supporter_id: str, receiver_id: str, round_: str = ROUND) -> Pair:
    """A pair with names and receiver city filled from the roster (empty names for unknown ids)."""

    def name(party_id: str) -> str:
        try:
            return roster.name_of(party_id)
        except KeyError:
            return ""

    return Pair(
        round=round_,
        kind=kind,
        supporter_id=supporter_id,
        supporter_name=name(supporter_id),
        receiver_id=receiver_id,
        receiver_name=name(receiver_id),
        receiver_city_id=receiver_city_id(roster, receiver_id),
    )


def valid_pairs(
    roster: Roster,
    *,
    round_: str = ROUND,
    city_partners: Mapping[str, str] | None = None,
    county_partners: Mapping[str, str] | None = None,
) -> list[Pair]:
    """A plan that passes every hard rule, built greedily in id order (no solver).

    `city_partners` (receiving city -> supporting city) and `county_partners` (receiving county
    -> supporting unit) are taken as given, without checking capacity, so that a test can build
    a plan that is consistent everywhere except where it means to break a rule. Institute,
    school and intra-region pairs follow the city and county pairs. Raises ValueError when the
    roster is too small for a valid plan.
    """
    cities = _choose_city_partners(roster, dict(city_partners or {}), county_partners or {})
    counties = _choose_county_partners(roster, cities, dict(county_partners or {}))
    edges: list[tuple[Kind, str, str]] = []
    edges += [(Kind.CITY_CITY, s, r) for r, s in cities.items()]
    edges += [(Kind.COUNTY_COUNTY, s, r) for r, s in counties.items()]
    edges += _normal_university_edges(roster)
    edges += _university_area_edges(roster)
    edges += _institute_edges(roster, cities, counties)
    edges += _school_edges(roster, counties)
    edges += _intra_edges(roster)
    return sort_pairs([make_pair(roster, kind, s, r, round_) for kind, s, r in edges])


def _units_of(roster: Roster, city_id: str, role: Role) -> list[str]:
    return [a.area_id for a in roster.areas.values() if a.city_id == city_id and a.role == role]


def _choose_city_partners(roster: Roster, fixed: dict[str, str], county_fixed: Mapping[str, str]) -> dict[str, str]:
    left = {c.city_id: c.capacity for c in roster.supporting_cities()}
    unit_left = {a.area_id: a.capacity for a in roster.supporter_areas()}
    for supporting in fixed.values():
        left[supporting] = left.get(supporting, 0) - 1
    for unit in county_fixed.values():
        unit_left[unit] = unit_left.get(unit, 0) - 1
    for city in roster.receiving_cities():
        if city.city_id in fixed:
            continue
        need = len([r for r in _units_of(roster, city.city_id, Role.RECEIVER) if r not in county_fixed])
        for supporting in sorted(left):
            room = sum(max(unit_left[u], 0) for u in _units_of(roster, supporting, Role.SUPPORTER))
            if supporting != city.city_id and left[supporting] > 0 and room >= need:
                fixed[city.city_id] = supporting
                left[supporting] -= 1
                for unit in _units_of(roster, supporting, Role.SUPPORTER):
                    take = min(need, max(unit_left[unit], 0))
                    unit_left[unit] -= take
                    need -= take
                break
        else:
            raise ValueError(f"no supporting city can take {city.city_id}")
    return dict(sorted(fixed.items()))


def _choose_county_partners(roster: Roster, cities: Mapping[str, str], fixed: dict[str, str]) -> dict[str, str]:
    left = {a.area_id: a.capacity for a in roster.supporter_areas()}
    for unit in fixed.values():
        left[unit] = left.get(unit, 0) - 1
    for area in roster.receivers():
        if area.area_id in fixed:
            continue
        units = [u for u in _units_of(roster, cities[area.city_id], Role.SUPPORTER) if left[u] > 0]
        if not units:
            raise ValueError(f"no supporting unit left for {area.area_id}")
        fixed[area.area_id] = units[0]
        left[units[0]] -= 1
    return dict(sorted(fixed.items()))


def _normal_university_edges(roster: Roster) -> list[tuple[Kind, str, str]]:
    normal = [
        u
        for u in roster.universities.values()
        if u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    left = {u.university_id: u.capacity for u in normal}
    edges = []
    for city in roster.receiving_cities():
        # existing cooperation first (R02: 根据现有合作基础)
        tied = {
            t.supporter_id
            for t in roster.ties.values()
            if t.kind == Kind.NORMAL_UNIVERSITY_CITY and t.receiver_id == city.city_id
        }
        order = sorted(normal, key=lambda u: (u.university_id not in tied, u.university_id))
        chosen = next((u.university_id for u in order if left[u.university_id] > 0), None)
        if chosen is None:
            raise ValueError(f"no normal university left for {city.city_id}")
        left[chosen] -= 1
        edges.append((Kind.NORMAL_UNIVERSITY_CITY, chosen, city.city_id))
    return edges


def _university_area_edges(roster: Roster) -> list[tuple[Kind, str, str]]:
    universities = [
        u.university_id
        for u in roster.universities.values()
        if u.kind == UniversityKind.NON_NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    receivers = [c.city_id for c in roster.receiving_cities()] + [a.area_id for a in roster.receivers()]
    if len(universities) < len(receivers):
        raise ValueError(f"{len(universities)} non-normal universities cannot cover {len(receivers)} receivers")
    return [(Kind.UNIVERSITY_AREA, uni, receivers[i % len(receivers)]) for i, uni in enumerate(universities)]


def _institute_edges(
    roster: Roster, cities: Mapping[str, str], counties: Mapping[str, str]
) -> list[tuple[Kind, str, str]]:
    edges = []
    for receiving, supporting in cities.items():
        if f"jy{receiving}" in roster.institutes:
            edges.append((Kind.INSTITUTE_INSTITUTE, f"jy{supporting}", f"jy{receiving}"))
    for receiving, unit in counties.items():
        if f"jy{receiving}" in roster.institutes:
            own = f"jy{unit}"
            supporter = own if own in roster.institutes else f"jy{unit[:4]}00"  # 东莞/中山 镇街
            edges.append((Kind.INSTITUTE_INSTITUTE, supporter, f"jy{receiving}"))
    return edges


def _schools_in(roster: Roster, area_id: str, location: Location | None = None) -> list[str]:
    return [
        s.school_id
        for s in roster.schools.values()
        if s.area_id == area_id and (location is None or s.location == location)
    ]


def _school_edges(roster: Roster, counties: Mapping[str, str]) -> list[tuple[Kind, str, str]]:
    edges = []
    for receiving, unit in counties.items():
        supporters = _schools_in(roster, unit)
        for i, school in enumerate(_schools_in(roster, receiving)):
            if not supporters:
                raise ValueError(f"{unit} has no school to support {school}")
            edges.append((Kind.SCHOOL_SCHOOL, supporters[i % len(supporters)], school))
    return edges


def _intra_edges(roster: Roster) -> list[tuple[Kind, str, str]]:
    edges = []
    for city in roster.receiving_cities():
        if city.zone == Zone.PRD:
            continue
        receivers = [roster.areas[a] for a in _units_of(roster, city.city_id, Role.RECEIVER)]
        districts = [a.area_id for a in receivers if a.type == AreaType.DISTRICT]
        if districts:
            edges += [(Kind.INTRA_REGION, districts[0], a.area_id) for a in receivers if a.type in COUNTY_TYPES]
    for area in roster.receivers():
        urban = _schools_in(roster, area.area_id, Location.URBAN)
        others = _schools_in(roster, area.area_id, Location.TOWNSHIP) + _schools_in(
            roster, area.area_id, Location.RURAL
        )
        if urban:
            edges += [(Kind.INTRA_REGION, urban[i % len(urban)], school) for i, school in enumerate(others)]
    return edges
