"""Tenancy in the querysets: which organisation a row belongs to, said once per model.

Every organisation-owned model's manager is built from `OrgQuerySet` (or a subclass) with
`org_field` naming the lookup from the row to its organisation — `"organisation"` for a model
with its own foreign key, `"unit__organisation"` for one owned through a parent. Views, public
pages, the API, commands and exports then ask for

- `Model.objects.of(org)` — the rows of this organisation;
- `Model.objects.within(org)` — the rows of the organisation's subtree (its materialised path);
- `get_for(org, Model, pk)` / `get_within(org, Model, pk)` — one object or 404, so another
  school's object answers «не найдено» and nothing leaks about its existence.

Nobody spells `filter(organisation=org)` or `path__startswith` by hand outside this app;
`apps/orgs/tests/test_tenancy_rule.py` fails when a view, public page or API module does.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

# `Organisation` below: apps.orgs.models.Organisation. It is not imported, even for type
# checking, because models.py builds its managers from this module (one-way imports).
Organisation = models.Model


class OrgQuerySet(models.QuerySet):
    """A queryset that knows the organisation lookup of its model (`org_field`)."""

    org_field: ClassVar[str] = "organisation"
    # A model that keeps a copy of its organisation's path (the journal: its rows outlive the
    # organisation) names that field here; `within` then reads it instead of joining.
    path_field: ClassVar[str | None] = None

    def q_of(self, org: Organisation | int) -> Q:
        """The condition "belongs to `org`" (an organisation or its id), to combine with others."""
        return Q(**{self.org_field: org})

    def q_within(self, org: Organisation) -> Q:
        """The condition "belongs to `org` or an organisation below it"."""
        if self.path_field:
            return Q(**{f"{self.path_field}__startswith": org.path})
        # A school has no organisations below it: the plain foreign key needs no join.
        if org.is_school:
            return self.q_of(org)
        return Q(**{f"{self.org_field}__path__startswith": org.path})

    def of(self, org: Organisation | int) -> OrgQuerySet:
        return self.filter(self.q_of(org))

    def within(self, org: Organisation) -> OrgQuerySet:
        return self.filter(self.q_within(org))


def _queryset(model_or_queryset: type[models.Model] | OrgQuerySet) -> OrgQuerySet:
    if isinstance(model_or_queryset, models.QuerySet):
        return model_or_queryset
    return model_or_queryset._default_manager.all()


def get_for(
    org: Organisation | int, model_or_queryset: type[models.Model] | OrgQuerySet, pk, **lookups
) -> models.Model:
    """The object `pk` of organisation `org` (optionally narrowed by `lookups`), else Http404."""
    return get_object_or_404(_queryset(model_or_queryset).of(org), pk=pk, **lookups)


def get_within(
    org: Organisation, model_or_queryset: type[models.Model] | OrgQuerySet, pk, **lookups
) -> models.Model:
    """The object `pk` of `org` or an organisation below it, else Http404."""
    return get_object_or_404(_queryset(model_or_queryset).within(org), pk=pk, **lookups)
