"""152-ФЗ consents: list, record and withdraw through the services of apps.people."""

import datetime
from typing import Literal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.api.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    IdValue,
    ObjectId,
    OrgId,
    Pagination,
    SafeDate,
    SafeStr,
    check_form,
    org_for,
    school_for,
    token_of,
)
from apps.api.errors import FormInvalid
from apps.orgs.models import Organisation
from apps.orgs.tenancy import get_for
from apps.people.consents import (
    DEFAULT_DATA,
    DEFAULT_PURPOSE,
    ConsentRefused,
    give_consent,
    withdraw_consent,
)
from apps.people.forms_consents import ConsentForm, WithdrawForm
from apps.people.models import Consent, Person
from apps.people.normalize import name_key

router = Router(tags=["Согласия на обработку ПДн"])

KindCode = Literal["processing", "distribution", "duties_mentor", "duties_mentee"]
ItemCode = Literal[
    "name", "position", "subjects", "category", "experience", "photo", "achievements"
]


class ConsentOut(Schema):
    id: int
    person_id: IdValue
    person_name: str
    kind: str
    purpose: str
    data_list: str
    allowed_items: list[str]
    conditions: str
    given_on: datetime.date
    valid_until: datetime.date | None
    method: str
    withdrawn_at: datetime.datetime | None
    withdrawal_note: str
    is_valid: bool
    has_scan: bool

    @staticmethod
    def resolve_person_name(obj: Consent) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_is_valid(obj: Consent) -> bool:
        return obj.is_valid()

    @staticmethod
    def resolve_has_scan(obj: Consent) -> bool:
        return bool(obj.scan)

    @staticmethod
    def resolve_allowed_items(obj: Consent) -> list[str]:
        return [str(item) for item in obj.allowed_items or []]


class ConsentIn(Schema):
    person_id: IdValue
    kind: KindCode
    given_on: SafeDate
    valid_until: SafeDate | None = None
    method: Literal["paper", "electronic"] = "paper"
    purpose: SafeStr | None = None
    data_list: SafeStr | None = None
    allowed_items: list[ItemCode] = []
    conditions: SafeStr = ""


class WithdrawIn(Schema):
    confirm_last_name: SafeStr = Field(
        ...,
        max_length=200,
        description="Фамилия сотрудника, чьё согласие отзывается: подтверждение, что отзывается "
        "то самое согласие (без учёта регистра и Ё/Е)",
    )
    withdrawn_on: SafeDate | None = None
    note: SafeStr = "Письменное заявление субъекта персональных данных об отзыве согласия"


class ConsentFilter(Schema):
    person_id: IdValue | None = None
    kind: KindCode | None = None
    state: Literal["", "valid", "withdrawn"] = ""


def _consents(org: Organisation) -> QuerySet[Consent]:
    return Consent.objects.within(org).select_related("person")


@router.get("/organisations/{org_id}/consents", response={200: list[ConsentOut], **READ_ERRORS})
@paginate(Pagination)
def consent_list(
    request: HttpRequest, org_id: OrgId, filters: Query[ConsentFilter]
) -> QuerySet[Consent]:
    """Согласия сотрудников (сканы не отдаются — только отметка, что скан есть)."""
    org = org_for(request, org_id, "consent.view")
    consents = _consents(org).order_by("-given_on", "-pk")
    if filters.person_id is not None:
        consents = consents.filter(person_id=filters.person_id)
    if filters.kind:
        consents = consents.filter(kind=filters.kind)
    if filters.state == "valid":
        consents = consents.filter(pk__in=Consent.objects.valid().values("pk"))
    elif filters.state == "withdrawn":
        consents = consents.filter(~Q(withdrawn_at=None))
    return consents


@router.post("/organisations/{org_id}/consents", response={201: ConsentOut, **WRITE_ERRORS})
@transaction.atomic
def consent_create(request: HttpRequest, org_id: OrgId, payload: ConsentIn) -> Status:
    """Записать подписанное согласие. Второе действующее согласие того же вида — 422."""
    org = school_for(request, org_id, "consent.edit")
    person = Person.objects.of(org).filter(pk=payload.person_id)
    person = person.first()
    if person is None:
        raise FormInvalid({"person_id": ["Сотрудник не найден в реестре этой организации."]})
    data = payload.model_dump()
    data["purpose"] = data["purpose"] or DEFAULT_PURPOSE[payload.kind]
    data["data_list"] = data["data_list"] or DEFAULT_DATA[payload.kind]
    data["valid_until"] = data["valid_until"] or ""
    form = ConsentForm(data, {}, kind=payload.kind)
    check_form(form)
    try:
        consent = give_consent(
            person=person, consent=form.instance, recorded_by=token_of(request).created_by
        )
    except ConsentRefused as refusal:
        raise FormInvalid({"body": [str(refusal)]}) from refusal
    return Status(201, consent)


@router.post(
    "/organisations/{org_id}/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **WRITE_ERRORS},
)
@transaction.atomic
def consent_withdraw(
    request: HttpRequest, org_id: OrgId, consent_id: ObjectId, payload: WithdrawIn
) -> Consent:
    """Отозвать согласие: обработка данных прекращается сразу. Повторный отзыв ничего не меняет.

    Нужна фамилия сотрудника в `confirm_last_name`; своё согласие автор ключа отзывает на сайте.
    """
    org = school_for(request, org_id, "consent.edit")
    consent = get_for(org, _consents(org), consent_id)
    creator_id = token_of(request).created_by_id
    if creator_id is not None and consent.person.user_id == creator_id:
        # A leaked key must not be able to silence its own creator's record.
        raise HttpError(
            403,
            "Своё согласие нельзя отозвать ключом, который вы выпустили: отзовите его на сайте, "
            "в карточке согласия.",
        )
    if name_key(payload.confirm_last_name, "", "") != name_key(consent.person.last_name, "", ""):
        raise FormInvalid(
            {"confirm_last_name": ["Фамилия не совпадает с фамилией сотрудника в согласии."]}
        )
    if consent.withdrawn_at:
        return consent
    form = WithdrawForm(
        {"withdrawn_on": payload.withdrawn_on or timezone.localdate(), "note": payload.note}
    )
    check_form(form)
    withdraw_consent(
        consent=consent,
        withdrawn_on=form.cleaned_data["withdrawn_on"],
        note=form.cleaned_data["note"],
    )
    consent.refresh_from_db()
    return consent
