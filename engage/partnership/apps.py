from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "engage.partnership"
    label = "partnership"
    verbose_name = "The partnership's picture: what every partner chose to share, together"

    def ready(self) -> None:
        # The picture follows what changes its figures in the apps below (services.py).
        from engage.conversations.signals import conversations_removed  # noqa: PLC0415 - apps are ready only now
        from engage.insight.signals import analysis_landed, labels_reviewed  # noqa: PLC0415 - apps are ready only now
        from engage.partners.signals import person_erasing  # noqa: PLC0415 - apps are ready only now
        from engage.partnership import services  # noqa: PLC0415 - apps are ready only now

        analysis_landed.connect(services.on_analysis_landed, dispatch_uid="partnership.analysis_landed")
        labels_reviewed.connect(services.on_organisation_changed, dispatch_uid="partnership.labels_reviewed")
        conversations_removed.connect(services.on_organisation_changed, dispatch_uid="partnership.removed")
        person_erasing.connect(services.on_person_erasing, dispatch_uid="partnership.person_erasing")
