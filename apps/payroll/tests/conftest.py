"""A school with pairs signed for December 2026 (22 working days: the 31st is a day off)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents.models import Document
from apps.payroll.models import PayRule
from apps.programs.models import FormatType, MentorChange, MentoringUnit, PairingType, UnitMember
from apps.programs.services import ensure_dictionaries
from tests.factories import PersonFactory

D = datetime.date
AUGUST_30, SEPTEMBER_1, MAY_31 = D(2026, 8, 30), D(2026, 9, 1), D(2027, 5, 31)
_seq = iter(range(1, 1000))


def signed(org, kind: str, units, *, day=AUGUST_30, person=None, number=None) -> Document:
    series = "agreement" if kind == "agreement" else "order"
    seq = next(_seq)
    document = Document.objects.create(
        organisation=org,
        kind=kind,
        series=series,
        year=day.year,
        seq=seq,
        number=number or f"{seq}-о",
        date=day,
        title=kind,
        person=person,
        status="signed",
        file=SimpleUploadedFile("d.docx", b"PK\x03\x04"),
        scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    document.units.set(units)
    return document


def unit_of(org, mentor, mentees, *, start=SEPTEMBER_1, end=MAY_31, **extra):
    ensure_dictionaries(org=org)
    extra.setdefault("status", "active")
    unit = MentoringUnit.objects.create(
        organisation=org,
        year="2026/2027",
        mentor=mentor,
        pairing=PairingType.objects.of(org).first(),
        format=FormatType.objects.of(org).filter(is_group=False).first(),
        start_date=start,
        end_date=end,
        **extra,
    )
    for mentee in mentees:
        UnitMember.objects.create(
            unit=unit, mentee=mentee, mentor=mentor, format=unit.format, joined_on=start
        )
    return unit


@pytest.fixture
def rule(school):
    return PayRule.objects.create(
        organisation=school,
        valid_from=D(2026, 9, 1),
        per_mentee=Decimal("5000"),
        source="Положение об оплате труда, п. 5.3",
    )


@pytest.fixture
def december(school, rule):
    """Иванова leads Петров (replaced by Сидорова on Monday 14.12) and Орлова all month."""
    person = lambda last, number="": PersonFactory(  # noqa: E731
        organisation=school, last_name=last, personnel_number=number
    )
    ivanova, sidorova = person("Иванова", "0000-00011"), person("Сидорова", "0000-00012")
    petrov, orlova = person("Петров"), person("Орлова")
    replaced = unit_of(school, ivanova, [petrov])
    steady = unit_of(school, ivanova, [orlova])
    signed(school, "pairs", [replaced, steady], number="45-о")
    signed(school, "agreement", [replaced, steady], person=ivanova, number="7")
    MentorChange.objects.create(
        unit=replaced,
        old_mentor=ivanova,
        new_mentor=sidorova,
        changed_on=D(2026, 12, 14),
        reason="Переход",
    )
    MentoringUnit.objects.filter(pk=replaced.pk).update(mentor=sidorova)
    UnitMember.objects.filter(unit=replaced).update(mentor=sidorova)
    signed(school, "replacement", [replaced], day=D(2026, 12, 9), number="60-о")
    signed(school, "agreement", [replaced], day=D(2026, 12, 10), person=sidorova, number="9")
    return {"ivanova": ivanova, "sidorova": sidorova, "replaced": replaced, "steady": steady}
