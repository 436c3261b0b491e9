"""The address a request came from, as the sign-in lock-out counts it (django-axes)."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address: the connection's own, or, when the site stands behind
    `CMC_TRUSTED_PROXIES` proxies, the one the outermost of them saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with N trusted
    proxies the N-th entry from the right is the client's and anything left of it was sent by
    the client itself and is never trusted. A request that did not come through all of them
    (too few entries, or not an address) is counted by its connection's address."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "CMC_TRUSTED_PROXIES", 0)
    if proxies < 1:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote
