"""The organisation tree on an overview: the way up (breadcrumbs) and the level below with the
schools of each branch, from two queries whatever the size of the region."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.orgs.models import Organisation, membership_paths
from apps.people.queries import schools_summary


@dataclass
class Branch:
    """A child of the organisation with the totals of the schools below it."""

    org: Organisation
    schools: list[Organisation] = field(default_factory=list)
    staff: int = 0
    young: int = 0
    with_processing: int = 0


def ancestors(org: Organisation, user) -> list[tuple[Organisation, bool]]:
    """The organisations above `org`, top first, each with whether the user may open it."""
    ids = org.ancestor_ids()[:-1]
    if not ids:
        return []
    paths = [path for path, _role in membership_paths(user)]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    return [(found[i], any(found[i].path.startswith(p) for p in paths)) for i in ids if i in found]


def branches(org: Organisation) -> list[Branch]:
    """The organisations directly below `org`, each with its schools and their figures."""
    depth = len(org.ancestor_ids())
    rows = {
        child.pk: Branch(child)
        for child in Organisation.objects.filter(parent=org).order_by("kind", "short_name")
    }
    for school in schools_summary(org):
        branch = rows.get(school.ancestor_ids()[depth])
        if branch is None:
            continue
        branch.schools.append(school)
        branch.staff += school.staff
        branch.young += school.young
        branch.with_processing += school.with_processing
    return sorted(rows.values(), key=lambda b: (b.org.is_school, b.org.short_name))
