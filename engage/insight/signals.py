"""What the insight app tells the apps above it, which it may not import (the order of
apps, docs/adr/0031): they listen in their `AppConfig.ready`."""

from __future__ import annotations

from django.dispatch import Signal

# Sent when an analysis run has finished and its labels and sentiment are in the
# database, so the figures built from them (the partnership's picture) can follow. No
# arguments: a run may have analysed any organisation's conversations.
analysis_landed = Signal()

# Sent inside the transaction of a person's review of one conversation's themes and
# sentiment, which replace the model's. Argument: organisation_id.
labels_reviewed = Signal()
