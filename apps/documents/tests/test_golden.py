"""Golden texts: each shipped template rendered on fixed data must match its stored text.

After a deliberate wording change: `UPDATE_GOLDEN=1 make test`, then review the diff.
"""

import datetime
import os
from pathlib import Path

import pytest

from apps.documents.models import DocKind, DocumentSettings
from apps.documents.services import issue
from apps.documents.tests.test_documents import DAY, staff, text_of, world  # noqa: F401
from apps.programs.services import end_unit, replace_mentor

GOLDEN = Path(__file__).parent / "golden"


def pd_settings(school, responsible):
    """What a school fills in once for its personal-data paperwork."""
    school.inn, school.ogrn, school.address = "5401000001", "1025400000001", "г. Энск, ул. Мира, 1"
    school.save()
    responsible.phone, responsible.email = "+7 383 000-00-01", "sedykh@example.org"
    responsible.save()
    DocumentSettings.objects.update_or_create(
        organisation=school,
        defaults={
            "pd_responsible": responsible, "pd_start_date": datetime.date(2026, 9, 1),
            "pd_database_location": "Российская Федерация, г. Новосибирск, ул. Серверная, 5",
            "pd_rkn_office": "Управление Роскомнадзора по Новосибирской области",
            "pd_other_systems": "Электронный журнал — учёт успеваемости — обучающиеся, работники",
        },
    )  # fmt: skip


def issue_of_kind(kind, school, world):  # noqa: F811
    """A document of `kind` on the fixed data: a pair, a replaced mentor, an ended programme."""
    unit = world["unit"]
    options = {}
    if kind in (DocKind.PAIRS, DocKind.COMPLETION):
        options["unit_ids"] = [unit.pk]
    if kind == DocKind.COMPLETION:  # only an ended programme is completed by an order
        end_unit(unit=unit, completed=True, ended_on=unit.end_date, reason="Программа выполнена")
    elif kind == DocKind.REPLACEMENT:
        new = staff(school, "Орлова", "Вера", "Николаевна", "female", "Учитель математики", 25,
                    "duties_mentor")  # fmt: skip
        replace_mentor(unit=unit, new_mentor=new, reason="Длительный отпуск наставника", by=None)
        unit.mentor_changes.update(changed_on=DAY)  # the service stamps today: fix the date
        options["unit_ids"] = [unit.pk]
    elif kind == DocKind.TERMINATION:
        end_unit(unit=unit, completed=False, ended_on=unit.start_date + datetime.timedelta(days=7),
                 reason="Переход наставника на работу в другую организацию")  # fmt: skip
        options["unit_ids"] = [unit.pk]
    elif kind == DocKind.AGREEMENT:
        options["person"] = world["mentor"]
    elif kind == DocKind.PD_RESPONSIBLE:
        options["person"] = world["curator"]
    elif kind in (DocKind.PD_SYSTEMS, DocKind.PD_NOTICE):
        pd_settings(school, world["curator"])
    return issue(org=school, kind=kind, by=None, day=DAY, **options)


@pytest.mark.parametrize("kind", DocKind.values)
def test_rendered_text_matches_the_golden_file(kind, school, world):  # noqa: F811
    text = text_of(issue_of_kind(kind, school, world))
    text = text.replace(school.short_name, "«ШКОЛА»")  # factory names differ between runs
    golden = GOLDEN / f"{kind}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
