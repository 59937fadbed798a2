"""Reach's own choices: where a survey's wording of an answer is counted. The reference
data reach is measured against (postcodes, deprivation, census counts, boundaries) is
engage.places'."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AnswerMapping(models.Model):
    """A person's choice of where one survey wording goes: a reach group ("16 to 24"),
    "unknown" or "outside" the census categories. Wins over the built-in rules
    (engage/reach/groups.py). Answers are stored normalised: case-folded, spaces
    collapsed."""

    dimension = models.CharField(max_length=16)
    answer = models.CharField(max_length=80)
    group = models.CharField(max_length=40)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dimension", "answer"]
        constraints = [models.UniqueConstraint(fields=["dimension", "answer"], name="answer_mapped_once")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.answer} -> {self.group}"
