"""The one-use link in an invitation: Django's password-reset token, with its own salt
(a reset link is no invitation, nor the other way round) and its own lifetime."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like a reset link, used up once the password is set (the token hashes the
    password), but lasting ENGAGE_INVITATION_DAYS rather than PASSWORD_RESET_TIMEOUT:
    people are invited before they start, and may not open the email that day."""

    key_salt = "engage.accounts.sign_in.invitation"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            stamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - stamp > settings.ENGAGE_INVITATION_DAYS * 24 * 60 * 60:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, stamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()
