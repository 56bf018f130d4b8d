"""Which models the journal follows and how each names its organisation, person and itself.

The journal imports no domain app: each app registers its own models with
`apps.audit.register.track()` in its `AppConfig.ready()` (the audit app registers only the
memberships of orgs, which sits below it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Tracked:
    org_id: Callable  # instance -> organisation id
    person_id: Callable = lambda obj: None
    label: Callable = str
    # Labels for codes kept in JSON lists, by field: {"allowed_items": DistributionItem.choices}
    choices: dict = field(default_factory=dict)


TRACKED: dict[str, Tracked] = {}
# Technical fields that change on every save and say nothing to an auditor.
SKIPPED_FIELDS = {"updated_at", "created_at", "name_key", "lemmas", "path", "search"}
