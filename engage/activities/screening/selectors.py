"""Reads of screenings. Screenings are not personal data: every partner may read them."""

from __future__ import annotations

from django.db.models import QuerySet

from engage.activities.models import Screening
from engage.activities.screening.engine import Recommendation
from engage.core.errors import NotFound


def screening_list(*, organisation_id: int | None = None, search: str = "") -> QuerySet[Screening]:
    screenings = Screening.objects.select_related("organisation", "created_by", "activity")
    if organisation_id is not None:
        screenings = screenings.filter(organisation_id=organisation_id)
    if search:
        screenings = screenings.filter(title__icontains=search)
    return screenings.order_by("-created_at", "-id")


def screening_get(*, screening_id: int) -> Screening:
    screening = (
        Screening.objects.select_related("organisation", "created_by", "activity")
        .filter(pk=screening_id)
        .first()
    )
    if screening is None:
        raise NotFound("There is no such screening.")
    return screening


def screening_recommendation(screening: Screening) -> Recommendation:
    """The recommendation as it was made, whatever the rules in use say now."""
    return Recommendation.from_dict(screening.recommendation)
