from django.dispatch import receiver

from apps.banks.services import erase_profiles, profile_from_invitation
from apps.people.erasure import Erased, counted, person_data_destroyed
from apps.surveys.signals import invitation_submitted


@receiver(invitation_submitted)
def build_profile(sender, invitation, **kwargs):
    profile_from_invitation(invitation=invitation)


@receiver(person_data_destroyed)
def destroy_profiles(sender, person, forms, **kwargs) -> Erased:
    count = erase_profiles(person=person)
    return Erased(
        destroyed=counted(
            "сведения в профилях банков наставников и наставляемых: затруднения и сильные "
            "стороны, формы и удобное время, мотивация и ожидания, заметки куратора, история "
            "изменений",
            count,
        ),
        kept=(
            ("отметка о нахождении в банке (вид банка, учебный год, статус «Выбыл») — в "
             "обезличенном виде, для статистики",) if count else ()
        ),
    )  # fmt: skip
