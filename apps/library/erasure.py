"""Destroying a person's data: their name leaves the materials of the methodical library."""

from django.dispatch import receiver

from apps.library.models import Material
from apps.people.erasure import Erased, counted, person_data_destroyed, scrub_texts


@receiver(person_data_destroyed)
def destroy_library_data(sender, person, forms, **kwargs) -> Erased:
    changed = scrub_texts(
        Material.objects.of(person.organisation_id),
        ["title", "annotation", "body", "results", "author"],
        forms,
    )
    return Erased(destroyed=counted("ФИО в материалах методической копилки", changed))
