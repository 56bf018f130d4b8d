"""Request ids and JSON logs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from apps.ops.logs import JsonFormatter, RequestIdFilter, request_id_var
from apps.ops.middleware import HEADER


def make_record(message: str = "Сохранено %s", *args, exc_info=None, **extra) -> logging.LogRecord:
    record = logging.getLogger("apps.people").makeRecord(
        "apps.people", logging.WARNING, __file__, 10, message, args, exc_info, extra=extra
    )
    RequestIdFilter().filter(record)
    return record


def test_json_formatter_writes_one_object_per_line():
    token = request_id_var.set("abc123def456")
    try:
        record = make_record("Сохранено %s\nстрок", 5, status_code=404, request=object())
    finally:
        request_id_var.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "apps.people"
    assert entry["message"] == "Сохранено 5\nстрок"
    assert entry["request_id"] == "abc123def456"
    assert entry["status_code"] == 404
    assert "request" not in entry  # objects passed in `extra` are not data
    assert entry["time"].endswith("+00:00")
    assert "Сохранено" in line  # readable Cyrillic, not \\u escapes


def test_json_formatter_includes_the_exception():
    try:
        raise ValueError("плохое значение")
    except ValueError:
        record = make_record("Ошибка", exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "request_id" not in entry  # outside a request
    assert "Traceback" in entry["exception"]
    assert "ValueError: плохое значение" in entry["exception"]


def test_response_carries_a_generated_request_id(client):
    first = client.get("/healthz")[HEADER]
    second = client.get("/healthz")[HEADER]
    assert len(first) == 32
    assert int(first, 16) >= 0
    assert first != second


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("lb-2f6c1a0e-77aa-4c1e", True),
        ("0123456789abcdef0123456789abcdef", True),
        ("short", False),
        ("has space inside", False),
        ("x" * 200, False),
        ("evil\r\nSet-Cookie: a=b", False),
        ("<script>alert(1)</script>", False),
    ],
)
@pytest.mark.django_db
def test_incoming_request_id_is_kept_only_when_sane(client, incoming, kept):
    returned = client.get("/healthz", headers={HEADER: incoming})[HEADER]
    assert (returned == incoming) is kept
    if not kept:
        assert len(returned) == 32


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.django_db
def test_log_records_of_a_request_carry_its_id(client):
    handler = ListHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        response = client.get("/no-such-page-at-all/", headers={HEADER: "req-0001-abcdef"})
    finally:
        root.removeHandler(handler)
    assert response.status_code == 404
    assert response[HEADER] == "req-0001-abcdef"
    not_found = [r for r in handler.records if r.name == "django.request"]
    assert not_found
    assert {r.request_id for r in not_found} == {"req-0001-abcdef"}
    assert request_id_var.get() is None  # forgotten once the response is closed


def run_logging(log_format: str | None) -> str:
    env = {**os.environ, "NASTAVNIK_TESTING": "1", "DJANGO_SETTINGS_MODULE": "nastavnik.settings"}
    env.pop("LOG_FORMAT", None)
    if log_format:
        env["LOG_FORMAT"] = log_format
    code = "import django, logging; django.setup(); logging.getLogger('apps.x').warning('проверка')"
    result = subprocess.run(  # noqa: S603 — this interpreter with a fixed snippet
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


def test_log_format_setting():
    plain = run_logging(None)
    assert plain.endswith("проверка")
    assert not plain.startswith("{")
    entry = json.loads(run_logging("json"))
    assert entry["message"] == "проверка"
    assert entry["logger"] == "apps.x"
    assert entry["level"] == "WARNING"
