"""The frameworks of themes: the built-in one, a partnership's own (from a TOML file),
the one in use, and the themes added to it by hand or promoted from a discovery.

Everything else in insight asks `framework_in_use()` which categories there are; only
imported version 6 labels go to the built-in framework, whose mapping they follow
(ADR 0019).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from engage.conversations.models import Conversation
from engage.core.errors import Conflict, InvalidInput, UnknownId
from engage.core.ids import IdCheck, checked_many, checked_one
from engage.core.models import AuditAction
from engage.core.services import audit_record, user_or_none
from engage.core.types import Actor
from engage.insight.framework.file import FrameworkFileError, FrameworkSpec, parse_framework
from engage.insight.models import Category, CategoryOrigin, Framework, PersonLabel
from engage.partners.models import Organisation

BUILT_IN_FILE = Path(__file__).resolve().parent / "files" / "patient_experience_v7.toml"


@functools.cache
def _built_in_spec() -> FrameworkSpec:
    """The built-in framework's file, read once per process (it ships with the code)."""
    return parse_framework(BUILT_IN_FILE.read_text(encoding="utf-8"), file_name=BUILT_IN_FILE.name)


def _framework_file() -> dict[str, Any]:
    return _built_in_spec().data


def _framework_store(
    spec: FrameworkSpec, *, built_in: bool, framework_model: Any = Framework, category_model: Any = Category
) -> Framework:
    """A framework and its categories, in the file's order (inside the caller's
    transaction). The models can be given, so the migration that seeds the built-in
    framework stores it with the models as they were at that point."""
    framework = framework_model.objects.create(
        name=spec.name, version=spec.version, description=spec.description, built_in=built_in
    )
    position = 0
    for group in spec.categories:
        position += 1
        parent = category_model.objects.create(
            framework=framework, name=group.name, description=group.description, position=position
        )
        for sub in group.subcategories:
            position += 1
            category_model.objects.create(
                framework=framework,
                parent=parent,
                name=sub.name,
                description=sub.description,
                examples=list(sub.examples),
                position=position,
            )
    return framework


def framework_built_in_seed(*, framework_model: Any = Framework, category_model: Any = Category) -> bool:
    """Store the built-in framework unless it is there already; True if this stored it.
    Run by the migration insight 0005, so reading never has to write it."""
    spec = _built_in_spec()
    if framework_model.objects.filter(built_in=True, name=spec.name).exists():
        return False
    with transaction.atomic():
        _framework_store(spec, built_in=True, framework_model=framework_model, category_model=category_model)
    return True


def framework_built_in() -> Framework:
    """The built-in framework, stored by the migration insight 0005 (a read only)."""
    found: Framework | None = Framework.objects.filter(built_in=True, name=_built_in_spec().name).first()
    if found is None:
        raise Conflict(
            "The built-in framework of themes is not in the database. Run `engage migrate`, which stores it."
        )
    return found


def framework_in_use() -> Framework:
    """The framework the partnership sorts its conversations into: its own, where it has
    chosen one, or else the built-in one. Training, analysis and every page use it."""
    chosen: Framework | None = Framework.objects.filter(in_use=True).first()
    return chosen if chosen is not None else framework_built_in()


def framework_load(*, actor: Actor, text: str, file_name: str, use: bool = False) -> Framework:
    """Add a partnership's own framework from the text of a TOML file (the shape of
    insight/framework/files/README.md), and make it the one in use when `use`. A file that is not
    right raises InvalidInput naming the line; nothing is added."""
    try:
        spec = parse_framework(text, file_name=file_name)
    except FrameworkFileError as error:
        raise InvalidInput({"file": str(error)}) from None
    if Framework.objects.filter(name__iexact=spec.name).exists():
        raise InvalidInput(
            {
                "file": f"{file_name}: there is already a framework called {spec.name!r}. Give this one another name."
            }
        )
    with transaction.atomic():
        framework = _framework_store(spec, built_in=False)
        count = sum(len(group.subcategories) for group in spec.categories)
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.CREATED,
            subject_type="framework",
            subject_id=framework.pk,
            summary=f"Added the framework {spec.name!r} from {file_name}: {len(spec.categories)} categories, {count} sub-categories.",
        )
        if use:
            framework_choose(actor=actor, framework_id=framework.pk)
    return framework


def framework_choose(*, actor: Actor, framework_id: int | None) -> Framework:
    """Make this framework the one in use. People's labels stay with the framework they
    were given in; the next model learns from the labels of the one in use."""
    framework = checked_one(Framework.objects.all(), framework_id, field="framework", what="framework")
    with transaction.atomic():
        Framework.objects.exclude(pk=framework.pk).filter(in_use=True).update(in_use=False)
        Framework.objects.filter(pk=framework.pk).update(in_use=True)
        audit_record(
            actor=actor,
            organisation=None,
            action=AuditAction.UPDATED,
            subject_type="framework",
            subject_id=framework.pk,
            summary=f"Chose the framework {framework.name!r} for sorting conversations into themes.",
        )
    framework.in_use = True
    return framework


def _new_category_problems(
    framework: Framework, *, name: str, parent: Category | None, parent_wanted: bool, description: str
) -> dict[str, str]:
    """What is wrong with a category about to be added, field by field."""
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Give the theme a name."
    elif len(name) > 200:
        problems["name"] = "The name must be 200 characters or fewer."
    elif Category.objects.filter(framework=framework, name__iexact=name).exists():
        problems["name"] = f"The framework already has a theme called {name!r}. Choose another name."
    if parent_wanted and parent is None:
        problems["parent"] = "Choose the category it belongs to."
    if len(description) > 1000:
        problems["description"] = "The description must be 1,000 characters or fewer."
    return problems


def _checked_new(
    framework: Framework, *, name: str, parent_id: int | None, description: str, parent_wanted: bool
) -> tuple[str, Category | None, str]:
    """The name (spacing evened), parent category and description of a theme about to be
    added, each checked; InvalidInput with a sentence for each field that is wrong."""
    name = " ".join(name.split())
    description = description.strip()
    ids = IdCheck()
    parent = ids.one(
        Category.objects.filter(framework=framework, parent__isnull=True),
        parent_id,
        field="parent",
        what="category of the framework in use",
    )
    problems = _new_category_problems(
        framework, name=name, parent=parent, parent_wanted=parent_wanted, description=description
    )
    if ids.errors:  # an id no page offers: refused, whatever else is wrong
        raise UnknownId({**problems, **ids.errors})
    if problems:
        raise InvalidInput(problems)
    return name, parent, description


def _category_create(
    framework: Framework, *, name: str, parent: Category | None, description: str, origin: str
) -> Category:
    last = Category.objects.filter(framework=framework).aggregate(top=Max("position"))["top"] or 0
    return Category.objects.create(
        framework=framework,
        parent=parent,
        name=name,
        description=description,
        position=last + 1,
        origin=origin,
        added_at=timezone.now(),
    )


def category_add(
    *,
    actor: Actor,
    organisation: Organisation | None,
    name: str,
    parent_id: int | None,
    description: str = "",
) -> Category:
    """Add the partnership's own category to the framework: a sub-category under
    `parent_id`, or a new category of its own where `parent_id` is None (its
    sub-categories are then added under it). The model learns a new sub-category once
    people have labelled enough conversations with it (textkit.classify.MIN_EXAMPLES)."""
    framework = framework_in_use()
    name, parent, description = _checked_new(
        framework,
        name=name,
        parent_id=parent_id,
        description=description,
        parent_wanted=parent_id is not None,
    )
    with transaction.atomic():
        category = _category_create(
            framework, name=name, parent=parent, description=description, origin=CategoryOrigin.PARTNERSHIP
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="category",
            subject_id=category.pk,
            summary=f"Added the theme {name!r}"
            + (f" under {parent.name!r}." if parent else " as a category of its own."),
        )
    return category


def category_promote(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    parent_id: int | None,
    description: str = "",
    conversation_ids: Iterable[int] = (),
) -> Category:
    """Add a discovered theme to the framework as a sub-category, and label with it the
    typical conversations the person saw, so the next model learns it. These labels are
    partial (the person did not review the conversations' other themes), so they add
    examples of the new theme without counting against the others."""
    framework = framework_in_use()
    name, parent, description = _checked_new(
        framework, name=name, parent_id=parent_id, description=description[:1000], parent_wanted=True
    )
    if parent is None:  # cannot happen: _checked_new refuses a missing parent that is wanted
        raise InvalidInput({"parent": "Choose the category it belongs to."})
    seen = [
        c.pk
        for c in checked_many(
            Conversation.objects.for_organisation(organisation),
            conversation_ids,
            field="conversation_ids",
            what="conversation in your organisation's bank",
        )
    ]
    with transaction.atomic():
        category = _category_create(
            framework, name=name, parent=parent, description=description, origin=CategoryOrigin.DISCOVERED
        )
        PersonLabel.objects.bulk_create(
            [
                PersonLabel(conversation_id=pk, category=category, labelled_by=user_or_none(actor))
                for pk in seen
            ],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CREATED,
            subject_type="category",
            subject_id=category.pk,
            summary=f"Added the discovered theme {name!r} under {parent.name!r}, labelling {len(seen)} conversations.",
        )
    return category
