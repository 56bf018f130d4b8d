"""Network matching: a municipal or regional methodist matches, across the schools below,
the mentees who have no feasible mentor in their own school; both schools' curators then
agree each proposed pair, and the unit is formed in the mentee's school with a mentor from
the other one (usually in the virtual form).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.years import academic_year
from apps.matching.core.criteria import check_pair
from apps.matching.core.model import Settings
from apps.matching.inputs import Pool, build_pool
from apps.matching.models import Decision, MatchingRun, NetworkProposal, RunStatus
from apps.matching.presenter import parts_for
from apps.orgs.models import Organisation
from apps.people.models import Person
from apps.programs.models import FormatType, PairingType, ProgramSettings
from apps.programs.services import UnitRuleError, create_unit, ensure_dictionaries

VIRTUAL = "Виртуальное"


class NetworkError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def network_pool(org: Organisation) -> Pool:
    """Mentees without a feasible mentor in their own school, and every mentor with a free place.

    «Feasible» uses each school's own Положение (minimum experience) and free places.
    """
    schools = list(Organisation.objects.subtree(org).schools().values_list("pk", flat=True))
    pool = build_pool(schools, academic_year())
    min_experience = dict(
        ProgramSettings.objects.filter(organisation_id__in=schools).values_list(
            "organisation_id", "min_mentor_experience"
        )
    )
    by_school: dict[int, list] = {}
    for mentor in pool.mentors:
        if mentor.free > 0:
            by_school.setdefault(mentor.school, []).append(mentor)
    stranded = []
    for mentee in pool.mentees:
        if mentee.id in pool.busy_mentees:
            continue
        rules = Settings(min_mentor_experience=min_experience.get(mentee.school, 0))
        if not any(not check_pair(mentee, m, rules) for m in by_school.get(mentee.school, [])):
            stranded.append(mentee)
    pool.mentees = stranded
    pool.mentors = [m for m in pool.mentors if m.free > 0]
    return pool


@transaction.atomic
def send_to_schools(run: MatchingRun) -> int:
    """Create a proposal per pair for both schools' curators; the run is then fixed."""
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.DRAFT:
        raise NetworkError("Предложения по этому подбору уже отправлены школам.")
    if not run.is_ready:
        raise NetworkError("Подбор ещё считается — дождитесь результата.")
    if not run.pairs:
        raise NetworkError("В подборе нет ни одной пары — отправлять нечего.")
    scores = {(a["mentee"], a["mentor"]): a for a in run.result.get("assignments", [])}
    mentees = {m["id"]: m for m in run.snapshot.get("mentees", [])}
    mentors = {m["id"]: m for m in run.snapshot.get("mentors", [])}
    people = Person.objects.in_bulk({pid for pair in run.pairs for pid in pair})
    created = 0
    for mentee_id, mentor_id in run.pairs:
        mentee, mentor = people.get(mentee_id), people.get(mentor_id)
        if mentee is None or mentor is None:
            continue
        score = dict(scores.get((mentee_id, mentor_id), {}))
        if "parts" not in score and mentee_id in mentees and mentor_id in mentors:
            score["parts"] = parts_for(run, mentees[mentee_id], mentors[mentor_id])
        NetworkProposal.objects.create(
            run=run,
            mentee=mentee,
            mentor=mentor,
            mentee_org_id=mentee.organisation_id,
            mentor_org_id=mentor.organisation_id,
            score={k: score.get(k) for k in ("percent", "points", "parts")},
        )
        created += 1
    run.status = RunStatus.CONFIRMED
    run.confirmed_at = timezone.now()
    run.save(update_fields=["status", "confirmed_at"])
    return created


def proposals_for_school(org: Organisation):
    return (
        NetworkProposal.objects.filter(unit__isnull=True)
        .filter(Q(mentee_org=org) | Q(mentor_org=org))
        .exclude(mentee_side=Decision.DECLINED)
        .exclude(mentor_side=Decision.DECLINED)
        .select_related("mentee", "mentor", "mentee_org", "mentor_org")
        .order_by("-created_at", "pk")
    )


@transaction.atomic
def decide(*, proposal: NetworkProposal, org: Organisation, accept: bool, by) -> NetworkProposal:
    """One school's curator agrees or declines; when both agree the unit is formed."""
    proposal = NetworkProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.unit_id or proposal.decision == Decision.DECLINED:
        raise NetworkError("По этому предложению решение уже принято.")
    value = Decision.ACCEPTED if accept else Decision.DECLINED
    if proposal.mentee_org_id == org.pk:
        proposal.mentee_side = value
    if proposal.mentor_org_id == org.pk:
        proposal.mentor_side = value
    if proposal.decision == Decision.ACCEPTED:
        school = proposal.mentee_org
        program = ensure_dictionaries(org=school)
        fmt = (
            FormatType.objects.of(school).filter(is_active=True, name__startswith=VIRTUAL).first()
            or FormatType.objects.of(school).filter(is_active=True, is_group=False).first()
        )
        pairing = PairingType.objects.of(school).filter(is_active=True).first()
        if fmt is None or pairing is None:
            raise NetworkError("В справочниках школы наставляемого нет активной формы для пары.")
        start = timezone.localdate()
        months = max(program.min_months, min(6, program.max_months))
        try:
            proposal.unit = create_unit(
                org=school, mentor=proposal.mentor, co_mentor=None, mentees=[proposal.mentee],
                pairing=pairing, format=fmt, start=start,
                end=start + datetime.timedelta(days=round(months * 30.5)), created_by=by,
                external_mentor=True,
            )  # fmt: skip
        except UnitRuleError as error:
            raise NetworkError(" ".join(error.messages)) from error
    proposal.save()
    return proposal
