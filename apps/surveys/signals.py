"""Signals other apps listen to (the banks build profiles from submitted questionnaires)."""

from django.dispatch import Signal

# Sent with `invitation` after a respondent sends (or re-sends) a questionnaire.
invitation_submitted = Signal()
