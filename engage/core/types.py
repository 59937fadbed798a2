"""The two parties every service is told about, typed once for every app.

- An `Actor` does something: a signed-in user, or None for the software itself (a
  command, the demo, a background task started by no one). Services record it in the
  audit trail (`engage.core.services.user_or_none`) and check its powers.
- A `Tenant` is the organisation in scope, whose personal data a request may reach
  (None for the public and for partnership-wide work); querysets take it in
  `for_organisation` (engage/core/scoping.py). Core knows no app, so here a tenant is
  any model (an app, which knows the partners app, names `Organisation` itself).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None
Tenant: TypeAlias = Model | None
