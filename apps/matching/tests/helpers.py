"""Building banks for matching tests: people with consent, competencies, profiles."""

import datetime

from apps.banks.services import add_profile
from apps.surveys.models import Competency
from tests.factories import ConsentFactory, PersonFactory


def competencies(school, *names):
    return {
        name: Competency.objects.get_or_create(organisation=school, name=name)[0] for name in names
    }


def person(school, *, experience=12, consent=True, **extra):
    p = PersonFactory(organisation=school, teaching_experience=experience, **extra)
    if consent:
        for kind in ("processing", "duties_mentor", "duties_mentee"):
            ConsentFactory(person=p, kind=kind, given_on=datetime.date(2026, 8, 1))
    return p


def mentee(school, comps, needs, **extra):
    p = person(school, experience=extra.pop("experience", 1), **extra)
    values = {"competencies": {str(comps[name].pk): level for name, level in needs.items()}}
    add_profile(org=school, person=p, kind="mentee", values=values, by=None)
    return p


def mentor(school, comps, strengths, capacity=1, **extra):
    p = person(school, experience=extra.pop("experience", 15), **extra)
    values = {
        "competencies": {str(comps[name].pk): level for name, level in strengths.items()},
        "capacity": capacity,
    }
    add_profile(org=school, person=p, kind="mentor", values=values, by=None)
    return p


def run_form(chosen_mentees, chosen_mentors, **overrides):
    data = {
        "mentees": [m.pk for m in chosen_mentees],
        "mentors": [m.pk for m in chosen_mentors],
        "min_mentor_experience": 3,
        "objective": "count_then_score",
        "w_coverage": 5,
        "w_subject": 3,
        "w_stage": 2,
        "w_experience": 1,
        "w_form": 1,
        "w_availability": 1,
        "w_same_school": 1,
        "w_workload": 1,
    }
    data.update(overrides)
    return data
