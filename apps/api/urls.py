"""REST API under /api/v1/ (namespace "api") and the pages that manage API keys.

No app_name here: the API's own namespace is "api" (django-ninja), the key pages live in
"api_tokens" so the authorization matrix checks them like any organisation page.
"""

from django.urls import include, path

from apps.api import views
from apps.api.api import api

token_patterns = [
    path("<int:org_id>/api-tokens/", views.token_list, name="token-list"),
    path(
        "<int:org_id>/api-tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="token-revoke",
    ),
]

urlpatterns = [
    path("api/v1/", api.urls),
    path("o/", include((token_patterns, "api_tokens"))),
]
