"""People with accounts and consents, pairs and the other objects the event kinds are about."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents.models import Document
from apps.orgs.choices import Role
from apps.programs.models import FormatType, PairingType
from apps.programs.services import create_unit, ensure_dictionaries
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory

START = datetime.date(2026, 9, 1)
END = datetime.date(2027, 5, 31)


def account(school, role: str, email: str, *, consent: bool = True, experience: int = 12):
    """A staff member with a login, a role at the school and the consents a pair needs."""
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=school, role=role)
    person = PersonFactory(organisation=school, user=user, teaching_experience=experience)
    if consent:
        for kind in ("processing", "duties_mentor", "duties_mentee"):
            ConsentFactory(person=person, kind=kind, given_on=datetime.date(2026, 8, 1))
    return person


def pair(school, mentor=None, mentee=None):
    ensure_dictionaries(org=school)
    mentor = mentor or account(school, Role.MENTOR, "pair-mentor@s1.example.org")
    mentee = mentee or account(school, Role.MENTEE, "pair-mentee@s1.example.org", experience=1)
    unit = create_unit(
        org=school, mentor=mentor, co_mentor=None, mentees=[mentee],
        pairing=PairingType.objects.filter(organisation=school).first(),
        format=FormatType.objects.get(organisation=school, name="Традиционное «один на один»"),
        start=START, end=END, created_by=None,
    )  # fmt: skip
    return unit, mentor, mentee


def document(school, **extra) -> Document:
    return Document.objects.create(
        organisation=school, kind="pairs", series="order", year=2026, seq=extra.pop("seq", 1),
        number="5-о", date=datetime.date(2026, 11, 20), title="О закреплении наставнических пар",
        file=SimpleUploadedFile("order.docx", b"PK\x03\x04"), **extra,
    )  # fmt: skip
