"""The regional exchange: a municipal form, three schools, review, submit, return, collect."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.documents.tests.test_documents import pair_world
from apps.monitoring import regional
from apps.monitoring.models import FormSubmission, MonitoringForm
from apps.orgs.choices import Role
from tests.clock import on_school_day
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.html import alerts, cells

pytestmark = [pytest.mark.django_db, on_school_day]
YEAR = "2026/2027"


@pytest.fixture
def form(municipality, methodist):
    return regional.create_form(
        org=municipality,
        title="Наставничество: I полугодие",
        year=YEAR,
        deadline=datetime.date(2026, 12, 20),
        codes=["M01", "F01", "F05"],
        by=methodist,
    )


def _detail(org, form):
    return reverse("monitoring:return-detail", args=[org.pk, form.pk])


def test_it_shows_the_school_its_computed_figures(curator_client, school, form):
    pair_world(school)
    page = cells(curator_client.get(_detail(school, form)).content.decode())
    assert [row[:3] for row in page[1:]] == [
        [
            "F01",
            "Доля педагогов в возрасте до 35 лет со стажем до 3 лет, охваченных "
            "наставничеством, % федеральный",
            "нет данных",
        ],
        ["F05", "Доля педагогов-наставников от числа работников, % федеральный", "33,3 %"],
        ["M01", "Наставников, чел.", "1"],
    ]


def test_it_submits_with_comments_and_the_methodist_returns_it(
    curator_client, methodist_client, school, municipality, form
):
    pair_world(school)
    response = curator_client.post(
        _detail(school, form),
        {
            "action": "submit",
            "comment-F01": "Молодых педагогов нет: дата рождения в реестре.",
        },
    )
    assert response.status_code == 302
    answer = FormSubmission.objects.get()
    assert (answer.status, answer.values, answer.late) == (
        "submitted",
        {"F01": None, "F05": 33.3, "M01": 1},
        False,
    )
    assert answer.comments == {"F01": "Молодых педагогов нет: дата рождения в реестре."}
    again = curator_client.post(_detail(school, form), {"action": "submit"}, follow=True)
    assert alerts(again.content.decode())[-1].startswith("Форма уже отправлена")
    url = reverse("monitoring:form-detail", args=[municipality.pk, form.pk])
    methodist_client.post(
        url, {"action": "return", "school": school.pk, "reason": "Проверьте даты рождения"}
    )
    answer.refresh_from_db()
    assert (answer.status, answer.return_reason) == ("returned", "Проверьте даты рождения")
    assert curator_client.post(_detail(school, form), {"action": "submit"}).status_code == 302
    assert FormSubmission.objects.get().status == "submitted"


def _overdue(form):
    MonitoringForm.objects.filter(pk=form.pk).update(deadline=datetime.date(2026, 11, 30))


def test_it_refuses_a_submission_after_the_deadline(curator_client, school, form):
    _overdue(form)
    response = curator_client.post(
        _detail(school, form), {"action": "submit", "comment-M01": "Поздно"}, follow=True
    )
    assert alerts(response.content.decode())[0] == (
        "Срок сдачи формы «Наставничество: I полугодие» — 30.11.2026 — прошёл: отправка "
        "закрыта. Попросите методиста (Город Энск) разрешить сдачу после срока."
    )
    assert FormSubmission.objects.count() == 0  # nothing half-saved, not even the comment


def test_it_accepts_a_late_submission_when_the_methodist_allows(
    curator, methodist_client, municipality, school, form
):
    _overdue(form)
    url = reverse("monitoring:form-detail", args=[municipality.pk, form.pk])
    methodist_client.post(url, {"action": "allow-late"})
    answer = regional.save_review(
        form=MonitoringForm.objects.get(), school=school, comments={}, submit=True, by=curator
    )
    assert (answer.status, answer.late) == ("submitted", True)


def test_it_refuses_a_return_without_a_reason(
    curator, methodist_client, municipality, school, form
):
    regional.save_review(form=form, school=school, comments={}, submit=True, by=curator)
    url = reverse("monitoring:form-detail", args=[municipality.pk, form.pk])
    response = methodist_client.post(
        url, {"action": "return", "school": school.pk, "reason": ""}, follow=True
    )
    assert alerts(response.content.decode()) == [
        "Укажите, что исправить: причина возврата видна куратору школы."
    ]
    assert FormSubmission.objects.get().status == "submitted"


def test_it_refuses_a_comment_with_a_control_character(curator_client, school, form):
    response = curator_client.post(
        _detail(school, form), {"action": "save", "comment-M01": "a\x00b"}, follow=True
    )
    assert alerts(response.content.decode())[0].startswith(
        "Комментарий к показателю M01 «Наставников, чел.»: невидимый управляющий символ"
    )
    assert FormSubmission.objects.count() == 0


def test_it_hides_another_municipalitys_form(curator_client, school, other_municipality):
    far = regional.create_form(
        org=other_municipality,
        title="Чужая",
        year=YEAR,
        deadline=datetime.date(2026, 12, 20),
        codes=["M01"],
        by=None,
    )
    assert curator_client.get(_detail(school, far)).status_code == 404


def _three_schools(municipality, school, other_school, curator):
    third = OrganisationFactory(parent=municipality, short_name="Школа № 4", slug="s4")
    for org in (school, other_school, third):
        pair_world(org, curator_user=UserFactory())
    return third


def test_it_collects_three_schools_into_one_workbook(
    curator, methodist_client, municipality, school, other_school, form
):
    third = _three_schools(municipality, school, other_school, curator)
    for org in (school, third):
        regional.save_review(
            form=form, school=org, comments={"M01": f"Из {org.short_name}"}, submit=True, by=curator
        )
    response = methodist_client.get(
        reverse("monitoring:form-export", args=[municipality.pk, form.pk])
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Сводная"].iter_rows(values_only=True))
    assert rows[0] == ("ИНН", "Организация", "Статус", "Отправлена", "F01", "F05", "M01")
    assert [(r[1], r[2], r[4:]) for r in rows[2:]] == [
        ("Школа № 1", "отправлена", (None, 33.3, 1)),
        ("Школа № 2", "не отправлена", (None, None, None)),
        ("Школа № 4", "отправлена", (None, 33.3, 1)),
    ]
    assert [r[:2] for r in book["Комментарии"].iter_rows(min_row=2, values_only=True)] == [
        ("Школа № 1", "M01"),
        ("Школа № 4", "M01"),
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_schools_in_constant_queries(
    count, methodist_client, municipality, form, django_assert_num_queries
):
    for n in range(count):
        school = OrganisationFactory(parent=municipality, short_name=f"Школа {n}", slug=f"q{n}")
        user = UserFactory()
        MembershipFactory(user=user, organisation=school, role=Role.CURATOR)
        regional.save_review(form=form, school=school, comments={}, submit=True, by=user)
    url = reverse("monitoring:form-detail", args=[municipality.pk, form.pk])
    with django_assert_num_queries(9):
        assert methodist_client.get(url).status_code == 200


def test_it_refuses_a_form_at_a_school(school):
    with pytest.raises(regional.FormError):
        regional.create_form(
            org=school,
            title="Ф",
            year=YEAR,
            deadline=datetime.date(2026, 12, 20),
            codes=["M01"],
            by=None,
        )


def test_it_creates_a_form_from_the_page(methodist_client, municipality):
    response = methodist_client.post(
        reverse("monitoring:form-list", args=[municipality.pk]),
        {
            "title": "Мониторинг",
            "year": YEAR,
            "deadline": "25.12.2026",
            "indicators": ["F01", "F04"],
        },
    )
    assert response.status_code == 302
    assert MonitoringForm.objects.get().indicators == ["F01", "F04"]
