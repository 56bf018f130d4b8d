"""A school with data for every endpoint, and keys of any organisation, role and scope."""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from apps.api.tokens import create_token
from apps.banks.models import Profile
from apps.core.years import academic_year
from apps.documents.models import Document
from apps.events.models import Event
from apps.orgs.choices import Role
from apps.programs.models import FormatType, MentoringUnit, PairingType, Programme, Task, UnitMember
from apps.programs.services import ensure_dictionaries
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory

API = "/api/v1"


@dataclass
class SchoolData:
    person_id: int
    mentor_id: int
    consent_id: int
    unit_id: int
    task_id: int
    event_id: int
    document_id: int


def fill_school(org) -> SchoolData:
    """People with consents, a bank profile, a unit with a programme, an event, a document."""
    today = timezone.localdate()
    person = PersonFactory(organisation=org, email="maria@example.org", phone="+7 900 000-00-00")
    mentor = PersonFactory(organisation=org, last_name="Сидорова", position="Учитель математики")
    consent = ConsentFactory(person=person, given_on=today - datetime.timedelta(days=30))
    ConsentFactory(person=mentor, given_on=today - datetime.timedelta(days=30))
    Profile.objects.create(organisation=org, person=person, kind="mentee", year=academic_year())
    Profile.objects.create(organisation=org, person=mentor, kind="mentor", year=academic_year())
    ensure_dictionaries(org=org)
    fmt = FormatType.objects.filter(organisation=org).first()
    unit = MentoringUnit.objects.create(
        organisation=org, year=academic_year(), mentor=mentor, status="active",
        pairing=PairingType.objects.filter(organisation=org).first(), format=fmt,
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=200),
    )  # fmt: skip
    UnitMember.objects.create(
        unit=unit, mentee=person, mentor=mentor, format=fmt, joined_on=unit.start_date
    )
    task = Task.objects.create(
        programme=Programme.objects.create(unit=unit, goal="Освоить ФГОС"), direction="Методика",
        title="Открытый урок", deadline=today + datetime.timedelta(days=30), responsible=mentor,
    )  # fmt: skip
    start = timezone.now() + datetime.timedelta(days=20)
    event = Event.objects.create(
        organisation=org, kind="session", title="Установочная сессия", audience="mentors",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Актовый зал",
    )  # fmt: skip
    document = Document.objects.create(
        organisation=org, kind="curator", series="order", year=today.year, seq=1, number="1-о",
        date=today, title="О назначении куратора", file="documents/x.docx",
    )  # fmt: skip
    return SchoolData(person.pk, mentor.pk, consent.pk, unit.pk, task.pk, event.pk, document.pk)


@pytest.fixture
def data(school) -> SchoolData:
    return fill_school(school)


def issue(org, role: str = Role.CURATOR, scope: str = "read", **extra) -> str:
    """A key of `org` with `role`, created by an administrator of `org`."""
    creator = UserFactory()
    MembershipFactory(user=creator, organisation=org, role=Role.ADMIN)
    _token, key = create_token(org=org, user=creator, name="Тест", role=role, scope=scope, **extra)
    return key


class ApiClient:
    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path: str, body=None, **kwargs):
        return self._send("post", path, body, **kwargs)

    def patch(self, path: str, body=None, **kwargs):
        return self._send("patch", path, body, **kwargs)

    def _send(self, method: str, path: str, body, content_type="application/json", raw=None):
        payload = raw if raw is not None else json.dumps(body if body is not None else {})
        return getattr(self.client, method)(
            API + path, payload, content_type=content_type, headers=self.headers
        )


@pytest.fixture
def as_curator(school):
    return ApiClient(issue(school, Role.CURATOR, "write"))


@pytest.fixture
def as_reader(school):
    return ApiClient(issue(school, Role.CURATOR, "read"))
