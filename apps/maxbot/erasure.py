"""Destroying a person's data: their MAX link (MAX's user id) and open link codes go."""

from django.dispatch import receiver

from apps.maxbot.models import LinkCode, MaxLink
from apps.people.erasure import Erased, counted, person_data_destroyed


@receiver(person_data_destroyed)
def destroy_max_link(sender, person, forms, **kwargs) -> Erased:
    if not person.user_id:
        return Erased()
    LinkCode.objects.filter(user_id=person.user_id).delete()
    deleted, _ = MaxLink.objects.filter(user_id=person.user_id).delete()
    return Erased(destroyed=counted("подключение мессенджера MAX (идентификатор пользователя)",
                                    deleted))  # fmt: skip
