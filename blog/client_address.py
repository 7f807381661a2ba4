"""The reader's IP address, which comment rate limits, block lists and sign-in limits count by.

Behind reverse proxies (nginx, a load balancer) every request comes from the
nearest proxy, and each proxy appends the address it was connected from to
`X-Forwarded-For`. Whatever a client writes into that header itself sits to the
left of those hops, so only the hop that `RIPOSTE_TRUSTED_PROXIES` places from
the right can be believed; with no trusted proxy the header is ignored entirely.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address the outermost trusted proxy saw, else the connecting address."""
    proxies = settings.RIPOSTE_TRUSTED_PROXIES
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies > 0 and len(hops) >= proxies:
        try:
            return str(ipaddress.ip_address(hops[-proxies]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None
