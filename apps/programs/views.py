from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.orgs.access import org_view
from apps.people.views.staff import require_school
from apps.programs.forms import EndUnitForm, ReplaceMentorForm, SettingsForm, UnitForm
from apps.programs.models import (
    FormatType,
    MentoringUnit,
    PairingType,
    UnitMember,
    UnitStatus,
)
from apps.programs.services import (
    UnitRuleError,
    activate_unit,
    check_unit,
    create_unit,
    end_unit,
    ensure_dictionaries,
    replace_mentor,
)

PAGE_SIZE = 50


def get_unit(org, unit_id: int) -> MentoringUnit:
    return get_object_or_404(
        org.mentoring_units.select_related("mentor", "co_mentor", "pairing", "format"),
        pk=unit_id,
    )


@org_view("units.view")
def unit_list(request, org):
    require_school(org)
    status = request.GET.get("status", "")
    units = (
        org.mentoring_units.select_related("mentor", "co_mentor", "format", "pairing")
        .prefetch_related(Prefetch("members", queryset=UnitMember.objects.select_related("mentee")))
        .order_by("-start_date", "-pk")
    )
    if status in UnitStatus.values:
        units = units.filter(status=status)
    counts = org.mentoring_units.aggregate(
        **{code: Count("pk", filter=Q(status=code)) for code in UnitStatus.values}
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/unit_list.html",
        {
            "org": org,
            "page": page,
            "status": status,
            "statuses": [(c, label, counts[c]) for c, label in UnitStatus.choices],
            "query": f"status={status}" if status else "",
        },
    )


@org_view("units.manage")
def unit_create(request, org):
    require_school(org)
    ensure_dictionaries(org=org)
    form = UnitForm(request.POST or None, org=org)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = create_unit(
                org=org,
                mentor=data["mentor"],
                co_mentor=data["co_mentor"],
                mentees=list(data["mentees"]),
                pairing=data["pairing"],
                format=data["format"],
                start=data["start"],
                end=data["end"],
                created_by=request.user,
            )
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Пара сформирована (статус «Проект»).")
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    return render(
        request, "programs/unit_form.html", {"org": org, "form": form, "warnings": warnings}
    )


@org_view("units.view")
def unit_detail(request, org, unit_id):
    require_school(org)
    unit = get_unit(org, unit_id)
    members = list(unit.members.select_related("mentee"))
    open_mentees = [m.mentee for m in members if m.is_open]
    warnings = []
    if unit.is_open and open_mentees:
        check = check_unit(
            org=org, mentor=unit.mentor, co_mentor=unit.co_mentor, mentees=open_mentees,
            format=unit.format, start=unit.start_date, end=unit.end_date, unit=unit,
        )  # fmt: skip
        warnings = check.errors + check.warnings
    return render(
        request,
        "programs/unit_detail.html",
        {
            "org": org,
            "unit": unit,
            "members": members,
            "warnings": warnings,
            "changes": unit.mentor_changes.select_related("old_mentor", "new_mentor"),
        },
    )


@org_view("units.manage")
@require_POST
def unit_activate(request, org, unit_id):
    require_school(org)
    unit = get_unit(org, unit_id)
    try:
        activate_unit(unit=unit)
        messages.success(request, "Пара запущена: статус «Действует».")
    except UnitRuleError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)


@org_view("units.manage")
def unit_end(request, org, unit_id):
    require_school(org)
    unit = get_unit(org, unit_id)
    form = EndUnitForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            end_unit(
                unit=unit,
                completed=data["outcome"] == "completed",
                ended_on=data["ended_on"],
                ended_by=data["ended_by"],
                notice_date=data["notice_date"],
                reason=data["reason"],
            )
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Статус пары изменён.")
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    return render(request, "programs/unit_end.html", {"org": org, "unit": unit, "form": form})


@org_view("units.manage")
def unit_replace_mentor(request, org, unit_id):
    require_school(org)
    unit = get_unit(org, unit_id)
    form = ReplaceMentorForm(request.POST or None, org=org, exclude=unit.mentor)
    if request.method == "POST" and form.is_valid():
        try:
            replace_mentor(
                unit=unit,
                new_mentor=form.cleaned_data["new_mentor"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Наставник заменён; программа и история сохранены.")
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    return render(request, "programs/unit_replace.html", {"org": org, "unit": unit, "form": form})


@org_view("units.manage")
def program_settings(request, org):
    require_school(org)
    settings = ensure_dictionaries(org=org)
    form = SettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Настройки Положения сохранены.")
        return redirect("programs:settings", org_id=org.pk)
    return render(
        request,
        "programs/settings.html",
        {
            "org": org,
            "form": form,
            "pairings": PairingType.objects.filter(organisation=org),
            "formats": FormatType.objects.filter(organisation=org),
        },
    )
