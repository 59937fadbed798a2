"""View decorators that check the roles of the organisation in scope.

`OrganisationInScopeMiddleware` (accounts) has set `request.organisation` and
`request.permissions` before any view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from engage.core.roles import Permission

View = Callable[..., HttpResponse]


def require_permission(*needed: Permission) -> Callable[[View], View]:
    """Sign-in first (redirect), then every needed permission (403 otherwise)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            granted: frozenset[Permission] = getattr(request, "permissions", frozenset())
            missing = [permission.value for permission in needed if permission not in granted]
            if missing:
                # The message is for the server log (engage/core/request_log.py); the page says less.
                raise PermissionDenied(f"Lacks the permission {', '.join(missing)}.")
            return view(request, *args, **kwargs)

        wrapped.required_permissions = needed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def require_sign_in(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
