"""How an app puts its models under the journal, from its `AppConfig.ready()`."""

from __future__ import annotations

from collections.abc import Callable

from apps.audit.signals import connect_model
from apps.audit.tracked import TRACKED, Tracked


def track(
    label: str, org_id: Callable, person_id: Callable | None = None, name=str, choices=None
) -> None:
    """Follow the model `label` ("app.model") in the journal from now on; `choices` names the
    codes of JSON list fields for reading ({"allowed_items": DistributionItem.choices})."""
    TRACKED[label] = Tracked(org_id, person_id or (lambda obj: None), name, choices or {})
    connect_model(label)
