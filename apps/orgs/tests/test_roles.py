"""Handing out and taking away roles: only roles below one's own, never to or from oneself.

The same rule limits the role of an API key (apps/api), so both are checked here.
"""

import pytest
from django.urls import reverse

from apps.api.models import ApiToken
from apps.orgs.choices import Role
from apps.orgs.models import Membership, roles_at
from apps.orgs.permissions import Roles, may_grant, may_revoke
from apps.orgs.services import RoleError, grant_role, revoke_role
from conftest import client_for
from tests.factories import MembershipFactory, PersonFactory, UserFactory

C, H, MR, ME, MT, A = Role.CURATOR, Role.HEAD, Role.MENTOR, Role.MENTEE, Role.METHODIST, Role.ADMIN


def members_url(org) -> str:
    return reverse("orgs:member-list", args=[org.pk])


def remove_url(membership) -> str:
    return reverse("orgs:member-remove", args=[membership.organisation_id, membership.pk])


def role_choices(client, org) -> list[str]:
    return [
        value
        for value, _label in client.get(members_url(org)).context["form"]["role"].field.choices
    ]


def test_it_ranks_roles_for_granting():
    assert [r for r in Role.values if may_grant(Roles(own={C}), r)] == [MR, ME]
    assert [r for r in Role.values if may_grant(Roles(own={H}), r)] == [C, MR, ME]
    assert [r for r in Role.values if may_grant(Roles(own={A}), r)] == Role.values
    assert [r for r in Role.values if may_grant(Roles(own={MR}), r)] == []


def test_it_does_not_count_a_methodists_role_from_above_for_granting():
    assert [r for r in Role.values if may_grant(Roles(inherited={MT}), r)] == []
    assert [r for r in Role.values if may_grant(Roles(own={C}, inherited={MT}), r)] == [MR, ME]
    assert [r for r in Role.values if may_grant(Roles(inherited={A}), r)] == Role.values


def test_it_revokes_by_the_same_rank():
    assert [r for r in Role.values if may_revoke(Roles(own={C}), r)] == [MR, ME]
    assert [r for r in Role.values if may_revoke(Roles(own={H}), r)] == [C, MR, ME]


def test_it_refuses_a_curator_making_themselves_head(curator, school):
    response = client_for(curator).post(
        members_url(school), {"email": "Curator@S1.example.org", "role": H}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "role": ["Выберите корректный вариант. head нет среди допустимых значений."]
    }
    assert list(Membership.objects.filter(user=curator).values_list("role", flat=True)) == [C]


def test_it_refuses_a_curator_granting_head_in_the_service(curator, school):
    with pytest.raises(RoleError) as error:
        grant_role(org=school, actor=curator, email=curator.email, role=H)
    assert str(error.value) == (
        "Роль «Руководитель ОО» в организации «Школа № 1» вам назначить нельзя: "
        "назначают только роли ниже своей."
    )
    assert list(Membership.objects.filter(user=curator).values_list("role", flat=True)) == [C]


def test_it_refuses_a_role_granted_to_oneself(head, school):
    response = client_for(head).post(members_url(school), {"email": head.email, "role": C})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Нельзя назначить роль самому себе: это делает руководитель или администратор."]
    }
    assert list(Membership.objects.filter(user=head).values_list("role", flat=True)) == [H]


def test_it_refuses_the_head_granting_head(head, school):
    response = client_for(head).post(
        members_url(school), {"email": "deputy@example.org", "role": H}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["role"]
    assert not Membership.objects.filter(user__email="deputy@example.org").exists()


def test_it_lets_the_head_appoint_a_curator(head, school):
    response = client_for(head).post(members_url(school), {"email": "new@example.org", "role": C})
    assert response.status_code == 302
    assert (
        Membership.objects.filter(user__email="new@example.org", organisation=school).get().role
        == C
    )


def test_it_offers_only_roles_below_ones_own(curator, head, school_admin, school):
    assert role_choices(client_for(curator), school) == [MR, ME]
    assert role_choices(client_for(head), school) == [C, MR, ME]
    assert role_choices(client_for(school_admin), school) == [C, H, MR, ME, A]


def test_it_refuses_a_curator_removing_the_head(curator, head, school):
    membership = head.memberships.get()
    response = client_for(curator).post(remove_url(membership), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Роль «Руководитель ОО» вам снять нельзя: снимают только роли ниже своей."
    ]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_a_curator_removing_another_curator(curator, school):
    other = MembershipFactory(organisation=school, role=C)
    client_for(curator).post(remove_url(other))
    assert Membership.objects.filter(pk=other.pk).exists()


def test_it_refuses_the_head_removing_their_own_role(head, school):
    membership = head.memberships.get()
    response = client_for(head).post(remove_url(membership), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Нельзя снять роль с самого себя."]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_refuses_removal_in_the_service(curator, head, school):
    membership = head.memberships.get()
    with pytest.raises(RoleError):
        revoke_role(membership=membership, actor=curator)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_lets_the_head_remove_a_curator(curator, head, school):
    membership = curator.memberships.get()
    assert client_for(head).post(remove_url(membership)).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_it_lets_an_admin_appoint_and_remove_a_head_and_another_admin(school_admin, head, school):
    client = client_for(school_admin)
    assert (
        client.post(members_url(school), {"email": "a2@example.org", "role": A}).status_code == 302
    )
    second = Membership.objects.get(user__email="a2@example.org")
    assert client.post(remove_url(head.memberships.get())).status_code == 302
    assert client.post(remove_url(second)).status_code == 302
    assert list(Membership.objects.filter(organisation=school).values_list("user", "role")) == [
        (school_admin.pk, A)
    ]


def test_it_refuses_an_admin_removing_their_own_role(school_admin, school):
    membership = school_admin.memberships.get()
    client_for(school_admin).post(remove_url(membership))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_it_lets_a_municipal_admin_appoint_a_schools_head(municipality, school):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=municipality, role=A)
    response = client_for(admin).post(members_url(school), {"email": "h@example.org", "role": H})
    assert response.status_code == 302
    assert Membership.objects.get(user__email="h@example.org").organisation == school


def test_it_refuses_a_key_role_above_the_creators_through_the_same_rule(curator, school):
    url = reverse("api_tokens:token-list", args=[school.pk])
    response = client_for(curator).post(url, {"name": "x", "role": H, "scope": "write"})
    assert list(response.context["form"].errors) == ["role"]
    assert not ApiToken.objects.exists()
    roles = roles_at(curator, school)
    choices = response.context["form"]["role"].field.choices
    assert [value for value, _label in choices] == [
        r for r in Role.values if r in roles or may_grant(roles, r)
    ]


def test_it_refuses_the_staff_card_invitation_to_oneself_or_above(curator, school):
    person = PersonFactory(organisation=school, email=curator.email)
    url = reverse("people:person-invite", args=[school.pk, person.pk])
    client = client_for(curator)
    own = client.post(url, {"role": MR}, follow=True)
    above = client.post(url, {"role": H}, follow=True)
    assert [str(m) for m in own.context["messages"]] == [
        "Нельзя назначить роль самому себе: это делает руководитель или администратор."
    ]
    assert [str(m) for m in above.context["messages"]] == ["Выберите роль из списка."]
    assert list(Membership.objects.filter(user=curator).values_list("role", flat=True)) == [C]
