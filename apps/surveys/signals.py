"""Signals other apps listen to (the banks build profiles from submitted questionnaires)."""

from django.dispatch import Signal

# Sent with `invitation` after a respondent sends (or re-sends) a questionnaire.
invitation_submitted = Signal()

# Sent with `campaign` when a campaign and its invitations are created (the notification centre
# tells the invited people; it reads the campaign after commit, when its unit/phase are set).
campaign_created = Signal()
