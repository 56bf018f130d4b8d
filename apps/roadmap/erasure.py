"""Destroying a person's data: their name leaves the school's roadmap."""

from django.dispatch import receiver

from apps.people.erasure import Erased, counted, person_data_destroyed, scrub_texts
from apps.roadmap.models import RoadmapItem


@receiver(person_data_destroyed)
def destroy_roadmap_data(sender, person, forms, **kwargs) -> Erased:
    changed = scrub_texts(
        RoadmapItem.objects.of(person.organisation_id),
        ["activity", "content", "responsible", "result"],
        forms,
    )
    return Erased(destroyed=counted("ФИО в плане мероприятий дорожной карты", changed))
