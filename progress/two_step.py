"""Two-step sign-in: after the password (or the school's own account), a six-digit code from an
authenticator app, with single-use recovery codes for a lost phone. It is required for everyone
whose role sees SEND detail across the school (`User.needs_two_step`) when `MFA_REQUIRED` is on,
and anyone else may turn it on. django-otp keeps the app's secret and the recovery codes, and
slows wrong guesses (a wait that doubles after each wrong code); these are its screens.

At sign-in the session is marked with what is still owed (`OWED`): a code, or setting the app
up. `progress.middleware.TwoStep` lets such a session reach only these pages and sign-out."""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

OWED = "two_step_owed"
MOVING = "two_step_moving"  # the old app works until a new one is confirmed
CODE, SET_UP = "code", "set_up"
RECOVERY_CODES = 10
WRONG = "That code is not right: try the one your app shows now."
# The pages a session that still owes its second step may open.
OPEN_WHILE_OWED = frozenset({"two_step_code", "two_step_set_up", "logout"})


def owed_at_sign_in(sender, request, user, **kwargs) -> None:
    """Marks a new session with the step it still owes. (Connected to `user_logged_in`.)"""
    if request is None or not hasattr(request, "session"):
        return
    if app_for(user):
        request.session[OWED] = CODE
    elif settings.MFA_REQUIRED and user.needs_two_step:
        request.session[OWED] = SET_UP


def app_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The six digits your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code your app shows, or a recovery code."},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _check(user, app: TOTPDevice, given: str) -> tuple[TOTPDevice | StaticDevice | None, str]:
    """The device a code came from, or None and why not. Six digits are for the app, anything
    else is a recovery code; django-otp counts a wrong guess against the one it was for, and
    refuses every guess until the wait after the last wrong one is over."""
    device = app
    if not (given.isdigit() and len(given) == app.digits):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None, WRONG
    allowed, why = device.verify_is_allowed()
    if not allowed:
        seconds = max(1, round((why["locked_until"] - timezone.now()).total_seconds()))
        return None, f"Too many wrong codes: wait {seconds} seconds, then try again."
    if device.verify_token(given):
        return device, ""
    return None, WRONG


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    """Asks a person who has signed in for a code from their app, or a recovery code."""
    app = app_for(request.user)
    if app is None:
        return redirect("two_step_set_up")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        used, why_not = _check(request.user, app, form.cleaned_data["code"])
        if used is not None:
            otp_login(request, used)
            request.session.pop(OWED, None)
            if isinstance(used, StaticDevice):
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. If you have lost your phone, set "
                    "up your app again under Two-step sign-in.",
                )
            return redirect(_next(request))
        form.add_error("code", why_not)
    return render(
        request, "registration/two_step_code.html", {"form": form, "next": _next(request)}
    )


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Shows a new secret as a QR code (and as text), and turns it on once the app gives back
    a right code; then shows the recovery codes, once."""
    if app_for(request.user) is not None and not request.session.get(MOVING):
        return redirect("two_step")
    app, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST or None)
    form.fields["code"].help_text = "The six digits your app shows once you have added Progress."
    if form.is_valid():
        confirmed, why_not = _check(request.user, app, form.cleaned_data["code"])
        if confirmed is app:
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()  # the old
                app.confirmed = True
                app.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(request.user)
            otp_login(request, app)
            request.session.pop(OWED, None)
            request.session.pop(MOVING, None)
            return _show_codes(request, codes, first=True)
        form.add_error("code", why_not or WRONG)
    secret = app.config_url.split("secret=")[1].split("&")[0]
    qr = segno.make(app.config_url).svg_inline(
        scale=5, light="white", title="QR code to add Progress to an authenticator app"
    )
    return render(
        request,
        "registration/two_step_set_up.html",
        {
            "form": form,
            "qr": mark_safe(qr),  # segno's own SVG markup, of a URL made by django-otp
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
        },
    )


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _show_codes(request: HttpRequest, codes: list[str], *, first: bool = False) -> HttpResponse:
    return render(
        request,
        "registration/two_step_codes.html",
        {"codes": codes, "first": first, "next": _next(request)},
    )


@require_http_methods(["GET"])
def manage(request: HttpRequest) -> HttpResponse:
    """Whether two-step sign-in is on, how many recovery codes are left, and what can change."""
    app = app_for(request.user)
    return render(
        request,
        "registration/two_step.html",
        {
            "app": app,
            "codes_left": recovery_codes_left(request.user) if app else 0,
            "required": settings.MFA_REQUIRED and request.user.needs_two_step,
            "form": CodeForm(),
        },
    )


@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replaces every recovery code; the old ones stop working."""
    if app_for(request.user) is None:
        return redirect("two_step")
    return _show_codes(request, _new_recovery_codes(request.user))


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    """Given a right code (from the app or a recovery code): a new phone to set up, the old
    app working until the new one gives a right code; or, for someone who may sign in without
    it, two-step sign-in off."""
    app = app_for(request.user)
    if app is None:
        return redirect("two_step")
    moving = request.POST.get("then") == "set_up"
    if not moving and settings.MFA_REQUIRED and request.user.needs_two_step:
        messages.error(request, "Your role sees SEND detail, so two-step sign-in stays on.")
        return redirect("two_step")
    form = CodeForm(request.POST)
    used, why_not = (None, WRONG)
    if form.is_valid():
        used, why_not = _check(request.user, app, form.cleaned_data["code"])
    if used is None:
        messages.error(request, f"{why_not} Nothing has changed.")
        return redirect("two_step")
    if moving:  # the app and the codes still work until the new phone gives a right code
        request.session[MOVING] = True
        return redirect("two_step_set_up")
    for device in devices_for_user(request.user, confirmed=None):
        device.delete()
    messages.success(request, "Two-step sign-in is off.")
    return redirect("two_step")
