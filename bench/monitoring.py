"""Monitoring dashboard on a region: 1 000 schools in 10 municipalities, 50 000 staff, 10 000
units. Prints the server time and the query count of the dashboard at region, municipality
and school level (goal ≤ 200 ms each on PostgreSQL). Answers of feedback surveys are not
generated yet: the satisfaction indicators come with the feedback templates.
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

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "1000"))
STAFF_PER_SCHOOL = 50
UNITS_PER_SCHOOL = 10


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
    user = User.objects.create_user("admin@bench.ru", "x")
    Membership.objects.create(user=user, organisation=region, role="admin")
    return user, region, municipalities[0], schools[0]


def main() -> None:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    user, region, municipality, school = build()
    print(f"Сгенерировано: {SCHOOLS} школ, {SCHOOLS * STAFF_PER_SCHOOL} сотрудников, "
          f"{SCHOOLS * UNITS_PER_SCHOOL} пар за {time.perf_counter() - start:.1f} s "
          f"({connection.vendor})")  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for label, org in (("регион", region), ("муниципалитет", municipality), ("школа", school)):
        url = f"/o/{org.pk}/monitoring/?year=2026/2027"
        client.get(url)  # warm up
        times = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
        print(f"Дашборд, {label}: {min(times) * 1000:.0f} ms (лучшее из 3, цель ≤ 200 ms), "
              f"запросов: {len(queries)}")  # fmt: skip


if __name__ == "__main__":
    main()
