"""Monitoring questionnaires: launched per unit and phase, averaged, growth from pre/post."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.documents.tests.test_documents import pair_world, staff
from apps.monitoring.feedback import FeedbackError, growth, launch, satisfaction
from apps.surveys.models import Answer, Campaign, Competency, Invitation, Question

WIDE = (datetime.date(2000, 1, 1), datetime.date(2100, 1, 1))


def answer(campaign, person, value, kind):
    invitation = Invitation.objects.get(campaign=campaign, person=person)
    for question in Question.objects.filter(template=campaign.template, kind=kind):
        Answer.objects.create(invitation=invitation, question=question, value=value)
    invitation.submitted_at = timezone.now()
    invitation.save(update_fields=["submitted_at"])


def test_launch_once_per_phase(school):
    unit = pair_world(school)["unit"]
    campaigns = launch(unit, "start")
    assert sorted(c.template.purpose for c in campaigns) == [
        "feedback_mentee", "feedback_mentor", "self_assessment",
    ]  # fmt: skip
    with pytest.raises(FeedbackError, match="уже разосланы"):
        launch(unit, "start")


def test_satisfaction_and_growth(school):
    world = pair_world(school)
    unit, mentee = world["unit"], world["mentee"]
    second = staff(school, "Вторая", "Анна", "Ивановна", "female", "Учитель", 1,
                   "duties_mentee")  # fmt: skip
    from apps.programs.models import UnitMember

    UnitMember.objects.create(unit=unit, mentee=second, mentor=unit.mentor, format=unit.format,
                              joined_on=unit.start_date)  # fmt: skip
    start = {c.template.purpose: c for c in launch(unit, "start")}
    end = {c.template.purpose: c for c in launch(unit, "end")}
    answer(start["feedback_mentee"], mentee, 6, "scale")
    answer(end["feedback_mentee"], mentee, 9, "scale")
    fgos = Competency.objects.get_or_create(organisation=school, name="ФГОС")[0]
    answer(start["self_assessment"], mentee, {str(fgos.pk): 2}, "grid")
    answer(end["self_assessment"], mentee, {str(fgos.pk): 4}, "grid")
    answer(start["self_assessment"], second, {str(fgos.pk): 1}, "grid")  # pre without post
    averages = satisfaction([school.pk], *WIDE)
    assert averages[("feedback_mentee", "start")] == (6.0, 1)
    assert averages[("feedback_mentee", "end")] == (9.0, 1)
    assert ("feedback_mentor", "start") not in averages  # nobody answered: no data
    assert growth([school.pk], *WIDE) == [
        {"competency": "ФГОС", "before": 2.0, "after": 4.0, "delta": 2.0, "n": 1}
    ]


def test_the_daily_job_launches_start_and_end(school):
    unit = pair_world(school)["unit"]
    type(unit).objects.filter(pk=unit.pk).update(
        start_date=timezone.localdate() - datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    call_command("launch_feedback")
    assert set(Campaign.objects.filter(unit=unit).values_list("phase", flat=True)) == {
        "start", "end",
    }  # fmt: skip
    call_command("launch_feedback")  # idempotent
    assert Campaign.objects.filter(unit=unit).count() == 6


def test_the_unit_page_launches_and_shows_growth(curator_client, school):
    unit = pair_world(school)["unit"]
    url = reverse("monitoring:unit-feedback", args=[school.pk, unit.pk])
    curator_client.post(url, {"phase": "start"})
    page = curator_client.get(reverse("programs:unit-detail", args=[school.pk, unit.pk]))
    assert "Удовлетворённость наставляемого (начало программы): ответили 0 из 1" in (
        page.content.decode()
    )


def test_the_before_self_assessment_starts_from_the_needs(school):
    from apps.banks.services import add_profile

    world = pair_world(school)
    fgos = Competency.objects.get_or_create(organisation=school, name="ФГОС")[0]
    add_profile(org=school, person=world["mentee"], kind="mentee",
                values={"competencies": {str(fgos.pk): 5}}, by=None)  # fmt: skip
    campaigns = {c.template.purpose: c for c in launch(world["unit"], "start")}
    answer = Answer.objects.get(invitation__campaign=campaigns["self_assessment"])
    assert answer.value == {str(fgos.pk): 1}  # «очень нужна поддержка» → level 1
    assert answer.invitation.submitted_at is None  # the mentee still confirms it
