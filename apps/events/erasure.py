"""Destroying a person's data: their name leaves the events' texts and guest lists; the
attendance marks stay on the anonymised register row, for the events' statistics."""

from django.dispatch import receiver

from apps.events.models import Event, Participant
from apps.orgs.models import Organisation
from apps.people.erasure import Erased, counted, person_data_destroyed, scrub_texts


@receiver(person_data_destroyed)
def destroy_event_data(sender, person, forms, **kwargs) -> Erased:
    events = Event.objects.of(person.organisation_id) | Event.objects.filter(
        participants__person=person
    )
    changed = scrub_texts(
        events.distinct(), ["title", "programme", "speakers", "resolutions"], forms
    )
    # A guest typed in by hand at another school's event of the same region.
    region = Organisation.objects.get(pk=person.organisation.ancestor_ids()[0])
    guests = Participant.objects.within(region).exclude(guest_name="")
    changed += scrub_texts(guests, ["guest_name"], forms)
    took_part = Participant.objects.filter(person=person).exists()
    return Erased(
        destroyed=counted("ФИО в описаниях мероприятий", changed),
        kept=(
            ("отметки об участии в мероприятиях — при обезличенной записи сотрудника, для "
             "статистики мероприятий",) if took_part else ()
        ),
    )  # fmt: skip
