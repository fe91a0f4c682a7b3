"""Signing in: who is trying, as django-axes counts failures (the account whatever its
capitals, and the address of the person, not of the reverse proxy in front of Progress), and the
sign-in page. Signing in with the school's own account is `progress.school_accounts`."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView


def username(request, credentials: dict) -> str:
    """Sign-in matches the e-mail address in any case, so failures are counted that way too."""
    given = (credentials or {}).get("username") or request.POST.get("username", "")
    return given.strip().lower()


def client_address(request) -> str:
    """The address the request came from: behind a trusted proxy (`TRUSTED_PROXIES`), the one
    the proxy added last to X-Forwarded-For, which a client cannot forge; else the peer."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and peer in settings.TRUSTED_PROXIES:
        return forwarded.split(",")[-1].strip()
    return peer


class SignInForm(AuthenticationForm):
    """Django's sign-in form, saying which box was left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your e-mail address."
        self.fields["password"].error_messages["required"] = "Enter your password."


class SignIn(LoginView):
    """Django's sign-in page, with a button for the school's own account when it is set up."""

    authentication_form = SignInForm

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if settings.OIDC_RP_CLIENT_ID:
            context["school_account"] = settings.OIDC_PROVIDER_NAME
        return context
