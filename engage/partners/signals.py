"""What the partners app tells the apps above it, which it may not import (the order of
apps, docs/adr/0031): they listen in their `AppConfig.ready`."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the withdrawal's transaction, so what a listener does commits or rolls back
# with it. Arguments: consent (the grant just withdrawn), actor, organisation.
consent_withdrawn = Signal()

# Sent inside the erasure's transaction, before the person's record is deleted, so a
# listener can still find what they said. Arguments: person, actor, organisation, words
# (a WordsOnErasure value: what happens to what they said).
person_erasing = Signal()
