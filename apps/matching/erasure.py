"""Destroying a person's data: self-choice requests lose their texts and scores, network
proposals their notes, stored matching runs the person's name and profile."""

from django.db.models import Q
from django.dispatch import receiver

from apps.matching.models import MatchingRun, MentorRequest, NetworkProposal, RequestStatus
from apps.people.erasure import Erased, counted, person_data_destroyed, scrub_texts


@receiver(person_data_destroyed)
def destroy_matching_data(sender, person, forms, **kwargs) -> Erased:
    mine = Q(mentee=person) | Q(mentor=person)
    MentorRequest.objects.filter(
        mine, status__in=[RequestStatus.SENT, RequestStatus.ACCEPTED]
    ).update(status=RequestStatus.WITHDRAWN)
    requests = MentorRequest.objects.filter(mine).update(message="", answer="", score={})
    NetworkProposal.objects.filter(mine).update(score={})
    scrub_texts(NetworkProposal.objects.filter(mine), ["note"], forms)
    runs = 0
    label = f"Обезличено (реестровый № {person.pk})"
    # The school's runs and the network runs of the municipality and region above it.
    for run in MatchingRun.objects.filter(organisation__in=person.organisation.ancestor_ids()):
        snapshot = _without_person(run.snapshot, person.pk, label)
        if snapshot != run.snapshot:
            MatchingRun.objects.filter(pk=run.pk).update(snapshot=snapshot)
            runs += 1
    return Erased(
        destroyed=(
            *counted("тексты запросов наставнику и ответов на них, оценки совпадения", requests),
            *counted("сведения о сотруднике во входных данных подборов наставников", runs),
        )
    )


def _without_person(snapshot: dict, person_id: int, label: str) -> dict:
    result = dict(snapshot)
    for side, profile_keys in (("mentees", ("needs",)), ("mentors", ("strengths",))):
        entries = []
        for entry in snapshot.get(side, []):
            if entry.get("id") == person_id:
                entry = {**entry, "name": label, "forms": [], "availability": []}
                entry.update({k: {} for k in profile_keys if k in entry})
            entries.append(entry)
        if side in snapshot:
            result[side] = entries
    return result
