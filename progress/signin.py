"""Who is signing in, as django-axes counts failures: the account whatever its capitals, and
the address of the person, not of the reverse proxy in front of Progress."""

from django.conf import settings


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
