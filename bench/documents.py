"""Time to issue a pairs order for 200 pairs: queries, declension of 400 people, docxtpl
rendering and storing (no PDF). Goal: ≤ 0.2 s. Also prints the PDF conversion time once."""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-documents-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{tmp}/media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "200"))
LAST = ["Иванова", "Петров", "Сидорова", "Кузнецов", "Смирнова", "Седых", "Ким", "Шевченко"]
FIRST_F = ["Мария", "Анна", "Ольга", "Елена"]
FIRST_M = ["Сергей", "Никита", "Илья", "Андрей"]
POSITIONS = ["Учитель математики", "Учитель начальных классов", "Педагог-психолог",
             "Учитель русского языка и литературы"]  # fmt: skip


def main() -> None:
    call_command("migrate", verbosity=0)
    from apps.core.office import PdfUnavailable, to_pdf
    from apps.documents.models import DocKind
    from apps.documents.services import issue
    from apps.orgs.models import Organisation
    from apps.people.models import Consent, Person
    from apps.programs.models import FormatType, MentoringUnit, PairingType, UnitMember
    from apps.programs.services import ensure_dictionaries

    region = Organisation.objects.create(kind="region", name="R", short_name="R", slug="r")
    school = Organisation.objects.create(
        kind="school", parent=region, name="Школа", short_name="Школа", slug="s",
        head_name="Морозова Елена Викторовна", city="г. Энск",
    )  # fmt: skip
    ensure_dictionaries(org=school)
    pairing = PairingType.objects.filter(organisation=school).first()
    fmt = FormatType.objects.filter(organisation=school).first()
    people = []
    for i in range(PAIRS * 2):
        female = i % 2 == 0
        last = LAST[i % len(LAST)]
        if not female and last.endswith("а"):
            last = last[:-1]
        people.append(
            Person(
                organisation=school, last_name=last,
                first_name=(FIRST_F if female else FIRST_M)[i % 4],
                middle_name="Петровна" if female else "Иванович",
                gender="female" if female else "male", position=POSITIONS[i % 4],
                name_key=f"p{i}",
            )
        )  # fmt: skip
    Person.objects.bulk_create(people)
    day = datetime.date(2026, 9, 1)
    Consent.objects.bulk_create(
        Consent(person=p, kind=kind, purpose="—", data_list="—", given_on=day)
        for p in people
        for kind in ("processing", "duties_mentor", "duties_mentee")
    )
    units = MentoringUnit.objects.bulk_create(
        MentoringUnit(
            organisation=school, year="2026/2027", mentor=people[2 * i], pairing=pairing,
            format=fmt, start_date=day, end_date=datetime.date(2027, 5, 31),
        )
        for i in range(PAIRS)
    )  # fmt: skip
    UnitMember.objects.bulk_create(
        UnitMember(unit=u, mentee=people[2 * i + 1], mentor=people[2 * i], format=fmt,
                   joined_on=day)
        for i, u in enumerate(units)
    )  # fmt: skip
    ids = [u.pk for u in units]
    issue(org=school, kind=DocKind.PAIRS, by=None, unit_ids=ids[:2])  # warm up caches, imports
    reset_queries()
    times, queries = [], 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            document = issue(org=school, kind=DocKind.PAIRS, by=None, unit_ids=ids)
            times.append(time.perf_counter() - start)
        queries = len(captured)
    print(
        f"Приказ о закреплении {PAIRS} пар ({2 * PAIRS} человек, склонение, docx): первый "
        f"{times[0] * 1000:.0f} ms, лучший из 3 {min(times) * 1000:.0f} ms "
        f"(цель ≤ 200 ms), запросов к БД: {queries}, размер {document.file.size // 1024} КБ"
    )
    try:
        start = time.perf_counter()
        with document.file.open("rb") as handle:
            pdf = to_pdf(handle.read())
        print(f"PDF через LibreOffice: {time.perf_counter() - start:.1f} s, {len(pdf) // 1024} КБ")
    except PdfUnavailable as error:
        print(f"PDF: {error}")


if __name__ == "__main__":
    main()
