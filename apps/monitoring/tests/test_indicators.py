"""Indicators checked against hand-computed figures; «нет данных» instead of 0 %; flat queries."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from apps.documents.tests.test_documents import pair_world, staff
from apps.monitoring.indicators import compute, total
from apps.monitoring.tests.test_report import report_of
from apps.programs.models import Meeting, Programme, Task, UnitStatus
from tests.html import cells, tables, texts

YEAR = "2026/2027"
TODAY = datetime.date(2027, 1, 15)


def test_figures_match_a_hand_count(school):
    world = pair_world(school)  # one pair: mentor Петров (20 y), mentee Иванова (1 y)
    mentee = world["mentee"]
    mentee.birth_date, mentee.is_young_specialist = datetime.date(2000, 5, 1), True
    mentee.hired_on = datetime.date(2025, 9, 1)
    mentee.save()
    old = staff(school, "Старова", "Ольга", "Ивановна", "female", "Учитель", 1)
    old.birth_date = datetime.date(1990, 1, 1)  # 37: not in the «under 35» group
    old.save()
    unit = world["unit"]
    programme = Programme.objects.create(unit=unit)
    for day, status, done in (
        (datetime.date(2026, 12, 10), "done", datetime.date(2026, 12, 9)),  # on time
        (datetime.date(2026, 12, 20), "done", datetime.date(2026, 12, 28)),  # late
        (datetime.date(2027, 3, 1), "planned", None),  # not due yet
    ):
        Task.objects.create(programme=programme, direction="М", title="Задача", deadline=day,
                            responsible=world["mentor"], status=status, done_on=done)  # fmt: skip
    for day in (datetime.date(2026, 12, 1), datetime.date(2027, 1, 10)):
        Meeting.objects.create(unit=unit, date=day, topic="Встреча")
    figures = compute([school.pk], YEAR, TODAY)[school.pk]
    assert (figures.mentors, figures.mentees, figures.units) == (1, 1, 1)
    assert (figures.young, figures.young_covered, figures.young_coverage) == (1, 1, 100.0)
    assert figures.specialists_coverage == 100.0
    assert (figures.tasks_due, figures.tasks_on_time, figures.tasks_on_time_share) == (2, 1, 50.0)
    assert figures.meetings_per_unit_month(5) == 0.4  # 2 meetings, 1 unit, Sep–Jan
    assert figures.retention_1 == 100.0
    assert figures.retention_3 is None  # nobody hired 3 years ago: no data, not 0 %
    assert figures.completed_share == 0.0
    type(unit).objects.filter(pk=unit.pk).update(status=UnitStatus.COMPLETED)
    assert compute([school.pk], YEAR, TODAY)[school.pk].completed_share == 100.0


def test_no_data_is_not_zero(school):
    figures = total(compute([school.pk], YEAR, TODAY))
    assert figures.young_coverage is None
    assert figures.tasks_on_time_share is None
    assert figures.average_load is None
    assert figures.meetings_per_unit_month(5) is None


def test_municipal_dashboard_sums_schools_and_exports(methodist_client, municipality, school,
                                                     other_school):  # fmt: skip
    pair_world(school)
    url = reverse("monitoring:dashboard", args=[municipality.pk])
    page = methodist_client.get(url + f"?year={YEAR}")
    assert "Сравнение школ" in texts(page, "h2")
    header, *body = cells(page, ".compare-table")
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert sorted(rows) == sorted([school.short_name, other_school.short_name])
    columns = ("Наставников", "Пар и групп", "Завершено, %", "Нагрузка наставника")
    assert [rows[school.short_name][c] for c in columns] == ["1", "1", "0 %", "1"]
    # The other school has no units: no data, not 0 %.
    assert [rows[other_school.short_name][c] for c in columns] == ["0", "0", "нет данных",
                                                                   "нет данных"]  # fmt: skip
    xlsx = methodist_client.get(reverse("monitoring:export", args=[municipality.pk]) +
                                f"?year={YEAR}")  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rows = list(book.active.values)
    assert rows[0][:3] == ("Организация", "Наставников", "Наставляемых")
    assert rows[-1][0].startswith("Итого")
    assert rows[-1][1] == 1  # one mentor across the municipality


@pytest.mark.parametrize("extra", [0, 3])
def test_dashboard_queries_do_not_grow_with_schools(
    methodist_client, municipality, school, extra, django_assert_max_num_queries
):
    from tests.factories import OrganisationFactory

    pair_world(school)
    for i in range(extra):
        OrganisationFactory(parent=municipality, slug=f"m-extra-{i}")
    with django_assert_max_num_queries(24):
        response = methodist_client.get(reverse("monitoring:dashboard", args=[municipality.pk]))
    assert response.status_code == 200


def test_the_yearly_report_has_indicators_and_schools(methodist_client, municipality, school):
    from docx import Document as Docx

    pair_world(school)
    docx = Docx(io.BytesIO(report_of(methodist_client, municipality)))
    assert docx.paragraphs[2].text == (
        "ОТЧЁТ\nо реализации системы наставничества педагогических работников\n"
        "за 2026/2027 учебный год"
    )
    cells = [c.text for t in docx.tables for r in t.rows for c in r.cells]
    assert "Наставников" in cells
    assert school.short_name in cells  # the comparison of schools


def test_a_region_compares_its_municipalities(region, municipality, other_municipality, school):
    from apps.monitoring.queries import dashboard_data

    pair_world(school)
    overall, summary, rows, _months = dashboard_data(region, YEAR)
    assert [r["school"] for r in rows] == sorted(
        [municipality, other_municipality], key=lambda o: o.short_name
    )
    by_org = {r["school"].pk: r for r in rows}
    assert by_org[municipality.pk]["units"] == 1
    assert by_org[other_municipality.pk]["units"] == 0
    assert summary["units"] == overall.units == 1


def test_filter_by_form_and_years(curator_client, school):
    from apps.monitoring.indicators import by_years

    pair_world(school)
    assert compute([school.pk], YEAR, TODAY, form="Групповое") == {}
    only = compute([school.pk], YEAR, TODAY, form="Традиционное «один на один»")[school.pk]
    assert only.units == 1
    assert by_years([school.pk]) == [
        {"year": YEAR, "mentors": 1, "mentees": 1, "units": 1, "completed_share": 0.0}
    ]
    page = curator_client.get(
        reverse("monitoring:dashboard", args=[school.pk]) + f"?year={YEAR}&form=Групповое"
    )
    assert "Динамика по учебным годам" in texts(page, "h2")
    assert tables(page)["Год"][1:] == [[YEAR, "1", "1", "1", "0 %", ""]]


def test_the_dashboard_is_kept_and_refreshed(curator_client, school, settings):
    from django.core.cache import cache
    from django.core.management import call_command

    settings.MONITORING_CACHE_SECONDS = 60
    cache.clear()
    url = reverse("monitoring:dashboard", args=[school.pk]) + f"?year={YEAR}"
    first = curator_client.get(url).content.decode()
    assert "Рассчитано" in first
    pair_world(school)  # new data: not visible until the summary is recomputed
    assert curator_client.get(url).context["summary"]["units"] == 0
    assert curator_client.get(url + "&refresh=1").context["summary"]["units"] == 1
    call_command("refresh_monitoring")
    cache.clear()


def test_it_keeps_every_dashboard_table_in_a_scrolling_box(methodist_client, municipality, school):
    # At 360 px the satisfaction and the year-by-year tables made the municipal dashboard
    # 631 px wide: each table scrolls inside its own box instead of the whole page.
    pair_world(school)
    html = methodist_client.get(
        reverse("monitoring:dashboard", args=[municipality.pk]) + f"?year={YEAR}"
    ).content.decode()
    tables_found = re.findall(r"(<div class=\"table-responsive[^>]*>)?\s*<table\b", html)
    assert len(tables_found) >= 5
    assert all(tables_found), "таблица вне .table-responsive"


def test_it_shows_no_data_in_a_smaller_figure(methodist_client, municipality, school):
    # «нет данных» at the size of a number broke as «данны / х» in a half-width card on a phone.
    html = methodist_client.get(
        reverse("monitoring:dashboard", args=[municipality.pk]) + f"?year={YEAR}"
    ).content.decode()
    assert re.search(r'class="stat-value stat-none">нет данных<', html)
    assert not re.search(r'class="stat-value">нет данных<', html)
