"""A small but real OpenID Connect provider for the tests, on a loopback port.

It serves discovery, authorization (answering at once for whoever `sign_in_as`
names), the token endpoint (client secret checked, PKCE checked), userinfo and
its signing keys, and signs ID tokens with RS256. Knobs let a test make it
misbehave: sign with a key it does not publish, or put another issuer in its
tokens or its discovery document.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class OidcProvider:
    def __init__(self, client_id: str = "changeready-test", client_secret: str = "s3cret"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "published"})
        self.signing_key = self.key
        self.claims: dict = {}
        self.token_issuer: str | None = None
        self.discovery_issuer: str | None = None
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def sign_in_as(self, email: str, name: str = "Sam Okafor", **claims) -> None:
        self.claims = {"sub": f"user-{email}", "email": email, "email_verified": True}
        self.claims.update({"name": name, **claims})

    def sign_with_an_unpublished_key(self) -> None:
        self.signing_key = RSAKey.generate_key(2048, parameters={"kid": "published"})

    def authorize(self, url: str) -> str:
        """Follow the app's redirect to the provider; the callback URL it sends back."""
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(url)
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 302, redirect.code
            return redirect.headers["Location"]
        raise AssertionError("the provider did not redirect back")

    # The server.

    def _id_token(self, grant: dict) -> str:
        now = int(time.time())
        claims = {
            **grant["claims"],
            "iss": self.token_issuer or self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
        }
        if grant.get("nonce"):
            claims["nonce"] = grant["nonce"]
        return jwt.encode({"alg": "RS256", "kid": "published"}, claims, self.signing_key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json(
                        {
                            "issuer": provider.discovery_issuer or provider.issuer,
                            "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": f"{provider.issuer}/token",
                            "userinfo_endpoint": f"{provider.issuer}/userinfo",
                            "jwks_uri": f"{provider.issuer}/jwks",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "token_endpoint_auth_methods_supported": ["client_secret_post"],
                        }
                    )
                if url.path == "/jwks":
                    return self._json({"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        return self._json({"error": "unauthorized_client"}, 400)
                    code = secrets.token_urlsafe(16)
                    provider._codes[code] = {**query, "claims": dict(provider.claims)}
                    back = urlencode({"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{back}")
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    grant = provider._tokens.get(token)
                    if grant is None:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(grant["claims"])
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path != "/token":
                    return self._json({"error": "not_found"}, 404)
                if (form.get("client_id"), form.get("client_secret")) != (
                    provider.client_id,
                    provider.client_secret,
                ):
                    return self._json({"error": "invalid_client"}, 401)
                grant = provider._codes.pop(form.get("code", ""), None)
                if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                    return self._json({"error": "invalid_grant"}, 400)
                if "code_challenge" in grant:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                    if challenge != grant["code_challenge"]:
                        return self._json({"error": "invalid_grant"}, 400)
                access_token = secrets.token_urlsafe(16)
                provider._tokens[access_token] = grant
                return self._json(
                    {
                        "access_token": access_token,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider._id_token(grant),
                    }
                )

        return Handler
