from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Schools and staff"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from progress.middleware import signed_in
        from progress.two_step import owed_at_sign_in

        user_logged_in.connect(signed_in, dispatch_uid="progress.signed_in")
        user_logged_in.connect(owed_at_sign_in, dispatch_uid="progress.two_step")
