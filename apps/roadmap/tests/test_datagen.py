"""The data generation moves with every write to school data — signals or not — and not with
the writes every click makes; the roadmap's cached statuses follow it."""

import datetime

import pytest
from django.db import connection, transaction

from apps.core import datagen
from apps.documents.tests.test_documents import pair_world
from apps.programs.models import MentoringUnit, UnitStatus
from apps.roadmap.status import gather

pytestmark = pytest.mark.django_db
YEAR = "2026/2027"
TODAY = datetime.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("sql", "counts"),
    [
        ('INSERT INTO "people_person" ("last_name") VALUES (%s)', True),
        ('UPDATE "programs_mentoringunit" SET "status" = %s', True),
        ('  delete from "banks_profile" WHERE id = 1', True),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "audit_auditevent" ("action") VALUES (%s)', False),
        ('INSERT INTO "notifications_delivery" ("id") VALUES (1)', False),
        ('SELECT "people_person"."id" FROM "people_person"', False),
    ],
)
def test_it_tells_writes_to_school_data_from_the_rest(sql, counts):
    assert datagen.writes_data(sql) is counts


def test_an_update_without_signals_moves_it_and_a_session_write_does_not(client, school):
    pair_world(school)
    before = datagen.generation()
    assert datagen.generation() == before  # reading alone moves nothing
    MentoringUnit.objects.filter(organisation=school).update(status=UnitStatus.ACTIVE)
    after = datagen.generation()
    assert after != before
    with connection.cursor() as cursor:  # raw SQL as well
        cursor.execute("UPDATE programs_mentoringunit SET status = %s", [UnitStatus.DRAFT])
    assert datagen.generation() != after
    settled = datagen.generation()
    session = client.session
    session["seen"] = 1
    session.save()
    assert datagen.generation() == settled


def test_it_moves_after_a_commit_for_the_other_processes(school):
    with transaction.atomic():
        school.short_name = "Школа № 2"
        school.save()
        school.save()
    pending = [entry[1] for entry in connection.run_on_commit if entry[1] is datagen.bump]
    assert len(pending) == 1  # once per transaction, however many writes
    before = datagen.generation()  # the writer's own read
    pending[0]()  # what the commit runs
    assert datagen.generation() != before


def test_the_roadmap_statuses_follow_a_bulk_status_change(school):
    pair_world(school)
    draft = gather([school.pk], YEAR, TODAY).units[school.pk]
    assert draft[UnitStatus.DRAFT] == 1
    assert gather([school.pk], YEAR, TODAY).units[school.pk] == draft  # from the cache
    MentoringUnit.objects.filter(organisation=school).update(status=UnitStatus.ACTIVE)
    units = gather([school.pk], YEAR, TODAY).units[school.pk]
    assert (units[UnitStatus.DRAFT], units[UnitStatus.ACTIVE]) == (0, 1)
