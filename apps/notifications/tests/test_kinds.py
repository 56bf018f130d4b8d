"""Every event kind reaches its recipient in the list and by e-mail, from where it happens."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.documents.services import attach_scan, set_status
from apps.events.services import invite
from apps.matching.choice import answer
from apps.matching.models import MatchingRun, MentorRequest, NetworkProposal
from apps.monitoring.feedback import launch
from apps.notifications.kinds import KINDS
from apps.notifications.models import ChannelSwitch, Notification, SchoolSettings
from apps.notifications.reminders import send_due_reminders
from apps.orgs.choices import Role
from apps.programs.models import Meeting, Programme, Task
from apps.programs.services import replace_mentor
from apps.publicity.models import Post, PostStatus
from apps.surveys.services import create_campaign, install_shipped
from tests.clock import on_school_day
from tests.factories import ConsentFactory

from .helpers import account, document, pair

pytestmark = [on_school_day, pytest.mark.django_db]
COVERED: set[str] = set()


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run `action` and the after-commit work it queues (deliveries, hooks reading members)."""

    def go(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return go


def assert_told(user, kind: str) -> Notification:
    """One in-app notification of `kind` for `user`, and one letter with its title."""
    COVERED.add(kind)
    notes = list(Notification.objects.filter(recipient=user, kind=kind))
    assert len(notes) == 1, f"{kind}: {len(notes)} notifications"
    assert notes[0].in_app is True
    ours = [m for m in mail.outbox if "List-Unsubscribe" in m.extra_headers]  # not the apps' own
    letters = [m for m in ours if m.to == [user.email] and m.subject == notes[0].title]
    assert len(letters) == 1, f"{kind}: {len(letters)} letters"
    assert notes[0].url in letters[0].body
    return notes[0]


def email_on(user, kind: str) -> None:
    ChannelSwitch.objects.create(user=user, kind=kind, channel="email", enabled=True)


def test_it_tells_about_a_survey_invitation_and_reminds_before_the_deadline(school, run):
    person = account(school, Role.MENTEE, "m@s1.example.org")
    email_on(person.user, "survey_invitation")
    template = install_shipped(org=school)[0]
    deadline = timezone.localdate() + datetime.timedelta(days=2)
    run(create_campaign, org=school, template=template, title="Запросы", deadline=deadline,
        people=[person], created_by=None)  # fmt: skip
    note = assert_told(person.user, "survey_invitation")
    assert note.title == "Новая анкета: «Запросы»"

    run(send_due_reminders)
    note = assert_told(person.user, "survey_reminder")
    assert note.text == "Анкета «Запросы» ждёт ваших ответов до 03.12.2026 — осталось 2 дня."


def test_it_asks_the_head_to_sign_and_tells_the_curator_when_signed(school, head, curator, run):
    doc = document(school)
    run(set_status, doc, "signing", by=curator)
    assert_told(head, "document_signing")
    run(attach_scan, doc, SimpleUploadedFile("scan.pdf", b"%PDF-1.4"), by=curator)
    note = assert_told(curator, "document_signed")
    assert note.url == f"/o/{school.pk}/documents/{doc.pk}/"


def test_it_tells_the_pair_it_was_formed_and_about_a_new_mentor(school, curator, run):
    unit, mentor, mentee = run(pair, school)
    assert_told(mentor.user, "unit_formed")
    note = assert_told(mentee.user, "unit_formed")
    assert note.title == "Сформирована наставническая пара"

    other = account(school, Role.MENTOR, "new-mentor@s1.example.org")
    run(replace_mentor, unit=unit, new_mentor=other, reason="Переход в другую школу", by=curator)
    for person in (mentor, mentee, other):
        assert_told(person.user, "mentor_replaced")


def test_it_asks_if_the_pair_fits_after_the_first_meeting_only(school, run):
    unit, mentor, mentee = run(pair, school)
    for day in (2, 9):
        run(Meeting.objects.create, unit=unit, date=datetime.date(2026, 11, day), topic="Встреча")
    assert_told(mentee.user, "fit_check")
    assert_told(mentor.user, "fit_check")


def test_it_reminds_of_tomorrows_meeting_and_of_tasks_due_and_overdue(school, run):
    unit, mentor, mentee = run(pair, school)
    programme = Programme.objects.create(unit=unit)
    today = timezone.localdate()

    def task(title, days):
        return Task.objects.create(programme=programme, direction="Методика", title=title,
                                   deadline=today + datetime.timedelta(days=days),
                                   responsible=mentee)  # fmt: skip

    task("Встреча: разбор урока", 1)
    task("Открытый урок", 3)
    task("План самообразования", -2)
    run(send_due_reminders)
    assert_told(mentor.user, "meeting_tomorrow")
    assert assert_told(mentee.user, "task_due").text == (
        "Задача ПНП «Открытый урок» должна быть выполнена до 04.12.2026."
    )
    assert_told(mentee.user, "task_overdue")


def test_it_tells_the_mentor_and_curator_about_a_pair_without_meetings(school, curator, run):
    unit, mentor, _ = run(pair, school)
    unit.status = "active"
    unit.save()
    SchoolSettings.objects.create(organisation=school, quiet_unit_days=14)
    Meeting.objects.create(unit=unit, date=datetime.date(2026, 11, 10), topic="Встреча")
    run(send_due_reminders)
    assert_told(mentor.user, "unit_quiet")
    note = assert_told(curator, "unit_quiet")
    assert note.title == "Нет встреч 21 день"


def test_it_tells_the_mentor_of_a_request_and_the_mentee_of_the_answer(school, run, settings):
    mentor = account(school, Role.MENTOR, "chosen@s1.example.org")
    mentee = account(school, Role.MENTEE, "chooser@s1.example.org", experience=1)
    request = run(MentorRequest.objects.create, organisation=school, mentee=mentee, mentor=mentor)
    assert_told(mentor.user, "request_received")
    run(answer, request=request, accept=False, text="Нет мест")
    note = assert_told(mentee.user, "request_answered")
    assert note.text.startswith("Наставник ")


def test_it_asks_both_schools_to_agree_to_a_network_pair(
    school, other_school, municipality, curator, outsider, run
):
    mentee = account(school, Role.MENTEE, "net-mentee@s1.example.org")
    mentor = account(other_school, Role.MENTOR, "net-mentor@s2.example.org")
    run_ = MatchingRun.objects.create(organisation=municipality, year="2026/2027")
    run(NetworkProposal.objects.create, run=run_, mentee=mentee, mentor=mentor,
        mentee_org=school, mentor_org=other_school)  # fmt: skip
    assert assert_told(curator, "network_proposal").url == f"/o/{school.pk}/matching/"
    assert assert_told(outsider, "network_proposal").url == f"/o/{other_school.pk}/matching/"


def test_it_invites_to_an_event_and_reminds_the_day_before(school, run):
    from apps.events.models import Event

    person = account(school, Role.MENTOR, "guest@s1.example.org")
    person.email = "guest@s1.example.org"
    person.save()
    email_on(person.user, "event_invitation")
    start = timezone.now() + datetime.timedelta(days=1)
    event = Event.objects.create(
        organisation=school, kind="session", title="Установочная сессия", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), place="Каб. 12", audience="mentors",
    )  # fmt: skip
    run(invite, event, [person])
    assert_told(person.user, "event_invitation")
    run(send_due_reminders)
    assert assert_told(person.user, "event_reminder").text == (
        "Мероприятие «Установочная сессия» — 02.12.2026 в 12:00, Каб. 12."
    )


def test_it_warns_the_curator_of_a_consent_expiring_within_30_days(school, curator, run):
    person = account(school, Role.MENTOR, "expiring@s1.example.org", consent=False)
    ConsentFactory(person=person, valid_until=datetime.date(2026, 12, 25))
    run(send_due_reminders)
    assert assert_told(curator, "consent_expiring").title == "Срок согласия истекает 25.12.2026"


def test_it_tells_the_pair_a_feedback_questionnaire_was_launched(school, run):
    unit, mentor, mentee = run(pair, school)
    run(launch, unit, "start")
    assert_told(mentor.user, "feedback_launched")
    notes = Notification.objects.filter(recipient=mentee.user, kind="feedback_launched")
    assert notes.count() == 2  # the feedback form and the self-assessment
    assert Notification.objects.filter(kind="survey_invitation").count() == 0


def test_it_tells_the_curator_a_news_draft_was_proposed(school, curator, run):
    post = run(Post.objects.create, organisation=school, title="Состоялась сессия",
               status=PostStatus.PROPOSED)  # fmt: skip
    assert assert_told(curator, "news_proposed").url == f"/o/{school.pk}/news/{post.pk}/edit/"


def test_it_covers_every_kind_of_the_registry():
    # Runs last in this module (pytest keeps file order): each test above adds what it checked.
    assert sorted(set(KINDS) - COVERED) == []


@pytest.mark.parametrize("code", ["task_due", "task_overdue"])
def test_a_task_reminder_offers_its_own_status_form(code):
    """The MAX bot turns this one into a «Задача выполнена» button; e-mail opens the form."""
    (action,) = KINDS[code].action_paths({"unit_id": 3, "task_id": 7, "org_id": 1})
    assert action == ("Задача выполнена", "/my/units/3/tasks/7/status/")
