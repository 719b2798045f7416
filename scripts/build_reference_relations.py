"""Build the Guangdong reference roster's ties.csv and requests.csv.

ties.csv (existing cooperation, R23) comes from data/guangdong/sources/ties_researched.csv: every tie
found in the research for this roster, each with the URL(s) it was read at and what they say
(sources/README.md tells how it was gathered). The roster keeps only the rows a pair could follow:

- the supporter is a supporter of that kind (a supporting city; a supporter unit; a normal
  university for normal_university_city; a non-normal university taking part for university_area),
- the receiver is a receiver of that kind (a receiving city; a receiving county; for
  university_area either).

The others are printed with the reason they are left out (data/guangdong/README.md lists them).

requests.csv (receivers' requests, R25) is ILLUSTRATIVE: no receiving city or county has published
what it asks of the programme. The rows below are built from the policy's quotas and the few needs
that are on record (sources/README.md, "Requests"); every note starts `illustrative:` and says what
the row rests on.

Run after build_reference_areas.py and build_reference_universities.py (it checks ids against
their tables); the whole roster is validated at the end when schools.csv is there too.

    python scripts/build_reference_relations.py [ROSTER_DIR]     (default: data/guangdong)
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from build_reference_areas import SOURCES, write_table

from solver.roster.io import load_roster, table_rows
from solver.roster.models import Table
from solver.roster.parties import Area, City, University

# ---------------------------------------------------------------------------------- requests
YCWB = "羊城晚报 2025-10-20, https://ep.ycwb.com/epaper/ycwb/h5/html5/2025-10/20/content_2979_727803.htm"
NFNEWS = "南方+, https://www.nfnews.com/content/834pv1LW3d.html"
SZEB = "深圳市教育局 2021-10-31, http://szeb.sz.gov.cn/home/xxgk/zthd/rjydlxw/zxxw/content/post_9287270.html"
FLOOR = "the floor of 3 teams a county a year (annex 2: 每个受援县每年至少接受3个支教团支教)"
GENERIC = "generic: a common rural shortage subject, nothing sourced for this county"

# receiver_id, year, what, amount, subject, prefer_supporter_id, avoid_supporter_id, note
REQUESTS = [
    (
        "441323",
        2022,
        "teaching_team",
        3,
        "心理健康",
        "4144012121",
        "",
        f"illustrative: {FLOOR}; subject from 惠东's list of urgent needs (心理健康教育、信息化应用、教研能力提升、"
        f"传染病防治; {YCWB}); prefers 南方医科大学, tied to 惠东 since 2021 (ties.csv)",
    ),
    (
        "441323",
        2022,
        "backbone_shadow",
        40,
        "",
        "",
        "",
        "illustrative: 40 = the midpoint of annex 2's 30–50 backbone teachers a county a year, above the "
        "floor of 30; 惠东's need 信息化应用 is not carried (a backbone shadow has no subject)",
    ),
    (
        "445203",
        2024,
        "teaching_team",
        4,
        "信息科技",
        "441900006",
        "",
        f"illustrative: 4 teams, one more than {FLOOR}, to show R25 raising a quota where capacity allows; "
        f"subject from the AI-training demand at 揭东区新亨镇硕联小学 ({NFNEWS}; 信息技术(AI) → 信息科技); "
        "prefers 莞城街道, whose 支教 team was in 揭东 in 2024",
    ),
    (
        "445222",
        2024,
        "teaching_team",
        3,
        "心理健康",
        "441900118",
        "",
        f"illustrative: {FLOOR}; subject from the 心理 activities a 大岭山 支教 teacher runs at 揭西县纪达中学 "
        f"({NFNEWS}); prefers 大岭山镇",
    ),
    (
        "441826",
        2022,
        "teaching_team",
        3,
        "英语",
        "440104",
        "",
        f"illustrative: {FLOOR}; subject {GENERIC}; prefers 越秀区, its 2014 广清 education partner (ties.csv)",
    ),
    (
        "441826",
        2022,
        "leader_shadow",
        5,
        "",
        "440104",
        "",
        "illustrative: 5 = annex 2's minimum of 5–10 school leaders a year; prefers 越秀区 (2014 tie)",
    ),
    (
        "441826",
        2022,
        "manager_shadow",
        20,
        "",
        "440104",
        "",
        "illustrative: 20 = annex 2's minimum of 20–30 middle managers a year; prefers 越秀区 (2014 tie)",
    ),
    (
        "441403",
        2022,
        "teaching_team",
        3,
        "音乐",
        "440118",
        "",
        f"illustrative: {FLOOR}; subject {GENERIC}; prefers 增城区, its education partner since autumn 2021 (ties.csv)",
    ),
    (
        "441625",
        2022,
        "teaching_team",
        3,
        "体育与健康",
        "440300",
        "",
        f"illustrative: {FLOOR}; subject {GENERIC} (体育 → 体育与健康); prefers 深圳市, whose 支教 teachers "
        f"were at 东源县叶潭镇 in 2021 ({SZEB})",
    ),
    (
        "441523",
        2022,
        "backbone_shadow",
        30,
        "",
        "440300",
        "",
        f"illustrative: 30 = annex 2's floor of 30–50 backbone teachers; prefers 深圳市, whose 支教 teachers "
        f"were at 陆河 in 2021 ({SZEB})",
    ),
    (
        "445281",
        2023,
        "teaching_team",
        3,
        "",
        "",
        "4144012956",
        "illustrative, NOT sourced: no source records a receiver avoiding a supporter. The row shows R25's "
        "avoid: 普宁 asks that its annex-2 teaching teams not come from 揭阳职业技术学院, a college of its own "
        "city already paired with it under 双百行动 (ties.csv), so that its teams bring PRD resources; "
        f"{FLOOR}",
    ),
]
REQUEST_FIELDS = (
    "receiver_id",
    "year",
    "what",
    "amount",
    "subject",
    "prefer_supporter_id",
    "avoid_supporter_id",
    "note",
)


# ---------------------------------------------------------------------------------- ties
def read_table(directory: Path, table: Table) -> dict:
    return table_rows(table, (directory / table.filename).read_text(encoding="utf-8-sig"))


def why_left_out(
    tie: dict[str, str],
    cities: dict[str, City],
    areas: dict[str, Area],
    universities: dict[str, University],
) -> str | None:
    """Why the roster cannot hold this researched tie, or None when it can."""
    kind, sup, rec = tie["kind"], tie["supporter_id"], tie["receiver_id"]
    city, area = cities.get(rec), areas.get(rec)
    receiving_city = city is not None and city.receives
    receiving_county = area is not None and area.role == "receiver"
    if kind == "city_city":
        if sup not in cities or not cities[sup].supports:
            return f"{sup} is not a supporting city"
        return None if receiving_city else f"{rec} is not a receiving city"
    if kind == "county_county":
        if sup not in areas or areas[sup].role != "supporter":
            return f"{sup} is not a supporter unit"
        return None if receiving_county else f"{rec} is not a receiving county ({_label(rec, cities, areas)})"
    if kind in ("normal_university_city", "university_area"):
        uni = universities.get(sup)
        if uni is None or uni.role != "supporter":
            return f"{sup} is not a university taking part"
        wanted = "normal" if kind == "normal_university_city" else "non_normal"
        if uni.kind != wanted:
            return f"{uni.name} is {uni.kind}, and a {kind} tie needs a {wanted} university"
        ok = receiving_city if kind == "normal_university_city" else receiving_city or receiving_county
        return None if ok else f"{rec} is not a receiver of a {kind} pair ({_label(rec, cities, areas)})"
    return f"kind {kind} is not researched here"


def _label(party_id: str, cities: dict[str, City], areas: dict[str, Area]) -> str:
    if party_id in areas:
        return f"{areas[party_id].name}, role {areas[party_id].role}"
    if party_id in cities:
        return cities[party_id].name
    return "not in the roster"


def build_ties(directory: Path) -> list[dict[str, str]]:
    cities = read_table(directory, Table.CITIES)
    areas = read_table(directory, Table.AREAS)
    universities = read_table(directory, Table.UNIVERSITIES)
    with (SOURCES / "ties_researched.csv").open(encoding="utf-8-sig", newline="") as fh:
        researched = list(csv.DictReader(fh))
    kept = []
    for tie in researched:
        reason = why_left_out(tie, cities, areas, universities)
        if reason:
            print(f"left out {tie['kind']} {tie['supporter_id']} → {tie['receiver_id']}: {reason}")
        else:
            kept.append(tie)
    city_ties = {(t["supporter_id"], t["receiver_id"]) for t in kept if t["kind"] == "city_city"}
    for tie in kept:  # county pairs nest in city pairs (R04): say when a county tie has no city tie around it
        if tie["kind"] == "county_county":
            outer = (areas[tie["supporter_id"]].city_id, areas[tie["receiver_id"]].city_id)
            if outer not in city_ties:
                print(f"note: county tie {tie['supporter_id']} → {tie['receiver_id']} has no city tie {outer}")
    return kept


def build_requests(directory: Path) -> list[dict[str, object]]:
    areas = read_table(directory, Table.AREAS)
    rows = [dict(zip(REQUEST_FIELDS, values, strict=True)) for values in REQUESTS]
    for row in rows:
        assert str(row["note"]).startswith("illustrative"), row
        assert 2021 <= int(str(row["year"])) <= 2025, row  # the first round only
        if row["what"] in ("teaching_team", "backbone_shadow"):
            assert areas[str(row["receiver_id"])].role == "receiver", row
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "data" / "guangdong"
    parser.add_argument("roster_dir", type=Path, nargs="?", default=default)
    args = parser.parse_args(argv)
    write_table(args.roster_dir, Table.TIES, build_ties(args.roster_dir))
    write_table(args.roster_dir, Table.REQUESTS, build_requests(args.roster_dir))
    if (args.roster_dir / Table.SCHOOLS.filename).is_file():
        load_roster(args.roster_dir)  # every cross-table rule; raises InputError listing the problems
        print(f"{args.roster_dir}: the whole roster is valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
