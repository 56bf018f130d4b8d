"""A whole school year for a NEW school, in Chromium, as every role.

The system administrator creates the school under the municipality and invites its curator and
head; the curator imports the staff from an .xlsx, records consents in bulk, prepares the
Положение, fills the banks, runs the matching and issues the pairs order; the head signs it
(the units start); a mentor keeps the diary and marks a task, the mentee sees the next one; the
curator enters last week's установочная сессия late, holds the final round table, ends a pair
and publishes the news (names without a distribution consent are refused); the municipal
methodist sees the school in monitoring.

Every step a person does goes through the UI; the ORM only reads back. Every page visited is
also opened at 360 px in a second tab of the same session: no horizontal scroll there, and no
console error in either tab (the conftest fails the test on any).
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import Workbook

from apps.documents.models import DocKind, Document
from apps.documents.tests.test_documents import PDF
from apps.events.models import Participant
from apps.orgs.choices import Role
from apps.orgs.models import Organisation
from apps.people.models import Consent, Person
from apps.programs.models import Meeting, MentoringUnit, Task, UnitStatus
from apps.publicity.models import Post, PostStatus
from tests.e2e.conftest import login, screenshot
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Year-pass-2026!"

# Eight teachers: three experienced (mentors), four young (mentees), one who stays aside.
STAFF = [
    # last, first, middle, position, subject, experience, young, e-mail, gender
    ("Кузнецова", "Марина", "Петровна", "Учитель математики", "Математика", 24, "нет",
     "kuznetsova@new.example.org", "ж"),
    ("Лебедев", "Игорь", "Семёнович", "Учитель физики", "Физика", 18, "нет",
     "lebedev@new.example.org", "м"),
    ("Соколова", "Ирина", "Андреевна", "Учитель русского языка", "Русский язык", 20, "нет",
     "sokolova@new.example.org", "ж"),
    ("Волкова", "Дарья", "Олеговна", "Учитель математики", "Математика", 1, "да",
     "volkova@new.example.org", "ж"),
    ("Морозов", "Артём", "Ильич", "Учитель физики", "Физика", 0, "да",
     "morozov@new.example.org", "м"),
    ("Новикова", "Полина", "Сергеевна", "Учитель русского языка", "Русский язык", 2, "да",
     "novikova@new.example.org", "ж"),
    ("Зайцев", "Кирилл", "Романович", "Учитель информатики", "Информатика", 1, "да",
     "zaytsev@new.example.org", "м"),
    ("Орлова", "Вера", "Николаевна", "Педагог-психолог", "", 30, "нет", "", "ж"),
]  # fmt: skip
MENTORS = STAFF[:3]
MENTEES = STAFF[3:7]


def full(row) -> str:
    return " ".join(row[:3])


WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.closest('.table-responsive') || e.matches('.table-responsive'))
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' +
            Math.round(e.getBoundingClientRect().right))"""


class Walk:
    """One browser session of one person: a 1366-px tab and a 360-px tab sharing cookies."""

    def __init__(self, page, live_server, who: str):
        self.page = page
        self.url = live_server.url
        self.who = who
        page.set_viewport_size({"width": 1366, "height": 900})
        self.phone = page.context.new_page()
        self.phone.set_viewport_size({"width": 360, "height": 800})
        errors = page.context.year_errors
        self.phone.on(
            "console",
            lambda m: (
                errors.append(f"360 {self.phone.url}: {m.text}") if m.type == "error" else None
            ),
        )
        self.phone.on("pageerror", lambda e: errors.append(f"360 {self.phone.url}: {e}"))
        self.shots = 0

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)

    def check(self, name: str = "") -> None:
        """The current page again at 360 px: no horizontal scroll; screenshots of both."""
        self.page.wait_for_load_state("load")
        url = self.page.url
        self.phone.goto(url)
        width = self.phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        self.shots += 1
        label = name or f"{self.shots:02d}"
        if width[0] > width[1]:
            screenshot(self.phone, f"year-{self.who}-{label}-360-overflow")
            wide = self.phone.evaluate(WIDE_ELEMENTS)
            raise AssertionError(
                f"{url}: {width[0]} px шириной при экране {width[1]} px; шире экрана: {wide}"
            )
        if name:
            screenshot(self.page, f"year-{self.who}-{name}-1366")
            screenshot(self.phone, f"year-{self.who}-{name}-360")

    def close(self) -> None:
        self.phone.close()
        self.page.context.clear_cookies()


def staff_xlsx(path) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя", "Отчество", "Должность", "Предметы", "Педагогический стаж",
                  "Молодой специалист", "E-mail", "Пол"])  # fmt: skip
    for row in STAFF:
        sheet.append(list(row))
    workbook.save(path)
    return str(path)


def set_password_from_invitation(page, live_server, email: str) -> None:
    links = [
        found[0]
        for m in reversed(mail.outbox)
        if email in m.to and (found := re.search(r"https?://\S+/accounts/reset/\S+/", m.body))
    ]
    assert links, f"нет письма-приглашения для {email}"
    link = links[0]
    page.goto(live_server.url + "/accounts/reset/" + link.split("/accounts/reset/", 1)[1])
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="Сохранить пароль").click()
    page.wait_for_load_state("load")


@pytest.fixture
def console_errors(page):
    page.context.year_errors = []
    yield page.context.year_errors
    assert page.context.year_errors == [], "ошибки в консоли (360 px):\n" + "\n".join(
        page.context.year_errors
    )


def test_a_new_school_goes_through_a_whole_year(
    page, live_server, region, municipality, tmp_path, console_errors
):
    try:
        whole_year(page, live_server, region, municipality, tmp_path)
    except Exception:
        screenshot(page, "year-failure")
        raise


def whole_year(page, live_server, region, municipality, tmp_path):
    started = timezone.now()
    # The system administrator of the region exists before the school does.
    admin = UserFactory(email="admin@region.example.org", full_name="Системный Администратор")
    MembershipFactory(user=admin, organisation=region, role=Role.ADMIN)

    # 1. The administrator creates the school and invites its curator and head.
    walk = Walk(page, live_server, "admin")
    login(page, live_server, admin.email)
    walk.go(f"/o/{municipality.pk}/")
    walk.check("municipality")
    page.get_by_role("link", name="Добавить школу").click()
    page.fill("#id_slug", "school-new-ensk")
    page.fill("#id_name", "Муниципальное бюджетное общеобразовательное учреждение «Школа № 21»")
    page.fill("#id_short_name", "Школа № 21")
    page.fill("#id_city", "Энск")
    page.fill("#id_head_position", "Директор")
    page.fill("#id_head_name", "Белова Анна Викторовна")
    walk.check("org-create")
    page.get_by_role("button", name="Добавить").click()
    page.get_by_text("Организация «Школа № 21» добавлена.").wait_for()
    school = Organisation.objects.get(slug="school-new-ensk")
    assert school.parent_id == municipality.pk
    walk.check("school-dashboard")
    walk.go(f"/o/{school.pk}/members/")
    for email, name, role in (
        ("curator@new.example.org", "Григорьева Ольга Павловна", "curator"),
        ("head@new.example.org", "Белова Анна Викторовна", "head"),
    ):
        page.fill("#id_email", email)
        page.fill("#id_full_name", name)
        page.select_option("#id_role", role)
        page.get_by_role("button", name="Назначить").click()
        page.get_by_text("Роль назначена.").wait_for()
    walk.check("members")
    walk.close()
    assert school.memberships.count() == 2

    # 2. The curator sets a password from the invitation and prepares stage 1–4.
    set_password_from_invitation(page, live_server, "curator@new.example.org")
    walk = Walk(page, live_server, "curator")
    login(page, live_server, "curator@new.example.org", PASSWORD)
    walk.check("home")
    walk.go(f"/o/{school.pk}/staff/import/")
    page.set_input_files("input[type=file]", staff_xlsx(tmp_path / "kadry.xlsx"))
    page.get_by_role("button", name="Проверить файл").click()
    page.get_by_text("Ошибок нет").wait_for()
    walk.check("import-preview")
    page.get_by_role("button", name="Подтвердить и сохранить").click()
    page.get_by_text("добавлено 8, обновлено 0").wait_for()
    walk.check("staff")
    people = {p.last_name: p for p in Person.objects.filter(organisation=school)}
    assert len(people) == 8

    # Consents: the printed forms came back; marked in bulk, one kind at a time.
    today = timezone.localdate()
    for kind, rows in (
        ("processing", STAFF[:7]),
        ("duties_mentor", MENTORS),
        ("duties_mentee", MENTEES),
        ("distribution", STAFF[:1]),
    ):
        walk.go(f"/o/{school.pk}/consents/bulk/?kind={kind}&show=missing")
        for row in rows:
            page.get_by_role("checkbox", name=full(row)).check()
        page.fill("#id_given_on", today.strftime("%d.%m.%Y"))
        if kind == "distribution":
            for box in page.locator("input[name=allowed_items]").all():
                box.check()
        page.get_by_role("button", name="Записать отмеченным").click()
        page.get_by_text(f"Записано {len(rows)} соглас").wait_for()
    walk.check("consents-bulk")
    assert Consent.objects.filter(person__organisation=school).count() == 15

    # Accounts for one mentor and one mentee, from their staff cards.
    for row, role in ((MENTORS[0], "mentor"),):
        walk.go(f"/o/{school.pk}/staff/{people[row[0]].pk}/")
        page.select_option("#id_role", role)
        page.get_by_role("button", name="Пригласить").click()
        page.get_by_text("Роль назначена", exact=False).first.wait_for()
    walk.check("person-card")

    # Stage 1: the Положение order, passed to the head.
    walk.go(f"/o/{school.pk}/documents/")
    page.get_by_role(
        "link", name="Приказ об утверждении Положения о системе наставничества"
    ).click()
    page.get_by_role("button", name="Подготовить документ").click()
    page.get_by_text("подготовлен (черновик)").wait_for()
    page.get_by_role("button", name="Передать на подпись").click()
    page.get_by_text("Статус документа изменён").wait_for()
    walk.check("polozhenie-order")

    # Stage 3: what the school's mentoring is about, then the banks filled by hand.
    walk.go(f"/o/{school.pk}/surveys/competencies/")
    for name in ("Предметная методика", "Классное руководство"):
        page.get_by_role("textbox", name="Компетенция").fill(name)
        page.get_by_role("button", name="Добавить", exact=True).click()
        page.get_by_text(name).first.wait_for()
    walk.check("competencies")
    for kind, rows, word in (("mentor", MENTORS, "уровень"), ("mentee", MENTEES, "потребность")):
        for row in rows:
            walk.go(f"/o/{school.pk}/banks/{kind}s/add/")
            page.select_option("#id_person", label=full(row))
            if kind == "mentor":
                page.fill("#id_capacity", "2")
            page.get_by_label(f"Предметная методика: {word} (1–5)").fill("5")
            page.get_by_label(f"Классное руководство: {word} (1–5)").fill("3")
            page.get_by_role("button", name="Сохранить").click()
            page.wait_for_load_state("load")
            assert "/add/" not in page.url, page.locator(
                ".invalid-feedback, .alert"
            ).all_inner_texts()
        walk.check(f"bank-{kind}")

    # Stage 4: the matching proposes, the curator confirms; the pairs order goes to the head.
    walk.go(f"/o/{school.pk}/matching/")
    page.get_by_role("link", name="Новый подбор").click()
    page.get_by_role("button", name="Подобрать").click()
    page.get_by_role("heading", name="Предложенные пары").wait_for()
    page.wait_for_url("**/matching/*/")
    walk.check("matching-proposal")
    page.get_by_role("button", name=re.compile("^Подтвердить")).last.click()
    page.get_by_text("Сформировано пар и групп:").wait_for()
    units = MentoringUnit.objects.filter(organisation=school)
    assert units.count() >= 3
    walk.go(f"/o/{school.pk}/units/")
    walk.check("units-draft")
    # The mentor's mentee gets an account too.
    first_unit = units.get(mentor=people[MENTORS[0][0]])
    walk.go(f"/o/{school.pk}/staff/{first_unit.members.first().mentee_id}/")
    page.select_option("#id_role", "mentee")
    page.get_by_role("button", name="Пригласить").click()
    page.get_by_text("Роль назначена", exact=False).first.wait_for()
    walk.go(f"/o/{school.pk}/documents/")
    page.get_by_role("link", name="Приказ о закреплении наставнических пар и групп").click()
    walk.check("pairs-order-form")
    page.get_by_role("button", name="Подготовить документ").click()
    page.get_by_text("подготовлен (черновик)").wait_for()
    page.get_by_role("button", name="Передать на подпись").click()
    page.get_by_text("Статус документа изменён").wait_for()
    walk.close()
    pairs_order = Document.objects.get(organisation=school, kind=DocKind.PAIRS)
    polozhenie = Document.objects.get(organisation=school, kind=DocKind.POLOZHENIE)

    # 3. The head signs both orders (uploads the signed scans): the units start.
    set_password_from_invitation(page, live_server, "head@new.example.org")
    walk = Walk(page, live_server, "head")
    login(page, live_server, "head@new.example.org", PASSWORD)
    page.locator(".next-steps").get_by_text("2 документа ждут подписи").wait_for()
    walk.check("home")
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(PDF)
    for document in (polozhenie, pairs_order):
        walk.go(f"/o/{school.pk}/documents/{document.pk}/")
        page.set_input_files("input[type=file]", str(scan))
        page.get_by_role("button", name="Загрузить скан").click()
        page.get_by_text("документ подписан и больше не меняется").wait_for()
    walk.check("pairs-order-signed")
    walk.go(f"/o/{school.pk}/units/")
    assert page.get_by_text("Действует").count() >= 1
    walk.check("units-active")
    walk.close()
    assert not units.exclude(status=UnitStatus.ACTIVE).exists()

    # The curator gives the mentor's pair its ПНП from a template.
    mentor_person = people[MENTORS[0][0]]
    unit = units.get(mentor=mentor_person)
    walk = Walk(page, live_server, "curator")
    login(page, live_server, "curator@new.example.org", PASSWORD)
    # One source of truth: the roadmap counts the same units as the units page.
    walk.go(f"/o/{school.pk}/roadmap/")
    page.get_by_text(f"Пар и групп действует: {units.count()}").first.wait_for()
    walk.check("roadmap")
    walk.go(f"/o/{school.pk}/units/{unit.pk}/programme/")
    page.select_option("#id_template", index=1)
    page.get_by_role("button", name="Применить шаблон").click()
    page.get_by_text("Из шаблона добавлено задач").wait_for()
    walk.check("programme")
    walk.close()

    # 4. The mentor records a meeting and marks a task done; the mentee sees the next task.
    set_password_from_invitation(page, live_server, MENTORS[0][7])
    walk = Walk(page, live_server, "mentor")
    login(page, live_server, MENTORS[0][7], PASSWORD)
    walk.check("home")
    walk.go(f"/my/units/{unit.pk}/")
    page.fill("#id_topic", "Разбор рабочей программы")
    page.fill("#id_duration", "45")
    page.get_by_role("button", name="Записать").click()
    page.get_by_text("Встреча записана в дневник.").wait_for()
    page.get_by_role("link", name="Отметить").first.click()
    page.select_option("#id_status", "done")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Статус задачи обновлён.").wait_for()
    walk.check("diary")
    walk.close()
    assert Meeting.objects.filter(unit=unit).count() == 1
    assert Task.objects.filter(programme__unit=unit, status="done").count() == 1

    mentee_person = unit.members.first().mentee
    set_password_from_invitation(page, live_server, mentee_person.email)
    walk = Walk(page, live_server, "mentee")
    login(page, live_server, mentee_person.email, PASSWORD)
    page.locator(".next-steps").get_by_text("Следующая задача:").wait_for()
    walk.check("home")
    walk.go(f"/my/units/{unit.pk}/")
    page.get_by_text("Разбор рабочей программы").first.wait_for()
    walk.check("unit")
    walk.close()

    # 5. The curator enters last week's установочная сессия late and marks attendance, later
    # holds the final round table, ends a pair and publishes the news.
    walk = Walk(page, live_server, "curator")
    login(page, live_server, "curator@new.example.org", PASSWORD)
    held = timezone.localtime() - datetime.timedelta(days=7)
    for kind, title, when in (
        ("Установочная сессия наставников", "Установочная сессия: роль наставника", held),
        ("Итоговый круглый стол", "Итоговый круглый стол: год наставничества",
         timezone.localtime() - datetime.timedelta(days=1)),
    ):  # fmt: skip
        walk.go(f"/o/{school.pk}/events/new/")
        page.select_option("#id_kind", label=kind)
        page.fill("#id_title", title)
        page.fill("#id_starts_at", when.strftime("%Y-%m-%dT15:00"))
        page.fill("#id_ends_at", when.strftime("%Y-%m-%dT17:00"))
        page.fill("#id_place", "Актовый зал")
        page.select_option("#id_audience", label="Наставники")
        page.get_by_role("button", name="Сохранить").click()
        page.get_by_text("Мероприятие внесено задним числом: отметьте присутствие.").wait_for()
        for row in MENTORS:
            page.get_by_label(full(row), exact=False).check()
        page.get_by_role("button", name="Отметить присутствие").click()
        page.get_by_text("Присутствие отмечено.").wait_for()
        walk.check("event-" + kind.split()[0].lower())
    assert Participant.objects.filter(event__organisation=school, attended=True).count() == 6

    walk.go(f"/o/{school.pk}/units/{unit.pk}/end/")
    page.get_by_label("Программа завершена").check()
    page.get_by_label("Причина").fill(
        "Цели ПНП достигнуты, остальные задачи перенесены в план школы."
    )
    page.get_by_role("button", name="Подтвердить").click()
    page.get_by_text("Статус пары изменён.").wait_for()
    walk.check("unit-completed")
    unit.refresh_from_db()
    assert unit.status == UnitStatus.COMPLETED

    walk.go(f"/o/{school.pk}/public/")
    page.get_by_label("страница открыта для всех", exact=False).check()
    page.get_by_role("button", name="Сохранить").first.click()
    page.wait_for_load_state("load")
    walk.go(f"/o/{school.pk}/news/new/")
    page.fill("#id_title", "Итоги года наставничества")
    noname = people[MENTORS[1][0]]  # no distribution consent
    page.fill("#id_body", f"Круглый стол провёл {noname.first_name} {noname.middle_name} "
                          f"{noname.last_name}.")  # fmt: skip
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_role("alert").filter(has_text="Публикация заблокирована").wait_for()
    walk.check("news-blocked")
    page.get_by_role("link", name="Редактировать").click()
    consented = people[MENTORS[0][0]]
    page.fill("#id_body", f"На итоговом круглом столе наставники подвели итоги года. "
                          f"Опытом поделилась {consented.full_name}.")  # fmt: skip
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_role("button", name="Опубликовать").click()
    page.get_by_text("Новость опубликована на странице наставничества.").wait_for()
    walk.check("news-published")
    walk.close()
    post = Post.objects.get(organisation=school, title="Итоги года наставничества")
    assert post.status == PostStatus.PUBLISHED

    visitor = Walk(page, live_server, "public")
    visitor.go(f"/p/{school.slug}/")
    page.get_by_role("link", name="Итоги года наставничества").click()
    page.get_by_text("Опытом поделилась").wait_for()
    assert noname.last_name not in page.content()
    visitor.check("news")
    visitor.close()

    # 6. The municipal methodist sees the new school in monitoring.
    methodist = UserFactory(email="metod@ensk.example.org")
    MembershipFactory(user=methodist, organisation=municipality, role=Role.METHODIST)
    walk = Walk(page, live_server, "methodist")
    login(page, live_server, methodist.email)
    walk.go(f"/o/{municipality.pk}/monitoring/")
    page.get_by_role("heading", name="Сравнение школ").wait_for()
    page.get_by_text("Школа № 21").first.wait_for()
    walk.check("monitoring")
    walk.close()
    assert (timezone.now() - started).total_seconds() < 600
