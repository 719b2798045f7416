"""Pieces of the service that need no server: results, rules records, XLSX, settings, ETags."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pytest

from service.api.routes.rosters import expected_version
from service.core.config import Settings
from service.core.problems import ProblemError
from service.exports import pairs_xlsx
from service.solving import result_record
from solver import (
    DEFAULT_RULES,
    Kind,
    Pair,
    PairingResult,
    RoundPlan,
    SolveStatus,
    build_report,
)
from tests.factories import tiny_roster


def _round_plan(status: SolveStatus, explanation: list[str]) -> RoundPlan:
    result = PairingResult("2021-2025", status, None, None, 5.0, [], [], explanation)
    return RoundPlan(result, build_report(tiny_roster(), DEFAULT_RULES, result, []))


def test_a_solve_without_a_plan_is_infeasible_or_failed():
    values, files = result_record(_round_plan(SolveStatus.INFEASIBLE, ["R01: 大埔县 needs a supporter"]), 5)
    assert values["status"] == "infeasible" and values["explanation"] == ["R01: 大埔县 needs a supporter"]
    assert files == {}
    values, files = result_record(_round_plan(SolveStatus.UNKNOWN, []), 5)
    assert values["status"] == "failed" and "time limit (5 s per part)" in values["error"]
    assert files == {}


def test_xlsx_is_deterministic_and_keeps_formula_like_text_as_text():
    pair = Pair(
        round="2021-2025",
        kind=Kind.CITY_CITY,
        supporter_id="440100",
        supporter_name="=HYPERLINK(1)",
        receiver_id="441400",
        receiver_name="梅州市",
        receiver_city_id="441400",
        score_terms={"distance": 3},
    )
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    first, second = pairs_xlsx([pair], "t", stamp), pairs_xlsx([pair], "t", stamp)
    assert first == second
    sheet = openpyxl.load_workbook(io.BytesIO(first))["市与市"]
    assert sheet["D2"].value == "=HYPERLINK(1)" and sheet["D2"].data_type == "s"
    assert sheet["F2"].value == "梅州市" and sheet["A1"].value == "轮次"


def test_database_urls():
    assert Settings(_env_file=None, DATA_DIR="/tmp/x").database_url == "sqlite:////tmp/x/gd-pairing.sqlite3"
    assert Settings(_env_file=None, DATABASE_URL="postgresql://u@h/db").database_url == "postgresql+psycopg://u@h/db"
    assert Settings(_env_file=None, DATABASE_URL="postgres://u@h/db").database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("header, version", [('"roster-3"', 3), ("roster-12", 12)])
def test_if_match_values(header: str, version: int):
    assert expected_version(header) == version


@pytest.mark.parametrize("header, status", [(None, 428), ("", 428), ("*", 412), ('"abc"', 412), ('W/"roster-4"', 412)])
def test_bad_if_match_values(header: str | None, status: int):
    with pytest.raises(ProblemError) as raised:
        expected_version(header)
    assert raised.value.status == status


def test_stored_input_that_no_longer_passes_is_a_409_naming_each_problem():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from service.core import problems
    from solver import InputError, Problem

    app = FastAPI()
    problems.install(app)

    @app.get("/stored")
    def stored() -> None:
        raise InputError([Problem("cities.csv", 2, "capacity", "Input should be less than or equal to 1000")])

    response = TestClient(app, raise_server_exceptions=False).get("/stored")
    assert response.status_code == 409 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"table": "cities.csv", "row": 2, "field": "capacity", "message": "Input should be less than or equal to 1000"}
    ]
