"""Signals other apps listen to (the notification centre tells invited people)."""

from django.dispatch import Signal

# Sent with `event` and `person_ids` (the newly invited people) when people are invited.
people_invited = Signal()
