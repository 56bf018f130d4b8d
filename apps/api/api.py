"""The REST API, version 1: token authentication, routers, locally served documentation."""

from __future__ import annotations

import json
from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer

from apps.api import errors
from apps.api.common import JsonParser
from apps.api.endpoints import (
    banks,
    consents,
    documents,
    events,
    indicators,
    organisations,
    staff,
    units,
)
from apps.api.models import ApiToken
from apps.api.tokens import authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer nst_…`; a bad key raises TokenError (401 with the reason)."""

    openapi_description = "API-ключ из раздела «Настройки → API-ключи»: `Bearer nst_…`."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return authenticate(token)


class LocalSwagger(Swagger):
    """Swagger UI from static/vendor/swagger-ui — the servers have no internet access."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request, "api/swagger.html", {"api": api, "swagger_settings": json.dumps(settings)}
        )


api = NinjaAPI(
    title="«Наставник» — REST API",
    version="1",
    description="Доступ к данным организации по API-ключу. Подробности — в docs/api.md.",
    urls_namespace="api",
    auth=TokenAuth(),
    parser=JsonParser(),
    docs=LocalSwagger(),
    docs_url="/docs",
    # Swagger UI adds a <style> element at run time: allow inline styles on this page only.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
    openapi_url="/openapi.json",
)
errors.install(api)
for module in (organisations, staff, consents, banks, units, events, documents, indicators):
    api.add_router("", module.router)
