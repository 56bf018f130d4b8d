"""From the banks to the core's input: pools of mentees and mentors in a fixed number of queries.

Competencies are keyed by their *name* (not id): each school has its own editable copy of the
catalogue, and the network matching compares a mentee of one school with a mentor of another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from apps.banks.models import BankKind, Profile, ProfileStatus
from apps.matching.core.model import Mentee, Mentor, Problem, Settings
from apps.people.choices import ConsentKind, Level, PersonStatus
from apps.people.models import Consent, Person
from apps.programs.models import ProgramSettings, UnitMember
from apps.surveys.models import Competency

INACTIVE_PROFILE = (ProfileStatus.FINISHED, ProfileStatus.LEFT)
DEFAULT_MAX_MENTEES = 2
LEVEL_NAMES = dict(Level.choices)


@dataclass
class Pool:
    """Who can take part in a run: bank profiles with consent, and what each one needs."""

    mentees: list[Mentee]
    mentors: list[Mentor]
    busy_mentees: set[int]  # persons already in an open unit

    def default_mentee_ids(self) -> list[int]:
        return [m.id for m in self.mentees if m.id not in self.busy_mentees]

    def default_mentor_ids(self) -> list[int]:
        return [m.id for m in self.mentors if m.free > 0]


def _profiles(org_ids: Sequence[int], kind: str, year: str) -> list[Profile]:
    consenting = Consent.objects.valid().filter(kind=ConsentKind.PROCESSING).values("person_id")
    return list(
        Profile.objects.filter(
            organisation_id__in=org_ids, kind=kind, year=year, person__in=consenting
        )
        .exclude(status__in=INACTIVE_PROFILE)
        .select_related("person")
        .prefetch_related("person__subjects")
        .order_by("person__last_name", "person__first_name", "person_id")
    )


def _names(org_ids: Sequence[int]) -> dict[str, str]:
    """Competency id (as stored in profiles) → name, for every school in the pool."""
    return {
        str(pk): name
        for pk, name in Competency.objects.filter(organisation_id__in=org_ids).values_list(
            "pk", "name"
        )
    }


def _by_name(values: dict, names: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, level in (values or {}).items():
        name = names.get(str(key))
        try:
            number = int(level)
        except (TypeError, ValueError):
            continue
        if name:
            out[name] = max(out.get(name, 0), number)
    return out


def _common(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.short_name,
        "school": person.organisation_id,
        "subjects": frozenset(s.name for s in person.subjects.all()),
        "stages": frozenset(str(LEVEL_NAMES.get(code, code)) for code in person.level_codes),
        "experience_years": person.teaching_experience,
        "active": person.status == PersonStatus.ACTIVE,
    }


def _texts(values: Iterable) -> frozenset[str]:
    return frozenset(str(v) for v in (values or []) if str(v).strip())


def build_pool(org_ids: Sequence[int], year: str) -> Pool:
    """Mentee and mentor banks of the given schools for `year` (with valid consent)."""
    names = _names(org_ids)
    limits = {
        s.organisation_id: s.max_mentees_per_mentor
        for s in ProgramSettings.objects.filter(organisation_id__in=org_ids)
    }
    open_members = UnitMember.objects.filter(is_open=True, mentee__organisation_id__in=org_ids)
    busy = set(open_members.values_list("mentee_id", flat=True))
    load = Counter(
        UnitMember.objects.filter(is_open=True, mentor__organisation_id__in=org_ids).values_list(
            "mentor_id", flat=True
        )
    )
    mentees = [
        Mentee(
            **_common(p.person),
            needs=_by_name(p.competencies, names),
            forms=_texts(p.forms),
            availability=_texts(p.availability),
        )
        for p in _profiles(org_ids, BankKind.MENTEE, year)
    ]
    mentors = []
    for p in _profiles(org_ids, BankKind.MENTOR, year):
        limit = limits.get(p.organisation_id, DEFAULT_MAX_MENTEES)
        mentors.append(
            Mentor(
                **_common(p.person),
                strengths=_by_name(p.competencies, names),
                forms=_texts(p.forms),
                availability=_texts(p.availability),
                capacity=min(p.capacity or limit, limit),
                load=load.get(p.person_id, 0),
            )
        )
    return Pool(mentees=mentees, mentors=mentors, busy_mentees=busy)


# --- snapshot: the core's input as JSON, so a run can be reopened without the banks ---------


def _jsonable(obj) -> dict:
    data = asdict(obj)
    for key, value in data.items():
        if isinstance(value, frozenset):
            data[key] = sorted(value)
        elif isinstance(value, dict):
            data[key] = dict(sorted(value.items()))
    return data


def _frozen(data: dict, fields: Iterable[str]) -> dict:
    return {k: frozenset(v) if k in fields else v for k, v in data.items()}


SET_FIELDS = ("subjects", "stages", "forms", "availability")


def snapshot(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> dict:
    return {
        "mentees": [_jsonable(m) for m in mentees],
        "mentors": [_jsonable(m) for m in mentors],
    }


def mentee_from(data: dict) -> Mentee:
    return Mentee(**_frozen(data, SET_FIELDS))


def mentor_from(data: dict) -> Mentor:
    return Mentor(**_frozen(data, SET_FIELDS))


def problem_from(snapshot_data: dict, options: dict, pinned, forbidden) -> Problem:
    """Rebuild the core's Problem from a stored run."""
    mentees = [Mentee(**_frozen(m, SET_FIELDS)) for m in snapshot_data.get("mentees", [])]
    mentors = [Mentor(**_frozen(m, SET_FIELDS)) for m in snapshot_data.get("mentors", [])]
    settings = Settings(
        weights=dict(options.get("weights", {})),
        min_mentor_experience=int(options.get("min_mentor_experience", 0)),
        network=bool(options.get("network", False)),
        objective=options.get("objective", "count_then_score"),
        pinned=frozenset((int(a), int(b)) for a, b in pinned),
        forbidden=frozenset((int(a), int(b)) for a, b in forbidden),
    )
    return Problem(mentees=mentees, mentors=mentors, settings=settings)
