"""Log-in, password reset, dashboards, organisation card and roles."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.orgs.choices import OrgKind, Role
from apps.orgs.models import Membership, Organisation, User
from tests.factories import MembershipFactory, PersonFactory
from tests.html import errors, select, text_of, texts


def test_it_logs_in_by_email_and_lands_on_the_school(db, curator, school):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "curator@s1.example.org", "password": "pass-1234"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse(
        "overview:org-dashboard", args=[school.pk]
    )


def test_it_explains_a_wrong_password_in_russian(db, curator):
    response = Client().post(reverse("login"), {"username": curator.email, "password": "wrong"})
    assert [e for e in errors(response) if "Неверный e-mail или пароль" in e], errors(response)


def test_it_logs_out_on_post_only(curator_client):
    assert curator_client.get(reverse("logout")).status_code == 405
    assert curator_client.post(reverse("logout")).status_code == 302


def test_it_sends_a_working_password_reset_link(db, curator):
    Client().post(reverse("password_reset"), {"email": curator.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    response = client.get(link, follow=True)
    assert text_of(response, "h1") == "Задайте пароль"
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Nastavnik-2026!", "new_password2": "Nastavnik-2026!"})
    curator.refresh_from_db()
    assert curator.check_password("Nastavnik-2026!")


def test_it_lists_organisations_for_users_with_several(db, curator, other_school):
    MembershipFactory(user=curator, organisation=other_school, role=Role.MENTOR)
    response = Client()
    response.force_login(curator)
    page = response.get(reverse("home"))
    assert page.status_code == 200
    assert text_of(page, "h1") == "Мои организации"
    assert sorted(texts(page, ".list-group a strong")) == sorted(
        [curator.memberships.first().organisation.short_name, other_school.short_name]
    )


def test_it_shows_counts_on_the_school_dashboard(curator_client, school):
    PersonFactory(organisation=school, is_young_specialist=True)
    PersonFactory(organisation=school)
    page = curator_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    stats = {
        card.select(".stat-label")[0].text: card.select(".stat-value")[0].text
        for card in select(page, ".stat-card")
    }
    assert (stats["сотрудника работают"], stats["молодой специалист"]) == ("2", "1")
    assert text_of(page, ".alert-warning").startswith(
        "Нет согласия на обработку персональных данных у 2 сотрудников"
    )


def test_it_shows_the_methodist_only_schools_below(
    methodist_client, municipality, school, other_school, far_school
):
    page = methodist_client.get(
        reverse("overview:org-dashboard", args=[municipality.pk])
    ).content.decode()

    def named(org) -> bool:  # «Школа № 3» must not match inside «Школа № 35»
        return re.search(re.escape(org.short_name) + r"(?!\d)", page) is not None

    assert named(school)
    assert named(other_school)
    assert not named(far_school)


@pytest.mark.parametrize("count", [1, 3])
def test_it_keeps_the_methodist_dashboard_flat_in_queries(
    methodist_client, municipality, count, django_assert_num_queries
):
    for index in range(count):
        org = Organisation.objects.create(
            kind=OrgKind.SCHOOL, parent=municipality, name=f"S{index}", short_name=f"S{index}",
            slug=f"q{index}",
        )  # fmt: skip
        PersonFactory(organisation=org)
    with django_assert_num_queries(10):
        methodist_client.get(reverse("overview:org-dashboard", args=[municipality.pk]))


def test_it_serves_the_seven_stages(curator_client, school):
    for number in range(1, 8):
        url = reverse("overview:stage-detail", args=[school.pk, number])
        assert curator_client.get(url).status_code == 200
    assert (
        curator_client.get(reverse("overview:stage-detail", args=[school.pk, 8])).status_code == 404
    )


def test_it_validates_the_inn(head_client, school):
    response = head_client.post(
        reverse("orgs:org-edit", args=[school.pk]),
        {"name": school.name, "short_name": school.short_name, "inn": "12ab"},
    )
    assert [e for e in errors(response) if "ИНН — 10 или 12 цифр." in e], errors(response)


def test_it_grants_a_role_and_invites_a_new_user(
    curator_client, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(
            reverse("orgs:member-list", args=[school.pk]),
            {"email": "New.Teacher@Example.org", "full_name": "Новикова Ольга", "role": "mentor"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.teacher@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=school, role="mentor").exists()
    assert mail.outbox[0].to == ["new.teacher@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_it_does_not_let_a_curator_grant_admin(curator_client, school):
    response = curator_client.post(
        reverse("orgs:member-list", args=[school.pk]),
        {"email": "x@example.org", "role": "admin"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_it_removes_roles_but_not_ones_own(curator_client, curator, school, mentor):
    own = curator.memberships.get()
    other = mentor.memberships.get()
    url = reverse("orgs:member-remove", args=[school.pk, own.pk])
    assert curator_client.get(url).status_code == 405
    curator_client.post(url)
    assert Membership.objects.filter(pk=own.pk).exists()
    curator_client.post(reverse("orgs:member-remove", args=[school.pk, other.pk]))
    assert not Membership.objects.filter(pk=other.pk).exists()


def test_it_lets_a_methodist_add_a_school(methodist_client, municipality):
    response = methodist_client.post(
        reverse("orgs:org-create-child", args=[municipality.pk]),
        {"kind": "school", "slug": "new-school", "name": "МБОУ СОШ № 99", "short_name": "СОШ № 99"},
    )
    child = Organisation.objects.get(slug="new-school")
    assert response.status_code == 302
    assert (child.parent, child.path) == (municipality, f"{municipality.path}{child.pk}/")


def test_a_taken_page_address_is_refused_by_name(methodist_client, municipality, school):
    response = methodist_client.post(
        reverse("orgs:org-create-child", args=[municipality.pk]),
        {"kind": "school", "slug": school.slug.upper(), "name": "МБОУ № 98", "short_name": "№ 98"},
    )
    assert response.status_code == 200
    assert f"Адрес «{school.slug}» уже занят организацией «{school.short_name}»" in (
        response.content.decode()
    )
    assert not Organisation.objects.filter(short_name="№ 98").exists()


def test_forms_validate_against_choices_set_after_init(db):
    from apps.orgs.forms import MembershipForm

    form = MembershipForm({"email": "x@example.org", "role": "admin"}, allowed_roles=["curator"])
    assert not form.is_valid()
    assert "is-invalid" in form.fields["role"].widget.attrs["class"]


def test_it_shows_a_mentor_their_own_consents(mentor_client, mentor, school):
    from tests.factories import ConsentFactory

    person = PersonFactory(organisation=school, user=mentor)
    ConsentFactory(person=person)
    page = mentor_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    mine = [item for item in select(page, "#me-h") for item in item.parent.select("li")]
    processing = [li for li in mine if li.text.startswith("✓ Обработка персональных данных")]
    assert [li.select(".consent-ok")[0].text for li in processing] == ["✓"]
