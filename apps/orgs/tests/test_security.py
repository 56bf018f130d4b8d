"""Login throttling, two-factor login with TOTP, and the security headers."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.orgs.choices import Role
from tests.factories import MembershipFactory, UserFactory
from tests.html import errors, text_of

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_five_wrong_passwords_lock_the_login_with_a_russian_message(settings):
    user = UserFactory(email="teacher@example.org")
    user.set_password("right-pass-123")
    user.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.email, "wrong").status_code == 200
    locked = login(client, user.email, "wrong")
    assert locked.status_code == 429
    assert text_of(locked, "h1") == "Вход временно заблокирован"
    assert "заблокирован на 15 минут" in text_of(locked, ".alert-warning")
    # Even the right password is refused now; another account is not affected.
    assert login(client, user.email, "right-pass-123").status_code == 429
    other = UserFactory(email="other@example.org")
    other.set_password("other-pass-123")
    other.save()
    assert login(client, other.email, "other-pass-123").status_code == 302


def test_a_successful_login_resets_the_failures():
    user = UserFactory(email="head@example.org")
    user.set_password("right-pass-123")
    user.save()
    client = Client()
    for _ in range(3):
        login(client, user.email, "wrong")
    assert login(client, user.email, "right-pass-123").status_code == 302
    client.logout()
    for _ in range(3):
        assert login(client, user.email, "wrong").status_code == 200


def test_required_second_factor_is_set_up_then_asked_at_every_login(school):
    school.require_two_factor = True
    school.save()
    user = UserFactory(email="cur@example.org")
    user.set_password("right-pass-123")
    user.save()
    MembershipFactory(user=user, organisation=school, role=Role.CURATOR)
    client = Client()
    assert login(client, user.email, "right-pass-123").status_code == 302
    dashboard = reverse("overview:org-dashboard", args=[school.pk])
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor"))
    setup = client.get(response["Location"]).content.decode()
    assert "<svg" in setup
    assert "Ваша организация требует" in setup
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two-factor"), {"code": "000000", "next": dashboard})
    assert wrong.status_code == 400
    assert errors(wrong) == [
        "Код не подошёл. Введите 6 цифр, которые приложение показывает сейчас."
    ]
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above made it wait
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(reverse("two-factor"), {"code": code_for(device), "next": dashboard})
    assert ok.status_code == 302
    assert ok["Location"] == dashboard
    assert client.get(dashboard).status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    # A new session needs the code again; switching it off is refused while required.
    second = Client()
    login(second, user.email, "right-pass-123")
    assert second.get(dashboard).status_code == 302
    second.post(reverse("account-security"))
    assert TOTPDevice.objects.filter(user=user).exists()


def test_roles_without_the_requirement_and_users_without_a_device_log_in_as_before(school):
    school.require_two_factor = True
    school.save()
    mentor = UserFactory(email="m@example.org")
    MembershipFactory(user=mentor, organisation=school, role=Role.MENTOR)
    client = Client()
    client.force_login(mentor)
    assert client.get(reverse("overview:org-dashboard", args=[school.pk])).status_code == 200


def test_a_user_with_a_device_is_asked_even_if_not_required(school):
    user = UserFactory(email="v@example.org")
    MembershipFactory(user=user, organisation=school, role=Role.MENTOR)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("overview:org-dashboard", args=[school.pk])).status_code == 302
    assert client.get(reverse("publicity:vi")).status_code == 200  # public pages stay open
    # The security page (where the code is switched off) is behind the code too.
    assert client.get(reverse("account-security")).status_code == 302
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two-factor"), {"code": code_for(device)})
    assert text_of(client.get(reverse("account-security")), "p.text-success strong") == (
        "Вход с кодом включён."
    )
    client.post(reverse("account-security"))
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_security_headers(curator_client, school):
    response = curator_client.get(reverse("overview:org-dashboard", args=[school.pk]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_only_the_news_block_may_be_embedded(school):
    from apps.publicity.services import page_for

    page = page_for(school)
    page.is_published = True
    page.save()
    embed = Client().get(reverse("publicity:embed", args=[school.slug]))
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    page_response = Client().get(reverse("publicity:page", args=[school.slug]))
    assert "frame-ancestors 'none'" in page_response["Content-Security-Policy"]
