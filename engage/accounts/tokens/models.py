"""A personal access token, kept as djangorestframework-api-key keeps keys: an 8-letter
prefix to find it by, and a SHA-512 hash of the whole key (the key itself is shown once,
when it is made, and never stored)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager


class TokenAccess(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class AccessTokenManager(APIKeyManager):
    pass


class AccessToken(AbstractAPIKey):
    """Acts as its owner, for one organisation they belong to, with at most the power
    their roles there give, and only reads unless it was made to write. It expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="access_tokens"
    )
    access = models.CharField(max_length=12, choices=TokenAccess.choices, default=TokenAccess.READ)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccessTokenManager()  # type: ignore[misc]

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "personal access token"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry_date__isnull=False), name="access_token_expires"
            ),
        ]
