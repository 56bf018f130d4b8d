"""A consent in electronic form, by personal link (no log-in): read, get a code, confirm."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.audit.context import client_ip
from apps.orgs.access import public_view
from apps.people.choices import ConsentKind, DistributionItem
from apps.people.consents import ConsentRefused
from apps.people.econsent import (
    CodeRefused,
    LinkClosed,
    confirm_code,
    live_context,
    request_by_key,
    send_code,
)
from apps.people.forms_consents import SignForm


def masked(email: str) -> str:
    """«maria.ivanova@school.ru» → «m***@school.ru»: the page does not show the address."""
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


@public_view
def consent_sign(request, token):
    try:
        consent_request = request_by_key(token)
    except LinkClosed as closed:
        return render(
            request,
            "people/consent_link_closed.html",
            {"reason": str(closed)},
            status=closed.status,
        )
    action = request.POST.get("action") if request.method == "POST" else None
    form = SignForm(request.POST if action == "confirm" else None)
    problem = ""
    if action == "code":
        try:
            send_code(request=consent_request, allowed_items=request.POST.getlist("allowed_items"))
        except CodeRefused as refusal:
            problem = str(refusal)
        else:
            messages.success(
                request,
                f"Код отправлен на {masked(consent_request.person.email)}. Проверьте почту.",
            )
            return redirect(request.path)
    elif action == "confirm" and form.is_valid():
        try:
            consent = confirm_code(
                request=consent_request,
                code=form.cleaned_data["code"],
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except (CodeRefused, ConsentRefused) as refusal:
            form.add_error("code", str(refusal))
        else:
            return render(request, "people/consent_signed.html", {"consent": consent})
    consent_request.refresh_from_db()
    waiting = bool(
        consent_request.code_hash
        and consent_request.code_expires_at
        and consent_request.code_expires_at > timezone.now()
    )
    person = consent_request.person
    context = {} if waiting else live_context(consent_request)
    return render(
        request,
        "people/consent_sign.html",
        {
            **context,
            "consent_request": consent_request,
            "person": person,
            "org": person.organisation,
            "waiting": waiting,
            "lines": consent_request.text.splitlines() if waiting else [],
            "form": form,
            "problem": problem,
            "email": masked(person.email),
            "asks_items": consent_request.kind == ConsentKind.DISTRIBUTION,
            "items": DistributionItem.choices,
        },
    )
