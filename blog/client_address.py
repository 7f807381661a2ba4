"""The reader's IP address, which comment rate limits, block lists and sign-in limits count by.

Behind reverse proxies (nginx, a load balancer) every request comes from the
nearest proxy, and each proxy appends the address it was connected from to
`X-Forwarded-For`. Whatever a client writes into that header itself sits to the
left of those hops, so only the hop that `RIPOSTE_TRUSTED_PROXIES` places from
the right can be believed; with no trusted proxy the header is ignored entirely.
And it is believed only from a proxy: a request whose connecting address is outside
`RIPOSTE_PROXY_NETWORKS` (someone reaching gunicorn directly) is counted by that
address, whatever the header says.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The address the outermost trusted proxy saw, else the connecting address."""
    connecting = request.META.get("REMOTE_ADDR") or None
    proxies = settings.RIPOSTE_TRUSTED_PROXIES
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies > 0 and len(hops) >= proxies and _is_proxy(connecting):
        try:
            return str(ipaddress.ip_address(hops[-proxies]))
        except ValueError:
            pass
    return connecting


def _is_proxy(address: str | None) -> bool:
    """Whether a connection from `address` can be the nearest proxy's."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in settings.RIPOSTE_PROXY_NETWORKS)
