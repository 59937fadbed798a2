"""The PostgreSQL database a benchmark creates and drops, shared by the benchmarks.

Each benchmark gives its own database name in a URL; only names starting
`engage_bench_` are ever created or dropped, so a mistyped URL cannot harm real data.
"""

from __future__ import annotations

import urllib.parse


def bench_database(url: str) -> tuple[str, str]:
    """The URL of the server's `postgres` database, and the bench database's name."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("engage_bench_"):
        raise SystemExit(
            f"Refusing to create and drop {name!r}: the bench database's name must start engage_bench_."
        )
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    return admin, name


def postgres_admin(url: str, statement: str) -> None:
    """Run `statement` (with `{}` for the bench database's name) on the server."""
    import psycopg
    from psycopg import sql

    admin, name = bench_database(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL(statement).format(sql.Identifier(name)))
