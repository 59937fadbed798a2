"""The demo's staff accounts: at least one for every role, so a newcomer can sign in as
each kind of user and see what that role sees.

Every account shares one published password. That is safe only because the demo is for
trying the software out; the command says so whenever it prints the password.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.core.roles import Role

DEMO_PASSWORD = "castlebridge-demo-2026"  # noqa: S105 — published on purpose, demo only
# Administrators sign in with a second factor too. In the demo their authenticator's key
# is published like the password (add it to any authenticator app), and
# `engage demo --code EMAIL` prints the code an app would show.
DEMO_AUTHENTICATOR_KEY = b"castlebridge-demo-2fa"


@dataclass(frozen=True)
class StaffSpec:
    email: str
    first_name: str
    last_name: str
    # (organisation key, role) pairs; more than one organisation shows switching.
    memberships: tuple[tuple[str, Role], ...]


STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("admin@icb.example.org", "Helen", "Whitehouse", (("icb", Role.PARTNERSHIP_ADMIN),)),
    StaffSpec("orgadmin@icb.example.org", "Imran", "Qureshi", (("icb", Role.ORGANISATION_ADMIN),)),
    StaffSpec("officer@icb.example.org", "Sophie", "Bennett", (("icb", Role.ENGAGEMENT_OFFICER),)),
    StaffSpec("analyst@icb.example.org", "Tomasz", "Mazur", (("icb", Role.ANALYST),)),
    StaffSpec("board@icb.example.org", "Marcia", "Campbell", (("icb", Role.BOARD_MEMBER),)),
    StaffSpec(
        "officer@healthwatch.example.org",
        "Gurpreet",
        "Sandhu",
        (("healthwatch", Role.ENGAGEMENT_OFFICER),),
    ),
    StaffSpec(
        "orgadmin@healthwatch.example.org",
        "Declan",
        "Murphy",
        (("healthwatch", Role.ORGANISATION_ADMIN),),
    ),
    StaffSpec("officer@cvs.example.org", "Ngozi", "Okafor", (("cvs", Role.ENGAGEMENT_OFFICER),)),
    StaffSpec("orgadmin@cvs.example.org", "Karen", "Hodgetts", (("cvs", Role.ORGANISATION_ADMIN),)),
    # A post shared between the council's engagement team and public health, as joint
    # posts often are: it shows switching between organisations.
    StaffSpec(
        "shared@council.example.org",
        "Anil",
        "Mistry",
        (("council", Role.ENGAGEMENT_OFFICER), ("public_health", Role.ANALYST)),
    ),
)

DEMO_USER_EMAILS: tuple[str, ...] = tuple(spec.email for spec in STAFF)
