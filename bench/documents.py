"""Pairs order for 200 pairs against a bare docxtpl render of the same template.

Rows (min / median over ≥ 3 repeats, the anchor measured in the same run, alternating with
the project):
- the project: `issue(kind=DocKind.PAIRS)` for 200 pairs (400 people) — the queries, the checks
  (consents, numbering), the declension of every name and position in five cases, the sandboxed
  docxtpl render and storing the file (no PDF); its query count is printed too;
- the anchor: docxtpl alone rendering the same shipped .docx template with a plain context of
  the same shape (200 rows, names already in the cases the template needs, no database, no
  sandbox, nothing stored). Goal: ≤ 2×.
The PDF conversion through LibreOffice is timed once (no anchor).
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import sys
import tempfile
import time

from common import REPEATS, ROOT, Stats, fmt, row, timed

sys.path.insert(0, str(ROOT))
os.environ.setdefault("NASTAVNIK_TESTING", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
tmp = tempfile.mkdtemp(prefix="bench-documents-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{tmp}/media")

import django  # noqa: E402 — after the environment above

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "200"))
# Every person a different surname (as in a real school), first names and patronymics repeat;
# the first names the declension rules single out (Никита, Илья) are among them.
ROOTS = [
    "Иван", "Петр", "Сидор", "Смирн", "Кузнец", "Волк", "Соколь", "Лебед", "Козл",
    "Новик", "Морозь", "Павл", "Семён", "Голуб", "Виноград", "Богдан", "Воронц", "Тарас",
    "Белоус", "Крыл", "Медвед", "Журавл", "Гусь", "Комар", "Филипп", "Макар", "Захар",
    "Лукьян", "Ершов", "Карась", "Щеглов", "Снегир", "Орех", "Калин", "Малин", "Берёз",
    "Дуб", "Клён", "Садов", "Полян", "Лугов", "Горн", "Речн", "Озёрн", "Зимн",
    "Летн", "Осенн", "Весенн", "Ясн", "Светл",
]  # fmt: skip
ENDINGS = [("ов", "ова"), ("ин", "ина"), ("ев", "ева"), ("ский", "ская")]
FIRST_F = ["Мария", "Анна", "Ольга", "Елена"]
FIRST_M = ["Сергей", "Никита", "Илья", "Андрей"]
MIDDLE_F = ["Петровна", "Ивановна", "Сергеевна", "Андреевна", "Олеговна", "Юрьевна", "Павловна"]
MIDDLE_M = ["Иванович", "Петрович", "Сергеевич", "Андреевич", "Олегович", "Юрьевич", "Павлович"]
POSITIONS = ["Учитель математики", "Учитель начальных классов", "Педагог-психолог",
             "Учитель русского языка и литературы"]  # fmt: skip
CASES = ("nom", "gen", "dat", "acc", "ins")


def person_rows(n: int) -> list[dict]:
    """The people of the bench: alternately a woman (mentor) and a man (mentee), no two with
    the same surname (up to 400 people)."""
    people = []
    for i in range(n):
        female, k = i % 2 == 0, i // 2
        first, middle = (FIRST_F, MIDDLE_F) if female else (FIRST_M, MIDDLE_M)
        ending = ENDINGS[k // len(ROOTS) % len(ENDINGS)][female]
        people.append(
            {
                "last_name": ROOTS[k % len(ROOTS)] + ending,
                "first_name": first[k % 4],
                "middle_name": middle[k % 7],
                "gender": "female" if female else "male",
                "position": POSITIONS[k % 4],
            }
        )
    return people


def setup():
    """A school with PAIRS pairs, every participant with the consents an order needs."""
    call_command("migrate", verbosity=0)
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
    format_type = FormatType.objects.filter(organisation=school).first()
    people = Person.objects.bulk_create(
        Person(organisation=school, name_key=f"p{i}", **fields)
        for i, fields in enumerate(person_rows(PAIRS * 2))
    )
    day = datetime.date(2026, 9, 1)
    Consent.objects.bulk_create(
        Consent(person=p, kind=kind, purpose="—", data_list="—", given_on=day)
        for p in people
        for kind in ("processing", "duties_mentor", "duties_mentee")
    )
    units = MentoringUnit.objects.bulk_create(
        MentoringUnit(
            organisation=school, year="2026/2027", mentor=people[2 * i], pairing=pairing,
            format=format_type, start_date=day, end_date=datetime.date(2027, 5, 31),
        )
        for i in range(PAIRS)
    )  # fmt: skip
    UnitMember.objects.bulk_create(
        UnitMember(unit=u, mentee=people[2 * i + 1], mentor=people[2 * i], format=format_type,
                   joined_on=day)
        for i, u in enumerate(units)
    )  # fmt: skip
    return school, [u.pk for u in units], pairing.name, format_type.name


def plain_context(pairing: str, format_name: str) -> dict:
    """What the pairs template needs, built without the project: plain strings, every name
    and position given in each case the template asks for (here simply the register's
    spelling — the anchor times docxtpl, not grammar)."""

    def person(fields: dict) -> dict:
        full = f"{fields['last_name']} {fields['first_name']} {fields['middle_name']}"
        short = f"{fields['last_name']} {fields['first_name'][0]}. {fields['middle_name'][0]}."
        position = fields["position"].lower()
        return {
            "name": dict.fromkeys(CASES, full),
            "short": dict.fromkeys(CASES, short),
            "position": dict.fromkeys(CASES, position),
            "gender": fields["gender"],
            "ending": "ая" if fields["gender"] == "female" else "ый",
        }

    people = [person(p) for p in person_rows(PAIRS * 2)]
    units = [
        {
            "n": i + 1, "mentor": people[2 * i], "co_mentor": None, "mentees": [people[2 * i + 1]],
            "format": format_name, "pairing": pairing, "form": pairing.lower(),
            "kind": format_name.lower(), "start": "01.09.2026", "end": "31.05.2027",
            "is_group": False,
        }
        for i in range(PAIRS)
    ]  # fmt: skip
    return {
        "school": {
            "full_name": "Школа", "short_name": "Школа", "short_gen": "Школы", "city": "г. Энск",
            "head_position": "Директор", "head_name": "Морозова Елена Викторовна",
            "head_short": "Е. В. Морозова",
        },
        "doc": {"number": "1-н", "date": "01.09.2026", "date_words": "1 сентября 2026 г."},
        "year": "2026/2027",
        "polozhenie_order": None,
        "units": units,
        "extra_pay": "в соответствии с Положением об оплате труда",
        "curator": None,
        "visas": [],
        "people": [p["name"]["nom"] for p in people],
        "acquainted": "ознакомлены",
        "executor": None,
    }  # fmt: skip


def bare_render(template: bytes, context: dict) -> bytes:
    """The anchor: docxtpl as its documentation shows it, nothing else."""
    from docxtpl import DocxTemplate

    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def main(repeats: int, *, pdf: bool = True) -> None:
    from apps.core.office import PdfUnavailable, to_pdf
    from apps.documents.docx_templates import shipped_template
    from apps.documents.models import DocKind
    from apps.documents.services import issue

    school, ids, pairing, format_name = setup()
    template = shipped_template(DocKind.PAIRS)
    context = plain_context(pairing, format_name)
    issue(org=school, kind=DocKind.PAIRS, by=None, unit_ids=ids[:2])  # warm up imports
    bare_render(template, context)

    ours, anchor, ours_cpu, anchor_cpu, queries, document = [], [], [], [], 0, None
    for _ in range(max(3, repeats)):
        wall, cpu, _out = timed(lambda: bare_render(template, context))
        anchor.append(wall)
        anchor_cpu.append(cpu)
        with CaptureQueriesContext(connection) as captured:
            wall, cpu, document = timed(
                lambda: issue(org=school, kind=DocKind.PAIRS, by=None, unit_ids=ids)
            )
        ours.append(wall)
        ours_cpu.append(cpu)
        queries = len(captured)
    label = f"приказ о закреплении {PAIRS} пар (.docx)"
    row(label, Stats(ours), Stats(anchor), goal="≤ 2×")
    row(f"{label}, CPU", Stats(ours_cpu), Stats(anchor_cpu), goal="≤ 2×")
    print(
        f"{'':<48}   запросов к БД: {queries}, {2 * PAIRS} человек, файл "
        f"{document.file.size // 1024} КБ; первый выпуск (имена ещё не склонялись) "
        f"{fmt(ours[0], 's')}",
        flush=True,
    )
    if not pdf:
        return
    try:
        start = time.perf_counter()
        with document.file.open("rb") as handle:
            pdf = to_pdf(handle.read())
        print(
            f"{'PDF через LibreOffice (один раз)':<48} | {time.perf_counter() - start:.2f} s, "
            f"{len(pdf) // 1024} КБ",
            flush=True,
        )
    except PdfUnavailable as error:
        print(f"{'PDF через LibreOffice':<48} | {error}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice line")
    args = parser.parse_args()
    print("показатель | проект мин / медиана | якорь мин / медиана | отношение мин / медиана")
    main(args.repeats, pdf=not args.no_pdf)
