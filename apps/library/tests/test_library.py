"""The library: morphological search on SQLite and PostgreSQL, visibility, moderation, files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.library.models import Material, MaterialStatus, Visibility
from apps.library.search import search
from apps.library.services import moderate, save_material, visible
from tests.html import errors, texts


def material(org, title, status=MaterialStatus.PUBLISHED, visibility=Visibility.SCHOOL, **kw):
    m = Material(organisation=org, title=title, status=status, visibility=visibility, **kw)
    return save_material(m, by=None)


@pytest.mark.django_db
def test_search_finds_other_word_forms(school):
    wanted = material(school, "Памятка по классному руководству",
                      annotation="Как вести классный час")  # fmt: skip
    material(school, "Работа с родителями", annotation="Родительские собрания")
    found = list(search(Material.objects.all(), "классное руководство"))
    assert found == [wanted]
    assert list(search(Material.objects.all(), "КЛАССНОГО руководства")) == [wanted]
    assert list(search(Material.objects.all(), "родительское собрание")) != []


@pytest.mark.django_db
@pytest.mark.parametrize("query", ['"классное', "класс*", "a" * 10_000, "-- OR 1=1", "***"])
def test_odd_queries_never_fail(school, query):
    material(school, "Памятка по классному руководству")
    list(search(Material.objects.all(), query))  # no exception, whatever it finds


@pytest.mark.django_db
def test_edits_reindex_and_deletes_unindex(school):
    m = material(school, "Старое название")
    m.title = "Наставничество в начальной школе"
    save_material(m, by=None)
    assert list(search(Material.objects.all(), "начальная школа")) == [m]
    assert list(search(Material.objects.all(), "старое")) == []
    m.delete()
    assert list(search(Material.objects.all(), "начальная школа")) == []


@pytest.mark.django_db
def test_visibility_by_school_and_municipality(school, other_school, far_school):
    mine = material(school, "Своя памятка", status=MaterialStatus.DRAFT)
    shared = material(other_school, "Общая памятка", visibility=Visibility.MUNICIPALITY)
    hidden = material(other_school, "Только для своей школы")
    public = material(far_school, "Открытый материал", visibility=Visibility.PUBLIC)
    far = material(far_school, "Для своего муниципалитета", visibility=Visibility.MUNICIPALITY)
    seen = set(visible(school, manager=True))
    assert {mine, shared, public} <= seen
    assert not {hidden, far} & seen
    assert mine not in set(visible(school, manager=False))  # drafts: only for managers


@pytest.mark.django_db
def test_moderation_path(school):
    m = material(school, "Практика", status=MaterialStatus.DRAFT)
    moderate(m, "submit")
    m = moderate(m, "publish")
    assert m.status == MaterialStatus.PUBLISHED
    m = moderate(m, "promote", visibility=Visibility.MUNICIPALITY)
    assert m.visibility == Visibility.MUNICIPALITY


def test_curator_adds_a_file_of_an_allowed_type(curator_client, school):
    url = reverse("library:create", args=[school.pk])
    data = {"kind": "material", "title": "Анализ урока", "audience": "all",
            "visibility": "school", "annotation": "Схема анализа урока"}  # fmt: skip
    bad = curator_client.post(url, {**data, "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")})
    assert [e for e in errors(bad) if "материал принимается в форматах" in e]
    empty = curator_client.post(url, data)
    assert errors(empty) == ["Добавьте текст, файл или ссылку."]
    ok = curator_client.post(url, {**data, "body": "Шаги анализа урока по ФГОС"})
    assert ok.status_code == 302
    page = curator_client.get(reverse("library:list", args=[school.pk]) + "?q=анализы уроков")
    assert texts(page, ".list-group-item strong") == ["Анализ урока"]


def test_a_best_practice_is_nominated_from_a_unit(curator_client, school):
    from apps.documents.tests.test_documents import pair_world

    unit = pair_world(school)["unit"]
    response = curator_client.post(
        reverse("library:create", args=[school.pk]),
        {"kind": "practice", "title": "Разбор уроков в паре", "audience": "mentors",
         "visibility": "school", "body": "Еженедельный разбор", "results": "Рост оценок",
         "source_unit": unit.pk},
    )  # fmt: skip
    assert response.status_code == 302
    practice = Material.objects.get()
    assert (practice.kind, practice.source_unit) == ("practice", unit)
    page = curator_client.get(reverse("library:detail", args=[school.pk, practice.pk]))
    assert "Практика пары: наставник Петров С.И." in texts(page, "li.list-inline-item")
