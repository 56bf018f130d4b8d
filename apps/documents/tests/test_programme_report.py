"""The report on a ПНП: interim while the pair works, final after its end — with the tasks'
results, the meetings held and the signatures; it passes the document check."""

import datetime
import io

from django.urls import reverse
from docx import Document as Docx

from apps.documents.tests.test_document_check import problems_of
from apps.documents.tests.test_documents import world  # noqa: F401
from apps.programs.models import Meeting, Task, TaskStatus
from apps.programs.programme import programme_for
from apps.programs.services import end_unit


def report_of(client, school, unit):
    response = client.get(reverse("documents:unit-report", args=[school.pk, unit.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    doc = Docx(io.BytesIO(data))
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    return data, doc, cells


def test_the_final_report_sums_up_tasks_and_meetings(curator_client, school, world):  # noqa: F811
    unit = world["unit"]
    programme = programme_for(unit)
    day = unit.start_date + datetime.timedelta(days=10)
    Task.objects.create(programme=programme, direction="Методика", title="Открытый урок",
                        deadline=day, responsible=world["mentor"], status=TaskStatus.DONE,
                        done_on=day, evidence_link="https://school.example/lesson")  # fmt: skip
    Task.objects.create(programme=programme, direction="Оценивание", title="Разбор контрольной",
                        deadline=day, responsible=world["mentor"])  # fmt: skip
    Meeting.objects.create(unit=unit, date=unit.start_date, duration=45, topic="Знакомство")
    Meeting.objects.create(unit=unit, date=day, duration=90, topic="Разбор урока")
    end_unit(unit=unit, completed=False, ended_on=day, reason="Переезд наставляемой.")
    data, doc, cells = report_of(curator_client, school, unit)
    assert doc.paragraphs[1].text.startswith("ОТЧЁТ\nо реализации персонализированной")
    assert cells["Наставляемый"] == "Иванова Мария Петровна, учитель математики"
    assert (
        cells["Программа"] == f"прекращена досрочно {day:%d.%m.%Y} (причина — переезд наставляемой)"
    )
    assert cells["Выполнено задач"] == "1 из 2 (50 %)"
    assert cells["Проведено встреч"] == (
        f"2, всего 2 ч 15 мин (с {unit.start_date:%d.%m.%Y} по {day:%d.%m.%Y})"
    )
    plan = [[c.text for c in row.cells] for row in doc.tables[1].rows[1:]]
    assert plan == [
        ["1", "Открытый урок", f"{day:%d.%m.%Y}", f"Выполнено {day:%d.%m.%Y}", "ссылка"],
        ["2", "Разбор контрольной", f"{day:%d.%m.%Y}", "Запланировано", "—"],
    ]
    assert problems_of(data) == []


def test_before_the_end_the_report_is_interim(curator_client, school, world):  # noqa: F811
    _data, doc, cells = report_of(curator_client, school, world["unit"])
    assert doc.paragraphs[1].text.startswith("ПРОМЕЖУТОЧНЫЙ ОТЧЁТ")
    assert cells["Программа"] == f"выполняется (срок — по {world['unit'].end_date:%d.%m.%Y})"
    assert cells["Выполнено задач"] == "задачи не вносились"


def test_a_mentor_cannot_download_the_report(mentor_client, school, world):  # noqa: F811
    url = reverse("documents:unit-report", args=[school.pk, world["unit"].pk])
    assert mentor_client.get(url).status_code == 403


def test_an_agreement_for_a_teacher_without_units_names_them_in_the_genitive(school, world):  # noqa: F811
    import pytest

    from apps.documents.context import DocumentRuleError
    from apps.documents.models import DocKind
    from apps.documents.services import issue
    from apps.documents.tests.test_documents import DAY

    with pytest.raises(DocumentRuleError) as refused:
        issue(org=school, kind=DocKind.AGREEMENT, by=None, day=DAY, person=world["mentee"])
    assert "У Ивановой Марии Петровны нет действующих пар и групп как у наставника." in (
        refused.value.messages
    )
