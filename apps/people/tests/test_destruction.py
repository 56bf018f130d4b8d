"""Destroying the data of a person who withdrew consent reaches every place that holds them."""

import datetime

import pytest
from axes.models import AccessLog
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.api.models import ApiToken
from apps.banks.models import Profile, ProfileChange
from apps.core.years import academic_year
from apps.events.models import Event, Participant
from apps.library.models import Material
from apps.matching.models import MatchingRun, MentorRequest
from apps.orgs.choices import Role
from apps.people.consents import destroy_withdrawn_data, withdraw_consent
from apps.people.erasure import person_data_destroyed
from apps.people.models import Consent, ImportBatch
from apps.people.redaction import name_forms, redact
from apps.programs.models import (
    FormatType,
    Meeting,
    MentoringUnit,
    PairingType,
    Programme,
    SupportAction,
    Task,
    UnitMember,
)
from apps.programs.services import ensure_dictionaries
from apps.publicity.models import Post, PostImage
from apps.roadmap.models import RoadmapItem
from apps.surveys.models import Answer, Campaign, Invitation
from apps.surveys.services import install_shipped
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GONE = "[обезличено]"


def test_it_redacts_every_case_of_a_name_and_its_initials():
    forms = name_forms("Семёнова", "Анна", "Петровна")
    text = (
        "Встреча с Семёновой Анной Петровной; урок А.П. Семеновой; отзыв Семёновой А. П.; "
        "Анна Петровна довольна; Анна Иванова и Семёнов Пётр не при чём."
    )
    assert redact(text, forms) == (
        f"Встреча с {GONE}; урок {GONE}; отзыв {GONE}; {GONE} довольна; Анна Иванова и "
        "Семёнов Пётр не при чём."
    )


@pytest.fixture
def world(school, mentee, curator):
    """A person with data in every place the system keeps personal data, consent withdrawn."""
    person = PersonFactory(
        organisation=school,
        user=mentee,
        last_name="Семёнова",
        first_name="Анна",
        middle_name="Петровна",
        email="anna@example.org",
        phone="+7 900 000-00-00",
        hired_on=datetime.date(2020, 9, 1),
    )
    mentor = PersonFactory(organisation=school, last_name="Орлов", first_name="Игорь")
    consent = ConsentFactory(person=person, scan=SimpleUploadedFile("c.pdf", PDF))
    withdraw_consent(consent=consent)
    Consent.objects.filter(pk=consent.pk).update(
        withdrawn_at=timezone.now() - datetime.timedelta(days=31)
    )
    # Surveys: answers with free text, a personal link.
    template = install_shipped(org=school)[0]
    campaign = Campaign.objects.create(
        organisation=school, template=template, title="Запросы",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )  # fmt: skip
    invitation = Invitation.objects.create(
        campaign=campaign, person=person, submitted_at=timezone.now()
    )
    for kind, value in (("text", "Боюсь открытых уроков"), ("scale", 3)):
        question = template.questions.filter(kind=kind).first()
        Answer.objects.create(invitation=invitation, question=question, value=value)
    # Banks.
    profile = Profile.objects.create(
        organisation=school, person=person, kind="mentee", year=academic_year(),
        competencies={"1": 2}, forms=["очно"], availability=["пн"], capacity=0,
        motivation="Хочу перестать бояться класса", notes="Плачет после уроков",
        invitation=invitation,
    )  # fmt: skip
    ProfileChange.objects.create(profile=profile, summary="мотивация: «Хочу перестать бояться»")
    # Programmes: a pair, its ПНП, tasks, diary, support.
    ensure_dictionaries(org=school)
    fmt = FormatType.objects.filter(organisation=school).first()
    unit = MentoringUnit.objects.create(
        organisation=school, year=academic_year(), mentor=mentor,
        pairing=PairingType.objects.filter(organisation=school).first(), format=fmt,
        start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 5, 31),
        end_reason="Семёнова А.П. ушла в декрет",
    )  # fmt: skip
    UnitMember.objects.create(
        unit=unit, mentee=person, mentor=mentor, format=fmt, joined_on=datetime.date(2026, 9, 1)
    )
    programme = Programme.objects.create(
        unit=unit, goal="Адаптация Семёновой Анны Петровны", difficulties="Анна Петровна робеет"
    )
    task = Task.objects.create(
        programme=programme, direction="Методика", title="Открытый урок Семёновой А.П.",
        deadline=datetime.date(2026, 10, 1), responsible=person, mentee=person,
        evidence_file=SimpleUploadedFile("e.pdf", PDF), evidence_link="https://example.org/v",
    )  # fmt: skip
    Meeting.objects.create(
        unit=unit, date=datetime.date(2026, 9, 10), topic="Разбор урока Семёновой",
        outcome="Анна Петровна справилась", next_steps="Семёнова А. П. готовит план",
    )  # fmt: skip
    support = SupportAction.objects.create(
        organisation=school, mentee=person, kind="psychologist", date=datetime.date(2026, 9, 5),
        responsible=mentor, result="Тревожность, рекомендован отдых",
    )  # fmt: skip
    # Events, news, library, roadmap, matching, API.
    event = Event.objects.create(
        organisation=school, kind="session", title="Сессия", audience="pairs",
        starts_at=datetime.datetime(2026, 9, 20, 10, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 9, 20, 12, tzinfo=datetime.UTC),
        speakers="Орлов И., Семёнова А.П.", resolutions="Опыт Семёновой распространить",
    )  # fmt: skip
    Participant.objects.create(event=event, person=person, attended=True)
    post = Post.objects.create(
        organisation=school, title="Урок Семёновой", body="<p>Анна Петровна провела урок</p>"
    )
    image = PostImage.objects.create(post=post, image=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff"))
    image.people.add(person)
    material = Material.objects.create(
        organisation=school, title="Практика", author="Семёнова А. П.",
        body="Автор — Семёнова Анна Петровна",
    )  # fmt: skip
    item = RoadmapItem.objects.create(
        organisation=school, year=academic_year(), stage=4, activity="Урок",
        responsible="Семёнова А.П.", start=datetime.date(2026, 9, 1),
        end=datetime.date(2026, 9, 30),
    )  # fmt: skip
    request = MentorRequest.objects.create(
        organisation=school, mentee=person, mentor=mentor, message="Помогите с дисциплиной",
        answer="Да, Анна Петровна", score={"total": 80},
    )  # fmt: skip
    run = MatchingRun.objects.create(
        organisation=school, year=academic_year(),
        snapshot={"mentees": [{"id": person.pk, "name": "Семёнова А. П.", "needs": {"Урок": 2},
                               "forms": ["очно"], "availability": ["пн"]}], "mentors": []},
    )  # fmt: skip
    token = ApiToken.objects.create(
        organisation=school, name="Ключ", role=Role.MENTEE, key_hash="0" * 64, created_by=mentee
    )
    AccessLog.objects.create(username=mentee.email, ip_address="10.0.0.7", user_agent="Firefox")
    batch = ImportBatch.objects.create(
        organisation=school, file_name="staff.xlsx",
        rows=[{"name_key": person.name_key, "last_name": "Семёнова"},
              {"name_key": mentor.name_key, "last_name": "Орлов"}],
    )  # fmt: skip
    return {
        "person": person, "consent": consent, "invitation": invitation, "profile": profile,
        "unit": unit, "programme": programme, "task": task, "support": support, "event": event,
        "post": post, "image": image, "material": material, "item": item, "request": request,
        "run": run, "token": token, "batch": batch, "mentor": mentor,
    }  # fmt: skip


def test_it_destroys_or_anonymises_every_place(world):
    [act] = destroy_withdrawn_data()
    w = {k: type(v).objects.get(pk=v.pk) for k, v in world.items() if k != "image"}
    invitation = w["invitation"]
    # Surveys: no answers, the link is revoked.
    assert Answer.objects.filter(invitation__person=w["person"]).count() == 0
    assert invitation.link_revoked_at is not None
    # Banks: nothing the person or the curator wrote about them is left.
    profile = w["profile"]
    assert (
        profile.competencies, profile.forms, profile.availability, profile.motivation,
        profile.notes, profile.invitation_id, profile.status, profile.changes.count(),
    ) == ({}, [], [], "", "", None, "left", 0)  # fmt: skip
    # Programmes: the texts keep their sense without the name; support results are gone.
    assert w["unit"].end_reason == f"{GONE} ушла в декрет"
    assert (w["programme"].goal, w["programme"].difficulties) == (
        f"Адаптация {GONE}",
        f"{GONE} робеет",
    )
    task = w["task"]
    assert (task.title, task.evidence_file.name, task.evidence_link) == (
        f"Открытый урок {GONE}",
        "",
        "",
    )
    meeting = Meeting.objects.get(unit=w["unit"])
    assert (meeting.topic, meeting.outcome, meeting.next_steps) == (
        f"Разбор урока {GONE}",
        f"{GONE} справилась",
        f"{GONE} готовит план",
    )
    assert w["support"].result == ""
    # Events, news, library, roadmap.
    assert (w["event"].speakers, w["event"].resolutions) == (
        f"Орлов И., {GONE}",
        f"Опыт {GONE} распространить",
    )
    assert Participant.objects.get(event=w["event"]).person_id == w["person"].pk
    assert PostImage.objects.filter(pk=world["image"].pk).exists() is False
    assert (w["post"].title, w["post"].body) == (f"Урок {GONE}", f"<p>{GONE} провела урок</p>")
    assert (w["material"].author, w["material"].body) == (GONE, f"Автор — {GONE}")
    assert w["item"].responsible == GONE
    # Matching: the request's texts and the run's snapshot of the person.
    request = w["request"]
    assert (request.message, request.answer, request.score) == ("", "", {})
    assert w["run"].snapshot["mentees"] == [
        {
            "id": w["person"].pk,
            "name": f"Обезличено (реестровый № {w['person'].pk})",
            "needs": {},
            "forms": [],
            "availability": [],
        }
    ]
    # API keys of the person's account, a staff file waiting for confirmation.
    assert w["token"].revoked_at is not None
    assert w["batch"].rows == [{"name_key": w["mentor"].name_key, "last_name": "Орлов"}]
    # People: the register row, the account, the consent scan; the consent record is kept.
    person = w["person"]
    assert (person.phone, person.hired_on, person.email) == ("", None, "")
    assert (w["consent"].scan.name, w["consent"].given_on) == ("", world["consent"].given_on)
    assert AccessLog.objects.count() == 0
    # The act lists what was destroyed and what was kept, and why.
    assert act.destroyed_lines == [
        "фамилия, имя, отчество (заменены обозначением «Обезличено (реестровый № "
        f"{person.pk})»), дата рождения, дата приёма, номер и дата трудового договора, адрес "
        "электронной почты, номер телефона, образование, преподаваемые предметы, "
        "педагогический стаж и стаж в организации, дата присвоения категории "
        "«педагог-наставник»",
        "сканы согласий (1)",
        "журнал входов в систему: адрес электронной почты, сетевой адрес компьютера, сведения "
        "о браузере (1)",
        "учётная запись в системе (отключена, адрес и имя удалены, роли сняты)",
        "строки с данными сотрудника в непринятых файлах загрузки кадров (1)",
        "ответы на анкеты и опросы, включая свободные ответы (2)",
        "личные ссылки на анкеты отозваны (1)",
        "сведения в профилях банков наставников и наставляемых: затруднения и сильные стороны, "
        "формы и удобное время, мотивация и ожидания, заметки куратора, история изменений (1)",
        "результаты мер психолого-педагогической поддержки (1)",
        "подтверждения выполнения личных задач ПНП — файлы и ссылки (1)",
        "ФИО в текстах пар и групп, ПНП, задач, дневника встреч и мер поддержки (4)",
        "тексты запросов наставнику и ответов на них, оценки совпадения (1)",
        "сведения о сотруднике во входных данных подборов наставников (1)",
        "ФИО в плане мероприятий дорожной карты (1)",
        "ФИО в описаниях мероприятий (1)",
        "ФИО в материалах методической копилки (1)",
        "фотографии в новостях, на которых отмечен сотрудник (1)",
        "ФИО в новостях (1)",
        "ключи доступа к программному интерфейсу, выпущенные сотрудником, отозваны (1)",
    ]
    assert act.kept_lines == [
        "должность, квалификационная категория, пол — в обезличенном виде, для статистики "
        "наставничества",
        "записи о согласиях и их отзыве (без сканов) — доказательство получения согласия "
        "(ч. 3 ст. 9 Федерального закона № 152-ФЗ)",
        "записи журнала действий без значений и ФИО — учёт действий с персональными данными "
        "(ст. 18.1, 19 Федерального закона № 152-ФЗ)",
        "приказы, дополнительные соглашения и их сканы — архивные документы (Федеральный закон "
        "от 22.10.2004 № 125-ФЗ «Об архивном деле в Российской Федерации», ч. 7 ст. 5 и п. 2 "
        "ч. 1 ст. 6 Федерального закона № 152-ФЗ)",
        "факт приглашения на анкету и отправки её (без ответов) — для подсчёта охвата опросов",
        "отметка о нахождении в банке (вид банка, учебный год, статус «Выбыл») — в "
        "обезличенном виде, для статистики",
        "пары и группы, ПНП, задачи и дневник встреч с обезличенными текстами — сведения о "
        "реализации программ наставничества, закреплённых приказами",
        "отметки об участии в мероприятиях — при обезличенной записи сотрудника, для "
        "статистики мероприятий",
    ]


def test_the_personal_link_no_longer_opens(world):
    token = world["invitation"].token
    destroy_withdrawn_data()
    response = Client().get(reverse("surveys:answer", args=[token]))
    assert response.status_code == 410
    assert response.context["reason"] == "Ссылка отозвана и больше не действует."
    assert "Боюсь открытых уроков" not in response.content.decode()


def test_the_act_page_lists_the_categories(curator_client, school, world):
    act = destroy_withdrawn_data()[0]
    page = curator_client.get(reverse("people:act-detail", args=[school.pk, act.pk]))
    items = page.context["act"].destroyed_lines
    assert "<p>— ответы на анкеты и опросы, включая свободные ответы (2);</p>" in (
        page.content.decode()
    )
    assert len(items) == 19


def test_it_removes_the_files_once_committed(world, django_capture_on_commit_callbacks):
    names = [
        world["consent"].scan.name,
        world["task"].evidence_file.name,
        world["image"].image.name,
    ]
    with django_capture_on_commit_callbacks(execute=True):
        destroy_withdrawn_data()
    assert [default_storage.exists(name) for name in names] == [False, False, False]


def test_a_failure_anywhere_changes_nothing(world, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("disk full")

    person_data_destroyed.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            destroy_withdrawn_data()
    finally:
        person_data_destroyed.disconnect(dispatch_uid="test-broken")
    world["person"].refresh_from_db()
    assert (world["person"].last_name, world["person"].anonymised_at) == ("Семёнова", None)
    assert Answer.objects.filter(invitation=world["invitation"]).count() == 2
    assert default_storage.exists(world["consent"].scan.name) is True
