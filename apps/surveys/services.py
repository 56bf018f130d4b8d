"""Use cases of the survey engine: templates, campaigns, answering, results."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from apps.orgs.models import Organisation
from apps.people.models import Person
from apps.surveys import shipped
from apps.surveys.answering import AnswerError, QuestionSpec, is_empty, parse_answer
from apps.surveys.models import (
    Answer,
    Campaign,
    Competency,
    Invitation,
    Question,
    QuestionKind,
    Section,
    SurveyTemplate,
)
from apps.surveys.signals import campaign_created, invitation_submitted


class SurveyClosed(Exception):
    """The campaign's deadline has passed; the message is for the respondent."""


@transaction.atomic
def install_shipped(*, org: Organisation) -> list[SurveyTemplate]:
    """Give a school the shipped competency catalogue and the two questionnaires.

    Idempotent: existing competencies and templates with the same titles are kept as they are.
    """
    for order, (name, description) in enumerate(shipped.COMPETENCIES, start=1):
        Competency.objects.get_or_create(
            organisation=org, name=name, defaults={"description": description, "order": order}
        )
    templates = [_shipped(org, spec) for spec in (shipped.MENTEE_SURVEY, shipped.MENTOR_SURVEY)]
    install_feedback(org=org)
    return templates


def _shipped(org: Organisation, spec: dict) -> SurveyTemplate:
    template = (
        SurveyTemplate.objects.of(org).filter(title=spec["title"]).order_by("-version").first()
    )
    return template or _build_template(org, spec)


def install_feedback(*, org: Organisation) -> dict[str, SurveyTemplate]:
    """The monitoring questionnaires (satisfaction and self-assessment), purpose → template."""
    return {spec["purpose"]: _shipped(org, spec) for spec in shipped.FEEDBACK_TEMPLATES}


def _build_template(org: Organisation, spec: dict) -> SurveyTemplate:
    template = SurveyTemplate.objects.create(
        organisation=org,
        title=spec["title"],
        purpose=spec["purpose"],
        description=spec["description"],
    )
    order = 0
    for section_order, (title, questions) in enumerate(spec["sections"], start=1):
        section = Section.objects.create(template=template, title=title, order=section_order)
        for kind, text, help_text, required, choices, scale, profile in questions:
            order += 1
            Question.objects.create(
                template=template,
                section=section,
                kind=kind,
                text=text,
                help_text=help_text,
                required=required,
                choices=list(choices),
                scale_min=scale[0] if scale else 1,
                scale_max=scale[1] if scale else 5,
                profile_field=profile,
                order=order,
            )
    return template


@transaction.atomic
def copy_template(*, template: SurveyTemplate) -> SurveyTemplate:
    """A new editable version of a template that already has answers (they stay with the old)."""
    last = (
        SurveyTemplate.objects.of(template.organisation)
        .filter(title=template.title)
        .aggregate(Max("version"))["version__max"]
        or 1
    )
    copy = SurveyTemplate.objects.create(
        organisation=template.organisation,
        title=template.title,
        purpose=template.purpose,
        description=template.description,
        version=last + 1,
        previous=template,
    )
    for section in template.sections.prefetch_related("questions"):
        new_section = Section.objects.create(
            template=copy, title=section.title, order=section.order
        )
        Question.objects.bulk_create(
            [
                Question(
                    template=copy,
                    section=new_section,
                    kind=q.kind,
                    text=q.text,
                    help_text=q.help_text,
                    required=q.required,
                    order=q.order,
                    choices=q.choices,
                    scale_min=q.scale_min,
                    scale_max=q.scale_max,
                    profile_field=q.profile_field,
                )
                for q in section.questions.all()
            ]
        )
    return copy


@transaction.atomic
def move_question(*, question: Question, step: int) -> None:
    """Swap a question with its neighbour in its section (step −1 up, +1 down)."""
    ordered = list(question.section.questions.order_by("order", "pk"))
    index = [q.pk for q in ordered].index(question.pk)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    first, second = ordered[index], ordered[other]
    first.order, second.order = second.order, first.order
    if first.order == second.order:  # equal orders: make the swap visible
        second.order += step
    Question.objects.bulk_update([first, second], ["order"])


def next_question_order(template: SurveyTemplate) -> int:
    return (template.questions.aggregate(Max("order"))["order__max"] or 0) + 1


# Campaigns ---------------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    org: Organisation,
    template: SurveyTemplate,
    title: str,
    deadline: datetime.date,
    people: Iterable[Person],
    created_by,
) -> Campaign:
    """Create a campaign with one personal invitation per person and queue the e-mails.

    Side effects: Campaign and Invitation rows; after commit, a background task e-mails the
    personal links to everyone with an e-mail address; the `campaign_created` signal.
    """
    campaign = Campaign.objects.create(
        organisation=org, template=template, title=title, deadline=deadline, created_by=created_by
    )
    Invitation.objects.bulk_create(
        [Invitation(campaign=campaign, person=person) for person in people],
        ignore_conflicts=True,
    )
    from apps.surveys.tasks import send_invitations

    transaction.on_commit(lambda: send_invitations.enqueue(campaign.pk))
    campaign_created.send(sender=Campaign, campaign=campaign)
    return campaign


# Personal links ----------------------------------------------------------------------------

LINK_REVOKED = "Ссылка отозвана и больше не действует."
LINK_REPLACED = "Куратор выпустил новую ссылку на эту анкету; прежняя больше не действует."


class LinkRefused(Exception):
    """A personal link does not open (or cannot be reissued); the message is for the user."""

    def __init__(self, message: str, status: int = 410):
        super().__init__(message)
        self.status = status


def invitation_by_token(
    token: str, *, queryset: QuerySet[Invitation], today: datetime.date | None = None
) -> Invitation:
    """The invitation a personal link opens. Raises LinkRefused: 404 for a forged or unknown
    link, 410 for a revoked, replaced or expired one — never the answers behind it."""
    parsed = Invitation.parse_token(token)
    invitation = queryset.filter(pk=parsed[0]).first() if parsed else None
    if invitation is None:
        raise LinkRefused("", status=404)
    if invitation.link_revoked_at:
        raise LinkRefused(LINK_REVOKED)
    if parsed[1] != invitation.link_version:
        raise LinkRefused(LINK_REPLACED)
    if (today or timezone.localdate()) > invitation.link_expires_on:
        raise LinkRefused(f"Срок действия ссылки истёк {invitation.link_expires_on:%d.%m.%Y}.")
    return invitation


@transaction.atomic
def reissue_link(*, invitation: Invitation) -> Invitation:
    """Give the invitation a new personal link; every earlier link of it stops opening.

    Side effects: link_version is incremented. No e-mail is sent: the curator hands the new
    link over (the old one may have reached the wrong person's mailbox)."""
    locked = Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
    if locked.link_revoked_at or locked.person.anonymised_at:
        raise LinkRefused(
            "Ссылка отозвана: данные сотрудника уничтожены после отзыва согласия, новую "
            "ссылку выпустить нельзя.",
            status=400,
        )
    Invitation.objects.filter(pk=locked.pk).update(link_version=F("link_version") + 1)
    locked.refresh_from_db(fields=["link_version"])
    return locked


@transaction.atomic
def revoke_links_of(*, person: Person) -> int:
    """Withdraw every personal link of the person for good (their data are being destroyed).

    Side effects: link_revoked_at is set on the person's invitations."""
    return Invitation.objects.filter(person=person, link_revoked_at__isnull=True).update(
        link_revoked_at=timezone.now()
    )


# Answering ---------------------------------------------------------------------------------


def question_spec(question: Question, competency_ids: Sequence[int]) -> QuestionSpec:
    return QuestionSpec(
        kind=question.kind,
        choices=tuple(question.choices),
        scale_min=question.scale_min,
        scale_max=question.scale_max,
        competency_ids=tuple(competency_ids),
    )


@dataclass
class SaveResult:
    saved: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # question id → message


def save_answers(
    *,
    invitation: Invitation,
    questions: Sequence[Question],
    competency_ids: Sequence[int],
    data: Mapping[str, Sequence[str]],
) -> SaveResult:
    """Save the answers to `questions` found in `data` (form field names `q<id>`,
    `q<id>_c<competency id>` for grids). Each valid answer is saved on its own, so one bad
    answer never loses the others. Raises SurveyClosed after the deadline."""
    if not invitation.campaign.is_open:
        raise SurveyClosed(
            f"Срок ответа на анкету истёк {invitation.campaign.deadline:%d.%m.%Y}: ответы больше "
            "не принимаются. Если нужно что-то поправить, обратитесь к куратору."
        )
    result = SaveResult()
    for question in questions:
        name = f"q{question.pk}"
        grid = {
            cid: (data.get(f"{name}_c{cid}") or [""])[0]
            for cid in competency_ids
            if f"{name}_c{cid}" in data
        }
        if name not in data and not grid:
            continue
        try:
            value = parse_answer(question_spec(question, competency_ids), data.get(name, []), grid)
        except AnswerError as error:
            result.errors[question.pk] = str(error)
            continue
        _store(invitation, question, value)
        result.saved += 1
    return result


def _store(invitation: Invitation, question: Question, value) -> None:
    """Upsert one answer; two tabs creating it at the same moment end in one row, last wins."""
    try:
        with transaction.atomic():
            Answer.objects.update_or_create(
                invitation=invitation, question=question, defaults={"value": value}
            )
    except IntegrityError:
        Answer.objects.filter(invitation=invitation, question=question).update(value=value)


def missing_required(invitation: Invitation, questions: Sequence[Question]) -> list[Question]:
    answered = {a.question_id: a.value for a in invitation.answers.all()}
    return [q for q in questions if q.required and is_empty(answered.get(q.pk))]


@transaction.atomic
def submit(*, invitation: Invitation, questions: Sequence[Question]) -> list[Question]:
    """Mark the questionnaire as sent if every required question is answered.

    Side effects: `invitation_submitted` is sent (the banks update the person's profile).
    Returns the required questions still empty (nothing is marked then)."""
    missing = missing_required(invitation, questions)
    if not missing:
        invitation.submitted_at = timezone.now()
        invitation.save(update_fields=["submitted_at"])
        invitation_submitted.send(sender=Invitation, invitation=invitation)
    return missing


# Results -----------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: list[tuple[str, int, int]] = field(default_factory=list)  # label, count, percent
    texts: list[str] = field(default_factory=list)
    grid: list[tuple[str, float, int]] = field(default_factory=list)  # competency, mean, n
    mean: float | None = None


def campaign_results(campaign: Campaign) -> list[QuestionResult]:
    """Aggregates per question for the whole campaign in three queries, whatever its size."""
    questions = list(campaign.template.questions.order_by("order", "pk"))
    competencies = list(campaign.organisation.competencies.filter(is_active=True))
    values: dict[int, list] = defaultdict(list)
    answers = Answer.objects.filter(invitation__campaign=campaign).values_list(
        "question_id", "value"
    )
    for question_id, value in answers.iterator(chunk_size=5000):
        if not is_empty(value):
            values[question_id].append(value)
    results = []
    for question in questions:
        got = values.get(question.pk, [])
        result = QuestionResult(question=question, answered=len(got))
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counter = Counter(
                v for value in got for v in (value if isinstance(value, list) else [value])
            )
            result.counts = [
                (choice, counter[choice], _percent(counter[choice], len(got)))
                for choice in question.choices
            ]
        elif question.kind == QuestionKind.SCALE:
            counter = Counter(got)
            result.counts = [
                (str(v), counter[v], _percent(counter[v], len(got))) for v in question.scale_values
            ]
            result.mean = round(sum(got) / len(got), 1) if got else None
        elif question.kind == QuestionKind.GRID:
            for competency in competencies:
                levels = [v[str(competency.pk)] for v in got if str(competency.pk) in v]
                mean = round(sum(levels) / len(levels), 1) if levels else 0.0
                result.grid.append((competency.name, mean, len(levels)))
            result.grid.sort(key=lambda row: -row[1])
        else:
            result.texts = [str(v) for v in got[:200]]
        results.append(result)
    return results


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0
