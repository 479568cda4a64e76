"""RFC 6238 time-based one-time passwords, computed in the test from the secret
(HMAC-SHA1, 30-second steps, 6 digits: what authenticator apps do)."""

import base64
import hashlib
import hmac
import struct


def totp(secret: str, at: float, *, step: int = 30, digits: int = 6) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    counter = struct.pack(">Q", int(at // step))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"
