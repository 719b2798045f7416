"""degrees.csv, silver.csv and budgets.csv: optional, and a bad cell is a problem naming its file,
row and field, through the one validation path."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.domain.problems import InputError
from solver.roster.io import load_roster, write_roster
from tests.factories import tiny_roster

DAPU, LIWAN = "441422", "440103"


@pytest.fixture()
def roster_dir(tmp_path: Path) -> Path:
    write_roster(tiny_roster(), tmp_path)
    return tmp_path


def _write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8-sig")


def _problems(directory: Path) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(InputError) as caught:
        load_roster(directory)
    return [(p.file, p.row, p.field) for p in caught.value.problems]


def test_a_roster_without_the_tables_has_none_of_their_rows(roster_dir):
    for name in ("degrees.csv", "silver.csv", "budgets.csv"):
        (roster_dir / name).unlink()
    roster = load_roster(roster_dir)
    assert roster.degrees == {} and roster.silver == {} and roster.budgets == {}


def test_good_rows_load(roster_dir):
    _write(
        roster_dir,
        "degrees.csv",
        f"area_id,principals_below,heads_below,teachers_below,source\n{DAPU},2,1,40,estimate\n",
    )
    _write(
        roster_dir, "silver.csv", f"area_id,year,people,source\n{LIWAN},,3,illustrative\n{DAPU},2022,1,illustrative\n"
    )
    _write(
        roster_dir,
        "budgets.csv",
        "party_id,year,amount,purpose,source\n440000,2021,5000000,provincial_fund,illustrative\n"
        f"{LIWAN},2021,100000,support,illustrative\n",
    )
    roster = load_roster(roster_dir)
    assert roster.degrees[DAPU].teachers_below == 40
    assert roster.silver[f"{LIWAN}/"].people == 3 and roster.silver[f"{DAPU}/2022"].year == 2022
    assert roster.budgets["440000/2021/provincial_fund"].amount == 5_000_000


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "degrees.csv",
            f"area_id,principals_below,heads_below,teachers_below,source\n{LIWAN},1,0,1,e\n",
            ("degrees.csv", 2, "area_id"),
        ),
        (
            "degrees.csv",
            f"area_id,principals_below,heads_below,teachers_below,source\n{DAPU},99,0,1,e\n",
            ("degrees.csv", 2, "principals_below"),
        ),
        (
            "degrees.csv",
            f"area_id,principals_below,heads_below,teachers_below,source\n{DAPU},1,0,-3,e\n",
            ("degrees.csv", 2, "teachers_below"),
        ),
        ("silver.csv", "area_id,year,people,source\n449999,,3,i\n", ("silver.csv", 2, "area_id")),
        ("silver.csv", f"area_id,year,people,source\n{LIWAN},2040,3,i\n", ("silver.csv", 2, "year")),
        (
            "budgets.csv",
            "party_id,year,amount,purpose,source\n440000,2021,5,support,i\n",
            ("budgets.csv", 2, "purpose"),
        ),
        (
            "budgets.csv",
            f"party_id,year,amount,purpose,source\n{LIWAN},2021,5,provincial_fund,i\n",
            ("budgets.csv", 2, "purpose"),
        ),
        (
            "budgets.csv",
            f"party_id,year,amount,purpose,source\n{LIWAN},2021,true,support,i\n",
            ("budgets.csv", 2, "amount"),
        ),
        (
            "budgets.csv",
            "party_id,year,amount,purpose,source\n999999,2021,5,support,i\n",
            ("budgets.csv", 2, "party_id"),
        ),
    ],
)
def test_a_bad_row_names_its_file_row_and_field(roster_dir, name, text, where):
    _write(roster_dir, name, text)
    assert where in _problems(roster_dir)
