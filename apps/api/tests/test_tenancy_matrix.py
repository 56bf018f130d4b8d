"""Every endpoint × keys of our school, another school, the municipality, the region and the
other municipality × role × scope → 200/201, 401, 403 or 404, from the permission table.

Our school's data is the target throughout: a key of another school never sees it (404), a
role without the permission gets 403, a read-only key cannot write (403).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from apps.orgs.choices import Role
from apps.orgs.permissions import Roles, role_allows
from apps.people.models import Person

from .conftest import ApiClient, SchoolData, fill_school, issue

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # formatted with org (our school's id) and the data's ids
    perm: str
    ok: int = 200
    body: Callable[[SchoolData], dict] | None = None

    @property
    def writes(self) -> bool:
        return self.method != "get"


def _yesterday() -> str:
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


ENDPOINTS = [
    Endpoint("get", "/organisations", "org.view"),
    Endpoint("get", "/organisations/{org}/staff", "staff.view"),
    Endpoint("get", "/organisations/{org}/staff/{d.person_id}", "staff.view"),
    Endpoint("post", "/organisations/{org}/staff", "staff.edit", 201,
             lambda d: {"last_name": "Новикова", "first_name": "Ольга", "position": "Учитель"}),
    Endpoint("patch", "/organisations/{org}/staff/{d.person_id}", "staff.edit",
             body=lambda d: {"position": "Методист"}),
    Endpoint("get", "/organisations/{org}/consents", "consent.view"),
    Endpoint("post", "/organisations/{org}/consents", "consent.edit", 201,
             lambda d: {"person_id": d.mentor_id, "kind": "duties_mentor",
                        "given_on": _yesterday()}),
    Endpoint("post", "/organisations/{org}/consents/{d.consent_id}/withdraw", "consent.edit",
             body=lambda d: {"confirm_last_name": Person.objects.get(pk=d.person_id).last_name}),
    Endpoint("get", "/organisations/{org}/bank-profiles", "banks.view"),
    Endpoint("get", "/organisations/{org}/units", "units.view"),
    Endpoint("get", "/organisations/{org}/units/{d.unit_id}", "units.view"),
    Endpoint("patch", "/organisations/{org}/tasks/{d.task_id}", "units.manage",
             body=lambda d: {"status": "done"}),
    Endpoint("get", "/organisations/{org}/events", "events.view"),
    Endpoint("post", "/organisations/{org}/events", "events.manage", 201,
             lambda d: {"kind": "seminar", "title": "Семинар", "audience": "staff",
                        "place": "Каб. 5", "starts_at": "2099-03-01T10:00:00+03:00",
                        "ends_at": "2099-03-01T11:00:00+03:00"}),
    Endpoint("get", "/organisations/{org}/documents", "documents.view"),
    Endpoint("get", "/organisations/{org}/indicators", "monitoring.view"),
]  # fmt: skip

# (organisation fixture of the key, role, scope)
KEYS = [
    ("school", Role.CURATOR, "read"),
    ("school", Role.CURATOR, "write"),
    ("school", Role.HEAD, "write"),
    ("school", Role.MENTOR, "write"),
    ("school", Role.MENTEE, "read"),
    ("school", Role.ADMIN, "write"),
    ("other_school", Role.CURATOR, "write"),
    ("other_school", Role.ADMIN, "read"),
    ("municipality", Role.METHODIST, "write"),
    ("municipality", Role.ADMIN, "read"),
    ("municipality", Role.ADMIN, "write"),
    ("region", Role.ADMIN, "write"),
    ("region", Role.METHODIST, "read"),
    ("other_municipality", Role.METHODIST, "write"),
]


def expected(endpoint: Endpoint, key_org, school, role: str, scope: str) -> int:
    if endpoint.path != "/organisations" and not school.path.startswith(key_org.path):
        return 404
    # A key's role counts as held at its own organisation, as coming from above below it.
    roles = Roles(own={role}) if key_org == school else Roles(inherited={role})
    if not role_allows(roles, endpoint.perm):
        return 403
    if endpoint.writes and scope != "write":
        return 403
    return endpoint.ok


@pytest.mark.parametrize(("key_org", "role", "scope"), KEYS)
def test_every_endpoint_answers_as_the_permission_table_says(request, key_org, role, scope):
    school = request.getfixturevalue("school")
    for name in ("other_school", "region", "municipality", "other_municipality"):
        request.getfixturevalue(name)
    data = fill_school(school)
    owner = request.getfixturevalue(key_org)
    client = ApiClient(issue(owner, role, scope))
    failures = []
    for endpoint in ENDPOINTS:
        path = endpoint.path.format(org=school.pk, d=data)
        if endpoint.writes:
            response = getattr(client, endpoint.method)(path, endpoint.body(data))
        else:
            response = client.get(path)
        want = expected(endpoint, owner, school, role, scope)
        if response.status_code != want:
            failures.append(f"{endpoint.method.upper()} {path}: {response.status_code}, "
                            f"want {want} ({response.content[:200]!r})")  # fmt: skip
    assert failures == []


def test_every_endpoint_wants_a_key(school, data):
    client = ApiClient(None)
    for endpoint in ENDPOINTS:
        path = endpoint.path.format(org=school.pk, d=data)
        body = endpoint.body(data) if endpoint.body else None
        response = (
            getattr(client, endpoint.method)(path, body) if endpoint.writes else client.get(path)
        )
        assert response.status_code == 401, path


def test_an_object_of_another_school_under_our_org_is_404(school, far_school, data):
    theirs = fill_school(far_school)
    client = ApiClient(issue(school, Role.ADMIN, "write"))
    for endpoint in ENDPOINTS:
        if "{d." not in endpoint.path:
            continue
        path = endpoint.path.format(org=school.pk, d=theirs)
        body = endpoint.body(theirs) if endpoint.body else None
        response = (
            getattr(client, endpoint.method)(path, body) if endpoint.writes else client.get(path)
        )
        assert response.status_code == 404, path
