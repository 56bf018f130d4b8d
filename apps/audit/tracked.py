"""Which models the journal follows and how each names its organisation, person and itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tracked:
    org_id: Callable  # instance -> organisation id
    person_id: Callable = lambda obj: None
    label: Callable = str


def _unit_org(unit_id: int) -> int | None:
    from apps.programs.models import MentoringUnit

    return (
        MentoringUnit.objects.filter(pk=unit_id).values_list("organisation_id", flat=True).first()
    )


def _programme_org(programme_id: int) -> int | None:
    from apps.programs.models import Programme

    return (
        Programme.objects.filter(pk=programme_id)
        .values_list("unit__organisation_id", flat=True)
        .first()
    )


def _person_org(person_id: int) -> int | None:
    from apps.people.models import Person

    return Person.objects.filter(pk=person_id).values_list("organisation_id", flat=True).first()


TRACKED: dict[str, Tracked] = {
    "people.person": Tracked(lambda o: o.organisation_id, lambda o: o.pk, lambda o: o.full_name),
    "people.consent": Tracked(
        lambda o: _person_org(o.person_id),
        lambda o: o.person_id,
        lambda o: f"{o.get_kind_display()} (сотрудник № {o.person_id})",
    ),
    "orgs.membership": Tracked(
        lambda o: o.organisation_id, label=lambda o: f"{o.user.email}: {o.get_role_display()}"
    ),
    "programs.mentoringunit": Tracked(lambda o: o.organisation_id, label=str),
    "programs.unitmember": Tracked(
        lambda o: _unit_org(o.unit_id),
        lambda o: o.mentee_id,
        lambda o: f"Участник пары/группы № {o.unit_id} (сотрудник № {o.mentee_id})",
    ),
    "programs.programme": Tracked(
        lambda o: _unit_org(o.unit_id), label=lambda o: f"ПНП пары/группы № {o.unit_id}"
    ),
    "programs.task": Tracked(lambda o: _programme_org(o.programme_id), label=lambda o: o.title),
    "documents.document": Tracked(
        lambda o: o.organisation_id, lambda o: o.person_id, lambda o: f"№ {o.number} {o.title}"
    ),
}
# Technical fields that change on every save and say nothing to an auditor.
SKIPPED_FIELDS = {"updated_at", "created_at", "name_key", "lemmas", "path", "search"}
