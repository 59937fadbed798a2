"""Which rows of the database belong to an organisation: its part of every table.

Each table's owner is found from the models, so a new model joins the part without
anyone listing it:

1. a model with an organisation-scoped manager belongs where the application itself
   says: its `OrganisationScopedQuerySet.organisation_path` (a consent through
   `person__organisation`, evidence through `conversation__organisation`);
2. a many-to-many link table belongs to the owner of the model that holds the field
   (an activity's areas through `activity__lead_organisation`);
3. a model with one foreign key to an organisation belongs to it (a screening through
   `organisation`, an activity through `lead_organisation`, a theme proposed for a
   partner's decision through `organisation`, the proposer's, until the decision's
   owner answers);
4. any other model belongs to the owner of the one record it hangs on (an import's
   rejected row through `job__organisation`, a decision's amendment through
   `decision__organisation`).

Where a model has several candidates, `OWNERS` chooses, with the reason; a link to
another partner's record that the design allows (an activity's partner organisations,
an overlap review naming another activity, evidence from one's own conversations for
a partner's decision) belongs to the partner that made it, so making it does not count
as changing the other's data, while touching the other partner's own rows does.

Chains do not pass through a user (an activity whose contact is one of B's staff is
not B's activity), except for the staff tables (`STAFF_TABLES`: users, their
memberships, their access tokens, and the second-factor devices django-otp keeps for
them), which belong to every organisation where the user holds a role. They are left
out, with the organisation's own row, for a partnership administrator, who manages
every partner and its staff accounts by design.

Models that no organisation owns (the partnership's shared records and reference data)
are named in `SHARED` with the reason, so a new model must be placed deliberately
(`unplaced_models`).

`part_of(organisation)` answers a digest of the organisation's part of each table, so
a changed part names the tables that changed (`fingerprint.changed_tables`).
`anything_changed_digest()` is a cheap digest of every table the part reads, to learn
whether a request changed anything at all before reading the part.
"""

from __future__ import annotations

import hashlib
from functools import cache, reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Q

from engage.accounts.models import User
from engage.core.scoping import OrganisationScopedQuerySet
from engage.partners.models import Organisation
from tests.security.fingerprint import LEFT_OUT, fingerprint

# Users and what hangs on a user: a partnership administrator manages every partner's
# staff accounts, so these (and the organisation's own row) are the part that such an
# administrator may change. django-otp's devices are added to them (`staff_tables`).
STAFF_TABLES = frozenset(
    {
        "accounts.User",
        "accounts.User_groups",
        "accounts.User_user_permissions",
        "accounts.Membership",
        "accounts.AccessToken",
    }
)
USER_OWNER = "memberships__organisation"

# Where a model has several candidate owners, the one chosen, and why.
OWNERS: dict[str, tuple[str, ...]] = {
    # A point of a report's Easy Read is its report's; the picture it shows may be one
    # another partner uploaded for everyone to use.
    "reports.EasyReadPoint": ("report__organisation",),
    # A group is run by its organisation; its GP practice is only named.
    "partners.Group": ("organisation",),
    # A review is made for the activity being registered; the other is only named.
    "activities.OverlapReview": ("activity__lead_organisation",),
    # A membership and a token are their organisation's, and their user's: a role
    # given to another partner's user, or a token of theirs revoked, changes that
    # partner's staff too.
    "accounts.Membership": ("organisation", f"user__{USER_OWNER}"),
    "accounts.AccessToken": ("organisation", f"user__{USER_OWNER}"),
}

# Rows that belong to no organisation, and why.
SHARED = {
    "reports.JargonTerm": "the partnership's list of jargon and plainer words, kept by its administrators",
    "activities.Area": "the partnership's places, reference data every partner uses",
    "activities.PartnershipPriority": "the partnership's priorities, shared by every partner",
    "insight.Framework": "the partnership's theme frameworks",
    "insight.Category": "the themes of a framework",
    "insight.ModelVersion": "a theme model trained on the whole bank, holding no one's rows",
    "insight.AnalysisRun": "a run over the whole bank; it keeps counts only",
    "insight.ModelTraining": "the training of a theme model on the whole bank; it keeps counts of themes only",
    "places.DeprivationArea": "published deprivation figures (reference data)",
    "places.Postcode": "the postcode directory (reference data)",
    "places.CensusCount": "census counts (reference data)",
    "places.Boundary": "area boundaries (reference data)",
    "places.Ward": "the ONS ward lookup (reference data)",
    "core.Partnership": "the partnership itself: its name and place",
    "setup.FirstRunCode": "the hash of the one-time code that opens the first-run page",
    "places.ReferenceLoad": "a load of reference data by a partnership administrator",
    "places.ReferenceJob": "the background job of a reference load",
    "partners.RegisterJob": "the background job loading organisations from a register (organisations are shared)",
    "reach.AnswerMapping": "how survey answers map to census groups, for the whole partnership",
    "decisions.OverdueReminder": "a note that the partnership's overdue reminders were sent on a day",
    "retention.RetentionRule": "how long the partnership keeps a kind of data, set by its administrators",
    "retention.RetentionRun": "a run of the partnership's retention rules; it keeps counts only",
    "retention.RetentionResult": "what a retention run did with one kind of data: counts and dates only",
    "evaluation.Principle": "the partnership's engagement pledge",
    "evaluation.Statement": "a statement the partnership scores itself against",
    "evaluation.AssessmentRound": "a round of the partnership's self-assessment",
    "evaluation.AssessmentRound_statements": "the statements a round of the self-assessment asked",
    "evaluation.ScoringLink": "the digest of a single-use scoring link: no one's, by design",
    "evaluation.ScoreSheet": "an anonymous score sheet of the self-assessment: its round and group only",
    "evaluation.Score": "an anonymous score of the self-assessment",
    "evaluation.Objective": "the partnership's objective",
    "evaluation.Objective_statements": "the statements that would show an objective met",
    "evaluation.Objective_activities": "the activities working towards an objective (activities are seen by all)",
    "evaluation.ObjectiveAction": "a step towards the partnership's objective",
    "evaluation.BoardSnapshot": "the board's page as worked out: published figures only",
}


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def _engage_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("engage.") and model not in LEFT_OUT
    ]


def _relations(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]


def _hangs_on_a_user(model: type[models.Model], depth: int = 0) -> bool:
    return depth < 3 and any(
        f.related_model is User or _hangs_on_a_user(f.related_model, depth + 1) for f in _relations(model)
    )


@cache
def _users_things() -> tuple[type[models.Model], ...]:
    """Models of other apps whose rows hang on a user (django-otp's devices and codes)."""
    return tuple(
        model
        for model in apps.get_models(include_auto_created=True)
        if not model.__module__.startswith("engage.") and _hangs_on_a_user(model)
    )


def staff_tables() -> frozenset[str]:
    return STAFF_TABLES | {_label(model) for model in _users_things()}


class Ambiguous(Exception):
    pass


def _owner(model: type[models.Model], seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The chains from the model to its owning organisation, by the rules above; () for
    none; `Ambiguous` where several candidates are left and `OWNERS` does not choose."""
    label = _label(model)
    if label in OWNERS:
        return OWNERS[label]
    if model is Organisation:
        return ("pk",)
    if model is User:
        return (USER_OWNER,)
    if label in SHARED or label in seen:
        return ()
    seen = seen | {label}
    queryset = model._default_manager.all()
    if isinstance(queryset, OrganisationScopedQuerySet):
        return (queryset.organisation_path,)
    relations = _relations(model)
    source = model._meta.auto_created
    if source:  # a many-to-many link: its holder's side, "from_…" where it links to itself
        sides = [f for f in relations if f.related_model is source]
        side = next((f for f in sides if f.name.startswith("from_")), sides[0])
        return tuple(f"{side.name}__{chain}" for chain in _owner(source, seen))
    direct = [f.name for f in relations if f.related_model is Organisation]
    if len(direct) == 1:
        return (direct[0],)
    if len(direct) > 1:
        raise Ambiguous(f"{label}: several organisations ({', '.join(direct)})")
    staff = label in staff_tables()
    candidates = {
        f.name: chains
        for f in relations
        if (f.related_model is not User or staff)
        and (chains := _owner(f.related_model, seen) if f.related_model is not User else (USER_OWNER,))
    }
    if len(candidates) > 1 and not staff:
        raise Ambiguous(f"{label}: several owned records ({', '.join(candidates)})")
    return tuple(f"{name}__{chain}" for name, chains in candidates.items() for chain in chains)


@cache
def ownership_lookups() -> dict[str, tuple[str, ...]]:
    """For each owned table (by model label), the lookups that name its organisation."""
    lookups: dict[str, tuple[str, ...]] = {}
    for model in (*_engage_models(), *_users_things()):
        try:
            chains = _owner(model)
        except Ambiguous:
            continue  # reported by unplaced_models
        if chains:
            lookups[_label(model)] = chains
    return lookups


def unplaced_models() -> list[str]:
    """Models with no owner that are not `SHARED`, and models with several candidate
    owners that `OWNERS` does not choose between."""
    problems = []
    for model in _engage_models():
        label = _label(model)
        try:
            chains = _owner(model)
        except Ambiguous as error:
            problems.append(f"{error} — choose in OWNERS")
            continue
        if not chains and label not in SHARED:
            problems.append(f"{label}: no owner — add to SHARED with the reason, or give it one")
    return sorted(problems)


def _queryset(label: str, organisation: Organisation) -> Any:
    model = apps.get_model(label)
    lookups = ownership_lookups()[label]
    condition = reduce(or_, (Q(**{lookup: organisation.pk}) for lookup in lookups))
    queryset = model._base_manager.filter(condition)
    if any(USER_OWNER in lookup for lookup in lookups):
        queryset = queryset.distinct()  # a user may hold several roles
    return queryset.order_by("pk")


def _plain(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    # A driver may give binary columns as memoryview, whose repr is its address.
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


def part_of(organisation: Organisation, *, with_staff: bool = True) -> dict[str, str]:
    """A digest of the organisation's part of each owned table; without its staff
    tables and its own row unless `with_staff`."""
    labels = [
        label
        for label in sorted(ownership_lookups())
        if with_staff or (label not in staff_tables() and label != "partners.Organisation")
    ]
    if connection.vendor == "postgresql":
        # One round trip: the database hashes each table's rows. The SQL is Django's
        # own for these querysets, with its parameters kept apart: nothing here comes
        # from a client.
        selects, params = [], []
        for label in labels:
            queryset = _queryset(label, organisation)
            sql, table_params = queryset.values_list().query.sql_with_params()
            key = connection.ops.quote_name(queryset.model._meta.pk.column)
            rows = f"string_agg(t::text, '|' ORDER BY t.{key})"
            selects.append(f"(SELECT md5(coalesce({rows}, '')) FROM ({sql}) t)")  # noqa: S608
            params.extend(table_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(selects), params)
            return {label: str(digest) for label, digest in zip(labels, cursor.fetchone(), strict=True)}
    return {
        label: hashlib.sha256(
            repr(_plain(list(_queryset(label, organisation).values_list()))).encode()
        ).hexdigest()
        for label in labels
    }


def anything_changed_digest() -> dict[str, str]:
    """The whole-database fingerprint, and the tables of other apps that the part reads:
    where this is unchanged, so is every organisation's part."""
    digests = fingerprint()
    for model in _users_things():
        rows = list(model._base_manager.order_by("pk").values_list())
        digests[_label(model)] = hashlib.sha256(repr(_plain(rows)).encode()).hexdigest()
    return digests
