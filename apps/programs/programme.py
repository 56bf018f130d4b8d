"""Use cases of personalised programmes (ПНП): templates, tasks, statuses, approval, versions."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.workdays import deadline_within
from apps.programs import shipped
from apps.programs.models import (
    FormatType,
    Meeting,
    MentoringUnit,
    Programme,
    ProgrammeTemplate,
    ProgrammeVersion,
    Task,
    TaskStatus,
)
from apps.programs.queries import difficulties_of
from apps.programs.services import UnitRuleError, ensure_dictionaries


def install_school_defaults(*, school, **kwargs) -> None:
    """Receiver of orgs.signals.school_created: the school's dictionaries, Положение limits and
    shipped programme templates (idempotent).

    Side effects: creates what is missing; keeps what the school has edited.
    """
    ensure_dictionaries(org=school)
    ensure_programme_templates(org=school)


def ensure_programme_templates(*, org) -> None:
    formats = {f.name: f for f in FormatType.objects.filter(organisation=org)}
    for spec in shipped.TEMPLATES:
        ProgrammeTemplate.objects.get_or_create(
            organisation=org,
            title=spec["title"],
            defaults={
                "format": formats.get(spec["format"]),
                "goal": spec["goal"],
                "tasks": [
                    {
                        "direction": d,
                        "title": t,
                        "days": days,
                        "expected_result": r,
                        "work_form": f,
                        "responsible": who,
                    }
                    for d, t, days, r, f, who in spec["tasks"]
                ],
            },
        )


def programme_for(unit: MentoringUnit) -> Programme:
    """The unit's ПНП, created on first use with difficulties taken from the mentee bank."""
    programme, created = Programme.objects.get_or_create(unit=unit)
    if created:
        programme.difficulties = difficulties_of(unit)
        programme.save(update_fields=["difficulties"])
    return programme


def open_mentees(unit: MentoringUnit):
    return [m.mentee for m in unit.members.filter(is_open=True).select_related("mentee")]


def _snapshot(programme: Programme, by) -> None:
    """Editing an approved programme: keep the approved text as a version, ask for approval."""
    if programme.approved_on is None:
        return
    ProgrammeVersion.objects.create(
        programme=programme,
        version=programme.version,
        created_by=by,
        snapshot={
            "goal": programme.goal,
            "difficulties": programme.difficulties,
            "approved_on": programme.approved_on.isoformat(),
            "tasks": [
                {
                    "direction": t.direction,
                    "title": t.title,
                    "deadline": t.deadline.isoformat(),
                    "responsible": t.responsible.full_name,
                    "status": t.status,
                }
                for t in programme.tasks.select_related("responsible")
            ],
        },
    )
    programme.version += 1
    programme.approved_on = None
    programme.approved_by = None
    programme.save(update_fields=["version", "approved_on", "approved_by", "updated_at"])


def check_task(unit: MentoringUnit, *, deadline, responsible, mentee) -> list[str]:
    errors = []
    if not unit.start_date <= deadline <= unit.end_date:
        errors.append(
            f"Срок {deadline:%d.%m.%Y} вне сроков программы "
            f"({unit.start_date:%d.%m.%Y} — {unit.end_date:%d.%m.%Y})."
        )
    participants = {unit.mentor_id, unit.co_mentor_id, *(m.pk for m in open_mentees(unit))}
    if responsible.pk not in participants:
        errors.append(f"{responsible.full_name} не участвует в этой паре/группе.")
    if mentee is not None and mentee.pk not in {m.pk for m in open_mentees(unit)}:
        errors.append(f"{mentee.full_name} не наставляемый в этой паре/группе.")
    return errors


@transaction.atomic
def save_programme(*, programme: Programme, goal: str, difficulties: str, by) -> Programme:
    _snapshot(programme, by)
    programme.goal = goal
    programme.difficulties = difficulties
    programme.save(update_fields=["goal", "difficulties", "updated_at"])
    return programme


@transaction.atomic
def save_task(*, programme: Programme, task: Task, by) -> Task:
    """Add or change a task after checking it against the unit. Raises UnitRuleError."""
    errors = check_task(
        programme.unit, deadline=task.deadline, responsible=task.responsible, mentee=task.mentee
    )
    if errors:
        raise UnitRuleError(errors)
    _snapshot(programme, by)
    task.programme = programme
    task.save()
    return task


@transaction.atomic
def apply_template(*, programme: Programme, template: ProgrammeTemplate, by) -> int:
    """Add the template's tasks, dated from the unit's start, kept inside its dates and on
    working days (a deadline on a weekend or a public holiday moves to the working day before).
    """
    unit = programme.unit
    _snapshot(programme, by)
    mentees = open_mentees(unit)
    single = mentees[0] if len(mentees) == 1 else None
    tasks = []
    for order, spec in enumerate(template.tasks, start=1):
        deadline = deadline_within(
            unit.start_date + datetime.timedelta(days=spec["days"]), unit.start_date, unit.end_date
        )
        responsible = single if spec["responsible"] == "mentee" and single else unit.mentor
        tasks.append(
            Task(
                programme=programme,
                direction=spec["direction"],
                title=spec["title"],
                deadline=deadline,
                responsible=responsible,
                expected_result=spec.get("expected_result", ""),
                work_form=spec.get("work_form", ""),
                order=order,
            )
        )
    Task.objects.bulk_create(tasks)
    if not programme.goal:
        programme.goal = template.goal
        programme.save(update_fields=["goal", "updated_at"])
    return len(tasks)


@transaction.atomic
def save_as_template(*, programme: Programme, title: str) -> ProgrammeTemplate:
    unit = programme.unit
    if ProgrammeTemplate.objects.of(unit.organisation).filter(title=title).exists():
        raise UnitRuleError([f"Шаблон «{title}» уже есть — выберите другое название."])
    return ProgrammeTemplate.objects.create(
        organisation=unit.organisation,
        title=title,
        format=unit.format,
        goal=programme.goal,
        tasks=[
            {
                "direction": t.direction,
                "title": t.title,
                "days": (t.deadline - unit.start_date).days,
                "expected_result": t.expected_result,
                "work_form": t.work_form,
                "responsible": "mentor" if t.responsible_id == unit.mentor_id else "mentee",
            }
            for t in programme.tasks.all()
        ],
    )


@transaction.atomic
def set_task_status(
    *,
    task: Task,
    status: str,
    new_deadline: datetime.date | None = None,
    evidence_file=None,
    evidence_link: str = "",
) -> Task:
    unit = task.programme.unit
    if status == TaskStatus.POSTPONED:
        if new_deadline is None:
            raise UnitRuleError(["Укажите новый срок."])
        if not unit.start_date <= new_deadline <= unit.end_date:
            raise UnitRuleError(["Новый срок вне сроков программы."])
    task.status = status
    task.new_deadline = new_deadline if status == TaskStatus.POSTPONED else task.new_deadline
    task.done_on = timezone.localdate() if status == TaskStatus.DONE else None
    if evidence_file:
        task.evidence_file = evidence_file
    if evidence_link:
        task.evidence_link = evidence_link
    task.save()
    return task


@transaction.atomic
def approve(*, programme: Programme, by) -> Programme:
    if not programme.goal.strip() or not programme.tasks.exists():
        raise UnitRuleError(["Перед утверждением укажите цель и хотя бы одну задачу."])
    programme.approved_on = timezone.localdate()
    programme.approved_by = by
    programme.save(update_fields=["approved_on", "approved_by", "updated_at"])
    return programme


def participant_units(user):
    """Units where the user's register entry is a mentor, co-mentor or mentee."""
    person = getattr(user, "person", None)
    if person is None:
        return MentoringUnit.objects.none()
    return MentoringUnit.objects.filter(
        Q(mentor=person) | Q(co_mentor=person) | Q(members__mentee=person)
    ).distinct()


@transaction.atomic
def record_meeting(*, unit: MentoringUnit, meeting: Meeting, tasks, by) -> Meeting:
    """Add a diary entry on any date of the unit's term (its start to its planned or actual
    end): a past date is a held meeting, a later one a planned meeting. Raises UnitRuleError
    for a date outside the term."""
    errors = []
    last = unit.ended_on or unit.end_date
    if not unit.start_date <= meeting.date <= last:
        errors.append(
            f"Дата встречи {meeting.date:%d.%m.%Y} вне сроков пары/группы "
            f"({unit.start_date:%d.%m.%Y} — {last:%d.%m.%Y})."
        )
    foreign = [t for t in tasks if t.programme.unit_id != unit.pk]
    if foreign:
        errors.append("Можно связать только задачи этой программы.")
    if errors:
        raise UnitRuleError(errors)
    meeting.unit = unit
    meeting.recorded_by = by
    meeting.save()
    meeting.tasks.set(tasks)
    return meeting


MONTHS = ["", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
          "сентябрь", "октябрь", "ноябрь", "декабрь"]  # fmt: skip


def unit_calendar(unit: MentoringUnit, tasks, meetings) -> list[tuple[str, list[dict]]]:
    """Meetings and task deadlines of a unit by month, for the calendar view."""
    today = timezone.localdate()
    events = [
        {"date": m.date, "kind": "meeting", "title": m.topic, "late": False} for m in meetings
    ] + [
        {
            "date": t.due,
            "kind": "task",
            "title": t.title,
            "done": t.status == TaskStatus.DONE,
            "late": t.is_overdue(today),
        }
        for t in tasks
    ]
    months: dict[tuple[int, int], list[dict]] = {}
    for event in sorted(events, key=lambda e: e["date"]):
        months.setdefault((event["date"].year, event["date"].month), []).append(event)
    return [(f"{MONTHS[m].capitalize()} {y}", items) for (y, m), items in months.items()]
