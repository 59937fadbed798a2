"""The emails that carry a link to choose a password: an invitation, or a reset."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from engage.core.selectors import partnership_name


def password_link(*, user: Any, kind: str, token: str) -> str:
    name = "accounts:invitation-accept" if kind == "invitation" else "accounts:password-reset-confirm"
    path = reverse(name, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token})
    return f"{settings.ENGAGE_PUBLIC_URL}{path}"


def password_link_email(*, user: Any, kind: str, token: str) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "link": password_link(user=user, kind=kind, token=token),
        "partnership": partnership_name(),
        "days": settings.ENGAGE_INVITATION_DAYS,
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "sign_in": f"{settings.ENGAGE_PUBLIC_URL}{reverse('accounts:sign-in')}",
    }
    subject = (
        f"You have been invited to {partnership_name()}"
        if kind == "invitation"
        else f"Set a new password for {partnership_name()}"
    )
    template = "invitation" if kind == "invitation" else "password_reset"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"accounts/email/{template}.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"accounts/email/{template}.html", context), "text/html")
    return message
