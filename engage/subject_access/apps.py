from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "engage.subject_access"
    label = "subject_access"
    verbose_name = "Subject access: everything an organisation holds about a person"

    def ready(self) -> None:
        # Erasing a person, recorded in the partners app (which may not import this
        # one), deletes the downloads gathered about them too.
        from engage.partners import signals  # noqa: PLC0415 - apps are ready only now
        from engage.subject_access import services  # noqa: PLC0415 - apps are ready only now

        signals.person_erasing.connect(
            services.on_person_erasing, dispatch_uid="subject_access.follow_erasure"
        )
