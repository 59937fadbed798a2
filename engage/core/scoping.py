"""Organisation scoping: the one way to reach personal data.

Personal data belongs to the organisation that collected it. Every model that holds
it has a manager built from a subclass of `OrganisationScopedQuerySet`, which offers
`for_organisation(org)`; views and APIs
never touch `Model.objects` directly (a test reads their source to make sure).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from django.db.models import Model


class OrganisationScopedQuerySet(models.QuerySet[Any]):
    """Subclasses name the path from the model to its owning organisation."""

    organisation_path: str = "organisation"

    def for_organisation(self, organisation: Model | None) -> Self:
        if organisation is None:
            return self.none()
        return self.filter(**{self.organisation_path: organisation})
