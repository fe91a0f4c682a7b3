from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Barrier / Action / Owner / Review entries, their reviews and reminders."""

    name = "actions"
