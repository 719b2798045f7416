"""Roster uploads with bounded memory.

- The body is streamed into a spooled temporary file (in memory up to SPOOL_BYTES, on disk past
  that), refused with 413 as soon as it passes MAX_UPLOAD_BYTES (or says it will, in its
  Content-Length), so a waiting or slow upload holds at most SPOOL_BYTES of memory.
- Parsing and validating an upload takes about 20 times its size in memory (rows become records,
  then typed rows, then the new roster). At most MAX_CONCURRENT_UPLOADS (default 1) are parsed
  at once per API process; the others wait for their turn (up to UPLOAD_WAIT_S, then 503). Since
  every upload names the roster version it replaces (If-Match), uploads against one version
  could never all succeed anyway: after the first, the others answer 409 without being parsed.
- After each upload the process gives freed memory back to the system (malloc_trim on glibc).

So an API process's memory stays below its idle size plus about 21 × MAX_UPLOAD_BYTES, however
many uploads arrive at once (measured by scripts/benchmark_service.py; see service/README.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, Request

from service.api.deps import SettingsDep
from service.core.problems import ProblemError

SPOOL_BYTES = 1024 * 1024


class Upload:
    """An uploaded body, spooled: `read()` gives its bytes (call it inside the upload's turn)."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed by upload_body)
        self.size = 0

    def read(self) -> bytes:
        self.file.seek(0)
        return self.file.read()

    def close(self) -> None:
        self.file.close()


def too_large(limit: int) -> ProblemError:
    return ProblemError(413, f"the upload is larger than {limit} bytes", slug="too-large")


async def upload_body(request: Request, settings: SettingsDep) -> AsyncIterator[Upload]:
    """The request body, streamed to a spooled file; 413 past MAX_UPLOAD_BYTES."""
    limit = settings.MAX_UPLOAD_BYTES
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    upload = Upload()
    try:
        async for chunk in request.stream():
            upload.size += len(chunk)
            if upload.size > limit:
                raise too_large(limit)
            upload.file.write(chunk)
        yield upload
    finally:
        upload.close()


UploadBody = Annotated[Upload, Depends(upload_body)]


def _trim() -> None:
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class UploadGate:
    """At most `slots` uploads parsed at once in this process."""

    def __init__(self, slots: int):
        self._slots = threading.BoundedSemaphore(slots)

    @contextlib.contextmanager
    def turn(self, wait_s: float) -> Iterator[None]:
        if not self._slots.acquire(timeout=wait_s):
            raise ProblemError(
                503,
                f"other uploads are being processed and this one waited {wait_s:g} s; send it again shortly",
                slug="uploads-busy",
                headers={"Retry-After": "30"},
            )
        try:
            yield
        finally:
            self._slots.release()
            _trim()


def get_gate(request: Request) -> UploadGate:
    gate: UploadGate = request.app.state.uploads
    return gate


UploadGateDep = Annotated[UploadGate, Depends(get_gate)]
