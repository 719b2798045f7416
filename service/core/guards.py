"""What the service never takes, refused before any route sees it:

- control characters (NUL included) in a path or a query string: 422, on every backend alike
  (PostgreSQL cannot store NUL; SQLite would). Bodies are checked by their schemas
  (service.schemas.PlainText) and roster cells by the solver's one validation path;
- a body larger than MAX_BODY_BYTES (JSON bodies) or MAX_UPLOAD_BYTES (the table uploads): 413,
  at once when Content-Length says so, else as soon as the bytes read pass the limit. JSON
  bodies are read into memory by the framework, so this bounds what one request can hold;
  uploads are streamed to disk by their own route (service.uploads).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


# The routes that take a whole table as their body (their limit is MAX_UPLOAD_BYTES).
UPLOAD_PATHS = re.compile(r"^/(web/)?rosters/current/[^/]+$")


def _too_large(limit: int) -> Any:
    return problem_response(413, f"the request body is larger than {limit} bytes", slug="too-large")


class BodyLimit:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings
        upload = scope["method"] == "PUT" and UPLOAD_PATHS.match(scope.get("path", "")) is not None
        limit = settings.MAX_UPLOAD_BYTES if upload else settings.MAX_BODY_BYTES
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        if upload:  # streamed by its route, which stops at the same limit
            await self.app(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await _too_large(limit)(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
