from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from apps.core.text import control_character_message
from apps.events.calendar import ics
from apps.events.forms import EventForm, EventMaterialForm
from apps.events.models import Event, FeedKind, Participant
from apps.events.services import (
    EventError,
    attach_material,
    audience_people,
    calendar_link,
    feed_target,
    invite,
    link_expires,
    link_token,
    mail_report,
    mark_attendance,
    person_events,
    register,
    reissue_calendar_link,
    respond,
    save_event,
    school_events,
    seat_by_token,
)
from apps.orgs.access import SCHOOL, can, login_view, org_view, public_view, show_org_navigation
from apps.orgs.models import Organisation
from apps.orgs.params import id_param, int_or_none
from apps.orgs.tenancy import get_for
from apps.people.models import Person


def get_event(org, event_id) -> Event:
    return get_for(org, Event, event_id)


def feed_context(request, kind: str, pk: int) -> dict:
    """The secret calendar link to show: its address, when it expires, whether it has."""
    link = calendar_link(kind, pk)
    expires = link_expires(link)
    return {
        "feed": request.build_absolute_uri(f"/ical/{link_token(link)}.ics"),
        "feed_expires": expires,
        "feed_expired": expires <= timezone.now(),
    }


def reissue_feed(request, kind: str, pk: int) -> None:
    reissue_calendar_link(kind=kind, pk=pk)
    messages.success(
        request,
        "Ссылка на календарь перевыпущена: прежняя больше не работает. "
        "Подпишитесь в календаре заново по новой ссылке.",
    )


@org_view("events.view", post="events.manage", level=SCHOOL)
def event_list(request, org):
    if request.method == "POST":
        if request.POST.get("action") != "reissue-feed":
            raise Http404
        reissue_feed(request, FeedKind.SCHOOL, org.pk)
        return redirect("events:list", org_id=org.pk)
    now = timezone.now()
    events = Event.objects.of(org)
    return render(
        request,
        "events/list.html",
        {
            "org": org,
            "upcoming": events.filter(ends_at__gte=now).order_by("starts_at")[:50],
            "past": events.filter(ends_at__lt=now).order_by("-starts_at")[:50],
            **feed_context(request, FeedKind.SCHOOL, org.pk),
        },
    )


@org_view("events.manage", level=SCHOOL)
def event_edit(request, org, event_id=None):
    event = get_event(org, event_id) if event_id else None
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        saved = save_event(org=org, event=form.save(commit=False), by=request.user)
        messages.success(
            request,
            "Мероприятие внесено задним числом: отметьте присутствие."
            if saved.entered_late and event is None
            else "Мероприятие сохранено.",
        )
        return redirect("events:detail", org_id=org.pk, event_id=saved.pk)
    return render(request, "events/form.html", {"org": org, "form": form, "event": event})


@org_view("events.view", post="events.manage", level=SCHOOL)
def event_detail(request, org, event_id):
    event = get_event(org, event_id)
    manage = can(request, "events.manage")
    if request.method == "POST":
        return _act(request, org, event)
    seats = list(event.participants.select_related("person", "event").order_by("person__last_name"))
    return render(
        request,
        "events/detail.html",
        {
            "org": org,
            "event": event,
            "seats": seats,
            "present": {s.person_id for s in seats if s.attended},
            "staff": _staff_rows(org, seats) if manage else [],
            "audience_count": audience_people(event).count() if manage else 0,
            "material_form": EventMaterialForm(),
            "materials": event.materials.all(),
            "started": event.starts_at <= timezone.now(),
            "mails": mail_report(event) if manage else None,
        },
    )


def _staff_rows(org, seats) -> list[tuple[Person, Participant | None]]:
    """Every working member of staff with their seat at the event, if any."""
    seat_of = {s.person_id: s for s in seats if s.person_id}
    staff = Person.objects.of(org).exclude(status="archived").order_by("last_name", "first_name")
    return [(p, seat_of.get(p.pk)) for p in staff]


def _act(request, org, event):
    action = request.POST.get("action")
    try:
        if action == "invite":
            count = invite(event, list(audience_people(event)))
            messages.success(
                request,
                f"Приглашено: {count}. Письма с файлом для календаря отправляются в фоне — "
                "что с ними, видно в разделе «Письма-приглашения».",
            )
        elif action == "attendance":
            present = {int_or_none(v) for v in request.POST.getlist("present")} - {None}
            guests = [g.strip() for g in request.POST.get("guests", "").splitlines()][:50]
            mark_attendance(event, present, guests)
            messages.success(request, "Присутствие отмечено.")
        elif action == "resolutions":
            resolutions = request.POST.get("resolutions", "")[:10000]
            if message := control_character_message("Итоги и решения", resolutions):
                raise EventError(message)
            event.resolutions = resolutions
            event.save(update_fields=["resolutions"])
            messages.success(request, "Итоги сохранены.")
        elif action == "material":
            form = EventMaterialForm(request.POST, request.FILES)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
            else:
                attach_material(event, form.save(commit=False), by=request.user)
                messages.success(request, "Материал добавлен в методическую копилку.")
        else:
            raise Http404
    except EventError as error:
        messages.error(request, error.message)
    return redirect("events:detail", org_id=org.pk, event_id=event.pk)


@login_view
def my_events(request):
    person = getattr(request.user, "person", None)
    show_org_navigation(request, person.organisation if person else None)
    if request.method == "POST" and person is not None:
        if request.POST.get("action") == "reissue-feed":
            reissue_feed(request, FeedKind.PERSON, person.pk)
            return redirect("events:my")
        event = get_for(
            person.organisation, Event, id_param(request.POST.get("id"), what="мероприятия")
        )
        try:
            register(event, person)
        except EventError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Вы записаны.")
        return redirect("events:my")
    seats = (
        Participant.objects.filter(person=person)
        .select_related("event")
        .order_by("-event__starts_at")
        if person
        else []
    )
    return render(
        request,
        "events/my.html",
        {
            "seats": seats,
            "now": timezone.now(),
            **(feed_context(request, FeedKind.PERSON, person.pk) if person else {}),
        },
    )


@public_view
def feed(request, token):
    """A calendar feed by a secret link: a person's events or a school's events."""
    target = feed_target(token)
    if target is None:
        raise Http404
    kind, pk = target
    if kind == FeedKind.PERSON:
        person = get_object_or_404(Person, pk=pk)
        events, name = person_events(person), f"Наставничество — {person.short_name}"
    elif kind == FeedKind.SCHOOL:
        org = get_object_or_404(Organisation, pk=pk)
        events, name = school_events(org), f"Наставничество — {org.short_name}"
    else:
        raise Http404
    return HttpResponse(ics(events, name=name), content_type="text/calendar; charset=utf-8")


@public_view
def answer_by_link(request, token):
    """Confirm or decline an invitation by the personal link from the letter (no account)."""
    seat = seat_by_token(token)
    if seat is None:
        return render(request, "events/link_invalid.html", status=404)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("yes", "no"):
            messages.error(request, "Выберите ответ: приду или не смогу.")
        else:
            try:
                respond(seat, coming=answer == "yes")
            except EventError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    "Спасибо, вы записаны."
                    if answer == "yes"
                    else "Спасибо, ответ передан куратору: вы не сможете прийти.",
                )
        return redirect("events:answer", token=token)
    seat.refresh_from_db(fields=["registered_at", "declined_at"])
    response = render(
        request,
        "events/answer.html",
        {"seat": seat, "event": seat.event, "open": seat.event.ends_at >= timezone.now()},
    )
    response["Cache-Control"] = "private, no-store"
    return response
