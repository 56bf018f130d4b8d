"""Mentoring pairs and groups with members and the ПНП; task status via the service."""

import datetime
from typing import Literal

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from apps.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    ObjectId,
    OrgId,
    Pagination,
    SafeDate,
    SafeStr,
    check_form,
    org_for,
    school_for,
)
from apps.api.errors import FormInvalid
from apps.orgs.models import Organisation
from apps.orgs.tenancy import get_for
from apps.programs.forms import TaskStatusForm
from apps.programs.models import MentoringUnit, Programme, Task, UnitMember
from apps.programs.programme import set_task_status
from apps.programs.services import UnitRuleError

router = Router(tags=["Пары и группы, ПНП"])


class PersonRef(Schema):
    id: int
    full_name: str


class MemberOut(Schema):
    person: PersonRef
    joined_on: datetime.date
    left_on: datetime.date | None
    is_open: bool

    @staticmethod
    def resolve_person(obj: UnitMember) -> dict:
        return {"id": obj.mentee_id, "full_name": obj.mentee.full_name}


class UnitOut(Schema):
    id: int
    organisation_id: int
    year: str
    status: str
    mentor: PersonRef
    co_mentor: PersonRef | None
    pairing: str
    format: str
    start_date: datetime.date
    end_date: datetime.date
    ended_on: datetime.date | None
    members: list[MemberOut]

    @staticmethod
    def resolve_pairing(obj: MentoringUnit) -> str:
        return obj.pairing.name

    @staticmethod
    def resolve_format(obj: MentoringUnit) -> str:
        return obj.format.name

    @staticmethod
    def resolve_members(obj: MentoringUnit) -> list[UnitMember]:
        return list(obj.members.all())


class TaskOut(Schema):
    id: int
    direction: str
    title: str
    deadline: datetime.date
    new_deadline: datetime.date | None
    status: str
    responsible: PersonRef
    mentee: PersonRef | None
    expected_result: str
    work_form: str
    done_on: datetime.date | None
    evidence_link: str
    has_evidence_file: bool

    @staticmethod
    def resolve_has_evidence_file(obj: Task) -> bool:
        return bool(obj.evidence_file)


class ProgrammeOut(Schema):
    goal: str
    difficulties: str
    version: int
    approved_on: datetime.date | None
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj: Programme) -> list[Task]:
        return list(obj.tasks.select_related("responsible", "mentee"))


class UnitDetailOut(UnitOut):
    programme: ProgrammeOut | None

    @staticmethod
    def resolve_programme(obj: MentoringUnit) -> Programme | None:
        return getattr(obj, "programme", None)


class UnitFilter(Schema):
    status: Literal["draft", "active", "completed", "terminated"] | None = None
    year: str | None = Field(None, pattern=r"^\d{4}/\d{4}$", description="Например 2025/2026")


class TaskStatusIn(Schema):
    status: Literal["planned", "done", "postponed", "failed"]
    new_deadline: SafeDate | None = None
    evidence_link: SafeStr = ""


def _units(org: Organisation) -> QuerySet[MentoringUnit]:
    return (
        MentoringUnit.objects.within(org)
        .select_related("mentor", "co_mentor", "pairing", "format")
        .prefetch_related(Prefetch("members", queryset=UnitMember.objects.select_related("mentee")))
        .order_by("-start_date", "-pk")
    )


@router.get("/organisations/{org_id}/units", response={200: list[UnitOut], **READ_ERRORS})
@paginate(Pagination)
def unit_list(
    request: HttpRequest, org_id: OrgId, filters: Query[UnitFilter]
) -> QuerySet[MentoringUnit]:
    """Наставнические пары и группы с участниками."""
    org = org_for(request, org_id, "units.view")
    units = _units(org)
    if filters.status:
        units = units.filter(status=filters.status)
    if filters.year:
        units = units.filter(year=filters.year)
    return units


@router.get("/organisations/{org_id}/units/{unit_id}", response={200: UnitDetailOut, **READ_ERRORS})
def unit_detail(request: HttpRequest, org_id: OrgId, unit_id: ObjectId) -> MentoringUnit:
    """Пара или группа с участниками, ПНП и её задачами."""
    org = org_for(request, org_id, "units.view")
    return get_object_or_404(_units(org), pk=unit_id)


@router.patch("/organisations/{org_id}/tasks/{task_id}", response={200: TaskOut, **WRITE_ERRORS})
@transaction.atomic
def task_update(
    request: HttpRequest, org_id: OrgId, task_id: ObjectId, payload: TaskStatusIn
) -> Task:
    """Сменить статус задачи ПНП (для «перенесено» нужен новый срок в пределах программы)."""
    org = school_for(request, org_id, "units.manage")
    task = get_for(
        org, Task.objects.select_related("programme__unit", "responsible", "mentee"), task_id
    )
    form = TaskStatusForm(
        {
            "status": payload.status,
            "new_deadline": payload.new_deadline or "",
            "evidence_link": payload.evidence_link,
        },
        {},
    )
    check_form(form)
    try:
        set_task_status(task=task, **form.cleaned_data)
    except UnitRuleError as error:
        raise FormInvalid({"body": list(error.messages)}) from error
    return task
