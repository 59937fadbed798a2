"""The one-time code that opens the first-run page.

Before the partnership is set up there is no one to sign in, so the web page that sets
it up (the same as `engage setup`) is opened by a code that only whoever runs the
server can see: `engage serve` prints it on the console. Only a keyed hash of the code
is stored; it lasts FIRST_RUN_CODE_HOURS, only the newest is good, and it is spent when
the partnership is set up.
"""

from __future__ import annotations

from django.db import models


class FirstRunCode(models.Model):
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"First-run code of {self.created_at:%Y-%m-%d %H:%M}"
