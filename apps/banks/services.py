"""Use cases of the banks: profiles from questionnaires, by hand, updates with history."""

from __future__ import annotations

from django.db import transaction

from apps.banks.models import (
    BankKind,
    Profile,
    ProfileChange,
    ProfileSource,
    ProfileStatus,
)
from apps.core.years import academic_year
from apps.orgs.models import Organisation
from apps.people.choices import ConsentKind
from apps.people.models import Person
from apps.surveys.models import Invitation, SurveyPurpose

KIND_BY_PURPOSE = {
    SurveyPurpose.MENTEE_NEEDS: BankKind.MENTEE,
    SurveyPurpose.MENTOR_PROFILE: BankKind.MENTOR,
}
# Profile attribute filled by each question's `profile_field`.
FIELD_BY_PROFILE_FIELD = {
    "needs": "competencies",
    "strengths": "competencies",
    "capacity": "capacity",
    "forms": "forms",
    "availability": "availability",
    "motivation": "motivation",
}
LABELS = {
    "competencies": "компетенции",
    "capacity": "число наставляемых",
    "forms": "формы наставничества",
    "availability": "удобное время",
    "motivation": "мотивация",
    "status": "статус",
    "notes": "заметки",
}


def bank_queryset(org: Organisation, kind: str, year: str):
    """Profiles shown in a bank: only people with a valid processing consent today."""
    consenting = Person.objects.with_valid_consent(ConsentKind.PROCESSING)
    return (
        Profile.objects.of(org)
        .filter(kind=kind, year=year, person__in=consenting)
        .select_related("person")
        .prefetch_related("person__subjects")
    )


def values_from_invitation(invitation: Invitation) -> dict:
    values: dict = {}
    for answer in invitation.answers.select_related("question"):
        target = FIELD_BY_PROFILE_FIELD.get(answer.question.profile_field)
        if target is None or answer.value in (None, "", [], {}):
            continue
        if target == "capacity":
            try:
                values[target] = max(0, min(10, int(answer.value)))
            except (TypeError, ValueError):
                continue
        else:
            values[target] = answer.value
    return values


@transaction.atomic
def profile_from_invitation(*, invitation: Invitation) -> Profile | None:
    """Create or refresh the person's bank profile from a submitted questionnaire.

    Side effects: Profile row and a ProfileChange entry. Returns None for templates that feed
    no bank. A profile is kept even without consent, but banks show it only with consent.
    """
    campaign = invitation.campaign
    kind = KIND_BY_PURPOSE.get(campaign.template.purpose)
    if kind is None:
        return None
    year = academic_year(campaign.created_at.date())
    profile, created = Profile.objects.get_or_create(
        person=invitation.person,
        kind=kind,
        year=year,
        defaults={"organisation": campaign.organisation},
    )
    return _apply(
        profile,
        {**values_from_invitation(invitation), "source": ProfileSource.SURVEY},
        by=None,
        summary=f"{'Создан' if created else 'Обновлён'} по анкете «{campaign.title}»",
        invitation=invitation,
    )


@transaction.atomic
def add_profile(*, org: Organisation, person: Person, kind: str, values: dict, by) -> Profile:
    """The curator puts a person in a bank by hand (e.g. after a phone interview)."""
    profile, created = Profile.objects.get_or_create(
        person=person, kind=kind, year=academic_year(), defaults={"organisation": org}
    )
    summary = "Добавлен куратором" if created else "Изменён куратором"
    return _apply(profile, {**values, "source": ProfileSource.MANUAL}, by=by, summary=summary)


@transaction.atomic
def update_profile(*, profile: Profile, values: dict, by) -> Profile:
    """Change a profile (curator or the person themselves); the change is recorded."""
    return _apply(profile, values, by=by, summary="")


def _apply(profile: Profile, values: dict, *, by, summary: str, invitation=None) -> Profile:
    # Compare with what is stored: a bound ModelForm has already copied values onto `profile`.
    stored = Profile.objects.filter(pk=profile.pk).first() or profile
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    for name in changed:
        setattr(profile, name, values[name])
    if invitation is not None:
        profile.invitation = invitation
    profile.save()
    labels = [LABELS[name] for name in changed if name in LABELS]
    if summary or labels:
        text = summary or "Изменено"
        if labels:
            text += ": " + ", ".join(labels)
        ProfileChange.objects.create(profile=profile, changed_by=by, summary=text[:500])
    return profile


@transaction.atomic
def erase_profiles(*, person: Person) -> int:
    """The person's data are destroyed: their profiles keep only kind, year and «Выбыл».

    Side effects: competencies, forms, availability, capacity, motivation, notes and the link to
    the questionnaire are cleared; the change history (it quotes old values) is deleted.
    Returns the number of profiles."""
    profiles = Profile.objects.filter(person=person)
    ProfileChange.objects.filter(profile__in=profiles).delete()
    return profiles.update(
        competencies={},
        forms=[],
        availability=[],
        capacity=0,
        motivation="",
        notes="",
        invitation=None,
        status=ProfileStatus.LEFT,
    )
