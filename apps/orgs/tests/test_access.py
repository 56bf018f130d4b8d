"""@org_view enforces what it declares: permission, POST permission, organisation level, methods."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from apps.orgs.access import ABOVE_SCHOOL, POST_ONLY, SCHOOL, Protection, org_view
from apps.orgs.choices import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

calls: list[str] = []


@org_view("units.view", post="units.manage", level=SCHOOL)
def school_page(request, org):
    calls.append(request.method)
    return HttpResponse("ok")


@org_view("staff.view", level=ABOVE_SCHOOL)
def network_page(request, org):
    calls.append(request.method)
    return HttpResponse("ok")


@org_view("units.manage", methods=POST_ONLY)
def action(request, org):
    calls.append(request.method)
    return HttpResponse("done")


@pytest.fixture(autouse=True)
def _calls():
    calls.clear()


def call(view, user, org, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return view(request, org.pk)


def test_it_keeps_the_declaration_on_the_view():
    assert school_page.protection == Protection(
        perm="units.view", post_perm="units.manage", level=SCHOOL, methods=("GET", "HEAD", "POST")
    )
    assert action.protection == Protection("units.manage", "units.manage", "any", ("POST",))


def test_it_lets_a_reader_read_and_the_post_permission_holder_post(head, curator, school):
    assert call(school_page, head, school).status_code == 200
    assert call(school_page, curator, school, "post").status_code == 200
    assert calls == ["GET", "POST"]


def test_it_refuses_a_post_without_the_post_permission(head, school):
    with pytest.raises(PermissionDenied):
        call(school_page, head, school, "post")
    assert calls == []


def test_it_answers_404_for_a_school_page_above_schools(municipality):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=municipality, role=Role.ADMIN)
    with pytest.raises(Http404):
        call(school_page, admin, municipality)
    assert calls == []


def test_it_answers_404_for_a_network_page_in_a_school(methodist, school, municipality):
    with pytest.raises(Http404):
        call(network_page, methodist, school)
    assert call(network_page, methodist, municipality).status_code == 200
    assert calls == ["GET"]


def test_it_answers_405_to_a_method_not_declared(curator, school):
    get = call(action, curator, school)
    put = call(school_page, curator, school, "put")
    assert (get.status_code, get["Allow"]) == (405, "POST")
    assert (put.status_code, put["Allow"]) == (405, "GET, HEAD, POST")
    assert calls == []


def test_it_checks_the_permission_before_the_method_and_the_level(mentor, school, municipality):
    with pytest.raises(PermissionDenied):
        call(action, mentor, school)
    with pytest.raises(Http404):  # another organisation's page: nothing about it is told
        call(school_page, mentor, municipality)


def test_it_sends_an_anonymous_visitor_to_log_in(school):
    response = call(school_page, AnonymousUser(), school)
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")
