"""Destroying a person's data: their notifications go, their name leaves everyone else's."""

from django.dispatch import receiver

from apps.notifications.models import ChannelSwitch, Notification, Preferences
from apps.people.erasure import Erased, counted, person_data_destroyed, scrub_texts


@receiver(person_data_destroyed)
def destroy_notifications(sender, person, forms, **kwargs) -> Erased:
    own = 0
    if person.user_id:
        mine = Notification.objects.filter(recipient_id=person.user_id)
        own = mine.count()
        mine.delete()  # their deliveries go with them
        Preferences.objects.filter(user_id=person.user_id).delete()
        ChannelSwitch.objects.filter(user_id=person.user_id).delete()
    changed = scrub_texts(
        Notification.objects.of(person.organisation_id).only("pk", "title", "text"),
        ["title", "text"],
        forms,
    )
    return Erased(
        destroyed=counted("уведомления сотрудника", own)
        + counted("ФИО в уведомлениях других пользователей", changed)
    )
