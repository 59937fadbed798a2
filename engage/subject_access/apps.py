from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "engage.subject_access"
    label = "subject_access"
    verbose_name = "Subject access: everything an organisation holds about a person"
