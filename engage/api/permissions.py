"""DRF permission checks that read the same role table as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from engage.core.roles import Permission


def requires(*needed: Permission) -> type[BasePermission]:
    class _Requires(BasePermission):
        message = "Your role in the organisation you act for does not allow this."

        def has_permission(self, request: Any, view: Any) -> bool:
            granted: frozenset[Permission] = getattr(request._request, "permissions", frozenset())
            return bool(request.user and request.user.is_authenticated) and all(p in granted for p in needed)

    # The same attribute require_permission sets on page views, so the
    # every-URL walk reads what an API view demands without guessing.
    _Requires.required_permissions = needed  # type: ignore[attr-defined]
    _Requires.__name__ = "Requires" + "".join(p.value.title().replace("_", "") for p in needed)
    return _Requires
