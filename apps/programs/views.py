from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from apps.core import datagen
from apps.core.addresses import id_prefix
from apps.core.declension import person_in
from apps.core.text import control_character_message
from apps.orgs.access import POST_ONLY, SCHOOL, can, login_view, org_view, show_org_navigation
from apps.orgs.params import int_or_none
from apps.orgs.tenancy import get_for
from apps.people.views.staff import get_person
from apps.programs.extensions import my_units_panels, unit_panels
from apps.programs.forms import (
    DictionaryEntryForm,
    EndUnitForm,
    MeetingForm,
    ProgrammeForm,
    ReplaceMentorForm,
    SettingsForm,
    SupportForm,
    TaskForm,
    TaskStatusForm,
    TemplateChoiceForm,
    UnitForm,
    meeting_initial,
)
from apps.programs.models import (
    FormatType,
    MentoringUnit,
    PairingType,
    Task,
    UnitMember,
    UnitStatus,
)
from apps.programs.programme import (
    apply_template,
    approve,
    participant_units,
    programme_for,
    record_meeting,
    save_as_template,
    save_programme,
    save_task,
    set_task_status,
    unit_calendar,
)
from apps.programs.queries import (
    programme_of,
    programme_progress,
    school_program_settings,
    unit_rows,
    unit_status_counts,
)
from apps.programs.services import (
    UnitRuleError,
    activate_unit,
    add_dictionary_entry,
    check_unit,
    create_unit,
    delete_unit,
    end_unit,
    launch_units,
    replace_mentor,
    update_unit,
)

PAGE_SIZE = 50


def get_unit(org, unit_id: int) -> MentoringUnit:
    return get_object_or_404(
        org.mentoring_units.select_related("mentor", "co_mentor", "pairing", "format"),
        pk=unit_id,
    )


@org_view("units.view", level=SCHOOL)
def unit_list(request, org):
    status = request.GET.get("status", "")
    status = status if status in UnitStatus.values else ""
    today = timezone.localdate()
    counts = unit_status_counts([org.pk])[org.pk]
    can_manage = can(request, "units.manage")
    number = request.GET.get("page", "")
    number = number if number.isdigit() and len(number) < 7 else "1"  # what get_page() shows

    def table() -> str:
        page = Paginator(unit_rows(org, today=today, status=status), PAGE_SIZE).get_page(number)
        return render_to_string(
            "programs/unit_table.html",
            {
                "org": org,
                "page": page,
                "query": f"status={status}" if status else "",
                "drafts": counts[UnitStatus.DRAFT],
                "can_manage": can_manage,
                # A unit's card is this prefix and its id: one reverse() for the whole page.
                "unit_url": id_prefix("programs:unit-detail", org.pk),
            },
        )

    # The table shows the school's data alone (its checkboxes belong to the launch form outside
    # it, which holds the CSRF token): rendered once per data generation (apps/core/datagen),
    # day, filter, page and edit right.
    html = datagen.cached("programs:units", (org.pk, status, number, today, can_manage), table)
    return render(
        request,
        "programs/unit_list.html",
        {
            "org": org,
            "table": html,
            "status": request.GET.get("status", ""),
            "statuses": [(c, label, counts[c]) for c, label in UnitStatus.choices],
            "drafts": counts[UnitStatus.DRAFT],
            "can_manage": can_manage,
        },
    )


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def unit_launch_selected(request, org):
    """«Запустить выбранные»: every chosen unit still in «Проект» becomes «Действует»."""
    ids = {int_or_none(v) for v in request.POST.getlist("unit")} - {None}
    units = list(org.mentoring_units.filter(pk__in=ids).select_related("mentor"))
    if not units:
        messages.error(request, "Отметьте пары и группы, которые нужно запустить.")
    else:
        launched = launch_units(units=units, by=request.user)
        skipped = len(units) - launched
        text = f"Запущено пар и групп: {launched}."
        if skipped:
            text += f" Пропущено (уже не в статусе «Проект»): {skipped}."
        messages.success(request, text)
    return redirect("programs:unit-list", org_id=org.pk)


@org_view("units.manage", level=SCHOOL)
def unit_create(request, org):
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
            group = unit.members.count() > 1 or data["format"].is_group
            kind = "Группа сформирована" if group else "Пара сформирована"
            messages.success(request, f"{kind} (статус «Проект»).")
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    return render(
        request, "programs/unit_form.html", {"org": org, "form": form, "warnings": warnings}
    )


@org_view("units.manage", level=SCHOOL)
def unit_edit(request, org, unit_id):
    """Correct a unit in «Проект»; a launched unit answers with the acts it allows."""
    unit = get_unit(org, unit_id)
    if unit.status != UnitStatus.DRAFT:
        messages.error(request, "Пара уже запущена: измените её заменой наставника или "
                                "досрочным прекращением.")  # fmt: skip
        return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    form = UnitForm(request.POST or None, org=org, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_unit(
                unit=unit, mentor=data["mentor"], co_mentor=data["co_mentor"],
                mentees=list(data["mentees"]), pairing=data["pairing"], format=data["format"],
                start=data["start"], end=data["end"], by=request.user,
            )  # fmt: skip
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Изменения сохранены (статус «Проект»).")
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    return render(request, "programs/unit_form.html", {"org": org, "form": form, "unit": unit})


@org_view("units.manage", level=SCHOOL)
def unit_delete(request, org, unit_id):
    """GET asks for confirmation; POST deletes a unit in «Проект»."""
    unit = get_unit(org, unit_id)
    if request.method == "POST":
        try:
            delete_unit(unit=unit)
        except UnitRuleError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
        messages.success(request, "Пара удалена; наставляемые вернулись в банк.")
        return redirect("programs:unit-list", org_id=org.pk)
    members = list(unit.members.select_related("mentee"))
    return render(
        request, "programs/unit_delete.html", {"org": org, "unit": unit, "members": members}
    )


@org_view("units.view", level=SCHOOL)
def unit_detail(request, org, unit_id):
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
            "history": unit.history.select_related("by"),
            "documents": unit.documents.exclude(status="cancelled").filter(kind="pairs"),
            "feedback": unit.feedback_campaigns.select_related("template").annotate(
                answered=Count("invitations", filter=Q(invitations__submitted_at__isnull=False)),
                invited=Count("invitations"),
            ),
            **unit_panels(unit),
            "meetings": unit.meetings.all()[:20],
            "calendar": unit_calendar(
                unit,
                Task.objects.filter(programme__unit=unit),
                unit.meetings.all(),
            ),
        },
    )


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def unit_activate(request, org, unit_id):
    unit = get_unit(org, unit_id)
    try:
        activate_unit(unit=unit, by=request.user)
        messages.success(request, "Пара запущена: статус «Действует».")
    except UnitRuleError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)


@org_view("units.manage", level=SCHOOL)
def unit_end(request, org, unit_id):
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
                by=request.user,
            )
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Статус пары изменён.")
            return redirect("programs:unit-detail", org_id=org.pk, unit_id=unit.pk)
    return render(request, "programs/unit_end.html", {"org": org, "unit": unit, "form": form})


@org_view("units.manage", level=SCHOOL)
def unit_replace_mentor(request, org, unit_id):
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


@org_view("units.manage", level=SCHOOL)
def program_settings(request, org):
    settings = school_program_settings(org)
    is_entry = request.method == "POST" and "dictionary" in request.POST
    form = SettingsForm(request.POST if request.method == "POST" and not is_entry else None,
                        instance=settings)  # fmt: skip
    entry_form = DictionaryEntryForm(request.POST if is_entry else None)
    if is_entry and entry_form.is_valid():
        data = entry_form.cleaned_data
        if add_dictionary_entry(
            org=org, dictionary=data["dictionary"], name=data["name"], is_group=data["is_group"]
        ):
            messages.success(request, f"Добавлено: «{data['name']}».")
        else:
            messages.error(request, f"«{data['name']}» уже есть в словаре.")
        return redirect("programs:settings", org_id=org.pk)
    if request.method == "POST" and not is_entry and form.is_valid():
        form.save()
        messages.success(request, "Настройки Положения сохранены.")
        return redirect("programs:settings", org_id=org.pk)
    return render(
        request,
        "programs/settings.html",
        {
            "org": org,
            "form": form,
            "entry_form": entry_form,
            "pairings": PairingType.objects.of(org),
            "formats": FormatType.objects.of(org),
        },
    )


def _programme_page(request, org, unit, **forms_):
    programme = programme_of(unit)
    tasks = list(programme.tasks.select_related("responsible", "mentee")) if programme.pk else []
    progress = programme_progress(tasks, timezone.localdate())
    context = {
        "org": org,
        "unit": unit,
        "programme": programme,
        "tasks": tasks,
        "done": progress.done,
        "percent": progress.percent,
        "overdue": progress.overdue,
        "programme_form": forms_.get("programme_form")
        or ProgrammeForm(initial={"goal": programme.goal, "difficulties": programme.difficulties}),
        "task_form": forms_.get("task_form") or TaskForm(unit=unit, prefix="task"),
        "template_form": TemplateChoiceForm(org=org, unit=unit),
        "versions": programme.versions.all() if programme.pk else [],
    }
    return render(request, "programs/programme.html", context)


@org_view("units.view", post="units.manage", level=SCHOOL)
def programme_detail(request, org, unit_id):
    unit = get_unit(org, unit_id)
    if request.method == "POST":
        programme = programme_for(unit)
        if "goal" in request.POST:
            form = ProgrammeForm(request.POST)
            if form.is_valid():
                save_programme(programme=programme, by=request.user, **form.cleaned_data)
                messages.success(request, "Программа сохранена.")
                return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)
            return _programme_page(request, org, unit, programme_form=form)
        form = TaskForm(request.POST, unit=unit, prefix="task")
        if form.is_valid():
            try:
                save_task(programme=programme, task=form.save(commit=False), by=request.user)
            except UnitRuleError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "Задача добавлена.")
                return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)
        return _programme_page(request, org, unit, task_form=form)
    return _programme_page(request, org, unit)


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def programme_apply_template(request, org, unit_id):
    unit = get_unit(org, unit_id)
    form = TemplateChoiceForm(request.POST, org=org, unit=unit)
    if form.is_valid():
        count = apply_template(
            programme=programme_for(unit), template=form.cleaned_data["template"], by=request.user
        )
        messages.success(request, f"Из шаблона добавлено задач: {count}. Проверьте сроки.")
    else:
        messages.error(request, "Выберите шаблон.")
    return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def programme_approve(request, org, unit_id):
    unit = get_unit(org, unit_id)
    try:
        approve(programme=programme_for(unit), by=request.user)
        messages.success(request, "Программа утверждена.")
    except UnitRuleError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def programme_save_template(request, org, unit_id):
    unit = get_unit(org, unit_id)
    title = (request.POST.get("title") or "").strip()[:300]
    if not title:
        messages.error(request, "Укажите название шаблона.")
    elif message := control_character_message("Название шаблона", title):
        messages.error(request, message)
    else:
        try:
            save_as_template(programme=programme_for(unit), title=title)
            messages.success(request, f"Сохранено как шаблон «{title}».")
        except UnitRuleError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)


def get_task(unit, task_id: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("programme__unit").filter(programme__unit=unit), pk=task_id
    )


@org_view("units.manage", level=SCHOOL)
def task_edit(request, org, unit_id, task_id):
    unit = get_unit(org, unit_id)
    task = get_task(unit, task_id)
    form = TaskForm(request.POST or None, instance=task, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            save_task(programme=task.programme, task=form.save(commit=False), by=request.user)
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Задача сохранена.")
            return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)
    return render(
        request, "programs/task_form.html", {"org": org, "unit": unit, "task": task, "form": form}
    )


@org_view("units.manage", level=SCHOOL)
def task_status(request, org, unit_id, task_id):
    unit = get_unit(org, unit_id)
    task = get_task(unit, task_id)
    form = TaskStatusForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": task.status, "new_deadline": task.new_deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_task_status(task=task, **form.cleaned_data)
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Статус задачи обновлён.")
            return redirect("programs:programme", org_id=org.pk, unit_id=unit.pk)
    return render(
        request,
        "programs/task_status.html",
        {"org": org, "unit": unit, "task": task, "form": form},
    )


@org_view("units.view", level=SCHOOL)
def task_evidence(request, org, unit_id, task_id):
    task = get_task(get_unit(org, unit_id), task_id)
    if not task.evidence_file:
        raise Http404
    response = FileResponse(task.evidence_file.open("rb"), as_attachment=True,
                            filename=task.evidence_file.name.rsplit("/", 1)[-1])  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


def _my_unit(request, unit_id: int) -> MentoringUnit:
    unit = get_object_or_404(
        participant_units(request.user).select_related(
            "mentor", "co_mentor", "format", "organisation"
        ),
        pk=unit_id,
    )
    show_org_navigation(request, unit.organisation)
    return unit


@login_view
def my_units(request):
    person = getattr(request.user, "person", None)
    show_org_navigation(request, person.organisation if person else None)
    units = (
        participant_units(request.user)
        .select_related("mentor", "format", "organisation")
        .prefetch_related(Prefetch("members", queryset=UnitMember.objects.select_related("mentee")))
        .order_by("-start_date")
    )
    context = {"units": units, "self_choice": False, "incoming": 0, **my_units_panels(person)}
    return render(request, "programs/my_units.html", context)


@login_view
def my_unit(request, unit_id):
    unit = _my_unit(request, unit_id)
    form = MeetingForm(request.POST or None, unit=unit, initial=meeting_initial(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            record_meeting(
                unit=unit,
                meeting=form.save(commit=False),
                tasks=list(form.cleaned_data["tasks"]),
                by=request.user,
            )
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Встреча записана в дневник.")
            return redirect("programs:my-unit", unit_id=unit.pk)
    programme = programme_of(unit)
    tasks = list(programme.tasks.select_related("responsible", "mentee")) if programme.pk else []
    progress = programme_progress(tasks, timezone.localdate())
    return render(
        request,
        "programs/my_unit.html",
        {
            "unit": unit,
            "programme": programme,
            "tasks": tasks,
            "done": progress.done,
            "percent": progress.percent,
            "meetings": unit.meetings.prefetch_related("tasks"),
            "calendar": unit_calendar(unit, tasks, unit.meetings.all()),
            "form": form,
            "person": request.user.person,
            **unit_panels(unit),
        },
    )


@login_view
def my_task_status(request, unit_id, task_id):
    unit = _my_unit(request, unit_id)
    task = get_task(unit, task_id)
    person = request.user.person
    if person.pk not in (unit.mentor_id, unit.co_mentor_id, task.responsible_id):
        raise PermissionDenied
    form = TaskStatusForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": task.status, "new_deadline": task.new_deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_task_status(task=task, **form.cleaned_data)
        except UnitRuleError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Статус задачи обновлён.")
            return redirect("programs:my-unit", unit_id=unit.pk)
    return render(
        request,
        "programs/task_status.html",
        {"unit": unit, "task": task, "form": form, "mine": True},
    )


@org_view("units.manage", level=SCHOOL, methods=POST_ONLY)
def dictionary_toggle(request, org, kind, entry_id):
    model = {"pairing": PairingType, "format": FormatType}.get(kind)
    if model is None:
        raise Http404
    entry = get_for(org, model, entry_id)
    entry.is_active = not entry.is_active
    entry.save(update_fields=["is_active"])
    state = "снова используется" if entry.is_active else "скрыто для новых пар"
    messages.success(request, f"«{entry.name}»: {state}.")
    return redirect("programs:settings", org_id=org.pk)


@org_view("units.manage", level=SCHOOL)
def support_add(request, org, person_id):
    mentee = get_person(org, person_id)
    form = SupportForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = org
        form.instance.mentee = mentee
        form.save()
        messages.success(request, f"Мера поддержки для {person_in(mentee, 'gen')} записана.")
        return redirect("matching:waitlist", org_id=org.pk)
    return render(
        request, "programs/support_form.html", {"org": org, "mentee": mentee, "form": form}
    )
