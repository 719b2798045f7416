"""One validation path: the same bad roster gives the same problems through `python -m solver
validate`, through POST /rosters/current/changes and through PUT /rosters/current/{table}.csv."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from solver import Table
from tests.service.conftest import BUNDLED, Service

BAD_INPUTS = [
    # a city with a bad latitude: its areas are not reported again as in an unknown city
    (Table.CITIES, "441400", {"lat": "99"}),
    # a school in a county-level unit the roster does not have
    (Table.SCHOOLS, "2144900003", {"area_id": "449999"}),
    # a capacity larger than the number of receivers (a check across tables)
    (Table.AREAS, "440103", {"capacity": "500"}),
    # two bad cells of one row: both named
    (Table.AREAS, "440104", {"teachers": "many", "lon": "200"}),
]
Found = set[tuple[str, str | None, str]]


def _edited_csv(text: str, table: Table, row_id: str, cells: dict[str, str]) -> str:
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert any(row[table.model.id_field] == row_id for row in rows), row_id
    for row in rows:
        if row[table.model.id_field] == row_id:
            row.update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _through_the_cli(tmp_path: Path, table: Table, row_id: str, cells: dict[str, str]) -> Found:
    roster = tmp_path / "roster"
    shutil.copytree(BUNDLED, roster)
    path = roster / table.filename
    path.write_text(_edited_csv(path.read_text(encoding="utf-8-sig"), table, row_id, cells), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "solver", "validate", str(roster)], capture_output=True, text=True)
    assert run.returncode == 1, run.stdout
    found = set()
    for line in run.stderr.splitlines()[1:]:
        match = re.match(r"\s+([\w.]+)(?:, row \d+)?(?:, field (\w+))?: (.*)$", line)
        assert match, line
        found.add((match.group(1), match.group(2), match.group(3)))
    return found


def _through_changes(service: Service, table: Table, row_id: str, cells: dict[str, str]) -> Found:
    client = service.client("coordinator")
    etag = client.get("/rosters/current").headers["etag"]
    body = {"changes": [{"op": "update", "table": table.value, "id": row_id, "fields": cells}]}
    response = client.post("/rosters/current/changes", json=body, headers={"If-Match": etag})
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert all(e["index"] == 0 and e["table"] and e["id"] for e in errors), errors
    return {(Table(e["table"]).filename, e["field"], e["message"]) for e in errors}


def _through_an_upload(service: Service, table: Table, row_id: str, cells: dict[str, str]) -> Found:
    client = service.client("coordinator")
    etag = client.get("/rosters/current").headers["etag"]
    text = client.get(f"/rosters/current/{table.value}.csv").content.decode("utf-8-sig")
    body = _edited_csv(text, table, row_id, cells).encode("utf-8")
    response = client.put(f"/rosters/current/{table.value}.csv", content=body, headers={"If-Match": etag})
    assert response.status_code == 422, response.text
    return {(e["file"], e["field"], e["message"]) for e in response.json()["errors"]}


@pytest.mark.parametrize("table,row_id,cells", BAD_INPUTS, ids=[f"{t.value}-{i}" for t, i, _ in BAD_INPUTS])
def test_the_same_bad_roster_gives_the_same_problems_on_every_path(service: Service, tmp_path, table, row_id, cells):
    from_cli = _through_the_cli(tmp_path, table, row_id, cells)
    assert from_cli and len(from_cli) == len(cells)
    assert _through_changes(service, table, row_id, cells) == from_cli
    assert _through_an_upload(service, table, row_id, cells) == from_cli
