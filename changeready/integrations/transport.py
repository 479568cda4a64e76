"""One HTTP POST to a webhook URL, with the address checks of addresses.py.

The standard library's http.client is enough: one request, no redirects to
follow (refusing them is the point), no connection pooling worth having for
deliveries minutes apart. The connection goes to an address that passed the
check, while TLS still verifies the certificate for the URL's host name.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from changeready.integrations.addresses import RefusedURL, parse_url, resolve

# How much of an answer the delivery log keeps.
EXCERPT_BYTES = 1024
USER_AGENT = "changeready-webhooks/1"


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    duration_ms: int
    # The first bytes of the body, or why no answer came.
    excerpt: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _connection(parts, address: str, timeout: float) -> http.client.HTTPConnection:
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    def connect_to_checked_address(_host_and_port, timeout, source_address=None):
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = connect_to_checked_address
    return connection


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body`; each network step (connect, send, each read) waits at most `timeout`."""
    started = time.monotonic()

    def elapsed_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        parts = parse_url(url)
        address = resolve(parts)[0]
    except RefusedURL as refused:
        return Answer(None, elapsed_ms(), f"Not sent: {refused}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection = _connection(parts, address, timeout)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        if 300 <= response.status < 400:
            location = response.getheader("Location", "")
            excerpt = f"Redirect to {location!r} not followed. {excerpt}".strip()
        return Answer(response.status, elapsed_ms(), excerpt)
    except TimeoutError:
        return Answer(None, elapsed_ms(), f"No answer within {timeout:g} seconds.")
    except ssl.SSLError as error:
        return Answer(None, elapsed_ms(), f"TLS failed: {error.reason or error}")
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, elapsed_ms(), f"Connection failed: {error}")
    finally:
        connection.close()
