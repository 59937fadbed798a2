"""Roles a user holds in an organisation, and what each role permits.

One table decides every permission, so a reviewer can read the whole policy here.
Board members and analysts never reach personal data: they see aggregates only.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"
    ORGANISATION_ADMIN = "organisation_admin", "Organisation administrator"
    ENGAGEMENT_OFFICER = "engagement_officer", "Engagement officer"
    ANALYST = "analyst", "Analyst"
    BOARD_MEMBER = "board_member", "Board member"


class Permission(StrEnum):
    VIEW_AGGREGATES = "view_aggregates"
    VIEW_GROUPS = "view_groups"
    MANAGE_GROUPS = "manage_groups"
    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    RECORD_CONSENT = "record_consent"
    EXPORT_CONTACTS = "export_contacts"
    MANAGE_ORGANISATION_USERS = "manage_organisation_users"
    VIEW_ORGANISATION_AUDIT = "view_organisation_audit"
    MANAGE_PARTNERSHIP = "manage_partnership"
    VIEW_PARTNERSHIP_AUDIT = "view_partnership_audit"
    VIEW_REGISTER = "view_register"
    REGISTER_ACTIVITIES = "register_activities"
    SCREEN_ISSUES = "screen_issues"
    MANAGE_PRIORITIES = "manage_priorities"
    VIEW_CONVERSATIONS = "view_conversations"
    RECORD_CONVERSATIONS = "record_conversations"
    IMPORT_CONVERSATIONS = "import_conversations"
    # Only staff of the organisation that heard a conversation decide whether its words
    # may be quoted outside it (engage/conversations/quotes).
    APPROVE_QUOTES = "approve_quotes"
    # Right of access: everything the organisation holds about one person, as one ZIP.
    PRODUCE_SUBJECT_ACCESS = "produce_subject_access"
    # Insight: themes are aggregates with consented, redacted quotes; reviewers see
    # only redacted text; analysts train the model and start analyses.
    VIEW_THEMES = "view_themes"
    REVIEW_LABELS = "review_labels"
    MANAGE_INSIGHT = "manage_insight"
    # You said, we did: decisions are seen by every partner; recorded by those who run
    # engagement, and by the partnership's administrators for the board.
    RECORD_DECISIONS = "record_decisions"
    # What the organisation shares with the partnership (engage/partnership): its own
    # level and the data-sharing agreement, by its administrators; the level of one
    # activity or import, by those who run its engagement too.
    MANAGE_SHARING = "manage_sharing"
    CHOOSE_SHARING = "choose_sharing"
    # Reports (engage/reports): written by those who run engagement or analyse it, for
    # their own organisation; the partnership's reports published by its administrators.
    WRITE_REPORTS = "write_reports"


_PERSONAL_DATA = {
    Permission.VIEW_CONVERSATIONS,
    Permission.RECORD_CONVERSATIONS,
    Permission.IMPORT_CONVERSATIONS,
    Permission.APPROVE_QUOTES,
    Permission.VIEW_PEOPLE,
    Permission.EDIT_PEOPLE,
    Permission.RECORD_CONSENT,
    Permission.EXPORT_CONTACTS,
    Permission.MANAGE_GROUPS,
}

# Every role reads the register and the screenings; it holds no personal data.
_EVERYONE = {Permission.VIEW_AGGREGATES, Permission.VIEW_REGISTER, Permission.VIEW_THEMES}
# Those who run engagement for their organisation.
_ENGAGEMENT_WORK = {
    Permission.REGISTER_ACTIVITIES,
    Permission.SCREEN_ISSUES,
    Permission.RECORD_DECISIONS,
    Permission.WRITE_REPORTS,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.PARTNERSHIP_ADMIN: frozenset(
        {
            *_EVERYONE,
            Permission.MANAGE_PRIORITIES,
            Permission.RECORD_DECISIONS,
            Permission.VIEW_GROUPS,
            Permission.MANAGE_PARTNERSHIP,
            Permission.VIEW_PARTNERSHIP_AUDIT,
            Permission.VIEW_ORGANISATION_AUDIT,
            Permission.MANAGE_ORGANISATION_USERS,
            Permission.MANAGE_INSIGHT,
            Permission.WRITE_REPORTS,
        }
    ),
    Role.ORGANISATION_ADMIN: frozenset(
        {
            *_EVERYONE,
            *_ENGAGEMENT_WORK,
            Permission.VIEW_GROUPS,
            Permission.MANAGE_ORGANISATION_USERS,
            Permission.VIEW_ORGANISATION_AUDIT,
            Permission.REVIEW_LABELS,
            Permission.MANAGE_INSIGHT,
            Permission.PRODUCE_SUBJECT_ACCESS,
            Permission.MANAGE_SHARING,
            Permission.CHOOSE_SHARING,
            *_PERSONAL_DATA,
        }
    ),
    Role.ENGAGEMENT_OFFICER: frozenset(
        {
            *_EVERYONE,
            *_ENGAGEMENT_WORK,
            Permission.VIEW_GROUPS,
            Permission.REVIEW_LABELS,
            Permission.CHOOSE_SHARING,
            *_PERSONAL_DATA,
        }
    ),
    Role.ANALYST: frozenset(
        {
            *_EVERYONE,
            Permission.VIEW_GROUPS,
            Permission.REVIEW_LABELS,
            Permission.MANAGE_INSIGHT,
            Permission.WRITE_REPORTS,
        }
    ),
    Role.BOARD_MEMBER: frozenset(_EVERYONE),
}


def permissions_for(roles: frozenset[str] | set[str]) -> frozenset[Permission]:
    """The union of what each role permits."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)
