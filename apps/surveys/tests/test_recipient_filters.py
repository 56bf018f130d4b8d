"""Recipient filters combine with «и» or «или»; the letter's subject does not say «Анкета» twice;
the question form names its fields in Russian."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.surveys.forms import QuestionForm
from apps.surveys.tasks import _subject
from tests.factories import PersonFactory
from tests.html import select

pytestmark = pytest.mark.django_db


ANY = ["both", "new", "young"]


@pytest.mark.parametrize(("combine", "expected"), [("all", ["both"]), ("any", ANY)])
def test_it_combines_filters_with_and_or_or(curator_client, school, combine, expected):
    today = timezone.localdate()
    people = {
        "young": PersonFactory(organisation=school, is_young_specialist=True),
        "new": PersonFactory(organisation=school, hired_on=today - datetime.timedelta(days=30)),
        "both": PersonFactory(organisation=school, is_young_specialist=True, hired_on=today),
        "neither": PersonFactory(organisation=school),
    }
    response = curator_client.post(
        reverse("surveys:campaign-create", args=[school.pk]),
        {"title": "", "deadline": "", "young": "on", "newcomers": "on", "combine": combine,
         "select": "1"},
    )  # fmt: skip
    ticked = set(response.context["form"]["people"].value())
    assert sorted(k for k, p in people.items() if p.pk in ticked) == expected
    labels = [label.text for label in select(response, "fieldset label.form-check-label")]
    assert "любое из условий (или)" in labels


def test_the_subject_does_not_repeat_the_kind():
    assert _subject("Анкета", "Анкета потенциального наставника") == (
        "Анкета потенциального наставника"
    )
    assert _subject("Анкета", "Удовлетворённость программой") == (
        "Анкета: Удовлетворённость программой"
    )


def test_the_question_form_names_the_section_in_russian():
    assert QuestionForm.base_fields["section"].label == "Раздел"
