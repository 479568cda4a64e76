"""Where deliveries may go: the check against server-side request forgery.

A webhook URL is typed by a workspace admin and fetched by our server, so it
must not reach our own machine or network: the host is resolved and every
address it resolves to must be a public one (not loopback, private,
link-local, shared, reserved or multicast). The check runs when the URL is
saved and again at every delivery, and the delivery connects to an address
that passed the check, so a DNS answer that changes in between (rebinding)
cannot slip through. Redirects are never followed: a 3xx is a failed attempt.
Outside DEBUG only https:// is accepted. `WEBHOOKS_ALLOW_LOCAL` (on with
DEBUG) lifts both rules for development against a receiver on this machine.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings


class RefusedURL(ValueError):
    """The URL is not one we deliver to; the message says why, in words."""


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def parse_url(url: str) -> SplitResult:
    """The URL's parts, or RefusedURL when its form alone rules it out."""
    allow_local = settings.WEBHOOKS_ALLOW_LOCAL
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        raise RefusedURL("Enter a full URL, e.g. https://hooks.example.com/changeready.") from None
    schemes = ("https", "http") if allow_local else ("https",)
    if parts.scheme not in schemes:
        raise RefusedURL("The URL must start with https://.")
    if not parts.hostname:
        raise RefusedURL("Enter a full URL, e.g. https://hooks.example.com/changeready.")
    if parts.username is not None or parts.password is not None:
        raise RefusedURL("Leave user names and passwords out of the URL.")
    return parts


def resolve(parts: SplitResult) -> list[str]:
    """The addresses to connect to for the URL's host, each checked.

    Raises RefusedURL when the host does not resolve or any of its addresses
    is not public (unless WEBHOOKS_ALLOW_LOCAL).
    """
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        answers = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, ValueError):  # ValueError: a name no resolver takes (IDNA, NUL)
        raise RefusedURL(f"The host {parts.hostname} could not be found.") from None
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not settings.WEBHOOKS_ALLOW_LOCAL:
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise RefusedURL(
                    f"{parts.hostname} points to {address}, a private, loopback or link-local "
                    "address: webhooks go only to public internet addresses."
                )
    return addresses


def check_url(url: str) -> list[str]:
    """Raise RefusedURL unless the URL may receive deliveries; its checked addresses."""
    return resolve(parse_url(url))
