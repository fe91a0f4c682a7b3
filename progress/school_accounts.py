"""Signing in with the school's own Microsoft or Google account, through OpenID Connect
(mozilla-django-oidc). Loaded only where it is set up (`OIDC_RP_CLIENT_ID`): its libraries
(requests, PyJWT, cryptography) hold about 14 MB in each worker of a school that signs in with
passwords."""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

logger = logging.getLogger(__name__)


class SchoolAccountBackend(OIDCAuthenticationBackend):
    """Signs in with the school's own Microsoft or Google account (OpenID Connect): the active
    Progress account, never a superuser's, with the e-mail address the provider vouches for,
    in one of the schools' own domains (`OIDC_ALLOWED_DOMAINS`). It never makes an account,
    and refuses an address the provider says it has not verified or, with Google, an account
    outside the schools' Workspace."""

    def authenticate(self, request, **kwargs):
        if "nonce" not in kwargs:  # only the callback signs in this way, never the password form
            return None
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims: dict):
        email = (claims.get("email") or "").strip()
        domain = email.rpartition("@")[2].lower()
        refused = (
            not email
            or claims.get("email_verified") is False
            or domain not in settings.OIDC_ALLOWED_DOMAINS
            or (
                settings.OIDC_PROVIDER == "google"
                and claims.get("hd") not in settings.OIDC_ALLOWED_DOMAINS
            )
        )
        if refused:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(
            email__iexact=email, is_active=True, is_superuser=False
        )

    def update_user(self, user, claims: dict):
        return user  # the school's data, not the provider's, says who a person is


class SchoolAccountCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. Any failure (no such account, a cancelled
    sign-in, a provider that cannot be reached, a stale or replayed answer) goes back to the
    sign-in page with one message, and is logged without personal data. An ID token is refused
    if its signature is wrong, or if it is expired or not yet valid by this server's clock."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Sign-in with a school account failed: %s", type(error).__name__)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            f"Signing in with your {settings.OIDC_PROVIDER_NAME} account did not work. Your "
            "Progress account must use the same e-mail address: ask your school's Progress "
            "administrator, or sign in with your password.",
        )
        return redirect("login")
