"""CI fails on missing migrations, and every migration can be undone."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_the_project_migrations_reverse_to_nothing_and_apply_again() -> None:
    ours = ["core", "accounts", "partners"]
    for app in ours:
        call_command("migrate", app, "zero", verbosity=0)
    executor = MigrationExecutor(connection)
    applied = {app for app, _ in executor.loader.applied_migrations}
    assert not applied & set(ours)
    call_command("migrate", verbosity=0)


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
