"""Staff register: list, card, create and edit through the same form and service as the UI."""

import datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
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
    key_roles,
    org_for,
    school_for,
    token_of,
)
from apps.orgs.models import Organisation
from apps.orgs.params import MAX_SEARCH
from apps.orgs.permissions import role_allows
from apps.orgs.tenancy import get_for
from apps.people.forms import PersonForm
from apps.people.models import Person
from apps.people.queries import staff_search
from apps.people.services import save_person

router = Router(tags=["Кадровый реестр"])

GenderCode = Literal["", "male", "female"]
CategoryCode = Literal["none", "conformity", "first", "highest"]
LevelCode = Literal["preschool", "primary", "basic", "secondary", "additional"]
StatusCode = Literal["active", "leave", "archived"]


class PersonalOut(Schema):
    """Contacts and birth date: only for roles with the staff.personal permission."""

    email: str
    phone: str
    birth_date: datetime.date | None


class PersonOut(Schema):
    id: int
    organisation_id: int
    last_name: str
    first_name: str
    middle_name: str
    full_name: str
    gender: str
    position: str
    subjects: list[str]
    levels: list[str]
    teaching_experience: int | None
    org_experience: int | None
    category: str
    mentor_title_since: datetime.date | None
    hired_on: datetime.date | None
    education: str
    is_young_specialist: bool
    status: str
    personal: PersonalOut | None = None


class PersonIn(Schema):
    last_name: SafeStr
    first_name: SafeStr
    middle_name: SafeStr = ""
    gender: GenderCode = ""
    birth_date: SafeDate | None = None
    position: SafeStr
    subjects: list[SafeStr] = []
    levels: list[LevelCode] = []
    teaching_experience: int | None = None
    org_experience: int | None = None
    category: CategoryCode = "none"
    mentor_title_since: SafeDate | None = None
    hired_on: SafeDate | None = None
    education: SafeStr = ""
    is_young_specialist: bool = False
    email: SafeStr = ""
    phone: SafeStr = ""
    status: StatusCode = "active"


class PersonPatch(Schema):
    last_name: SafeStr | None = None
    first_name: SafeStr | None = None
    middle_name: SafeStr | None = None
    gender: GenderCode | None = None
    birth_date: SafeDate | None = None
    position: SafeStr | None = None
    subjects: list[SafeStr] | None = None
    levels: list[LevelCode] | None = None
    teaching_experience: int | None = None
    org_experience: int | None = None
    category: CategoryCode | None = None
    mentor_title_since: SafeDate | None = None
    hired_on: SafeDate | None = None
    education: SafeStr | None = None
    is_young_specialist: bool | None = None
    email: SafeStr | None = None
    phone: SafeStr | None = None
    status: StatusCode | None = None


class StaffFilter(Schema):
    q: SafeStr = Field("", max_length=MAX_SEARCH, description="ФИО или должность (до 200 знаков)")
    status: Literal["", "active", "leave", "archived", "all"] = ""


def person_out(person: Person, *, personal: bool) -> dict[str, Any]:
    data = {
        name: getattr(person, name)
        for name in PersonOut.model_fields
        if name not in ("subjects", "levels", "personal")
    }
    data["subjects"] = [s.name for s in person.subjects.all()]
    data["levels"] = person.level_codes
    if personal:
        data["personal"] = {
            "email": person.email,
            "phone": person.phone,
            "birth_date": person.birth_date,
        }
    return data


def _sees_personal(request: HttpRequest, org: Organisation) -> bool:
    return role_allows(key_roles(token_of(request), org), "staff.personal")


def _people(org: Organisation) -> QuerySet[Person]:
    return (
        Person.objects.within(org)
        .prefetch_related("subjects")
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


@router.get("/organisations/{org_id}/staff", response={200: list[PersonOut], **READ_ERRORS})
@paginate(Pagination)
def staff_list(request: HttpRequest, org_id: OrgId, filters: Query[StaffFilter]) -> list[dict]:
    """Сотрудники организации (и школ ниже). Без `status` — работающие; `status=all` — все."""
    org = org_for(request, org_id, "staff.view")
    people = _people(org)
    people = staff_search(people, q=filters.q, status=filters.status)
    return _LazyOut(people, personal=_sees_personal(request, org))


class _LazyOut:
    """A queryset that the paginator slices first and serialises after (one page only)."""

    def __init__(self, queryset: QuerySet, *, personal: bool):
        self.queryset, self.personal = queryset, personal

    def all(self) -> QuerySet:
        return self.queryset

    def __getitem__(self, key: slice) -> list[dict]:
        return [person_out(p, personal=self.personal) for p in self.queryset[key]]


@router.get("/organisations/{org_id}/staff/{person_id}", response={200: PersonOut, **READ_ERRORS})
def staff_detail(request: HttpRequest, org_id: OrgId, person_id: ObjectId) -> dict:
    """Карточка сотрудника."""
    org = org_for(request, org_id, "staff.view")
    person = get_object_or_404(_people(org), pk=person_id)
    return person_out(person, personal=_sees_personal(request, org))


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in values.items() if k not in ("subjects", "levels")}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["subjects_text"] = "; ".join(values.get("subjects") or [])
    data["level_list"] = list(values.get("levels") or [])
    data["is_young_specialist"] = bool(values.get("is_young_specialist"))
    return data


def _save(org: Organisation, person: Person, values: dict[str, Any]) -> Person:
    form = PersonForm(_form_data(values), organisation=org, instance=person)
    check_form(form)
    return save_person(
        person=form.instance,
        organisation=org,
        subject_names=form.subject_names(),
        level_codes=form.cleaned_data["level_list"],
    )


@router.post("/organisations/{org_id}/staff", response={201: PersonOut, **WRITE_ERRORS})
@transaction.atomic
def staff_create(request: HttpRequest, org_id: OrgId, payload: PersonIn) -> Status:
    """Добавить сотрудника в реестр школы (проверки — как в форме на сайте)."""
    org = school_for(request, org_id, "staff.edit")
    person = _save(org, Person(organisation=org), payload.model_dump())
    return Status(201, person_out(person, personal=_sees_personal(request, org)))


@router.patch(
    "/organisations/{org_id}/staff/{person_id}", response={200: PersonOut, **WRITE_ERRORS}
)
@transaction.atomic
def staff_update(
    request: HttpRequest, org_id: OrgId, person_id: ObjectId, payload: PersonPatch
) -> dict:
    """Изменить поля сотрудника; переданные поля заменяют прежние, остальные не меняются."""
    org = school_for(request, org_id, "staff.edit")
    person = get_for(org, Person, person_id)
    values = _current_values(person)
    values.update(payload.model_dump(exclude_unset=True))
    person = _save(org, person, values)
    return person_out(person, personal=_sees_personal(request, org))


def _current_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in PersonIn.model_fields}
    values["subjects"] = [s.name for s in person.subjects.all()]
    values["levels"] = person.level_codes
    return values
