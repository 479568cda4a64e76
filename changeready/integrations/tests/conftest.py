"""Fixtures of the integration tests: a real HTTP receiver on 127.0.0.1, a
resolver that answers for made-up host names, endpoints and the independent
Standard Webhooks verification the signatures are checked with."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from changeready.integrations.models import DeliveryStatus, EventType, WebhookDelivery
from changeready.integrations.services import create_endpoint

PUBLIC_ADDRESS = "93.184.215.14"
ALL_EVENTS = list(EventType.values)


def verify_standard_webhook(secret: str, headers, body: bytes) -> dict:
    """Standard Webhooks verification written from the specification, sharing
    no code with the app: the signed content is `id.timestamp.body`, the key
    is the base64 after `whsec_`, and the header holds `v1,<base64 HMAC-SHA256>`
    (possibly several, space-separated)."""
    message_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    assert timestamp.isdigit()
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{message_id}.{timestamp}.{body.decode()}".encode()
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    sent = [sig.split(",", 1) for sig in headers["webhook-signature"].split(" ")]
    assert any(
        version == "v1" and hmac.compare_digest(value, expected) for version, value in sent
    ), "signature does not verify"
    return json.loads(body)


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """A local HTTP server: answers each POST with `respond(request)` if set,
    else the next of `answers` (status, body, extra headers), then 200; records
    what it got. `hold` keeps it from answering until released."""

    url: str
    answers: list = field(default_factory=list)
    respond: Callable[[Received], tuple] | None = None
    received: list = field(default_factory=list)
    hold: threading.Event | None = None


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            state.received.append(request)
            if state.hold is not None:
                state.hold.wait(timeout=30)
            if state.respond is not None:
                status, text, extra = state.respond(request)
            else:
                status, text, extra = state.answers.pop(0) if state.answers else (200, "ok", {})
            payload = text.encode()
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/changeready"
    yield state
    if state.hold is not None:
        state.hold.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_allowed(settings):
    """Tests run with production settings; a receiver on 127.0.0.1 needs this."""
    settings.WEBHOOKS_ALLOW_LOCAL = True


@pytest.fixture
def dns(monkeypatch):
    """`dns["hooks.example.com"] = ["93.184.215.14"]`: made-up names resolve as told;
    every other name and address goes to the real resolver."""
    answers: dict[str, list[str]] = {"hooks.example.com": [PUBLIC_ADDRESS]}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port),
                )
                for address in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.fixture
def queue_in_database(settings):
    """The database tasks backend, as in production: deliveries are queued, not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def make_endpoint(workspace, owner):
    def make(url="https://hooks.example.com/in", events=None, kind="webhook", **fields):
        return create_endpoint(
            workspace,
            created_by=owner,
            url=url,
            kind=kind,
            events=ALL_EVENTS if events is None else events,
            **fields,
        )

    return make


@pytest.fixture
def endpoint(dns, make_endpoint):
    return make_endpoint(description="Delivery alerts").endpoint


@pytest.fixture
def failed_delivery(endpoint):
    """A delivery that gave up, with one logged attempt."""
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="plan.generated", body="{}", status=DeliveryStatus.FAILED
    )
    delivery.attempt_log.create(
        number=1,
        attempted_at=delivery.created_at,
        status_code=502,
        duration_ms=120,
        response_excerpt="Bad gateway",
        succeeded=False,
    )
    return delivery
