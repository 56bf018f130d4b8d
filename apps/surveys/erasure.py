"""Destroying a person's data: survey answers go, personal links are revoked for good."""

from django.dispatch import receiver

from apps.people.erasure import Erased, counted, person_data_destroyed
from apps.surveys.models import Answer
from apps.surveys.services import revoke_links_of


@receiver(person_data_destroyed)
def destroy_answers(sender, person, forms, **kwargs) -> Erased:
    answers, _ = Answer.objects.filter(invitation__person=person).delete()
    links = revoke_links_of(person=person)
    return Erased(
        destroyed=(
            *counted("ответы на анкеты и опросы, включая свободные ответы", answers),
            *counted("личные ссылки на анкеты отозваны", links),
        ),
        kept=(
            ("факт приглашения на анкету и отправки её (без ответов) — для подсчёта охвата "
             "опросов",) if person.invitations.exists() else ()
        ),
    )  # fmt: skip
