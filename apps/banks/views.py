import io
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from apps.banks.forms import AddProfileForm, BankFilterForm, ProfileForm
from apps.banks.models import BankKind, Profile
from apps.banks.services import add_profile, bank_queryset, update_profile
from apps.core import datagen
from apps.core.sheets import append_row
from apps.core.years import academic_year
from apps.orgs.access import SCHOOL, can, login_view, org_view, show_org_navigation
from apps.orgs.params import year_param
from apps.orgs.tenancy import get_for
from apps.people.choices import ConsentKind, PersonStatus
from apps.people.models import Person
from apps.people.normalize import name_key

TITLES = {BankKind.MENTEE: "Банк наставляемых", BankKind.MENTOR: "Банк наставников"}


def _profiles(request, org, kind):
    competencies = list(org.competencies.filter(is_active=True))
    form = BankFilterForm(request.GET or None, competencies=competencies)
    data = form.cleaned_data if form.is_valid() else {}
    year = year_param(request.GET.get("year"), academic_year())
    profiles = list(bank_queryset(org, kind, year))
    if data.get("q"):
        key = name_key(data["q"], "", "")
        profiles = [p for p in profiles if key in p.person.name_key]
    if data.get("status"):
        profiles = [p for p in profiles if p.status == data["status"]]
    if data.get("form"):
        profiles = [p for p in profiles if data["form"] in (p.forms or [])]
    chosen = data.get("competency")
    if chosen and data.get("level"):
        profiles = [p for p in profiles if (p.competencies or {}).get(chosen, 0) >= data["level"]]
    if data.get("sort") == "competency" and chosen:
        profiles.sort(key=lambda p: -(p.competencies or {}).get(chosen, 0))
    elif data.get("sort") == "capacity":
        profiles.sort(key=lambda p: -p.capacity)
    names = {str(c.pk): c.name for c in competencies}
    for profile in profiles:
        ranked = sorted((profile.competencies or {}).items(), key=lambda kv: -kv[1])
        profile.top = [(names[k], v) for k, v in ranked if k in names][:3]
    return form, year, profiles, competencies


@org_view("banks.view", level=SCHOOL)
def bank_list(request, org, kind):
    can_manage = can(request, "banks.manage")
    known = {*BankFilterForm.base_fields, "year"}  # other parameters change nothing shown
    query = sorted((k, v) for k, v in request.GET.lists() if k in known)

    def body() -> str:
        form, year, profiles, _competencies = _profiles(request, org, kind)
        without_consent = (
            Profile.objects.of(org)
            .filter(kind=kind, year=year)
            .exclude(person__in=Person.objects.with_valid_consent(ConsentKind.PROCESSING))
            .count()
        )
        return render_to_string(
            "banks/bank_list_body.html",
            {
                "org": org,
                "kind": kind,
                "title": TITLES[kind],
                "form": form,
                "year": year,
                "profiles": profiles,
                "without_consent": without_consent,
                "query": urlencode(query, doseq=True),
                "can_manage": can_manage,
            },
        )

    # The list shows the school's data alone (the filter form is GET, no CSRF token): rendered
    # once per data generation (apps/core/datagen), day, filters and edit right.
    html = datagen.cached(
        "banks:list", (org.pk, kind, query, timezone.localdate(), can_manage), body
    )
    return render(request, "banks/bank_list.html", {"title": TITLES[kind], "body": html})


@org_view("banks.view", level=SCHOOL)
def bank_export(request, org, kind):
    from openpyxl import Workbook  # loaded by the export, not by the bank pages
    from openpyxl.styles import Font

    _form, year, profiles, competencies = _profiles(request, org, kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Наставляемые" if kind == BankKind.MENTEE else "Наставники"
    header = ["ФИО", "Должность", "Предметы", "Стаж", "Статус", "Источник"]
    if kind == BankKind.MENTOR:
        header.append("Может взять")
    header += [c.name for c in competencies] + ["Формы", "Время", "Мотивация", "Заметки"]
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in profiles:
        row = [
            p.person.full_name,
            p.person.position,
            ", ".join(s.name for s in p.person.subjects.all()),
            p.person.teaching_experience,
            p.get_status_display(),
            p.get_source_display(),
        ]
        if kind == BankKind.MENTOR:
            row.append(p.capacity)
        row += [(p.competencies or {}).get(str(c.pk)) for c in competencies]
        row += ["; ".join(p.forms or []), "; ".join(p.availability or []), p.motivation, p.notes]
        append_row(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = "bank-mentees" if kind == BankKind.MENTEE else "bank-mentors"
    response["Content-Disposition"] = f'attachment; filename="{name}-{year[:4]}.xlsx"'
    return response


@org_view("banks.view", post="banks.manage", level=SCHOOL)
def profile_detail(request, org, profile_id):
    profile = get_for(
        org, Profile.objects.select_related("person", "invitation__campaign"), profile_id
    )
    competencies = list(org.competencies.filter(is_active=True))
    form = ProfileForm(
        request.POST or None, instance=profile, competencies=competencies, kind=profile.kind
    )
    if request.method == "POST" and form.is_valid():
        update_profile(profile=profile, values=form.profile_values(), by=request.user)
        messages.success(request, "Профиль сохранён.")
        return redirect("banks:profile-detail", org_id=org.pk, profile_id=profile.pk)
    levels = [(c.name, (profile.competencies or {}).get(str(c.pk))) for c in competencies]
    return render(
        request,
        "banks/profile_detail.html",
        {
            "org": org,
            "profile": profile,
            "form": form,
            "levels": levels,
            "changes": profile.changes.select_related("changed_by")[:20],
            "title": TITLES[profile.kind],
        },
    )


@org_view("banks.manage", level=SCHOOL)
def profile_add(request, org, kind):
    competencies = list(org.competencies.filter(is_active=True))
    people = (
        Person.objects.with_valid_consent(ConsentKind.PROCESSING)
        .of(org)
        .filter(status=PersonStatus.ACTIVE)
    )
    form = AddProfileForm(
        request.POST or None,
        instance=Profile(organisation=org, kind=kind),
        competencies=competencies,
        kind=kind,
        people=people,
    )
    if request.method == "POST" and form.is_valid():
        profile = add_profile(
            org=org,
            person=form.cleaned_data["person"],
            kind=kind,
            values=form.profile_values(),
            by=request.user,
        )
        messages.success(request, f"{profile.person.full_name}: профиль сохранён.")
        return redirect("banks:profile-detail", org_id=org.pk, profile_id=profile.pk)
    return render(
        request,
        "banks/profile_form.html",
        {"org": org, "form": form, "kind": kind, "title": TITLES[kind]},
    )


@login_view
def my_profile(request, profile_id):
    profile = get_object_or_404(
        Profile.objects.select_related("person", "organisation"),
        pk=profile_id,
        person__user=request.user,
    )
    show_org_navigation(request, profile.organisation)
    competencies = list(profile.organisation.competencies.filter(is_active=True))
    form = ProfileForm(
        request.POST or None,
        instance=profile,
        competencies=competencies,
        kind=profile.kind,
        own=True,
    )
    if request.method == "POST" and form.is_valid():
        update_profile(profile=profile, values=form.profile_values(), by=request.user)
        messages.success(request, "Ваш профиль обновлён.")
        return redirect("banks:my-profile", profile_id=profile.pk)
    return render(
        request,
        "banks/my_profile.html",
        {"profile": profile, "form": form, "changes": profile.changes.all()[:20]},
    )
