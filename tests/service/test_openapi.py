"""The OpenAPI document is honest: every error a problem document, the statuses each operation can
give, required headers required, and every operation, field and request body documented."""

from __future__ import annotations

from typing import Any

import pytest

from service.app import create_app

PROBLEM_JSON = "application/problem+json"
MAX_ID = 2**63 - 1


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app().openapi()


def _operations(document: dict[str, Any]):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_is_described_and_every_error_is_a_problem(document: dict[str, Any]):
    operations = list(_operations(document))
    assert len(operations) >= 35
    for name, operation in operations:
        assert operation.get("summary") and operation.get("description"), name
        responses = operation["responses"]
        assert "422" in responses, name
        if operation.get("security"):
            assert "401" in responses, name
        for code, response in responses.items():
            assert response.get("description"), (name, code)
            if int(code) >= 400:
                assert response["content"] == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for parameter in operation.get("parameters", []):
            assert parameter.get("description") or parameter["schema"].get("description"), (name, parameter)


def test_statuses_of_the_writes(document: dict[str, Any]):
    def codes(method: str, path: str) -> set[str]:
        return set(document["paths"][path][method]["responses"])

    assert {"200", "201", "401", "403", "409", "412", "422", "428"} <= codes("post", "/rosters/current/changes")
    assert {"200", "201", "401", "403", "409", "412", "413", "422", "428", "503"} <= codes(
        "put", "/rosters/current/{table}.csv"
    )
    assert {"202", "401", "403", "422", "503"} <= codes("post", "/plans")
    assert {"200", "202", "401", "403", "404", "409", "422"} <= codes("post", "/plans/{plan_id}/cancel")
    assert {"204", "401", "403", "404", "409", "422"} <= codes("delete", "/tokens/{token_id}")
    assert {"200", "401", "404", "409", "422"} <= codes("get", "/plans/{plan_id}/pairs.csv")


def test_if_match_is_required_and_ids_are_bounded(document: dict[str, Any]):
    seen = 0
    for name, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "If-Match":
                assert parameter["required"] is True, name
                seen += 1
            if parameter["name"] in ("plan_id", "token_id", "version", "against") and parameter["in"] != "header":
                schema = parameter["schema"]
                if schema.get("type") == "integer":
                    assert schema["minimum"] == 1 and schema["maximum"] == MAX_ID, (name, parameter)
    assert seen == 4  # changes, the CSV upload, the web upload, a year's actuals


def test_every_request_body_has_an_example_and_every_field_a_description(document: dict[str, Any]):
    bodies = 0
    for name, operation in _operations(document):
        body = operation.get("requestBody")
        if body:
            bodies += 1
            for media_type, media in body["content"].items():
                assert "example" in media or "examples" in media, (name, media_type)
    assert bodies >= 6
    fields = 0
    for schema_name, schema in document["components"]["schemas"].items():
        assert schema.get("description"), schema_name
        for field, spec in schema.get("properties", {}).items():
            fields += 1
            assert spec.get("description"), f"{schema_name}.{field}"
    assert fields >= 136
