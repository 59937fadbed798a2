"""The password hasher the tests use (the root conftest.py puts it in the settings)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2, as the product hashes passwords, at the least cost it allows. The
    product's settings make each hash and each check cost about a fifth of a second on
    purpose (slow to guess); the tests make a user, or sign one in, over a thousand
    times a run, and were paying minutes for it. The hashes are still Argon2's, made and
    checked by the same code."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
