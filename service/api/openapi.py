"""The OpenAPI document, made honest: every status an operation can answer, each error as
problem details (application/problem+json, schema `Problem`), If-Match marked required where it
is, and an example for every request body.

Routes declare their own statuses with `problems(...)`; `finish` then adds what every operation
can answer (401 where a token is needed; 422 everywhere, since a control character in any query
string is refused; 413 wherever a body is taken) and rewrites every error response to the one
problem schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from service.core.problems import PROBLEM_JSON
from service.schemas import Problem

WHY: dict[int, str] = {
    401: "no token, a bad or revoked token, or an ended session",
    403: "the token's role is too low, the row is outside its city scope, or (with the session cookie) the CSRF check failed",
    404: "no such resource",
    409: "a conflict with the current state: the roster or a year's actuals changed since you read them, the plan "
    "is not done, or no actuals are recorded yet",
    412: "If-Match is not an ETag of what is changed (the roster, a year's actuals)",
    413: "the body is larger than MAX_BODY_BYTES (an upload: MAX_UPLOAD_BYTES)",
    422: "the request is not valid: each problem is named in `errors`",
    428: "If-Match is missing",
    429: "busy with the same kind of request (a preview being solved): try again after Retry-After seconds",
    503: "not available now: no roster loaded, the queue or the uploads are full (see Retry-After), or the database is down",
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
ENUMS = {
    "ChangeOp": "add a row, update some of its fields, or remove it",
    "Kind": "a kind of pair: city_city, county_county, normal_university_city, university_area, "
    "institute_institute, school_school, intra_region",
    "PinAction": "fix: the pair is in the plan; forbid: it is not",
    "PlanStatus": "queued, running, then done, infeasible, failed or cancelled",
    "Role": "viewer reads; coordinator also changes rosters and plans; admin also manages tokens",
    "Table": "a roster table",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route for these error statuses (problem details)."""
    return {code: {"model": Problem, "description": WHY[code]} for code in codes}


def file_200(media_type: str, description: str, *, binary: bool = False) -> dict[int | str, dict[str, Any]]:
    """The 200 response of a download."""
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


def json_200(description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}}


def finish(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if operation.get("security"):
                responses.setdefault("401", {"description": WHY[401]})
            responses.setdefault("422", {"description": WHY[422]})
            if "requestBody" in operation:
                responses.setdefault("413", {"description": WHY[413]})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400:
                    response["description"] = WHY.get(int(code), response.get("description", ""))
                    response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match":
                    parameter["required"] = True
                    parameter["schema"] = {"type": "string", "pattern": r'^"?roster-\d+"?$', "example": '"roster-1"'}
            body = operation.get("requestBody")
            if body:
                for media in body.get("content", {}).values():
                    ref = media.get("schema", {}).get("$ref", "")
                    examples = schemas.get(ref.rsplit("/", 1)[-1], {}).get("examples") if ref else None
                    if "example" not in media and examples:
                        media["example"] = examples[0]
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    for name, schema in schemas.items():
        if "enum" in schema and "description" not in schema:
            schema["description"] = ENUMS.get(name, "one of the values listed")
    return document


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = finish(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
