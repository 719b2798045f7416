"""The bundled Guangdong roster's structure, and every kind of bad input reported by file, row and field."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from solver.domain.problems import InputError
from solver.domain.text import decode
from solver.roster.fields import AREA_ID, Role, UniversityKind, UniversityRole, Zone
from solver.roster.io import load_roster, roster_from_texts, write_roster
from solver.roster.models import Roster, Table

ROOT = Path(__file__).resolve().parents[3]
BUNDLED = ROOT / "data" / "guangdong"


@pytest.fixture(scope="module")
def texts() -> dict[Table, str]:
    return {
        t: decode((BUNDLED / t.filename).read_bytes(), t.filename)
        for t in Table
        if not t.optional or (BUNDLED / t.filename).is_file()
    }


@pytest.fixture(scope="module")
def roster(texts) -> Roster:
    return roster_from_texts(texts)


# --- structure -----------------------------------------------------------------------------


def test_cities_21_with_9_prd_and_12_ewn(roster):
    zones = [c.zone for c in roster.cities.values()]
    assert len(roster.cities) == 21
    assert zones.count(Zone.PRD) == 9
    assert len(zones) - zones.count(Zone.PRD) == 12
    assert len(roster.receiving_cities()) == 15
    ewn = {c.city_id for c in roster.cities.values() if c.zone != Zone.PRD}
    assert ewn <= {c.city_id for c in roster.receiving_cities()}


def test_exactly_84_receivers_with_the_4_3_3_split(roster):
    receivers = roster.receivers()
    assert len(receivers) == 84
    per_city = {}
    for area in receivers:
        per_city[area.city_id] = per_city.get(area.city_id, 0) + 1
    assert per_city["441200"] == 4  # 肇庆
    assert per_city["440700"] == 3  # 江门
    assert per_city["441300"] == 3  # 惠州
    ewn_units = [a for a in roster.areas.values() if roster.cities[a.city_id].zone != Zone.PRD]
    assert len(ewn_units) == 74 and all(a.role == Role.RECEIVER for a in ewn_units)


def test_dongguan_and_zhongshan_townships_are_supporters_with_9_digit_codes(roster):
    for city_id, count in (("441900", 32), ("442000", 23)):
        units = [a for a in roster.areas.values() if a.city_id == city_id]
        assert len(units) == count
        assert all(len(a.area_id) == 9 and a.area_id[:4] == city_id[:4] for a in units)
        assert all(a.role == Role.SUPPORTER for a in units)


def test_universities_at_least_140_non_normal_and_exactly_140_take_part(roster):
    non_normal = [u for u in roster.universities.values() if u.kind == UniversityKind.NON_NORMAL]
    assert len(non_normal) >= 140
    assert sum(u.role == UniversityRole.SUPPORTER for u in non_normal) == 140
    normal = [
        u
        for u in roster.universities.values()
        if u.kind == UniversityKind.NORMAL and u.role == UniversityRole.SUPPORTER
    ]
    assert sum(u.capacity for u in normal) >= 15


def test_codes_unique_and_well_formed(texts):
    for table, text in texts.items():
        ids = [table.model.id_of(row) for row in csv.DictReader(io.StringIO(text))]
        assert len(ids) == len(set(ids)), table
        pattern = table.model.id_pattern
        assert pattern is None or all(pattern.match(i) for i in ids), table
    area_ids = [row["area_id"] for row in csv.DictReader(io.StringIO(texts[Table.AREAS]))]
    assert all(AREA_ID.match(a) for a in area_ids)


def test_every_school_is_synthetic_and_every_receiver_has_priority_schools(roster):
    assert roster.schools and all(s.synthetic and s.source.startswith("synthetic") for s in roster.schools.values())
    with_priority = {s.area_id for s in roster.schools.values() if s.priority}
    assert {a.area_id for a in roster.receivers()} <= with_priority


def test_estimates_say_they_are_estimates(roster):
    for area in roster.areas.values():
        assert re.search(r"estimate|memory|approx", area.estimate_source), area.area_id


def test_round_trip_write_and_load(tmp_path, roster):
    write_roster(roster, tmp_path)
    assert load_roster(tmp_path) == roster


# --- bad input -----------------------------------------------------------------------------


def _mutate(text: str, row_id: str, field: str, value: str) -> str:
    """Set one cell of the row whose first column is row_id."""
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index(field)
    for row in rows[1:]:
        if row and row[0] == row_id:
            row[col] = value
            break
    else:
        raise AssertionError(f"no row {row_id}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _row_of(text: str, row_id: str) -> int:
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if row and row[0] == row_id:
            return number
    raise AssertionError(row_id)


def _problems(texts, **changes) -> list:
    changed = dict(texts)
    for table_name, text in changes.items():
        changed[Table(table_name)] = text
    with pytest.raises(InputError) as info:
        roster_from_texts(changed)
    return info.value.problems


def _first_id(texts, table: Table) -> str:
    return next(csv.DictReader(io.StringIO(texts[table])))[table.model.id_field]


def test_school_in_unknown_county(texts):
    school = _first_id(texts, Table.SCHOOLS)
    text = _mutate(texts[Table.SCHOOLS], school, "area_id", "445399")
    (p,) = _problems(texts, schools=text)
    assert (p.file, p.row, p.field) == ("schools.csv", _row_of(text, school), "area_id")
    assert "445399" in p.message


def test_duplicate_id(texts):
    lines = texts[Table.UNIVERSITIES].splitlines(keepends=True)
    text = "".join([*lines, lines[1]])
    (p,) = _problems(texts, universities=text)
    assert (p.file, p.row, p.field) == ("universities.csv", len(lines) + 1, "university_id")
    assert "duplicate" in p.message and "row 2" in p.message


def test_receiver_in_prd_city_that_is_not_an_underdeveloped_county(texts):
    text = _mutate(texts[Table.AREAS], "440703", "role", "receiver")  # 江门 蓬江区, a district
    problems = _problems(texts, areas=text)
    located = [p for p in problems if p.row == _row_of(text, "440703")]
    assert located and located[0].field == "role" and "蓬江区" in located[0].message
    assert any(p.field == "role" and "江门市 has 4 receiving units" in p.message for p in problems)


def test_receiver_in_prd_city_without_underdeveloped_counties(texts):
    text = _mutate(texts[Table.AREAS], "440106", "role", "receiver")  # 广州 天河区
    problems = _problems(texts, areas=text)
    assert any(p.row == _row_of(text, "440106") and p.field == "role" for p in problems)


@pytest.mark.parametrize(
    "field,value,expect",
    [
        ("teachers", "-5", "greater than or equal to 0"),
        ("population", "", "required"),
        ("schools", "many", "integer"),
    ],
)
def test_negative_missing_or_bad_counts(texts, field, value, expect):
    text = _mutate(texts[Table.AREAS], "441422", field, value)  # 大埔县
    (p,) = _problems(texts, areas=text)
    assert (p.file, p.row, p.field) == ("areas.csv", _row_of(text, "441422"), field)
    assert expect in p.message


def test_malformed_codes(texts):
    areas = _mutate(texts[Table.AREAS], "441422", "area_id", "44142A")
    school = _first_id(texts, Table.SCHOOLS)
    schools = _mutate(texts[Table.SCHOOLS], school, "school_id", "99" + school[2:])
    problems = _problems(texts, areas=areas, schools=schools)
    assert any(
        p.file == "areas.csv" and p.row == _row_of(areas, "44142A") and "malformed" in p.message for p in problems
    )
    assert any(p.file == "schools.csv" and p.row == _row_of(schools, "99" + school[2:]) for p in problems)


def test_coordinates_outside_guangdong(texts):
    text = _mutate(texts[Table.CITIES], "441400", "lat", "39.9")
    (p,) = _problems(texts, cities=text)
    assert (p.file, p.row, p.field) == ("cities.csv", _row_of(text, "441400"), "lat")


def test_every_problem_is_reported_at_once(texts):
    areas = _mutate(texts[Table.AREAS], "441422", "teachers", "-1")
    cities = _mutate(texts[Table.CITIES], "441400", "lon", "10")
    problems = _problems(texts, areas=areas, cities=cities)
    assert {p.file for p in problems} == {"areas.csv", "cities.csv"}


def test_missing_column_is_named(texts):
    header, rest = texts[Table.CITIES].split("\n", 1)
    text = header.replace(",zone,", ",region,") + "\n" + rest
    problems = _problems(texts, cities=text)
    assert any(p.file == "cities.csv" and p.row == 1 and p.field == "zone" for p in problems)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_loads_utf8_bom_and_gb18030(tmp_path, texts, roster, encoding):
    for table, text in texts.items():
        (tmp_path / table.filename).write_bytes(text.encode(encoding))
    assert load_roster(tmp_path) == roster


def test_cli_validate_summary_and_errors(tmp_path, texts):
    ok = subprocess.run([sys.executable, "-m", "solver", "validate", str(BUNDLED)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout and "receiver 84" in ok.stdout
    for table, text in texts.items():
        (tmp_path / table.filename).write_text(text, encoding="utf-8")
    (tmp_path / "areas.csv").write_text(_mutate(texts[Table.AREAS], "441422", "teachers", "-3"), encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "solver", "validate", str(tmp_path)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "areas.csv, row" in bad.stderr and "field teachers" in bad.stderr


# --- ties.csv and requests.csv (R23, R25) ------------------------------------------------------


def _append(text: str, *rows: str) -> tuple[str, int]:
    """The table with rows added at its end, and the file row number of the first of them."""
    body = text if text.endswith("\n") else text + "\n"
    return body + "".join(r + "\r\n" for r in rows), len(text.splitlines()) + 1


def test_bundled_ties_and_requests_have_sources_or_say_illustrative(roster):
    assert len(roster.ties) >= 40 and all(t.source for t in roster.ties.values())
    assert sum(t.kind.value == "city_city" for t in roster.ties.values()) >= 10
    assert roster.requests and all(
        "illustrative" in r.note.lower() or "示例" in r.note for r in roster.requests.values()
    )


def test_a_tie_naming_an_unknown_party_or_kind_is_named_by_row_and_field(texts):
    header = texts[Table.TIES].splitlines()[0].lstrip("\ufeff").split(",")
    assert header == ["supporter_id", "receiver_id", "kind", "strength", "since", "source"]
    text, row = _append(
        texts[Table.TIES],
        "440100,449999,city_city,3,2013,test",
        "440100,441400,city_town,3,2013,test",
        "440100,441400,city_city,7,2013,test",
    )
    found = {(p.file, p.row, p.field) for p in _problems(texts, ties=text)}
    assert ("ties.csv", row, "receiver_id") in found
    assert ("ties.csv", row + 1, "kind") in found
    assert ("ties.csv", row + 2, "strength") in found


def test_a_duplicated_tie_is_named(texts):
    first = texts[Table.TIES].splitlines()[1]
    text, row = _append(texts[Table.TIES], first)
    problems = _problems(texts, ties=text)
    assert any(p.file == "ties.csv" and p.row == row for p in problems), problems


def test_a_request_for_an_unknown_flow_or_subject_or_an_avoided_stranger_is_named(texts):
    header = texts[Table.REQUESTS].splitlines()[0].lstrip("\ufeff").split(",")
    assert header == [
        "receiver_id",
        "year",
        "what",
        "amount",
        "subject",
        "prefer_supporter_id",
        "avoid_supporter_id",
        "note",
    ]
    text, row = _append(
        texts[Table.REQUESTS],
        "441402,2022,helicopters,3,,,,test",
        "441402,2022,teaching_team,3,炼金术,,,test",
        "441402,2040,teaching_team,3,,,,test",
        "441402,2022,backbone_shadow,40,,,x999,test",
    )
    found = {(p.file, p.row, p.field) for p in _problems(texts, requests=text)}
    assert ("requests.csv", row, "what") in found
    assert ("requests.csv", row + 1, "subject") in found
    assert ("requests.csv", row + 2, "year") in found
    assert ("requests.csv", row + 3, "avoid_supporter_id") in found
