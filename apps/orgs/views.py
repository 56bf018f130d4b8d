from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.orgs.access import ABOVE_SCHOOL, POST_ONLY, login_view, org_view, public_view
from apps.orgs.forms import (
    ChildOrganisationForm,
    MembershipForm,
    OrganisationForm,
    QueuedPasswordResetForm,
)
from apps.orgs.services import (
    RoleError,
    create_child_organisation,
    grant_role,
    grantable_roles,
    revoke_role,
)
from apps.orgs.twofactor import must_use, safe_next, setup_device


@public_view
class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    redirect_authenticated_user = True


@public_view
class LogoutView(auth_views.LogoutView):
    pass


@public_view
class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "orgs/password_reset.html"
    email_template_name = "orgs/password_reset_email.txt"
    subject_template_name = "orgs/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


@public_view
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "orgs/password_reset_done.html"


@public_view
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "orgs/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


@public_view
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "orgs/password_reset_complete.html"


@org_view("org.edit")
def org_edit(request, org):
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Сведения об организации сохранены.")
        return redirect("orgs:org-edit", org_id=org.pk)
    return render(request, "orgs/org_edit.html", {"org": org, "form": form})


@org_view("org.create_child", level=ABOVE_SCHOOL)
def org_create_child(request, org):
    form = ChildOrganisationForm(request.POST or None, request.FILES or None, parent=org)
    if request.method == "POST" and form.is_valid():
        child = create_child_organisation(parent=org, form=form)
        messages.success(request, f"Организация «{child.short_name}» добавлена.")
        return redirect("overview:org-dashboard", org_id=child.pk)
    kinds = [label for _value, label in form.fields["kind"].choices]
    return render(request, "orgs/org_create_child.html", {"org": org, "form": form, "kinds": kinds})


@org_view("members.manage")
def member_list(request, org):
    allowed = grantable_roles(org=org, granter_roles=request.roles)
    form = MembershipForm(request.POST or None, allowed_roles=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            _membership, created = grant_role(
                org=org,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                full_name=form.cleaned_data["full_name"],
                request=request,
            )
        except RoleError as error:
            form.add_error(error.field, str(error))
        else:
            note = " Письмо с приглашением поставлено в очередь на отправку." if created else ""
            messages.success(request, "Роль назначена." + note)
            return redirect("orgs:member-list", org_id=org.pk)
    # The staff record linked to each account (people sits above: read by the reverse relation).
    memberships = org.memberships.select_related("user__person").order_by("user__full_name", "role")
    return render(
        request,
        "orgs/member_list.html",
        {"org": org, "form": form, "memberships": memberships, "allowed_roles": allowed},
    )


@org_view("members.manage", methods=POST_ONLY)
def member_remove(request, org, membership_id):
    membership = get_object_or_404(org.memberships, pk=membership_id)
    try:
        revoke_role(membership=membership, actor=request.user)
    except RoleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Роль снята.")
    return redirect("orgs:member-list", org_id=org.pk)


@login_view
def two_factor(request):
    """Enter the code from the authenticator app; without a confirmed app, set one up first."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setup = device is None
    if setup:
        device = setup_device(request.user)
    error = ""
    if request.method == "POST":
        code = "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            error = "Слишком много неверных кодов подряд — подождите минуту и попробуйте снова."
        elif len(code) == 6 and device.verify_token(code):
            if setup:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            if setup:
                messages.success(request, "Вход с кодом из приложения включён.")
            return redirect(safe_next(request))
        else:
            error = "Код не подошёл. Введите 6 цифр, которые приложение показывает сейчас."
    context = {"setup": setup, "error": error, "next": safe_next(request),
               "required": must_use(request.user)}  # fmt: skip
    if setup:
        context["qr"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "orgs/two_factor.html", context, status=400 if error else 200)


@login_view
def account_security(request):
    """Whether the second factor is on; switching it off only where no organisation requires it."""
    required = must_use(request.user)
    if request.method == "POST":
        if required:
            messages.error(request, "Ваша организация требует вход с кодом — отключить его нельзя.")
        else:
            TOTPDevice.objects.filter(user=request.user).delete()
            messages.success(request, "Вход с кодом из приложения отключён.")
        return redirect("account-security")
    enabled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(request, "orgs/account_security.html", {"enabled": enabled, "required": required})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer after too many wrong passwords (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked.html", {"cooloff_minutes": minutes}, status=429)
