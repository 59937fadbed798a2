from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "engage.conversations"
    label = "conversations"
    verbose_name = "The bank of conversations"

    def ready(self) -> None:
        # Consent to quote follows the words: a person's withdrawal, or their erasure,
        # recorded in the partners app (which may not import this one), takes every
        # quote of what they said down (engage/conversations/quotes).
        from engage.conversations.quotes import services  # noqa: PLC0415 - apps are ready only now
        from engage.partners import signals  # noqa: PLC0415 - apps are ready only now

        signals.consent_withdrawn.connect(services.on_consent_withdrawn, dispatch_uid="quotes.follow_consent")
        signals.person_erasing.connect(services.on_person_erasing, dispatch_uid="quotes.follow_erasure")
