"""Factories for analyses and what they found."""

from __future__ import annotations

import factory

from engage.insight.models import AnalysisRun, RunStatus


class AnalysisRunFactory(factory.django.DjangoModelFactory):
    """A finished analysis (one waiting or running is one at a time in the whole
    partnership: give `status=` for that, knowing the database refuses a second)."""

    class Meta:
        model = AnalysisRun

    status = RunStatus.SUCCEEDED
