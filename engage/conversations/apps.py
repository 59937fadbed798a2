from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "engage.conversations"
    label = "conversations"
    verbose_name = "The bank of conversations"
