from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Pupil progress meetings: focus, shortlist, agenda, summaries and the live run."""

    name = "meetings"
