"""Destroying a person's data: API keys issued from their account are revoked."""

from django.dispatch import receiver
from django.utils import timezone

from apps.api.models import ApiToken
from apps.people.erasure import Erased, counted, person_data_destroyed


@receiver(person_data_destroyed)
def revoke_api_tokens(sender, person, forms, **kwargs) -> Erased:
    if not person.user_id:
        return Erased()
    count = ApiToken.objects.filter(created_by_id=person.user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return Erased(
        destroyed=counted(
            "ключи доступа к программному интерфейсу, выпущенные сотрудником, отозваны", count
        )
    )
