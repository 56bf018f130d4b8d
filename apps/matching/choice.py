"""Self-choice mode: a mentee asks one of the best feasible mentors; the mentor answers; the
curator approves and the pair is formed through the programs service.

Capacity is enforced on the server at every step: a mentor's free places count open units
and the requests they already accepted that wait for the curator.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from apps.core.text import control_character_message
from apps.core.years import academic_year
from apps.matching.core.criteria import check_pair, score_pair
from apps.matching.core.model import Mentor, PairScore, Settings
from apps.matching.inputs import build_pool
from apps.matching.models import (
    MAX_OPEN_REQUESTS,
    OPEN_REQUEST_STATUSES,
    MatchingSettings,
    MentorRequest,
    RequestStatus,
)
from apps.matching.services import default_weights, school_settings
from apps.orgs.models import Organisation
from apps.people.models import Person
from apps.programs.models import FormatType, PairingType
from apps.programs.queries import school_program_settings
from apps.programs.services import UnitRuleError, create_unit, ensure_dictionaries

TOP = 5


class ChoiceError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Option:
    mentor: Mentor
    score: PairScore


def self_choice_on(org: Organisation) -> bool:
    return school_settings(org).self_choice


def _accepted_waiting(org: Organisation) -> dict[int, int]:
    counts: dict[int, int] = {}
    accepted = MentorRequest.objects.of(org).filter(status=RequestStatus.ACCEPTED)
    for mentor_id in accepted.values_list("mentor_id", flat=True):
        counts[mentor_id] = counts.get(mentor_id, 0) + 1
    return counts


def options_for(person: Person) -> tuple[list[Option], str]:
    """The top feasible mentors for this mentee, or an empty list and why."""
    org = person.organisation
    program = school_program_settings(org)
    pool = build_pool([org.pk], academic_year())
    me = next((m for m in pool.mentees if m.id == person.pk), None)
    if me is None:
        return [], "Вас нет в банке наставляемых этого года (или нет согласия на обработку ПДн)."
    if person.pk in pool.busy_mentees:
        return [], "У вас уже есть действующая пара или группа."
    waiting = _accepted_waiting(org)
    settings = Settings(
        weights=default_weights(org), min_mentor_experience=program.min_mentor_experience
    )
    options = []
    for mentor in pool.mentors:
        reserved = waiting.get(mentor.id, 0)
        if reserved:
            mentor = replace(mentor, load=mentor.load + reserved)
        if not check_pair(me, mentor, settings):
            options.append(Option(mentor, score_pair(me, mentor, settings, {})))
    options.sort(key=lambda o: (-o.score.points, o.mentor.name, o.mentor.id))
    if not options:
        return [], "Сейчас нет наставников со свободными местами, подходящих по Положению."
    return options[:TOP], ""


@transaction.atomic
def send_request(*, person: Person, mentor_id: int, message: str) -> MentorRequest:
    person = Person.objects.select_for_update().get(pk=person.pk)
    org = person.organisation
    if not self_choice_on(org):
        raise ChoiceError(
            "В вашей школе наставника назначает куратор: самостоятельный выбор выключен."
        )
    open_requests = MentorRequest.objects.filter(mentee=person, status__in=OPEN_REQUEST_STATUSES)
    if open_requests.count() >= MAX_OPEN_REQUESTS:
        raise ChoiceError(
            f"Открытых запросов может быть не больше {MAX_OPEN_REQUESTS}: отзовите один или "
            "дождитесь ответа."
        )
    if open_requests.filter(mentor_id=mentor_id).exists():
        raise ChoiceError("Запрос этому наставнику уже отправлен.")
    options, why = options_for(person)
    chosen = next((o for o in options if o.mentor.id == mentor_id), None)
    if chosen is None:
        raise ChoiceError(why or "Этот наставник сейчас недоступен: выберите из списка.")
    return MentorRequest.objects.create(
        organisation=org,
        mentee=person,
        mentor_id=mentor_id,
        message=message.strip(),
        score=_score_json(chosen.score),
    )


@transaction.atomic
def withdraw(*, request: MentorRequest) -> None:
    request = MentorRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise ChoiceError("Запрос уже закрыт.")
    request.status = RequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])


@transaction.atomic
def answer(*, request: MentorRequest, accept: bool, text: str = "") -> MentorRequest:
    """The mentor accepts or declines; accepting reserves one of their free places."""
    mentor = Person.objects.select_for_update().get(pk=request.mentor_id)
    request = MentorRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.SENT:
        raise ChoiceError("На этот запрос уже ответили или его отозвали.")
    if message := control_character_message("Ответ", text):
        raise ChoiceError(message)
    if accept:
        pool = build_pool([request.organisation_id], academic_year())
        me = next((m for m in pool.mentors if m.id == mentor.pk), None)
        reserved = _accepted_waiting(request.organisation).get(mentor.pk, 0)
        if me is None or me.free - reserved <= 0:
            raise ChoiceError(
                "Свободных мест нет: все места заняты действующими парами и принятыми запросами."
            )
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answer = text.strip()
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answer", "answered_at"])
    return request


@transaction.atomic
def decide(*, request: MentorRequest, approve: bool, by) -> MentorRequest:
    """The curator approves (the pair is formed, other open requests are withdrawn) or rejects."""
    request = MentorRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.ACCEPTED:
        raise ChoiceError("Утвердить можно только запрос, который наставник принял.")
    if approve:
        org = request.organisation
        program = ensure_dictionaries(org=org)
        start = timezone.localdate()
        months = max(program.min_months, min(6, program.max_months))
        end = start + datetime.timedelta(days=round(months * 30.5))
        pairing = PairingType.objects.of(org).filter(is_active=True).first()
        fmt = FormatType.objects.of(org).filter(is_active=True, is_group=False).first()
        if pairing is None or fmt is None:
            raise ChoiceError("В справочниках нет активной формы наставничества для пары.")
        try:
            request.unit = create_unit(
                org=org, mentor=request.mentor, co_mentor=None, mentees=[request.mentee],
                pairing=pairing, format=fmt, start=start, end=end, created_by=by,
            )  # fmt: skip
        except UnitRuleError as error:
            raise ChoiceError(" ".join(error.messages)) from error
        MentorRequest.objects.filter(
            mentee=request.mentee, status__in=OPEN_REQUEST_STATUSES
        ).exclude(pk=request.pk).update(status=RequestStatus.WITHDRAWN, decided_at=timezone.now())
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_at = timezone.now()
    request.decided_by = by
    request.save(update_fields=["status", "decided_at", "decided_by", "unit"])
    return request


def my_units_panel(person) -> dict:
    """For «Мои пары и программы»: whether self-choice is on and how many requests wait."""
    if person is None:
        return {}
    return {
        "self_choice": (
            MatchingSettings.objects.of(person.organisation).filter(self_choice=True).exists()
        ),
        "incoming": MentorRequest.objects.filter(mentor=person, status=RequestStatus.SENT).count(),
    }


def _score_json(score):
    # The pipeline brings numpy and OR-Tools: loaded when a request is answered, not at start.
    from apps.matching.pipeline import score_json

    return score_json(score)
