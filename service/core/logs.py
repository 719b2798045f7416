"""No token in any log line: every log record's message and arguments are redacted when the
record is made (a log record factory, so it holds for every logger and handler: uvicorn's access
log, which writes the path with its query string, SQLAlchemy's, ours).

Redacted: our token secrets (`gdp_…`, wherever they appear), `Bearer …` credentials, and the
values of query parameters whose names say they carry a secret (token, access_token, api_key,
key, password, secret, session, auth, authorization).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from service.core.security import TOKEN_PREFIX

REDACTED = "[redacted]"
_TOKEN = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_\-%]+")
_BEARER = re.compile(r"(?i)\b(bearer)(\s+|%20|\+)[^\s\"'&]+")
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:token|access_token|api_key|apikey|key|password|secret|session|auth|authorization)=)[^&\s\"']*"
)


def redact(text: str) -> str:
    if not text:
        return text
    text = _TOKEN.sub(TOKEN_PREFIX + REDACTED, text)
    text = _BEARER.sub(r"\1 " + REDACTED, text)
    return _SECRET_PARAM.sub(r"\1" + REDACTED, text)


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


_installed = False


def install_redaction() -> None:
    """Wrap the log record factory once per process (idempotent)."""
    global _installed
    if _installed:
        return
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_value(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_value(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
