"""The demo loader builds a realistic world and can run again without duplicating it."""

import io

import openpyxl
from django.core.management import call_command

from apps.demo.demo import DEMO_LOGINS, DEMO_PASSWORD
from apps.monitoring.models import MonitoringForm
from apps.monitoring.regional import consolidated_xlsx
from apps.orgs.choices import OrgKind
from apps.orgs.models import Membership, Organisation, User
from apps.people.models import Consent, Person


def counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        Consent.objects.count(),
        Membership.objects.count(),
    )


def test_it_is_idempotent_and_realistic(db, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert "curator@school7.demo" in capsys.readouterr().out

    schools = Organisation.objects.filter(kind=OrgKind.SCHOOL)
    assert schools.count() == 3
    for school in schools:
        staff = Person.objects.filter(organisation=school).count()
        assert 40 <= staff <= 80
        assert Person.objects.filter(organisation=school, is_young_specialist=True).count() >= 3
    for _label, email in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.memberships.exists()
    curator = User.objects.get(email="curator@school7.demo")
    assert curator.person.organisation.slug == "school7"
    assert Person.objects.with_valid_consent("processing").count() > 100


def test_it_collects_the_municipal_form_from_the_three_schools(db):
    call_command("load_demo")
    form = MonitoringForm.objects.get()
    rows = list(openpyxl.load_workbook(io.BytesIO(consolidated_xlsx(form)))["Сводная"].values)
    assert rows[0][:5] == ("ИНН", "Организация", "Статус", "Отправлена", "F01")
    assert [row[2] for row in rows[2:]] == ["отправлена"] * 3


def test_it_gives_each_school_role_read_and_unread_notifications(db):
    from apps.notifications.models import Notification

    call_command("load_demo")
    count = Notification.objects.count()
    call_command("load_demo")
    assert Notification.objects.count() == count
    for role in ("head", "curator", "mentor1", "mentee1"):
        user = User.objects.get(email=f"{role}@school7.demo")
        notes = Notification.objects.for_user(user)
        assert notes.unread().exists(), role
        assert notes.filter(read_at__isnull=False).exists(), role
