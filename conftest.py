"""Personas shared by every test: two municipalities, three schools, a user per role.

Region R → municipality M1 (schools A and B) and municipality M2 (school C).
`school` is "ours"; `other_school` (B, same municipality) and `far_school` (C) are outsiders
for school roles; the methodist of M1 sees A and B but not C.
"""

import pytest
from django.test import Client

from apps.orgs.choices import OrgKind, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def region(db):
    return OrganisationFactory(kind=OrgKind.REGION, short_name="Регион", slug="region")


@pytest.fixture
def municipality(region):
    return OrganisationFactory(
        kind=OrgKind.MUNICIPALITY, parent=region, short_name="Город Энск", slug="ensk"
    )


@pytest.fixture
def other_municipality(region):
    return OrganisationFactory(
        kind=OrgKind.MUNICIPALITY, parent=region, short_name="Район", slug="rayon"
    )


@pytest.fixture
def school(municipality):
    return OrganisationFactory(parent=municipality, short_name="Школа № 1", slug="s1")


@pytest.fixture
def other_school(municipality):
    return OrganisationFactory(parent=municipality, short_name="Школа № 2", slug="s2")


@pytest.fixture
def far_school(other_municipality):
    return OrganisationFactory(parent=other_municipality, short_name="Школа № 3", slug="s3")


def _member(org, role, email):
    user = UserFactory(email=email, full_name=f"{Role(role).label} ({org.short_name})")
    MembershipFactory(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def curator(school):
    return _member(school, Role.CURATOR, "curator@s1.example.org")


@pytest.fixture
def head(school):
    return _member(school, Role.HEAD, "head@s1.example.org")


@pytest.fixture
def mentor(school):
    return _member(school, Role.MENTOR, "mentor@s1.example.org")


@pytest.fixture
def mentee(school):
    return _member(school, Role.MENTEE, "mentee@s1.example.org")


@pytest.fixture
def school_admin(school):
    return _member(school, Role.ADMIN, "admin@s1.example.org")


@pytest.fixture
def methodist(municipality):
    return _member(municipality, Role.METHODIST, "methodist@ensk.example.org")


@pytest.fixture
def outsider(other_school):
    """Curator of another school in the same municipality."""
    return _member(other_school, Role.CURATOR, "curator@s2.example.org")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def curator_client(curator):
    return client_for(curator)


@pytest.fixture
def head_client(head):
    return client_for(head)


@pytest.fixture
def mentor_client(mentor):
    return client_for(mentor)


@pytest.fixture
def methodist_client(methodist):
    return client_for(methodist)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
