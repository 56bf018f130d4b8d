import io

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.core.office import PdfUnavailable, print_form_docx
from apps.core.text import lower_first
from apps.core.uploads import SCAN_TYPES
from apps.orgs.access import SCHOOL, org_view
from apps.orgs.models import Organisation
from apps.orgs.tenancy import get_for
from apps.people.acts import act_context, act_docx
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.consents import (
    DEFAULT_DATA,
    DEFAULT_PURPOSE,
    EXPIRING_DAYS,
    PROCESSING_ACTIONS,
    ConsentRefused,
    confirm_commission,
    consent_state,
    distribution_table,
    give_consent,
    initials_first,
    withdraw_consent,
)
from apps.people.forms_consents import (
    CommissionForm,
    ConsentFilterForm,
    ConsentForm,
    WithdrawForm,
)
from apps.people.models import Consent, Person
from apps.people.normalize import name_key
from apps.people.views.staff import get_person

PAGE_SIZE = 50


def get_consent(org, consent_id: int) -> Consent:
    return get_for(org, Consent.objects.select_related("person", "recorded_by"), consent_id)


@org_view("consent.view", level=SCHOOL)
def consent_overview(request, org):
    today = timezone.localdate()
    form = ConsentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    people = Person.objects.of(org).exclude(status=PersonStatus.ARCHIVED)
    valid = Consent.objects.valid(today)
    counts = people.aggregate(
        total=Count("pk"),
        **{
            kind: Count("pk", filter=Q(pk__in=valid.filter(kind=kind).values("person_id")))
            for kind in ConsentKind.values
        },
    )
    if data.get("q"):
        people = people.filter(name_key__contains=name_key(data["q"], "", ""))
    if data.get("missing"):
        people = people.exclude(pk__in=valid.filter(kind=data["missing"]).values("person_id"))
    if data.get("state") == "expiring":
        soon = today + timezone.timedelta(days=EXPIRING_DAYS)
        people = people.filter(Exists(valid.filter(person=OuterRef("pk"), valid_until__lte=soon)))
    elif data.get("state") == "withdrawn":
        people = people.filter(
            Exists(Consent.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=False))
        )
    people = people.prefetch_related(
        Prefetch("consents", queryset=Consent.objects.order_by("-given_on", "-pk"))
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (p, [consent_state(list(p.consents.all()), k, today) for k in ConsentKind.values])
        for p in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/consent_overview.html",
        {
            "org": org,
            "form": form,
            "page": page,
            "rows": rows,
            "kinds": ConsentKind.choices,
            "counts": [(label, counts[code]) for code, label in ConsentKind.choices],
            "total": counts["total"],
            "query": query.urlencode(),
        },
    )


@org_view("consent.edit", level=SCHOOL)
def consent_create(request, org, person_id):
    person = get_person(org, person_id)
    form = ConsentForm(request.POST or None, request.FILES or None, kind=request.GET.get("kind"))
    if request.method == "POST" and form.is_valid():
        try:
            consent = give_consent(person=person, consent=form.instance, recorded_by=request.user)
        except ConsentRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Согласие «{consent.get_kind_display()}» записано.")
            return redirect("people:person-detail", org_id=org.pk, person_id=person.pk)
    return render(request, "people/consent_form.html", {"org": org, "person": person, "form": form})


@org_view("consent.view", level=SCHOOL)
def consent_detail(request, org, consent_id):
    consent = get_consent(org, consent_id)
    return render(
        request,
        "people/consent_detail.html",
        {
            "org": org,
            "consent": consent,
            "person": consent.person,
            "distribution": distribution_table(consent),
        },
    )


@org_view("consent.edit", level=SCHOOL)
def consent_withdraw(request, org, consent_id):
    consent = get_consent(org, consent_id)
    if consent.withdrawn_at:
        messages.info(request, "Это согласие уже отозвано.")
        return redirect("people:consent-detail", org_id=org.pk, consent_id=consent.pk)
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        withdraw_consent(
            consent=consent,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, WITHDRAWN_MESSAGE[consent.kind])
        return redirect("people:consent-detail", org_id=org.pk, consent_id=consent.pk)
    return render(
        request,
        "people/consent_withdraw.html",
        {"org": org, "consent": consent, "person": consent.person, "form": form},
    )


WITHDRAWAL_TITLE = {
    ConsentKind.PROCESSING: "Заявление об отзыве согласия на обработку ПДн",
    ConsentKind.DISTRIBUTION: "Требование о прекращении распространения ПДн",
    ConsentKind.DUTIES_MENTOR: "Уведомление об отказе от наставничества",
    ConsentKind.DUTIES_MENTEE: "Заявление об отказе от участия в наставничестве",
}


@org_view("consent.view", level=SCHOOL)
def consent_withdrawal_print(request, org, consent_id):
    """The person's written withdrawal of this consent, to print and sign (or as .docx):
    ч. 2 ст. 9 / ч. 12 ст. 10.1 152-ФЗ for personal data, ст. 351.8 ТК РФ for mentoring."""
    consent = get_consent(org, consent_id)
    person = consent.person
    response = render(
        request,
        "people/consent_print_withdrawal.html",
        {
            "org": org,
            "person": person,
            "signature": initials_first(person.full_name),
            "consent": consent,
            "kind_label": WITHDRAWAL_TITLE[consent.kind],
            "purpose": DEFAULT_PURPOSE[consent.kind],
            "resources": resources_of(org),
            "unit": duties_unit(person, consent.kind),
        },
    )
    return _as_docx(request, response, f"{WITHDRAWAL_TITLE[consent.kind]} — {person.full_name}")


WITHDRAWN_MESSAGE = {
    ConsentKind.PROCESSING: "Согласие отозвано: обработка данных прекращена, сотрудник исключён "
    "из банков и подбора. Через 30 дней данные будут обезличены с составлением акта.",
    ConsentKind.DISTRIBUTION: "Согласие на распространение отозвано: публикация данных "
    "сотрудника прекращена.",
    ConsentKind.DUTIES_MENTOR: "Согласие наставника отозвано.",
    ConsentKind.DUTIES_MENTEE: "Согласие наставляемого отозвано.",
}


@org_view("consent.view", level=SCHOOL)
def consent_scan(request, org, consent_id):
    consent = get_consent(org, consent_id)
    if not consent.scan:
        raise Http404
    extension = consent.scan.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        consent.scan.open("rb"),
        content_type=SCAN_TYPES.get(extension, "application/octet-stream"),
        as_attachment=False,
        filename=f"soglasie-{consent.pk}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def duties_unit(person, kind: str) -> dict | None:
    """What a consent to extra duties is about, filled in when the pair already exists: the
    newest open unit the person leads or is in (reverse relations, programs sits above)."""
    if kind == ConsentKind.DUTIES_MENTOR:
        unit = (
            person.units_led.filter(status__in=("draft", "active"))
            .select_related("format", "pairing")
            .order_by("-start_date")
            .first()
        )
    elif kind == ConsentKind.DUTIES_MENTEE:
        member = (
            person.units_in.filter(is_open=True)
            .select_related("unit__mentor")
            .order_by("-unit__start_date")
            .first()
        )
        unit = member.unit if member else None
    else:
        return None
    if unit is None:
        return None
    mentees = [
        m.mentee.full_name for m in unit.members.filter(is_open=True).select_related("mentee")
    ]
    return {
        "mentor": unit.mentor.full_name,
        "mentees": mentees,
        "form": lower_first(unit.pairing.name) if kind == ConsentKind.DUTIES_MENTOR else "",
        "kind": lower_first(unit.format.name) if kind == ConsentKind.DUTIES_MENTOR else "",
        "start": unit.start_date,
        "end": unit.end_date,
    }


NETWORK_ADDRESSES = {
    "vk": ("ВКонтакте", "https://vk.com/{}"),
    "ok": ("Одноклассники", "https://ok.ru/group/{}"),
    "telegram": ("Telegram", "https://t.me/{}"),
    "max": ("MAX", "https://max.ru/{}"),
}


def resources_of(org) -> list[str]:
    """The exact addresses a distribution consent allows (приказ Роскомнадзора № 18): the
    school's site, the public pages of the school and the levels above, each official community
    (read through reverse relations: publicity sits above people)."""
    site = settings.SITE_URL.rstrip("/")
    chain = sorted(Organisation.objects.filter(pk__in=org.ancestor_ids()), key=lambda o: o.path)
    chain = [o for o in chain if o.pk != org.pk] + [org]
    found = [f"официальный сайт: {org.website}"] if org.website else []
    for o in reversed(chain):
        page = site + reverse("publicity:page", args=[o.slug])
        found.append(f"страница «Наставничество» ({o.short_name}): {page}")
        for account in o.social_accounts.filter(is_active=True).order_by("network"):
            label, pattern = NETWORK_ADDRESSES.get(account.network, (account.network, "{}"))
            found.append(f"{label} ({o.short_name}): {pattern.format(account.target.lstrip('@'))}")
    return found


def recipients_of(org) -> list[str]:
    """To whom the school's register is open besides itself: the methodical services above
    (they see staff without contacts) and, in network matching, the other schools below them."""
    above = list(Organisation.objects.filter(pk__in=org.ancestor_ids()).exclude(pk=org.pk))
    lines = [
        f"{o.name_in('dat')} — для методического сопровождения и мониторинга (без контактных "
        "данных)"
        for o in sorted(above, key=lambda o: o.path)
    ]
    if above:
        lines.append(
            "образовательным организациям, участвующим в сетевом подборе наставников, — "
            "фамилия, имя, отчество, должность, предметы и стаж"
        )
    return lines


@org_view("consent.view", level=SCHOOL)
def consent_print(request, org, person_id, kind):
    if kind not in ConsentKind.values:
        raise Http404
    person = get_person(org, person_id)
    consent = Consent.objects.filter(person=person, kind=kind).order_by("-given_on").first()
    response = render(
        request,
        f"people/consent_print_{kind}.html",
        {
            "org": org,
            "person": person,
            "signature": initials_first(person.full_name),
            "consent": consent,
            "kind_label": ConsentKind(kind).label,
            "purpose": consent.purpose if consent else DEFAULT_PURPOSE[kind],
            "data_list": consent.data_list if consent else DEFAULT_DATA[kind],
            "actions": PROCESSING_ACTIONS,
            "recipients": recipients_of(org),
            "resources": resources_of(org),
            "unit": duties_unit(person, kind),
            "processor": settings.PERSONAL_DATA_PROCESSOR,
            "distribution": distribution_table(consent),
            "today": timezone.localdate(),
        },
    )
    return _as_docx(request, response, f"Согласие — {ConsentKind(kind).label} — {person.full_name}")


def _as_docx(request, response, name: str):
    """`?format=docx`: the same print form as an editable Word file (LibreOffice)."""
    if request.GET.get("format") != "docx":
        return response
    try:
        data = print_form_docx(response.content.decode())
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return redirect(request.path)
    return _docx_response(data, name)


def _docx_response(data: bytes, name: str):
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"{name}.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip


@org_view("consent.view", level=SCHOOL)
def act_list(request, org):
    acts = org.destruction_acts.all()
    return render(request, "people/act_list.html", {"org": org, "acts": acts})


@org_view("consent.view", post="consent.edit", level=SCHOOL)
def act_detail(request, org, act_id):
    act = get_object_or_404(org.destruction_acts.select_related("consent"), pk=act_id)
    form = CommissionForm(request.POST or None, initial={"commission": act.commission})
    if request.method == "POST" and form.is_valid():
        confirm_commission(act=act, commission=form.cleaned_data["commission"])
        messages.success(request, f"Состав комиссии в акте № {act.number} сохранён.")
        return redirect("people:act-detail", org_id=org.pk, act_id=act.pk)
    if request.GET.get("format") == "docx":
        try:
            data = act_docx(act)
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect(request.path)
        return _docx_response(data, f"Акт № {act.number} об уничтожении ПДн")
    return render(request, "people/act_detail.html", {**act_context(act), "form": form})
