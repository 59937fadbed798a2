"""What the conversations app tells the apps above it, which it may not import (the
order of apps, docs/adr/0031): they listen in their `AppConfig.ready`."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that changed what people said (a correction, a passage
# taken out by hand), so the analysis can follow once it commits. Argument:
# conversation_ids.
conversations_changed = Signal()

# Sent inside the transaction that added conversations (an import landing, a conversation
# recorded by staff or through the public form), so they are analysed once it commits
# rather than left "not analysed yet" until someone starts an analysis. Arguments:
# organisation_id, count.
conversations_added = Signal()

# Sent inside the transaction that deleted conversations of one organisation, so figures
# built from them can follow once it commits. Argument: organisation_id.
conversations_removed = Signal()
