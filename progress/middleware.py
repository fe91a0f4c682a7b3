"""What every signed-in request passes through: sessions that end, and pages never cached."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control
from django_htmx.http import HttpResponseClientRedirect

from progress import two_step


def signed_in(sender, request, user, **kwargs) -> None:
    """Django gives the session a new key at sign-in; this is when its day starts. (Connected
    to `user_logged_in` when the app is ready.)"""
    if request is not None and hasattr(request, "session"):
        request.session["signed_in_at"] = request.session["seen_at"] = time.time()


class SignedInSessions:
    """Ends a session a school day after sign-in (`SESSION_COOKIE_AGE`) or after an idle hour
    (`SESSION_IDLE_SECONDS`), and marks every page a signed-in person sees `no-store`, so that
    no browser or proxy keeps a copy of a pupil's data. (Django already ends the session of a
    member of staff who is deactivated or whose password changes.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now, session = time.time(), request.session
            started = session.setdefault("signed_in_at", now)
            seen = session.setdefault("seen_at", now)
            if now - started > settings.SESSION_COOKIE_AGE or (
                now - seen > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
                messages.info(request, "You were signed out after a while away: sign in again.")
                if request.htmx:  # a poll or a fragment: the whole page goes to sign-in
                    return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            # A person's own request is activity; a screen polling by itself is not. Noted at
            # most once a minute, so the session is not written on every request.
            polling = request.htmx and request.method == "GET"
            if not polling and now - seen > 60:
                session["seen_at"] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class TwoStep:
    """Keeps a session that still owes its second step (`progress.two_step`) to the pages that
    take it: every other page, the admin's included, sends it there first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        owed = request.user.is_authenticated and request.session.get(two_step.OWED)
        if not owed or request.resolver_match.view_name in two_step.OPEN_WHILE_OWED:
            return None
        where = resolve_url("two_step_code" if owed == two_step.CODE else "two_step_set_up")
        if request.htmx:
            return HttpResponseClientRedirect(where)
        return redirect_to_login(request.get_full_path(), where)
