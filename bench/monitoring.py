"""Monitoring dashboard on a region: 1 000 schools in 10 municipalities, 50 000 staff, 10 000
units and 100 000 answers of the monitoring questionnaires (satisfaction at start and end,
self-assessment grids). Prints the server time and the query count of the dashboard at
region, municipality and school level (goal ≤ 200 ms each on PostgreSQL).
"""

import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-monitoring-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("MONITORING_CACHE_SECONDS", "900")  # as in production

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.data import SIZES  # noqa: E402 — the one generator's sizes

REGION = SIZES["region"]
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", str(REGION.schools)))
STAFF_PER_SCHOOL = REGION.staff // REGION.schools
UNITS_PER_SCHOOL = REGION.units // REGION.schools


def build():
    from apps.orgs.models import Membership, Organisation, User
    from apps.people.models import Person
    from apps.programs.models import FormatType, MentoringUnit, PairingType, UnitMember

    rnd = random.Random(1)
    region = Organisation.objects.create(kind="region", name="Область", short_name="Обл", slug="r")
    municipalities = [
        Organisation.objects.create(
            kind="municipality", parent=region, name=f"Район {i}", short_name=f"Р{i}",
            slug=f"m{i}",
        )
        for i in range(10)
    ]  # fmt: skip
    schools = [
        Organisation.objects.create(
            kind="school", parent=municipalities[i % 10], name=f"Школа {i}",
            short_name=f"Школа {i}", slug=f"s{i}",
        )
        for i in range(SCHOOLS)
    ]  # fmt: skip
    pairing = PairingType.objects.create(organisation=schools[0], name="Педагог – педагог")
    fmt = FormatType.objects.create(organisation=schools[0], name="Традиционное")
    people = [
        Person(
            organisation=school, last_name=f"Ф{i}", first_name="И", middle_name="О",
            name_key=f"{school.pk}-{i}", position="Учитель",
            teaching_experience=rnd.randint(0, 30), is_young_specialist=i % 9 == 0,
            birth_date=datetime.date(rnd.randint(1965, 2003), 5, 1),
            hired_on=datetime.date(rnd.randint(2015, 2026), 9, 1),
        )
        for school in schools
        for i in range(STAFF_PER_SCHOOL)
    ]  # fmt: skip
    Person.objects.bulk_create(people, batch_size=5000)
    day = datetime.date(2026, 10, 1)
    units, members = [], []
    for s, school in enumerate(schools):
        staff = people[s * STAFF_PER_SCHOOL : (s + 1) * STAFF_PER_SCHOOL]
        for u in range(UNITS_PER_SCHOOL):
            units.append(
                MentoringUnit(
                    organisation=school, year="2026/2027", mentor=staff[u], pairing=pairing,
                    format=fmt, start_date=day, end_date=datetime.date(2027, 5, 31),
                    status=rnd.choice(["active", "active", "completed", "terminated"]),
                )
            )  # fmt: skip
    MentoringUnit.objects.bulk_create(units, batch_size=5000)
    for index, unit in enumerate(units):
        s = index // UNITS_PER_SCHOOL
        mentee = people[s * STAFF_PER_SCHOOL + UNITS_PER_SCHOOL + index % UNITS_PER_SCHOOL]
        members.append(
            UnitMember(unit=unit, mentee=mentee, mentor=unit.mentor, format=fmt, joined_on=day)
        )
    UnitMember.objects.bulk_create(members, batch_size=5000)
    answers = feedback_answers(schools, units, members, rnd)
    user = User.objects.create_user("admin@bench.ru", "x")
    Membership.objects.create(user=user, organisation=region, role="admin")
    return user, region, municipalities[0], schools[0], answers


def feedback_answers(schools, units, members, rnd) -> int:
    """Start and end campaigns per unit, 4 scale answers (satisfaction) and 1 grid each."""
    from apps.surveys.models import Answer, Campaign, Invitation, Question
    from apps.surveys.services import _build_template
    from apps.surveys.shipped import FEEDBACK_MENTEE, SELF_ASSESSMENT

    # The templates of the first school serve every campaign (answers are what matters).
    satisfaction = _build_template(schools[0], FEEDBACK_MENTEE)
    grid = _build_template(schools[0], SELF_ASSESSMENT)
    scale_questions = list(Question.objects.filter(template=satisfaction, kind="scale"))
    grid_question = Question.objects.get(template=grid, kind="grid")
    deadline = datetime.date(2026, 12, 1)
    campaigns = Campaign.objects.bulk_create(
        Campaign(organisation_id=unit.organisation_id, template=template, title="b",
                 deadline=deadline, unit=unit, phase=phase)
        for unit in units
        for phase in ("start", "end")
        for template in (satisfaction, grid)
    )  # fmt: skip
    mentee_of = {m.unit_id: m.mentee_id for m in members}
    invitations = Invitation.objects.bulk_create(
        (Invitation(campaign=c, person_id=mentee_of[c.unit_id]) for c in campaigns),
        batch_size=5000,
    )
    rows = []
    for invitation in invitations:
        campaign = invitation.campaign
        if campaign.template_id == satisfaction.pk:
            base = 6 if campaign.phase == "start" else 8
            rows.extend(
                Answer(invitation=invitation, question=q, value=base + rnd.randint(0, 2))
                for q in scale_questions
            )
        else:
            level = 2 if campaign.phase == "start" else 4
            rows.append(Answer(invitation=invitation, question=grid_question,
                               value={str(k): level for k in range(1, 6)}))  # fmt: skip
        if len(rows) >= 100_000:
            break
    Answer.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def main() -> None:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    user, region, municipality, school, answers = build()
    print(f"Сгенерировано: {SCHOOLS} школ, {SCHOOLS * STAFF_PER_SCHOOL} сотрудников, "
          f"{SCHOOLS * UNITS_PER_SCHOOL} пар, {answers} ответов анкет за "
          f"{time.perf_counter() - start:.1f} s ({connection.vendor})")  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for label, org in (("регион", region), ("муниципалитет", municipality), ("школа", school)):
        url = f"/o/{org.pk}/monitoring/?year=2026/2027"
        began = time.perf_counter()
        client.get(url + "&refresh=1")  # computed from the data (what refresh_monitoring does)
        cold = time.perf_counter() - began
        print(f"Пересчёт показателей, {label}: {cold * 1000:.0f} ms")
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        print(f"Дашборд, {label}: {min(times) * 1000:.0f} ms (лучшее из 3, сводка из кэша; "
              f"цель ≤ 200 ms), запросов: {len(queries)}")  # fmt: skip


if __name__ == "__main__":
    main()
