"""`python -m tests.oidc_provider.serve PORT REDIRECT_URI EMAIL…`: a fresh provider database
(in OIDC_PROVIDER_DB), an account for each e-mail address (password PASSWORD), Progress
registered as a client (CLIENT_ID, CLIENT_SECRET) that may return to REDIRECT_URI, then the
provider served on 127.0.0.1:PORT until it is stopped. Its clock runs PROVIDER_CLOCK_OFFSET
seconds from the real one, as the tests' does on another day (PROGRESS_TEST_DATE)."""

import os
import sys

CLIENT_ID, CLIENT_SECRET, PASSWORD = "progress", "progress-client-secret", "school-account"


def main(port: str, redirect_uri: str, *emails: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for email in emails:
        User.objects.create_user(username=email, email=email, password=PASSWORD)
    Application.objects.create(
        name="Progress",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    import time

    import time_machine

    offset = float(os.environ.get("PROVIDER_CLOCK_OFFSET", "0"))
    with time_machine.travel(time.time() + offset, tick=True):
        main(*sys.argv[1:])
