from django.apps import AppConfig


class PupilsConfig(AppConfig):
    """Pupils and the school data about them: characteristics, attainment, attendance."""

    name = "pupils"
