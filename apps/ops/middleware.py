"""Request ids: taken from a sane X-Request-ID header (set by the proxy) or generated."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from apps.ops.logs import request_id_var

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def incoming_request_id(request: HttpRequest) -> str | None:
    value = request.headers.get(HEADER, "")
    return value if SANE_ID.fullmatch(value) else None


class RequestIdMiddleware:
    """Gives every request an id: in `request.request_id`, in log records, in the response.

    The id stays set until the response is closed, so Django's own "Not Found"/"Internal Server
    Error" records (logged after the middleware chain returns) carry it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = incoming_request_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget_request_id(**kwargs: Any) -> None:
    request_id_var.set(None)


request_finished.connect(forget_request_id, dispatch_uid="apps.ops.forget_request_id")
