"""The request being served, so that model signals know who acted (set by the middleware)."""

from __future__ import annotations

from contextvars import ContextVar

current_request: ContextVar = ContextVar("audit_request", default=None)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
