"""What the conversations app tells the apps above it, which it may not import (the
order of apps, docs/adr/0031): they listen in their `AppConfig.ready`."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that changed what people said (a correction, a passage
# taken out by hand), so the analysis can follow once it commits. Argument:
# conversation_ids.
conversations_changed = Signal()
