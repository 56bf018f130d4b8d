"""The bell, the list of a user's notifications, preferences, and unsubscribing by link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt

from apps.notifications import mail, services
from apps.notifications.channels import channels
from apps.notifications.forms import FilterForm, PreferencesForm, SchoolSettingsForm
from apps.notifications.kinds import KINDS
from apps.notifications.models import Notification, SchoolSettings
from apps.orgs.access import SCHOOL, can, login_view, org_view, public_view, show_org_navigation
from apps.orgs.models import User
from apps.orgs.params import MAX_ID

PAGE_SIZE = 30


def _navigation(request) -> None:
    person = services._person_of(request.user)
    show_org_navigation(request, person.organisation if person else None)


@login_view
def bell(request):
    """The bell with the unread count, loaded by HTMX so pages pay no extra query."""
    return render(
        request,
        "notifications/bell.html",
        {"unread": services.unread_count(request.user), "bell_trigger": "every 60s"},
    )


@login_view
def notification_list(request):
    _navigation(request)
    form = FilterForm(request.GET or None)
    notes = Notification.objects.for_user(request.user)
    query = {}
    if form.is_valid():
        if kind := form.cleaned_data["kind"]:
            notes, query["kind"] = notes.filter(kind=kind), kind
        if state := form.cleaned_data["state"]:
            notes = notes.filter(read_at__isnull=state == "unread")
            query["state"] = state
    page = Paginator(notes.only("pk", "title", "text", "url", "priority", "created_at",
                                "read_at", "kind", "actions"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )  # fmt: skip
    return render(
        request,
        "notifications/notification_list.html",
        {"form": form, "page": page, "query": urlencode(query),
         "unread": services.unread_count(request.user)},
    )  # fmt: skip


@login_view
def notification_open(request, notification_id: int):
    """POST: mark the notification read and go to what it is about."""
    if notification_id > MAX_ID:  # SQLite cannot even compare it: «not found», not a 500
        raise Http404
    note = get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.mark_read(user=request.user, notification=note)
    if request.POST.get("stay"):
        return redirect(_back(request))
    return redirect(note.url)


@login_view
def read_all(request):
    if request.method != "POST":
        return redirect("notifications:list")  # a GET changes nothing
    done = services.mark_all_read(user=request.user)
    if done:
        messages.success(request, "Все уведомления отмечены прочитанными.")
    return redirect(_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "notifications:list"


def _switch_rows(choices: services.Choices) -> tuple[list, list]:
    codes = list(channels())
    rows = []
    for spec in KINDS.values():
        cells = [(code, spec.allows(code), choices.enabled(spec, code)) for code in codes]
        rows.append((spec, cells))
    return [channels()[code] for code in codes], rows


@login_view
def preferences(request):
    _navigation(request)
    picked = services.choices_of(request.user)
    prefs = picked.prefs
    initial = {"quiet_from": prefs.quiet_from, "quiet_to": prefs.quiet_to,
               "digest": prefs.digest} if prefs else {}  # fmt: skip
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        enabled = set()
        for value in request.POST.getlist("on"):
            kind, _, channel = value.partition(":")
            if kind in KINDS and channel in channels():
                enabled.add((kind, channel))
        services.save_preferences(
            user=request.user, enabled=enabled, quiet_from=form.cleaned_data["quiet_from"],
            quiet_to=form.cleaned_data["quiet_to"], digest=form.cleaned_data["digest"],
        )  # fmt: skip
        messages.success(request, "Настройки уведомлений сохранены.")
        return redirect("notifications:preferences")
    columns, rows = _switch_rows(picked)
    org = getattr(request, "org", None)
    school = org if org is not None and org.is_school and can(request, "units.manage") else None
    return render(
        request, "notifications/preferences.html",
        {"form": form, "columns": columns, "rows": rows, "school": school},
    )  # fmt: skip


@public_view
@csrf_exempt  # RFC 8058: a mail client POSTs «List-Unsubscribe=One-Click» without a CSRF token
def unsubscribe(request, token: str):
    """Unsubscribe from one kind of e-mail by the signed link of a letter; no login needed.

    GET shows what will be switched off and a button; POST (the button, or the mail client's
    one-click request) switches it off.
    """
    found = mail.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user_id, kind = found
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404
    label = "все письма системы" if kind == services.ALL_KINDS else KINDS[kind].label
    if request.method == "POST":
        services.unsubscribe(user=user, event=kind)
        return render(request, "notifications/unsubscribed.html", {"label": label})
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(request, "notifications/unsubscribe.html", {"label": label, "token": token})


@org_view("units.manage", level=SCHOOL)
def school_settings(request, org):
    """The school's reminder settings; until saved, the defaults are shown without a write."""
    current = SchoolSettings.objects.of(org).first() or SchoolSettings(organisation=org)
    form = SchoolSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Настройки напоминаний сохранены.")
        return redirect("notifications:school-settings", org_id=org.pk)
    return render(request, "notifications/school_settings.html", {"org": org, "form": form})
