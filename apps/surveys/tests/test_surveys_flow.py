"""Templates, campaigns, answering by link and from «Мои анкеты», results."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.people.models import Person
from apps.surveys.models import Answer, Campaign, Invitation, Question
from apps.surveys.services import install_shipped
from tests.factories import PersonFactory
from tests.html import errors, parse, select, text_of, texts


@pytest.fixture
def templates(school):
    return install_shipped(org=school)


@pytest.fixture
def campaign(curator_client, school, templates, django_capture_on_commit_callbacks):
    people = [
        PersonFactory(organisation=school, email=f"t{i}@example.org", last_name=f"Учитель{'а' * i}")
        for i in range(1, 4)
    ]
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(
            reverse("surveys:campaign-create", args=[school.pk]),
            {
                "template": templates[0].pk,
                "title": "Запросы молодых педагогов",
                "deadline": deadline,
                "people": [p.pk for p in people],
                "create": "1",
            },
        )
    assert response.status_code == 302
    return Campaign.objects.get()


def question(campaign, kind):
    return campaign.template.questions.filter(kind=kind).first()


def test_install_is_idempotent_and_ships_the_catalogue(school):
    first = install_shipped(org=school)
    again = install_shipped(org=school)
    assert [t.pk for t in first] == [t.pk for t in again]
    assert school.competencies.count() == 11
    assert first[1].questions.filter(profile_field="capacity").count() == 1


def test_creating_a_campaign_emails_personal_links(campaign):
    assert campaign.invitations.count() == 3
    assert len(mail.outbox) == 3
    invitation = campaign.invitations.get(person__email=mail.outbox[0].to[0])
    assert reverse("surveys:answer", args=[invitation.token]) in mail.outbox[0].body
    assert invitation.sent_at is not None


def test_the_filter_button_ticks_matching_people(curator_client, school, templates):
    young = PersonFactory(organisation=school, is_young_specialist=True)
    PersonFactory(organisation=school)
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d.%m.%Y")
    response = curator_client.post(
        reverse("surveys:campaign-create", args=[school.pk]),
        {"template": templates[0].pk, "title": "", "deadline": deadline, "young": "on",
         "select": "1"},
    )  # fmt: skip
    assert response.context["form"]["people"].value() == [young.pk]
    assert "Обязательное поле" not in response.content.decode()
    assert Campaign.objects.count() == 0


def test_it_saves_answers_as_the_respondent_goes(client, campaign):
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    assert client.get(url).status_code == 200
    scale = question(campaign, "scale")
    response = client.post(url, {f"q{scale.pk}": "7"}, HTTP_HX_REQUEST="true")
    assert parse(response).text.startswith("Сохранено ")
    assert Answer.objects.get(invitation=invitation, question=scale).value == 7
    assert invitation.submitted_at is None


def test_it_refuses_to_send_with_required_questions_empty(client, campaign):
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    response = client.post(url, {"send": "1"})
    assert [e for e in errors(response) if "Это обязательный вопрос." in e], errors(response)
    invitation.refresh_from_db()
    assert invitation.submitted_at is None


def test_it_submits_a_complete_questionnaire(client, campaign, school):
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    data = {"send": "1"}
    for q in campaign.template.questions.filter(required=True):
        if q.kind == "single":
            data[f"q{q.pk}"] = q.choices[0]
        elif q.kind == "scale":
            data[f"q{q.pk}"] = "9"
        elif q.kind == "grid":
            for c in school.competencies.all():
                data[f"q{q.pk}_c{c.pk}"] = "4"
    response = client.post(url, data)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None


def test_a_bad_value_keeps_the_other_answers(client, campaign):
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    scale = question(campaign, "scale")
    text = question(campaign, "text")
    response = client.post(url, {f"q{scale.pk}": "11", f"q{text.pk}": "Не хватает времени"})
    shown = errors(response)
    assert [e for e in shown if "Значение должно быть от 1 до 10." in e], shown
    assert Answer.objects.get(question=text).value == "Не хватает времени"
    assert not Answer.objects.filter(question=scale).exists()


def test_a_forged_link_is_refused(client, campaign):
    invitation = campaign.invitations.first()
    forged = invitation.token[:-2] + "xx"
    response = client.get(reverse("surveys:answer", args=[forged]))
    assert response.status_code == 404
    assert text_of(response, "h1") == "Ссылка недействительна"


def test_answers_are_refused_after_the_deadline(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    scale = question(campaign, "scale")
    response = client.post(url, {f"q{scale.pk}": "5"}, follow=True)
    assert [e for e in errors(response) if "Срок ответа на анкету истёк" in e], errors(response)
    assert not Answer.objects.exists()


def test_my_surveys_shows_only_ones_own(campaign, mentee, client):
    invitation = campaign.invitations.first()
    invitation.person.user = mentee
    invitation.person.save()
    other = campaign.invitations.exclude(pk=invitation.pk).first()
    client.force_login(mentee)
    assert texts(client.get(reverse("surveys:my-surveys")), ".list-group-item strong") == [
        campaign.title
    ]
    own = client.get(reverse("surveys:my-survey-answer", args=[invitation.pk]))
    assert own.status_code == 200
    stranger = client.get(reverse("surveys:my-survey-answer", args=[other.pk]))
    assert stranger.status_code == 404


def test_questions_with_answers_cannot_be_deleted_or_retyped(curator_client, school, campaign):
    invitation = campaign.invitations.first()
    scale = question(campaign, "scale")
    Answer.objects.create(invitation=invitation, question=scale, value=5)
    curator_client.post(reverse("surveys:question-delete", args=[school.pk, scale.pk]))
    assert Question.objects.filter(pk=scale.pk).exists()
    curator_client.post(
        reverse("surveys:question-edit", args=[school.pk, scale.pk]),
        {"section": scale.section_id, "kind": "text", "text": "Новая формулировка",
         "scale_min": 1, "scale_max": 3, "required": "on"},
    )  # fmt: skip
    scale.refresh_from_db()
    assert (scale.kind, scale.scale_max, scale.text) == ("scale", 10, "Новая формулировка")


def test_a_new_version_copies_questions(curator_client, school, templates):
    curator_client.post(reverse("surveys:template-copy", args=[school.pk, templates[0].pk]))
    copy = school.survey_templates.get(version=2)
    assert copy.questions.count() == templates[0].questions.count()


def test_results_count_answers(curator_client, school, campaign):
    scale = question(campaign, "scale")
    for invitation, value in zip(campaign.invitations.all(), (3, 3, 9), strict=True):
        Answer.objects.create(invitation=invitation, question=scale, value=value)
    page = curator_client.get(reverse("surveys:campaign-results", args=[school.pk, campaign.pk]))
    results = {
        card.select("h2")[0].text: card.select("p")[0].text for card in select(page, "section.card")
    }
    assert results[scale.text] == "Ответили: 3 · среднее 5,0"


def test_results_for_2000_respondents_take_a_fixed_number_of_queries(
    curator_client, school, campaign, django_assert_max_num_queries
):
    people = Person.objects.bulk_create(
        [Person(organisation=school, last_name=f"Р{i}", first_name="И", position="Учитель",
                name_key=f"р{i} и") for i in range(2000)]
    )  # fmt: skip
    invitations = Invitation.objects.bulk_create(
        [Invitation(campaign=campaign, person=p) for p in people]
    )
    questions = {q.kind: q for q in campaign.template.questions.all()}
    competencies = [str(c.pk) for c in school.competencies.all()]
    answers = []
    for index, invitation in enumerate(invitations):
        answers += [
            Answer(invitation=invitation, question=questions["scale"], value=index % 10 + 1),
            Answer(invitation=invitation, question=questions["single"],
                   value=questions["single"].choices[index % 3]),
            Answer(invitation=invitation, question=questions["grid"],
                   value=dict.fromkeys(competencies, index % 5 + 1)),
        ]  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=2000)
    with django_assert_max_num_queries(12):
        response = curator_client.get(
            reverse("surveys:campaign-results", args=[school.pk, campaign.pk])
        )
    results = {
        card.select("h2")[0].text: card.select("p")[0].text
        for card in select(response, "section.card")
    }
    for kind in ("scale", "single", "grid"):
        assert results[questions[kind].text].startswith("Ответили: 2000")


def test_two_tabs_saving_the_same_question_keep_one_answer(client, campaign):
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    scale = question(campaign, "scale")
    client.post(url, {f"q{scale.pk}": "4"}, HTTP_HX_REQUEST="true")
    client.post(url, {f"q{scale.pk}": "6"}, HTTP_HX_REQUEST="true")
    assert list(Answer.objects.filter(question=scale).values_list("value", flat=True)) == [6]


def test_reminders_go_only_to_those_who_have_not_sent(
    curator_client, school, campaign, django_capture_on_commit_callbacks
):
    done = campaign.invitations.first()
    done.submitted_at = timezone.now()
    done.save()
    mail.outbox.clear()
    curator_client.post(reverse("surveys:campaign-remind", args=[school.pk, campaign.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        campaign.invitations.exclude(pk=done.pk).values_list("person__email", flat=True)
    )
    assert mail.outbox[0].subject == f"Напоминание: {campaign.title}"


def test_it_refuses_a_control_character_in_a_text_answer(client, campaign):
    invitation = campaign.invitations.first()
    url = reverse("surveys:answer", args=[invitation.token])
    text = question(campaign, "text")
    response = client.post(url, {f"q{text.pk}": '=HYPERLINK("x")\x0bдалее'})
    assert response.status_code == 200
    assert (
        "Ответ содержит невидимый управляющий символ U+000B (знак № 16): удалите его "
        "(он попадает при копировании из других программ)."
    ) in response.content.decode()
    assert not Answer.objects.filter(question=text).exists()
