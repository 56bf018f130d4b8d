"""Authorization matrix: every URL of the project × every persona × own / other organisation.

The test walks the URL resolver, so a new view is checked automatically. A view must declare
how it is protected — `@org_view(perm, post=…, level=…, methods=…)`, `@login_view` or
`@public_view` — otherwise the test fails and names it. The expected status comes from that
declaration (`view.protection`) and the same permission table the views use: anonymous → 302 to
the login page; an organisation outside the persona's subtree → 404; a role without the
permission → 403 (for a permission that writes, a role held at an organisation above counts only
if it is the administrator's: permissions.OWN_LEVEL); a method not declared → 405; an
organisation of another level (a school-only page at a municipality) → 404; a POST without the
POST permission → 403; allowed → 200.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from apps.api.models import ApiToken
from apps.banks.models import Profile
from apps.core.years import academic_year
from apps.documents.extensions import ARCHIVE_JOB
from apps.documents.models import Document
from apps.events.models import Event
from apps.jobs.models import Job, JobState
from apps.library.models import Material
from apps.matching.models import MatchingRun
from apps.monitoring.jobs import REPORT_JOB
from apps.monitoring.models import MonitoringForm
from apps.orgs.access import Protection
from apps.orgs.choices import OrgKind, Role
from apps.orgs.models import Membership, Organisation, roles_at
from apps.orgs.permissions import OWN_LEVEL, PERMISSIONS, Roles, role_allows
from apps.payroll.models import PayRegister, PayRule
from apps.people.models import DestructionAct, ImportBatch
from apps.programs.models import FormatType, MentoringUnit, PairingType, Programme, Task
from apps.programs.services import ensure_dictionaries
from apps.publicity.models import Post, PostImage
from apps.roadmap.models import RoadmapItem
from apps.surveys.models import Campaign, Invitation
from apps.surveys.services import install_shipped
from tests.factories import (
    ConsentFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

# Django's admin has its own is_staff checks. The REST API ("api", django-ninja) authenticates
# by API key, not by session: pages' rules (302 to the login page) do not apply to it, so its own
# tenancy matrix lives in apps/api/tests/test_tenancy_matrix.py.
SKIPPED_NAMESPACES = {"admin", "api"}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    view: object

    @property
    def protection(self) -> Protection | None:
        return getattr(self.view, "protection", None)

    @property
    def perm(self) -> str | None:
        return self.protection.perm if self.protection else None

    @property
    def post_perm(self) -> str | None:
        return self.protection.post_perm if self.protection else None

    @property
    def is_public(self) -> bool:
        view_class = getattr(self.view, "view_class", None)
        return bool(getattr(self.view, "public", False) or getattr(view_class, "public", False))

    @property
    def is_login_only(self) -> bool:
        return bool(getattr(self.view, "login_only", False))


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                if ns in SKIPPED_NAMESPACES:
                    continue
                walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                kwargs = tuple(entry.pattern.regex.groupindex)
                routes.append(Route(name, kwargs, entry.callback))

    walk(get_resolver().url_patterns, None)
    return routes


ROUTES = all_routes()


@dataclass
class World:
    region: Organisation
    municipality: Organisation
    other_municipality: Organisation
    school: Organisation
    other_school: Organisation
    far_school: Organisation
    samples: dict[int, dict[str, object]]
    users: dict[str, object]


def news_samples(org: Organisation) -> dict[str, int]:
    post = Post.objects.create(organisation=org, title="Новость")
    image = PostImage.objects.create(post=post, image=SimpleUploadedFile("p.jpg", b"\xff\xd8\xff"))
    return {"post_id": post.pk, "image_id": image.pk}


def job_samples(org: Organisation) -> dict[str, str]:
    """A finished job of each kind, so the job pages and their files answer 200 where allowed."""

    def done(kind: str) -> str:
        job = Job.objects.create(
            organisation=org, kind=kind, title="Задание", state=JobState.DONE,
            result=SimpleUploadedFile("r.zip", b"PK\x05\x06" + b"\0" * 18), result_name="r.zip",
        )  # fmt: skip
        return str(job.pk)

    return {"job_id": done(ARCHIVE_JOB), "report_job_id": done(REPORT_JOB)}


def build_world() -> World:
    region = OrganisationFactory(kind=OrgKind.REGION, short_name="Регион", slug="r")
    mun = OrganisationFactory(kind=OrgKind.MUNICIPALITY, parent=region, slug="m1")
    mun2 = OrganisationFactory(kind=OrgKind.MUNICIPALITY, parent=region, slug="m2")
    school = OrganisationFactory(parent=mun, slug="a")
    other = OrganisationFactory(parent=mun, slug="b")
    far = OrganisationFactory(parent=mun2, slug="c")

    users = {"anonymous": None}

    def member(key: str, org: Organisation, role: str) -> None:
        user = UserFactory(email=f"{key}@example.org")
        MembershipFactory(user=user, organisation=org, role=role)
        users[key] = user

    for role in (Role.CURATOR, Role.HEAD, Role.MENTOR, Role.MENTEE, Role.ADMIN):
        member(str(role), school, role)
    member("methodist", mun, Role.METHODIST)
    member("far_methodist", mun2, Role.METHODIST)
    member("region_admin", region, Role.ADMIN)
    member("outsider", other, Role.CURATOR)

    samples: dict[int, dict[str, object]] = {}
    for org in (school, other, far):
        person = PersonFactory(organisation=org)
        consent = ConsentFactory(
            person=person,
            given_on=datetime.date(2026, 9, 1),
            scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
        act = DestructionAct.objects.create(
            organisation=org, number=f"У-{org.pk}", subject_label="—", destroyed_items="—"
        )
        batch = ImportBatch.objects.create(organisation=org, file_name="staff.xlsx")
        membership = MembershipFactory(organisation=org, role=Role.MENTEE)
        template = install_shipped(org=org)[0]
        campaign = Campaign.objects.create(
            organisation=org, template=template, title="Опрос", deadline=datetime.date(2099, 1, 1)
        )
        invitation = Invitation.objects.create(campaign=campaign, person=person)
        profile = Profile.objects.create(
            organisation=org, person=person, kind="mentee", year=academic_year()
        )
        ensure_dictionaries(org=org)
        mentor = PersonFactory(organisation=org)
        unit = MentoringUnit.objects.create(
            organisation=org, year=academic_year(), mentor=mentor,
            pairing=PairingType.objects.filter(organisation=org).first(),
            format=FormatType.objects.filter(organisation=org).first(),
            start_date=datetime.date(2026, 9, 1), end_date=datetime.date(2027, 5, 31),
        )  # fmt: skip
        task = Task.objects.create(
            programme=Programme.objects.create(unit=unit), direction="М", title="Урок",
            deadline=datetime.date(2026, 10, 1), responsible=mentor,
            evidence_file=SimpleUploadedFile("e.pdf", b"%PDF-1.4\n%%EOF\n"),
        )  # fmt: skip
        samples[org.pk] = {
            "entry_id": unit.format_id,
            "task_id": task.pk,
            "unit_id": unit.pk,
            "profile_id": profile.pk,
            "template_id": template.pk,
            "question_id": template.questions.first().pk,
            "competency_id": org.competencies.first().pk,
            "campaign_id": campaign.pk,
            "invitation_id": invitation.pk,
            "token": invitation.token,
            "person_id": person.pk,
            "consent_id": consent.pk,
            "act_id": act.pk,
            "batch_id": batch.pk,
            "membership_id": membership.pk,
            "user_id": membership.user_id,
            "run_id": MatchingRun.objects.create(organisation=org, year=academic_year()).pk,
            "material_id": Material.objects.create(
                organisation=org,
                kind="practice",  # a practice opens every page, the competition export too
                title="Памятка",
                status="published",
                body="Текст",
                file=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n"),
            ).pk,
            "event_id": Event.objects.create(
                organisation=org,
                kind="session",
                title="Сессия",
                audience="mentors",
                starts_at=datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC),
                ends_at=datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC),
            ).pk,
            "item_id": RoadmapItem.objects.create(
                organisation=org,
                year=academic_year(),
                stage=1,
                activity="Приказ",
                start=datetime.date(2026, 9, 1),
                end=datetime.date(2026, 9, 30),
            ).pk,
            **news_samples(org),
            "token_id": ApiToken.objects.create(
                organisation=org, name="Ключ", role=Role.CURATOR, key_hash=f"{org.pk:064d}"
            ).pk,
            "rule_id": PayRule.objects.create(
                organisation=org, valid_from=datetime.date(2026, 9, 1), per_mentee=1000
            ).pk,
            # The month's register the downloads serve (they default to the current month).
            "register_id": PayRegister.objects.create(
                organisation=org,
                year=timezone.localdate().year,
                month=timezone.localdate().month,
                basis="sum",
                norm=22,
            ).pk,
            "document_id": Document.objects.create(
                organisation=org,
                kind="curator",
                series="order",
                year=2026,
                seq=1,
                number="1-о",
                date=datetime.date(2026, 11, 1),
                title="О назначении куратора",
                file=SimpleUploadedFile("order.docx", b"PK\x03\x04"),
            ).pk,
        }

    # A municipality's pages reach objects of its schools (e.g. a person card).
    def network_run(org: Organisation) -> int:
        run = MatchingRun.objects.create(organisation=org, year=academic_year(), scope="network")
        return run.pk

    for parent, schools in ((mun, (school, other)), (mun2, (far,)), (region, ())):
        run_id = network_run(parent)
        for child in schools:
            samples[child.pk]["network_run_id"] = run_id  # a school never shows it: 404
    samples[mun.pk] = {**samples[school.pk], "network_run_id": samples[school.pk]["network_run_id"]}
    samples[mun2.pk] = {**samples[far.pk]}
    samples[region.pk] = {**samples[school.pk], "network_run_id": network_run(region)}
    # News are the organisation's own at every level.
    for org in (mun, mun2, region):
        samples[org.pk].update(news_samples(org))
    # A monitoring form is the municipality's (or region's); its schools answer it.
    for parent, orgs in ((mun, (mun, school, other)), (mun2, (mun2, far)), (region, (region,))):
        form = MonitoringForm.objects.create(
            organisation=parent, title="Форма", year=academic_year(),
            deadline=datetime.date(2099, 1, 1), indicators=["M01"],
        )  # fmt: skip
        for org in orgs:
            samples[org.pk]["form_id"] = form.pk
    # Jobs too (the archive in a school, the report above).
    for org in (school, other, far, mun, mun2, region):
        samples[org.pk].update(job_samples(org))
    return World(region, mun, mun2, school, other, far, samples, users)


# Values for URL kwargs that are not objects of an organisation.
CONSTANT_KWARGS = {"number": 1, "kind": "processing", "uidb64": "MQ", "network": "vk"}
# URL kwargs whose sample depends on the route (same name, different meaning).
ROUTE_KWARGS = {
    "programs:dictionary-toggle": {"kind": "format"},
    "documents:create": {"kind": "curator"},
    "documents:template": {"kind": "pairs"},
    "documents:template-reset": {"kind": "pairs"},
    "documents:file": {"what": "docx"},
}
# Public pages reached by a secret in the URL: a wrong secret answers 404.
SECRET_KWARGS = {"token"}


def url_for(route: Route, world: World, org: Organisation | None, objects_of=None) -> str:
    kwargs = {}
    for name in route.kwargs:
        if name == "org_id":
            kwargs[name] = org.pk
        elif name in ROUTE_KWARGS.get(route.name, {}):
            kwargs[name] = ROUTE_KWARGS[route.name][name]
        elif name in CONSTANT_KWARGS:
            kwargs[name] = CONSTANT_KWARGS[name]
        elif route.name == "password_reset_confirm" and name == "token":
            kwargs[name] = "set-password"
        elif org is None:
            kwargs[name] = "forged" if name in SECRET_KWARGS else 999999
        else:
            source = world.samples[(objects_of or org).pk]
            assert name in source, (
                f"{route.name}: no sample for URL kwarg «{name}» — add one to build_world()"
            )
            kwargs[name] = source[name]
    return reverse(route.name, kwargs=kwargs)


def expected_status(route: Route, user, org: Organisation, method: str = "GET") -> int | None:
    """The status the route's declared protection gives; None: allowed to POST (any answer)."""
    protection = route.protection
    if user is None:
        return 302
    if not Organisation.objects.visible_to(user).filter(pk=org.pk).exists():
        return 404
    roles = roles_at(user, org)
    if not role_allows(roles, protection.perm):
        return 403
    if method not in protection.methods:
        return 405
    if not protection.level.admits(org):
        return 404
    if method == "POST":
        return None if role_allows(roles, protection.post_perm) else 403
    return 200


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_route_declares_its_protection():
    undeclared = [r.name for r in ROUTES if not (r.perm or r.is_public or r.is_login_only)]
    assert undeclared == [], f"views without @org_view/@login_view/@public_view: {undeclared}"


def test_every_org_route_takes_the_org_first():
    assert [r.name for r in ROUTES if r.perm and "org_id" not in r.kwargs] == []


def test_every_declared_permission_is_in_the_table():
    declared = {p for r in ROUTES if r.protection for p in (r.perm, r.post_perm)}
    assert declared - set(PERMISSIONS) == set()


PERSONAS = [
    "anonymous",
    "curator",
    "head",
    "mentor",
    "mentee",
    "admin",
    "methodist",
    "far_methodist",
    "region_admin",
    "outsider",
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_org_routes_answer_as_the_permission_table_says(persona):
    world = build_world()
    user = world.users[persona]
    client = client_of(user)
    targets = [world.school, world.other_school, world.far_school, world.municipality]
    failures = []
    for route in (r for r in ROUTES if r.perm):
        for org in targets:
            url = url_for(route, world, org)
            expected = expected_status(route, user, org)
            actual = client.get(url).status_code
            if actual != expected:
                failures.append(f"{persona} GET {url} ({route.name}): {actual}, want {expected}")
            # A POST that the declaration refuses is refused before the view runs (so it changes
            # nothing); what an allowed POST answers is the view's own business.
            expected = expected_status(route, user, org, "POST")
            if expected is not None and (actual := client.post(url).status_code) != expected:
                failures.append(f"{persona} POST {url} ({route.name}): {actual}, want {expected}")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["curator", "head", "admin", "methodist", "region_admin"])
def test_another_schools_object_under_own_org_is_404(persona):
    world = build_world()
    client = client_of(world.users[persona])
    failures = []
    for route in ROUTES:
        object_kwargs = [k for k in route.kwargs if k not in ("org_id", *CONSTANT_KWARGS)]
        if not route.perm or not object_kwargs:
            continue
        url = url_for(route, world, world.school, objects_of=world.far_school)
        roles = roles_at(world.users[persona], world.school)
        for method in ("GET", "POST"):
            status = client.generic(method, url).status_code
            if method not in route.protection.methods and status == 405:
                continue  # the method is refused before any object is looked up
            if status not in (403, 404):
                failures.append(f"{persona} {method} {url} ({route.name}): {status}")
            perms = (route.perm, route.post_perm) if method == "POST" else (route.perm,)
            if status == 403 and all(role_allows(roles, perm) for perm in perms):
                failures.append(f"{persona} {method} {url}: 403 though allowed")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["mentor", "outsider", "far_methodist", "anonymous"])
def test_posts_from_outsiders_change_nothing(persona):
    world = build_world()
    client = client_of(world.users[persona])
    before = (Membership.objects.count(), ImportBatch.objects.filter(status="applied").count())
    roles = roles_at(user, world.school) if (user := world.users[persona]) else Roles()
    for route in (r for r in ROUTES if r.perm):
        url = url_for(route, world, world.school)
        status = client.post(url, {"role": "curator", "email": "x@example.org"}).status_code
        allowed = role_allows(roles, route.perm) and role_allows(roles, route.post_perm)
        # Read-only pages may render on POST for those allowed to read them; nothing changes.
        assert status in ((200, 302, 403, 404) if allowed else (302, 403, 404)), (
            f"{persona} POST {url}: {status}"
        )
    after = (Membership.objects.count(), ImportBatch.objects.filter(status="applied").count())
    assert after == before


@pytest.mark.django_db
def test_roles_from_above_read_but_never_write_below():
    """The municipal methodist's role counts in its schools for reading only: every route of an
    own-level permission refuses a POST in a school (403), and nothing changes."""
    world = build_world()
    methodist = world.users["methodist"]
    client = client_of(methodist)
    writes = [r for r in ROUTES if r.post_perm in OWN_LEVEL]
    before = (Membership.objects.count(), Post.objects.count(), ApiToken.objects.count())
    failures = []
    for route in writes:
        url = url_for(route, world, world.school)
        status = client.post(url, {"role": "mentor", "email": "x@example.org"}).status_code
        if status != 403:
            failures.append(f"methodist POST {url} ({route.name}): {status}, want 403")
    assert failures == []
    assert (Membership.objects.count(), Post.objects.count(), ApiToken.objects.count()) == before
    # At the municipality, its own level, the same role does write.
    at_home = roles_at(methodist, world.municipality)
    assert sorted({r.post_perm for r in writes if role_allows(at_home, r.post_perm)}) == [
        "api.manage", "library.manage", "matching.network", "monitoring.collect",
        "org.create_child", "publicity.manage",
    ]  # fmt: skip


# Personal actions that only POST (GET answers 405).
LOGIN_POST_ONLY = {"maxbot:unlink"}
# Open to the network but checked by a shared secret instead of a session: the MAX webhook.
MACHINE_ENDPOINTS = {"maxbot:webhook"}


@pytest.mark.django_db
def test_public_and_login_routes():
    world = build_world()
    anonymous, curator = client_of(None), client_of(world.users["curator"])
    for route in ROUTES:
        if route.perm:
            continue
        url = url_for(route, world, None)
        has_object = any(k not in CONSTANT_KWARGS for k in route.kwargs)
        if route.is_login_only:
            assert anonymous.get(url).status_code == 302, url
            # Someone else's object (here: none of the curator's own) is 404.
            expected = (404,) if has_object else (200, 302)
            if route.name in LOGIN_POST_ONLY:
                expected = (405,)
            assert curator.get(url).status_code in expected, url
        elif route.name in MACHINE_ENDPOINTS:
            # Called by another system with a shared secret, POST only: no secret → 403.
            assert anonymous.get(url).status_code == 405, url
            assert anonymous.post(url).status_code == 403, url
        elif route.name == "logout":
            assert anonymous.post(url).status_code == 302, url
        elif route.name != "password_reset_confirm" and has_object:
            assert anonymous.get(url).status_code == 404, url  # a forged secret
        else:
            assert anonymous.get(url).status_code == 200, url


@pytest.mark.django_db
def test_secret_links_open_only_their_own_object():
    world = build_world()
    client = Client()
    for org in (world.school, world.far_school):
        invitation = Invitation.objects.select_related("person").get(campaign__organisation=org)
        others = Invitation.objects.exclude(pk=invitation.pk).select_related("person")
        page = client.get(reverse("surveys:answer", args=[invitation.token])).content.decode()
        assert invitation.person.full_name in page
        assert [o.person.full_name for o in others if o.person.full_name in page] == []
