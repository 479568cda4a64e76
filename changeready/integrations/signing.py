"""Standard Webhooks signing: the endpoint's secret and the three headers.

A secret is `whsec_` + base64 of 32 bytes. The bytes are derived from
SECRET_KEY and the endpoint's random `secret_seed` with an HMAC, so they can
sign every delivery without being stored anywhere: the database alone does
not give them away, and rotating the secret is drawing a new seed. (Changing
SECRET_KEY therefore changes every endpoint's secret: docs/operations.md.)

The signature is `v1,` + base64 of HMAC-SHA256 over `id.timestamp.body`,
keyed with the base64-decoded part of the secret after `whsec_`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

SECRET_PREFIX = "whsec_"
SEED_SALT = "changeready.integrations.webhook-secret"


def new_seed() -> str:
    return secrets.token_hex(32)


def endpoint_secret(secret_seed: str) -> str:
    """The `whsec_…` secret of an endpoint with this seed."""
    key = salted_hmac(SEED_SALT, secret_seed, algorithm="sha256").digest()
    return SECRET_PREFIX + base64.b64encode(key).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
