"""Errors as RFC 9457 problem details (application/problem+json), with a list of `errors`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from solver import InputError, describe_error

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://gd-pairing.invalid/problems/"

_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


class ProblemError(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        title: str | None = None,
        errors: Sequence[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.title = title or _TITLES.get(status, "Error")
        self.errors = list(errors)
        self.headers = headers or {}
        self.extra = extra or {}


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    errors: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug if slug else "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = list(errors)
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def not_found(what: str) -> ProblemError:
    return ProblemError(404, f"{what} does not exist", slug="not-found")


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            reason = error.get("ctx", {}).get("error", "")
            errors.append({"field": None, "message": f"the body is not valid JSON ({reason})".replace(" ()", "")})
            continue
        loc = [part for part in error.get("loc", ()) if part not in ("body", "query", "path", "header")]
        entry: dict[str, Any] = {}
        # Body lists (changes, pins) name the item by index so a coordinator finds it.
        ints = [part for part in loc if isinstance(part, int)]
        if ints:
            entry["index"] = ints[0]
        names = [str(part) for part in loc if not isinstance(part, int)]
        field = ".".join(names[1:] if ints and len(names) > 1 else names)
        entry["field"] = field or None
        entry["message"] = describe_error(error)[1]
        errors.append(entry)
    return errors


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.detail,
            slug=exc.slug,
            title=exc.title,
            errors=exc.errors,
            headers=exc.headers,
            extra=exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        fields = ", ".join(sorted({e["field"] or "the body" for e in errors}))
        return problem_response(422, f"the request is not valid: check {fields}", slug="invalid-request", errors=errors)

    @app.exception_handler(InputError)
    async def _stored_input(_request: Request, exc: InputError) -> JSONResponse:
        # Input a request sends is checked where it arrives (422); an InputError that gets this far
        # comes from stored data that no longer passes today's checks (a roster version stored by
        # an older release): say so and name each problem rather than fail with a 500.
        return problem_response(
            409,
            "stored data no longer passes the current checks; load a corrected roster as a new version",
            slug="stored-input-invalid",
            errors=[
                {"table": p.file, "row": p.row, "field": p.field, "message": p.message} for p in exc.problems[:200]
            ],
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # For errors no other handler took; Starlette re-raises them afterwards, so the server logs them.
        return problem_response(
            500, "an unexpected error occurred; it has been logged for the maintainers", slug="internal-error"
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's "error parsing the body" (not UTF-8, not a form): the body is not valid input.
            message = "the body could not be read: send JSON encoded in UTF-8"
            return problem_response(
                422,
                f"the request is not valid: {message}",
                slug="invalid-request",
                errors=[{"field": None, "message": message}],
            )
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such resource; see /docs for the endpoints"
        return problem_response(exc.status_code, detail, headers=getattr(exc, "headers", None))
