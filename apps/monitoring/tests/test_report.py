"""The yearly report as an official document: header, approval, number, author, the
Положение's indicators with bar charts, signatures — and it passes the document check."""

import datetime
import io

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from PIL import Image

from apps.documents.tests.test_document_check import problems_of
from apps.documents.tests.test_documents import pair_world
from apps.monitoring import charts
from apps.monitoring.feedback import launch
from apps.monitoring.tests.test_feedback import answer
from apps.orgs.choices import Role
from apps.orgs.models import Organisation
from apps.surveys.models import Competency
from tests.factories import MembershipFactory, UserFactory

YEAR = "2026/2027"


def report_of(client, org, fmt="docx") -> bytes:
    """Start the report job as the dashboard's button does and fetch the file it made."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(
            reverse("monitoring:report", args=[org.pk]), {"year": YEAR, "format": fmt}
        )
    assert started.status_code == 302
    assert "Скачать «" in client.get(started["Location"]).content.decode()
    response = client.get(started["Location"] + "file/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def with_answers(school, curator_user) -> dict:
    world = pair_world(school, curator_user=curator_user)
    unit, mentee = world["unit"], world["mentee"]
    mentee.birth_date = datetime.date(2000, 3, 1)  # under 35, one year of teaching
    mentee.save()
    start = {c.template.purpose: c for c in launch(unit, "start")}
    end = {c.template.purpose: c for c in launch(unit, "end")}
    answer(start["feedback_mentee"], mentee, 6, "scale")
    answer(end["feedback_mentee"], mentee, 9, "scale")
    fgos = Competency.objects.get_or_create(organisation=school, name="ФГОС")[0]
    answer(start["self_assessment"], mentee, {str(fgos.pk): 2}, "grid")
    answer(end["self_assessment"], mentee, {str(fgos.pk): 4}, "grid")
    return world


def test_it_makes_the_school_report_an_official_document(curator_client, curator, school):
    with_answers(school, curator)
    data = report_of(curator_client, school)
    doc = Docx(io.BytesIO(data))
    paragraphs = texts(doc)
    today = timezone.localdate()
    assert problems_of(data) == []
    assert paragraphs[:5] == [
        "Муниципальное бюджетное общеобразовательное учреждение «Школа № 1»",
        "УТВЕРЖДАЮ\nДиректор\n____________ Е.\u00a0В.\u00a0Морозова\n«___» ____________ 20___ г.",
        "ОТЧЁТ\nо реализации системы наставничества педагогических работников\n"
        "за 2026/2027 учебный год",
        f"{today:%d.%m.%Y}\u00a0\u00a0\u00a0№ ____________",
        "Составитель: Седых Никита Ильич, заместитель директора, куратор наставничества",
    ]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [
        "1. Показатели Положения о наставничестве",
        "2. Основные показатели",
        "3. Пары и группы по видам наставничества",
        "4. Динамика по учебным годам",
        "5. Пары и группы учебного года",
        "6. Мероприятия учебного года",
        "7. Лучшие практики учебного года",
        "8. Как считаются показатели",
    ]
    indicators, satisfaction, growth, main, forms, history, units, signature = doc.tables
    assert rows_of(indicators)[1:] == [
        ["Доля педагогов в возрасте до 35 лет со стажем менее 3 лет, за которыми закреплён "
         "наставник (национальный показатель)", "1 из 1 (100 %)"],
        ["Завершено программ наставничества (пар и групп года)", "0 из 1 (0 %)"],
        ["Прекращено досрочно", "0 %"],
        ["Задачи ПНП выполнены в срок", "нет данных"],
    ]  # fmt: skip
    assert rows_of(satisfaction) == [
        ["Участники", "В начале", "В конце", "Изменение"],
        ["Наставляемые", "6 (ответили: 1)", "9 (ответили: 1)", "+3"],
        ["Наставники", "нет данных", "нет данных", "нет данных"],
    ]
    assert rows_of(growth) == [
        ["Компетенция", "До", "После", "Рост", "Ответили"],
        ["ФГОС", "2", "4", "+2", "1"],
    ]
    assert rows_of(forms) == [["Вид наставничества", "Пар и групп"],
                              ["Традиционное «один на один»", "1"]]  # fmt: skip
    assert rows_of(main)[-1] == ["Наибольшая нагрузка наставника", "1"]
    assert rows_of(history) == [
        ["Учебный год", "Наставников", "Наставляемых", "Пар и групп", "Завершено"],
        ["2026/2027", "1", "1", "1", "0 %"],
    ]
    assert rows_of(units) == [
        ["Наставник", "Наставляемые", "Форма", "Сроки", "Статус"],
        ["Петров Сергей Иванович", "Иванова Мария Петровна", "Традиционное «один на один»",
         "01.12.2026–31.05.2027",
         "Проект"],
    ]  # fmt: skip
    assert "Мероприятия: нет данных (в этом учебном году их не было)." in paragraphs
    assert rows_of(signature) == [
        ["Заместитель директора, куратор наставничества", "____________",
         "Н.\u00a0И.\u00a0Седых"]
    ]  # fmt: skip
    assert len(doc.inline_shapes) == 3  # satisfaction, competences, kinds of mentoring
    assert [p.text for p in doc.paragraphs if p.text.startswith("Рисунок")] == [
        "Рисунок 1 — Удовлетворённость наставляемых и наставников",
        "Рисунок 2 — Самооценка компетенций до и после программы",
        "Рисунок 3 — Пары и группы по видам наставничества",
    ]
    for table in (indicators, satisfaction, growth, main, forms, history, units):
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml  # repeated on every page


def test_it_says_no_data_where_there_is_none(curator_client, curator, school):
    school.name, school.head_name = "МБОУ «Школа № 1»", ""
    school.save()
    data = report_of(curator_client, school)
    doc = Docx(io.BytesIO(data))
    paragraphs = texts(doc)
    assert problems_of(data) == []
    assert paragraphs[1] == (
        "УТВЕРЖДАЮ\nДиректор\n____________ ____________\n«___» ____________ 20___ г."
    )
    assert "Рост компетенций: нет данных (нет пар анкет «до» и «после»)." in paragraphs
    assert "Пары и группы: нет данных (в этом учебном году их нет)." in paragraphs
    indicators, satisfaction = doc.tables[:2]
    assert [row[1] for row in rows_of(indicators)[1:]] == ["нет данных"] * 4
    assert [row[1:] for row in rows_of(satisfaction)[1:]] == [["нет данных"] * 3] * 2
    assert len(doc.inline_shapes) == 0  # no chart of nothing


def test_it_signs_the_municipal_report_by_the_methodist(
    methodist_client, methodist, municipality, school
):
    with_answers(school, None)
    methodist.full_name = "Кузнецова Ольга Андреевна"
    methodist.save()
    Organisation.objects.filter(pk=municipality.pk).update(
        name="Управление образования администрации города Энска",
        head_position="Начальник управления",
        head_name="Белова Ирина Сергеевна",
    )
    municipality.refresh_from_db()
    data = report_of(methodist_client, municipality)
    doc = Docx(io.BytesIO(data))
    paragraphs = texts(doc)
    assert problems_of(data) == []
    assert paragraphs[0] == "Управление образования администрации города Энска"
    assert paragraphs[1] == (
        "УТВЕРЖДАЮ\nНачальник управления\n____________ И.\u00a0С.\u00a0Белова\n"
        "«___» ____________ 20___ г."
    )
    assert paragraphs[4] == "Составитель: Кузнецова Ольга Андреевна, методист"
    people, results, signature = doc.tables[-3:]
    assert rows_of(people) == [
        ["Школа", "Наставников", "Наставляемых", "Пар и групп", "Без пары"],
        ["Школа № 1", "1", "1", "1", "0"],
    ]
    assert rows_of(results) == [
        ["Школа", "Охват молодых педагогов", "Завершено", "Задачи ПНП в срок"],
        ["Школа № 1", "100 %", "0 %", "нет данных"],
    ]
    assert rows_of(signature) == [["Методист", "____________", "О.\u00a0А.\u00a0Кузнецова"]]
    assert len(doc.inline_shapes) == 3


def test_it_compares_municipalities_in_the_regional_report(region, municipality, school):

    with_answers(school, None)
    user = UserFactory(email="region@example.org", full_name="Орлова Анна Павловна")
    MembershipFactory(user=user, organisation=region, role=Role.METHODIST)
    client = Client()
    client.force_login(user)
    data = report_of(client, region)
    doc = Docx(io.BytesIO(data))
    assert problems_of(data) == []
    assert rows_of(doc.tables[-3]) == [
        ["Муниципалитет", "Наставников", "Наставляемых", "Пар и групп", "Без пары"],
        ["Город Энск", "1", "1", "1", "0"],
    ]
    assert len(doc.inline_shapes) == 3


def test_it_draws_a_chart_as_a_png_image():
    png = charts.paired_bars(["Наставляемые", "Наставники"], [6.0, None], [9.0, None],
                             legend=("В начале", "В конце"), xlabel="Оценка", limit=10)  # fmt: skip
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.width) == ("PNG", 945)  # 6,3 in at 150 dpi: 16 cm on the page


def test_the_municipal_report_lists_the_years_events_and_practices(
    methodist_client, municipality, school
):
    from apps.events.models import Event, Participant
    from apps.library.models import Material

    world = with_answers(school, None)
    start = datetime.datetime(2026, 11, 20, 14, 0, tzinfo=datetime.UTC)
    event = Event.objects.create(
        organisation=school, kind="session", title="Установочная сессия наставников",
        audience="mentors", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
    )  # fmt: skip
    Participant.objects.create(event=event, person=world["mentor"], attended=True)
    Material.objects.create(
        organisation=school, kind="practice", status="published", visibility="school",
        title="Взаимопосещение уроков в паре", author="Петров С. И.",
    )  # fmt: skip
    doc = Docx(io.BytesIO(report_of(methodist_client, municipality)))
    tables = {rows_of(t)[0][-1]: rows_of(t) for t in doc.tables}
    assert tables["Присутствовали"] == [
        ["Дата", "Школа", "Мероприятие", "Присутствовали"],
        ["20.11.2026", "Школа №\u00a01", "Установочная сессия наставников", "1"],
    ]
    assert tables["Автор"] == [
        ["Школа", "Практика", "Автор"],
        ["Школа №\u00a01", "Взаимопосещение уроков в паре", "Петров С. И."],
    ]
    assert tables["Статус"][1][:3] == ["Школа №\u00a01", "Петров Сергей Иванович",
                                       "Иванова Мария Петровна"]  # fmt: skip
