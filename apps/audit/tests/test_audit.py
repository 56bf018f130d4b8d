"""The journal records changes with old → new values, card views and anonymisation, and is
shown only to heads and administrators within their branch."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.tracked import TRACKED
from apps.audit.views import MODEL_LABELS
from apps.people.consents import destroy_withdrawn_data
from apps.people.models import Person
from tests.factories import ConsentFactory, PersonFactory
from tests.html import cells

pytestmark = pytest.mark.django_db


def test_every_tracked_model_has_a_russian_label():
    assert set(MODEL_LABELS) == set(TRACKED)


def test_editing_a_person_records_who_and_old_to_new(curator_client, curator, school):
    person = PersonFactory(organisation=school, last_name="Петрова", phone="+7 900 000-00-00")
    url = reverse("people:person-edit", args=[school.pk, person.pk])
    form = curator_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(last_name="Сидорова", phone="+7 900 111-11-11", position=person.position)
    data["subjects"] = []
    curator_client.post(url, data)
    event = AuditEvent.objects.filter(model="people.person", action="update").latest("pk")
    assert event.user == curator
    assert event.changes["last_name"] == ["Петрова", "Сидорова"]
    assert event.changes["phone"] == ["+7 900 000-00-00", "+7 900 111-11-11"]
    assert "updated_at" not in event.changes
    assert event.org_path == school.path


def test_consents_and_deletes_are_recorded(school):
    person = PersonFactory(organisation=school)
    consent = ConsentFactory(person=person)
    consent.withdrawn_at = timezone.now()
    consent.save()
    events = AuditEvent.objects.filter(model="people.consent", person_id=person.pk)
    assert [e.action for e in events.order_by("pk")] == ["create", "update"]
    assert events.order_by("pk").last().changes["withdrawn_at"][0] is None
    consent.delete()
    assert AuditEvent.objects.filter(model="people.consent", action="delete").exists()


def test_viewing_a_card_is_logged_but_not_ones_own(curator_client, methodist_client, school):
    person = PersonFactory(organisation=school)
    curator_client.get(reverse("people:person-detail", args=[school.pk, person.pk]))
    methodist_client.get(reverse("people:person-detail", args=[school.pk, person.pk]))
    views = AuditEvent.objects.filter(action="view", person_id=person.pk)
    assert views.count() == 2


def test_anonymisation_removes_values_from_the_journal(school, settings):
    settings.CONSENT_DESTRUCTION_DAYS = 30
    person = PersonFactory(organisation=school, last_name="Кузнецова", phone="+7 911 222-33-44")
    person.phone = "+7 911 999-99-99"
    person.save()
    ConsentFactory(
        person=person, given_on=datetime.date(2026, 1, 10),
        withdrawn_at=timezone.now() - datetime.timedelta(days=40),
    )  # fmt: skip
    destroy_withdrawn_data(today=timezone.localdate())
    assert Person.objects.get(pk=person.pk).anonymised_at is not None
    about = AuditEvent.objects.filter(person_id=person.pk)
    assert about.filter(action="anonymise").count() == 1
    text = str(list(about.values_list("changes", "object_label")))
    assert "Кузнецова" not in text
    assert "911" not in text


def test_journal_is_for_heads_and_admins_of_the_branch(
    head_client, curator_client, school, far_school, methodist_client
):
    PersonFactory(organisation=school, last_name="Наша")
    PersonFactory(organisation=far_school, last_name="Чужая")
    page = head_client.get(reverse("audit:journal", args=[school.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Наша" in text
    assert "Чужая" not in text
    assert curator_client.get(reverse("audit:journal", args=[school.pk])).status_code == 403
    filtered = head_client.get(
        reverse("audit:journal", args=[school.pk]), {"model": "people.consent", "q": "Наша"}
    )
    assert cells(filtered)[1:] == [["Записей нет."]]


def test_a_staff_file_is_one_entry_with_its_counts(school, curator):
    from apps.people.models import ImportBatch
    from apps.people.services import apply_import

    batch = ImportBatch.objects.create(organisation=school, file_name="staff.xlsx", rows=[])
    batch.status = "preview"
    batch.save()
    apply_import(batch=batch)
    event = AuditEvent.objects.get(action="import")
    assert event.object_label == "Файл «staff.xlsx»"
    assert event.changes == {"новых": [None, 0], "обновлено": [None, 0]}
