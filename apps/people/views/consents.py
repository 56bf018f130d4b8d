import datetime
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from apps.core.addresses import id_prefix
from apps.core.office import PdfUnavailable, print_form_docx
from apps.core.plural import count
from apps.core.uploads import SCAN_TYPES
from apps.orgs.access import POST_ONLY, SCHOOL, org_view
from apps.orgs.params import id_param
from apps.orgs.tenancy import get_for
from apps.people.acts import act_context, act_docx
from apps.people.bulk import BulkRefused, PaperRow, record_paper_consents
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.consent_text import form_context
from apps.people.consents import (
    EXPIRING_DAYS,
    ConsentRefused,
    ConsentState,
    confirm_commission,
    consent_state,
    distribution_table,
    give_consent,
    withdraw_consent,
)
from apps.people.econsent import electronic_allowed, issue_requests, save_settings
from apps.people.forms import esc
from apps.people.forms_consents import (
    BulkFilterForm,
    BulkPaperForm,
    CommissionForm,
    ConsentFilterForm,
    ConsentForm,
    ConsentSettingsForm,
    WithdrawForm,
)
from apps.people.models import Consent, ConsentRequest, Person
from apps.people.normalize import name_key
from apps.people.queries import consent_summary, full_name
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
    counts = consent_summary(people, today)
    valid = Consent.objects.valid(today)
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
    people = people.values("pk", "last_name", "first_name", "middle_name", "position")
    paginator = Paginator(people, PAGE_SIZE)
    if not (data.get("q") or data.get("missing") or data.get("state")):
        paginator.count = counts["total"]  # the same people: no second count query
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/consent_overview.html",
        {
            "org": org,
            "form": form,
            "page": page,
            "rows": _overview_rows(page, org, today),
            "kinds": ConsentKind.choices,
            "counts": [(label, counts[code]) for code, label in ConsentKind.choices],
            "total": counts["total"],
            "query": query.urlencode(),
        },
    )


# What people/includes/consent_state.html shows of a state (a test keeps the two the same).
_STATE_LINKS = {  # status: (class, words before the date, the date's field)
    "valid": ("consent-ok", "✓ с", "given_on"),
    "expiring": ("consent-expiring", "⚠ до", "valid_until"),
    "withdrawn": ("consent-missing", "отозвано", "withdrawn_at"),
    "expired": ("consent-missing", "истекло", "valid_until"),
}
_NO_CONSENT = '<span class="consent-missing">✗ нет</span>'


def state_html(state: ConsentState, consent_url: str) -> str:
    """A consent state as people/includes/consent_state.html writes it; `consent_url` is the
    consent's detail URL without the consent's id, escaped."""
    if state.status not in _STATE_LINKS:
        return mark_safe(_NO_CONSENT)
    css, words, field = _STATE_LINKS[state.status]
    when = template_localtime(getattr(state.consent, field))  # as the template's |date
    href = f"{consent_url}{state.consent.pk}/"
    return mark_safe(
        f'<a class="{css} text-decoration-none" href="{href}">{words} '
        f"{f'{when:%d.%m.%Y}' if when else ''}</a>"
    )


def _overview_rows(page, org, today: datetime.date) -> list[str]:
    """The overview's rows as HTML, written here: four includes with a `{% url %}` each per
    row cost more than all the rest of the page. Every value is escaped with `esc`."""
    people = list(page)
    consents: dict[int, list[Consent]] = {p["pk"]: [] for p in people}
    if people:
        # consent_state reads these fields only; newest first, as it expects.
        shown = Consent.objects.filter(person_id__in=consents).order_by("-given_on", "-pk")
        for consent in shown.only("person_id", "kind", "given_on", "valid_until", "withdrawn_at"):
            consents[consent.person_id].append(consent)
    # Detail URLs differ by the trailing id only.
    person_url = esc(id_prefix("people:person-detail", org.pk))
    consent_url = esc(id_prefix("people:consent-detail", org.pk))
    rows = []
    for p in people:
        cells = "".join(
            f"<td>{state_html(consent_state(consents[p['pk']], k, today), consent_url)}</td>\n"
            for k in ConsentKind.values
        )
        rows.append(
            mark_safe(
                f'<tr>\n<th scope="row" class="fw-normal"><a href="{person_url}{p["pk"]}/">'
                f"{esc(full_name(p))}</a>"
                f'<div class="small text-body-secondary">{esc(p["position"])}</div></th>\n'
                f"{cells}</tr>\n"
            )
        )
    return rows


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
    context = {
        **form_context(org, person, consent.kind, consent=consent),
        "kind_label": WITHDRAWAL_TITLE[consent.kind],
        "doc_template": "people/consent_print_withdrawal.html",
    }
    response = render(request, "people/consent_print_base.html", context)
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


@org_view("consent.view", level=SCHOOL)
def consent_print(request, org, person_id, kind):
    if kind not in ConsentKind.values:
        raise Http404
    person = get_person(org, person_id)
    consent = Consent.objects.filter(person=person, kind=kind).order_by("-given_on").first()
    context = form_context(org, person, kind, consent=consent)
    response = render(request, "people/consent_print_base.html", context)
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


BULK_LIMIT = 300


def bulk_people(org, data: dict):
    """The bulk page's people: current staff, filtered by the missing kind, the role in the
    programme (bank profiles and units sit above people: read by reverse relations) and name."""
    kind = data.get("kind") or ConsentKind.PROCESSING
    people = Person.objects.of(org).current().filter(anonymised_at__isnull=True)
    if data.get("show", "missing") != "all":
        valid = Consent.objects.valid(timezone.localdate()).filter(kind=kind)
        people = people.exclude(pk__in=valid.values("person_id"))
    if data.get("role") == "mentor":
        people = people.filter(Q(bank_profiles__kind="mentor") | Q(units_led__isnull=False))
    elif data.get("role") == "mentee":
        people = people.filter(Q(bank_profiles__kind="mentee") | Q(units_in__isnull=False))
    if data.get("q"):
        people = people.filter(name_key__contains=name_key(data["q"], "", ""))
    return people.distinct().prefetch_related(
        Prefetch(
            "consents", queryset=Consent.objects.filter(kind=kind).order_by("-given_on", "-pk")
        ),
        Prefetch(
            "consent_requests",
            queryset=ConsentRequest.objects.filter(kind=kind).order_by("-created_at"),
        ),
    )


@org_view("consent.edit", level=SCHOOL)
def consent_bulk(request, org):
    filters = BulkFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    kind = data.get("kind") or ConsentKind.PROCESSING
    people = list(bulk_people(org, data)[:BULK_LIMIT])
    paper = BulkPaperForm(
        request.POST if request.POST.get("action") == "paper" else None,
        request.FILES or None,
        kind=kind,
    )
    problems: list[str] = []
    picked = set()
    if request.method == "POST":
        picked = {id_param(v, what="сотрудника") for v in request.POST.getlist("person")}
        chosen = [p for p in people if p.pk in picked]
        if len(chosen) != len(picked):
            problems.append(
                "Некоторые отмеченные сотрудники не найдены среди показанных: обновите страницу."
            )
        elif request.POST.get("action") == "links":
            return _send_links(request, org, chosen, kind)
        elif paper.is_valid():
            rows = [
                PaperRow(
                    p, request.FILES.get(f"scan_{p.pk}"), request.POST.get(f"pages_{p.pk}", "")
                )
                for p in chosen
            ]
            try:
                saved = record_paper_consents(
                    rows=rows, kind=kind, given_on=paper.cleaned_data["given_on"],
                    valid_until=paper.cleaned_data["valid_until"],
                    allowed_items=paper.cleaned_data.get("allowed_items", []),
                    bulk_scan=paper.cleaned_data["bulk_scan"], recorded_by=request.user,
                )  # fmt: skip
            except BulkRefused as refusal:
                problems = refusal.problems
            else:
                messages.success(
                    request,
                    f"Записано {count(len(saved), 'согласие', 'согласия', 'согласий')} "
                    f"«{ConsentKind(kind).label}».",
                )
                return redirect(request.get_full_path())
    today = timezone.localdate()
    electronic = electronic_allowed(org)
    rows = [
        {
            "person": p,
            "state": consent_state(list(p.consents.all()), kind, today),
            "request": next(iter(p.consent_requests.all()), None),
            "picked": p.pk in picked,
            "pages": request.POST.get(f"pages_{p.pk}", ""),
        }
        for p in people
    ]
    return render(
        request,
        "people/consent_bulk.html",
        {
            "org": org, "filters": filters, "paper": paper, "rows": rows, "kind": kind,
            "kind_label": ConsentKind(kind).label, "problems": problems, "picked": picked,
             "limit": BULK_LIMIT, "electronic": electronic,
            "settings_form": ConsentSettingsForm(
                initial={"electronic_allowed": electronic}
            ),
        },
    )  # fmt: skip


def _send_links(request, org, people, kind):
    with_email = [p for p in people if p.email]
    if not with_email:
        messages.error(request, "Отметьте сотрудников с e-mail: ссылку отправляют письмом.")
        return redirect(request.get_full_path())
    try:
        issue_requests(org=org, people=with_email, kind=kind, by=request.user)
    except ConsentRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(request.get_full_path())
    note = ""
    if len(with_email) < len(people):
        skipped = len(people) - len(with_email)
        note = f" Без e-mail пропущено: {count(skipped, 'сотрудник', 'сотрудника', 'сотрудников')}."
    messages.success(
        request,
        f"Личные ссылки поставлены в очередь на отправку: "
        f"{count(len(with_email), 'письмо', 'письма', 'писем')}.{note}",
    )
    return redirect(request.get_full_path())


@org_view("consent.edit", level=SCHOOL, methods=POST_ONLY)
def consent_settings(request, org):
    form = ConsentSettingsForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    save_settings(org=org, electronic_allowed=form.cleaned_data["electronic_allowed"])
    messages.success(
        request,
        "Электронные согласия по личной ссылке включены."
        if form.cleaned_data["electronic_allowed"]
        else "Электронные согласия выключены: прежние личные ссылки не открываются.",
    )
    return redirect("people:consent-bulk", org_id=org.pk)
