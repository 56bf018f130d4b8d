"""Pages to create and revoke API keys of an organisation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.api.forms import TokenForm
from apps.api.models import ApiToken
from apps.api.tokens import TokenError, create_token, revoke_token, token_roles
from apps.orgs.access import POST_ONLY, org_view
from apps.orgs.models import Organisation
from apps.orgs.tenancy import get_for


def _page(request: HttpRequest, org: Organisation, form: TokenForm, key: str = "") -> HttpResponse:
    tokens = org.api_tokens.select_related("created_by")
    response = render(
        request,
        "api/token_list.html",
        {"org": org, "form": form, "tokens": tokens, "new_key": key},
    )
    if key:
        response["Cache-Control"] = "no-store"  # the key is shown once and never cached
    return response


@org_view("api.manage")
def token_list(request: HttpRequest, org: Organisation) -> HttpResponse:
    roles = token_roles(org=org, creator_roles=request.roles)
    form = TokenForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = create_token(
                org=org,
                user=request.user,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except TokenError as error:
            form.add_error("role", str(error))
        else:
            return _page(request, org, TokenForm(roles=roles), key)
    return _page(request, org, form)


@org_view("api.manage", methods=POST_ONLY)
def token_revoke(request: HttpRequest, org: Organisation, token_id: int) -> HttpResponse:
    token = get_for(org, ApiToken, token_id)
    revoke_token(token=token)
    messages.success(request, f"Ключ «{token.name}» отозван: обращения с ним больше не проходят.")
    return redirect("api_tokens:token-list", org_id=org.pk)
