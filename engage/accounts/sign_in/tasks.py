"""Background entry points for signing in: sending a link to choose a password."""

from __future__ import annotations

from django_tasks import task

from engage.accounts.sign_in import services


@task()
def password_link_task(*, kind: str, user_id: int | None = None, email: str = "") -> bool:
    """Send an invitation or a reset link; False where no active account matched."""
    return services.password_link_deliver(kind=kind, user_id=user_id, email=email)
