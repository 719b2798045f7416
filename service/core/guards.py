"""Text the service never takes: control characters (NUL included) in a path or a query string
are refused with 422 before any route sees them, on every backend alike (PostgreSQL cannot
store NUL; SQLite would). Bodies are checked by their schemas (service.schemas.PlainText) and
roster cells by the solver's one validation path."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from service.core.problems import problem_response
from solver import control_character_problem


def query_problem(scope: Scope) -> tuple[str, str] | None:
    """(field, message) of the first control character in the path or the query, or None."""
    problem = control_character_problem(scope.get("path", ""))
    if problem:
        return "path", f"the path {problem}"
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        for text in (name, value):
            problem = control_character_problem(text)
            if problem:
                return name, f"the query parameter {name!r} {problem}"
    return None


class PlainTextGuard:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = query_problem(scope)
            if found is not None:
                field, message = found
                response = problem_response(
                    422,
                    f"the request is not valid: check {field}",
                    slug="invalid-request",
                    errors=[{"field": field, "message": message}],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
