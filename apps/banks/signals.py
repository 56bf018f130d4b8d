from django.dispatch import receiver

from apps.banks.services import profile_from_invitation
from apps.surveys.signals import invitation_submitted


@receiver(invitation_submitted)
def build_profile(sender, invitation, **kwargs):
    profile_from_invitation(invitation=invitation)
