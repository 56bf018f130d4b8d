"""Error pages for requests the server refuses before or instead of doing the work."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from apps.orgs.access import public_view
from apps.orgs.params import BadParameter

MULTIPART_OVERHEAD = 1024 * 1024  # form fields and part headers around the largest file


@public_view
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: the message of a BadParameter, a general sentence for any other 400."""
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)


def request_max_bytes() -> int:
    """The largest body a request may carry: the largest upload limit plus the form around it."""
    largest = max(
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.STAFF_IMPORT_MAX_BYTES,
        settings.CONSENT_SCAN_MAX_BYTES,
        settings.LIBRARY_MAX_BYTES,
        settings.PUBLICITY_IMAGE_MAX_BYTES,
    )
    return largest + MULTIPART_OVERHEAD


class RequestSizeMiddleware:
    """Refuse a body over `request_max_bytes()` by its Content-Length, before reading it.

    Without this Django streams a 100 MB upload to a temporary file and only the form refuses it.
    A body without Content-Length (chunked) is left to the web server in front and to the
    DATA_UPLOAD_MAX_MEMORY_SIZE check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_max_bytes()
        if length <= limit:
            return self.get_response(request)
        limit_mb = limit // (1024 * 1024)
        if request.path.startswith("/api/"):
            detail = f"Слишком большой запрос: больше {limit_mb} МБ."
            return JsonResponse({"detail": detail}, status=413)
        return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
