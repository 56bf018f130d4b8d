"""Structured logs: a request id carried in a context variable and a one-line JSON formatter.

Imported by the LOGGING setting before Django's apps are ready: standard library only.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
from typing import Any

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

# Attributes every LogRecord has; anything else was passed through `extra=`.
STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id"}
)
# `extra` values that are objects (Django passes the request) are left out: they are not data.
SCALARS = (str, int, float, bool, type(None))


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or None outside a request) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, exception, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRS and key not in entry and isinstance(value, SCALARS):
                entry[key] = value
        return json.dumps(entry, ensure_ascii=False, default=str)
