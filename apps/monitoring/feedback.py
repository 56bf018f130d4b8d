"""Monitoring questionnaires of a unit: satisfaction (mentee, mentor) and self-assessment at
the start and at the end of its programme; and what they show — averages and growth."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Avg, Count, FloatField
from django.db.models.functions import Cast
from django.utils import timezone

from apps.banks.models import BankKind, Profile
from apps.programs.models import OPEN_STATUSES, MentoringUnit
from apps.surveys.models import (
    Answer,
    Campaign,
    Competency,
    Phase,
    QuestionKind,
    SurveyPurpose,
)
from apps.surveys.services import create_campaign, install_feedback

ANSWER_DAYS = 14
ENDING_SOON_DAYS = 14
PHASE_WORDS = {Phase.START: "начало", Phase.END: "итоги"}


class FeedbackError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def launch(unit: MentoringUnit, phase: str, *, by=None) -> list[Campaign]:
    """One campaign per questionnaire for the unit's people; e-mails go after commit."""
    if phase not in (Phase.START, Phase.END):
        raise FeedbackError("Неизвестный этап программы.")
    if Campaign.objects.filter(unit=unit, phase=phase).exists():
        raise FeedbackError("Анкеты этого этапа по паре уже разосланы.")
    templates = install_feedback(org=unit.organisation)
    mentees = [m.mentee for m in unit.members.filter(is_open=True).select_related("mentee")]
    if not mentees:
        raise FeedbackError("В паре нет наставляемых.")
    deadline = timezone.localdate() + datetime.timedelta(days=ANSWER_DAYS)
    audience = {
        SurveyPurpose.FEEDBACK_MENTEE: mentees,
        SurveyPurpose.FEEDBACK_MENTOR: [unit.mentor],
        SurveyPurpose.SELF_ASSESSMENT: mentees,
    }
    campaigns = []
    for purpose, people in audience.items():
        template = templates[purpose]
        campaign = create_campaign(
            org=unit.organisation,
            template=template,
            title=f"{template.title}: {unit.mentor.short_name} ({PHASE_WORDS[phase]})",
            deadline=deadline,
            people=people,
            created_by=by,
        )
        campaign.unit, campaign.phase = unit, phase
        campaign.save(update_fields=["unit", "phase"])
        if purpose == SurveyPurpose.SELF_ASSESSMENT and phase == Phase.START:
            prefill_from_needs(campaign)
        campaigns.append(campaign)
    return campaigns


def prefill_from_needs(campaign: Campaign) -> int:
    """Start the «before» self-assessment from the needs survey: a need of 5 («очень нужна
    поддержка») becomes a level of 1, a need of 1 a level of 5. The mentee can change it."""
    question = campaign.template.questions.filter(kind=QuestionKind.GRID).first()
    if question is None:
        return 0
    invitations = list(campaign.invitations.all())
    profiles = Profile.objects.filter(
        person_id__in=[i.person_id for i in invitations], kind=BankKind.MENTEE
    ).order_by("year")
    needs = dict(profiles.values_list("person_id", "competencies"))  # the latest year wins
    answers = [
        Answer(
            invitation=invitation,
            question=question,
            value={
                key: max(1, min(5, 6 - int(level)))
                for key, level in needs[invitation.person_id].items()
                if str(level).isdigit()
            },
        )
        for invitation in invitations
        if needs.get(invitation.person_id)
    ]
    Answer.objects.bulk_create(answers, ignore_conflicts=True)
    return len(answers)


def launch_due(today: datetime.date | None = None) -> int:
    """Daily job: start surveys for running units, end surveys for units ending soon."""
    today = today or timezone.localdate()
    started = 0
    running = MentoringUnit.objects.filter(status__in=OPEN_STATUSES, start_date__lte=today)
    for unit in running.exclude(feedback_campaigns__phase=Phase.START):
        launch(unit, Phase.START)
        started += 1
    ending = running.filter(end_date__lte=today + datetime.timedelta(days=ENDING_SOON_DAYS))
    for unit in ending.exclude(feedback_campaigns__phase=Phase.END):
        launch(unit, Phase.END)
        started += 1
    return started


def satisfaction(org_ids: Sequence[int], start, end) -> dict[tuple[str, str], tuple]:
    """(purpose, phase) → (average of the 1–10 scale answers, respondents) over the schools."""
    rows = (
        Answer.objects.filter(
            question__kind=QuestionKind.SCALE,
            invitation__campaign__organisation_id__in=org_ids,
            invitation__campaign__phase__in=(Phase.START, Phase.END),
            invitation__campaign__created_at__date__range=(start, end),
            invitation__campaign__template__purpose__in=(
                SurveyPurpose.FEEDBACK_MENTEE, SurveyPurpose.FEEDBACK_MENTOR,
            ),
        )
        .values("invitation__campaign__template__purpose", "invitation__campaign__phase")
        .annotate(
            average=Avg(Cast("value", FloatField())),
            people=Count("invitation", distinct=True),
        )
    )  # fmt: skip
    return {
        (row["invitation__campaign__template__purpose"], row["invitation__campaign__phase"]): (
            round(row["average"], 1),
            row["people"],
        )
        for row in rows
    }


def growth(org_ids: Sequence[int], start, end, *, unit_id: int | None = None):
    """Competence growth: for each competency the average self-assessment at the start and at
    the end over the people who answered both, and n. Grid answers are JSON objects, so pairs
    are matched here (one row per answer, no per-object queries). Competencies are grouped by
    name: every school has its own copy of the catalogue."""
    names = {
        str(pk): name
        for pk, name in Competency.objects.filter(organisation_id__in=org_ids).values_list(
            "pk", "name"
        )
    }
    answers = Answer.objects.filter(
        question__kind=QuestionKind.GRID,
        invitation__campaign__template__purpose=SurveyPurpose.SELF_ASSESSMENT,
        invitation__campaign__organisation_id__in=org_ids,
        invitation__campaign__created_at__date__range=(start, end),
        invitation__campaign__phase__in=(Phase.START, Phase.END),
    )
    if unit_id is not None:
        answers = answers.filter(invitation__campaign__unit_id=unit_id)
    answers = answers.values_list(
        "invitation__campaign__unit_id", "invitation__person_id", "invitation__campaign__phase",
        "value",
    )  # fmt: skip
    by_person: dict[tuple[int, int], dict[str, dict]] = defaultdict(dict)
    for unit_id, person_id, phase, value in answers:
        by_person[(unit_id, person_id)][phase] = value or {}
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for phases in by_person.values():
        if Phase.START not in phases or Phase.END not in phases:
            continue  # pre without post: not counted
        for key, before in phases[Phase.START].items():
            after = phases[Phase.END].get(key)
            if after is None:
                continue
            total = sums[names.get(str(key), str(key))]
            total[0] += float(before)
            total[1] += float(after)
            total[2] += 1
    return sorted(
        (
            {
                "competency": name,
                "before": round(b / n, 1),
                "after": round(a / n, 1),
                "delta": round((a - b) / n, 1),
                "n": n,
            }
            for name, (b, a, n) in sums.items()
        ),
        key=lambda row: (-row["delta"], row["competency"]),
    )


def unit_growth(unit: MentoringUnit) -> list[dict]:
    """Growth of one unit's mentees (for the pair's page)."""
    start = unit.start_date - datetime.timedelta(days=90)
    end = unit.end_date + datetime.timedelta(days=180)
    return growth([unit.organisation_id], start, end, unit_id=unit.pk)
