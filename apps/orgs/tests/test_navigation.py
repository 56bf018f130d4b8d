"""The sidebar comes from one table (apps/orgs/navigation.py) and shows each role its pages."""

from html.parser import HTMLParser

import pytest
from django.urls import resolve, reverse

from apps.orgs.models import roles_at
from apps.orgs.navigation import MENU, menu
from conftest import client_for

pytestmark = pytest.mark.django_db

MY_PAGES = ["Мои анкеты", "Мои пары и программы", "Мои мероприятия", "Уведомления"]
SCHOOL_MANAGER = [
    "Обзор", "Кадры", "Согласия (152-ФЗ)", "Анкеты", "Банк наставляемых", "Банк наставников",
    "Пары и группы", "Документы", "На подпись", "Доплаты наставникам", "Подбор наставников",
    "Мероприятия", "Мониторинг",
    "Новости и публичная страница", "Методическая копилка", *MY_PAGES,
]  # fmt: skip
SCHOOL_ROADMAP = ("roadmap", ["Дорожная карта и статусы"])
PARTICIPANT = [
    ("main", ["Обзор", "На подпись", "Мероприятия", "Методическая копилка", *MY_PAGES]),
    SCHOOL_ROADMAP,
]


def labels(user, org) -> list[tuple[str, list[str]]]:
    return [(s.name, [link.label for link in s.links]) for s in menu(org, roles_at(user, org))]


def test_it_shows_a_curator_the_school_pages_and_the_keys(curator, school):
    assert labels(curator, school) == [
        ("main", SCHOOL_MANAGER),
        SCHOOL_ROADMAP,
        ("settings", ["Пользователи и роли", "API-ключи"]),
    ]


def test_it_shows_a_head_and_an_admin_the_school_pages_and_every_setting(
    head, school_admin, school
):
    every_setting = ["Пользователи и роли", "Сведения об организации", "Журнал действий",
                     "API-ключи"]  # fmt: skip
    expected = [("main", SCHOOL_MANAGER), SCHOOL_ROADMAP, ("settings", every_setting)]
    assert labels(head, school) == expected
    assert labels(school_admin, school) == expected


def test_it_shows_a_mentor_and_a_mentee_their_own_pages(mentor, mentee, school):
    assert labels(mentor, school) == PARTICIPANT
    assert labels(mentee, school) == PARTICIPANT


def test_it_shows_a_methodist_the_network_pages_at_the_municipality(methodist, municipality):
    assert labels(methodist, municipality) == [
        ("main", ["Обзор", "Кадры", "Сетевой подбор", "Мониторинг",
                  "Новости и публичная страница", "Методическая копилка", *MY_PAGES]),
        ("roadmap", ["Дорожные карты школ"]),
        ("settings", ["API-ключи"]),
    ]  # fmt: skip


def test_it_shows_a_methodist_in_a_school_only_what_it_reads(methodist, school):
    assert labels(methodist, school) == [
        ("main", ["Обзор", "Кадры", "Мероприятия", "Мониторинг", "Методическая копилка",
                  *MY_PAGES]),
        SCHOOL_ROADMAP,
    ]  # fmt: skip


def test_it_names_the_permission_and_level_its_page_declares():
    for link in MENU:
        view = resolve(reverse(link.url_name, args=[] if link.personal else [1])).func
        if link.personal:
            assert getattr(view, "login_only", False), link.url_name
            continue
        protection = view.protection
        assert (link.perm or "org.view", link.level) == (protection.perm, protection.level), (
            link.url_name
        )


class NavLinks(HTMLParser):
    """(label, href, is current) of every link in the sidebar."""

    def __init__(self):
        super().__init__()
        self.links: list[list] = []
        self.inside = False
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("id") == "sidebar":
            self.inside = True
        elif self.inside and tag == "a" and "nav-link" in attrs.get("class", "").split():
            self.links.append(["", attrs["href"], "active" in attrs["class"].split()])
            self.depth = 1
        elif self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "nav":
            self.inside = False
        elif self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.links[-1][0] += data


def test_it_renders_the_sidebar_from_the_table(curator, school):
    response = client_for(curator).get(reverse("surveys:template-list", args=[school.pk]))
    parser = NavLinks()
    parser.feed(response.content.decode())
    expected = [
        [link.label, reverse(link.url_name, args=[] if link.personal else [school.pk]),
         link.label == "Анкеты"]
        for section in menu(school, roles_at(curator, school)) for link in section.links
    ]  # fmt: skip
    stages = [link for link in parser.links if "/stages/" in link[1]]
    assert [link for link in parser.links if link not in stages] == expected
    assert len(stages) == 7
