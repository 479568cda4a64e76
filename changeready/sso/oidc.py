"""allauth's OpenID Connect provider, made strict for per-workspace connections.

Two checks allauth leaves out: the discovery document must name the issuer the
owner entered (so a look-alike document cannot swap in another issuer's keys
and tokens), and the ID token's signature is always verified against the
issuer's published keys, even when it came straight from the token endpoint
(allauth trusts TLS there; a mis-configured or intercepted endpoint is exactly
what a signature check catches).
"""

from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter

from changeready.sso.services import connection_for_provider, is_verified_domain_of


class WorkspaceOidcAdapter(OpenIDConnectOAuth2Adapter):
    @property
    def openid_config(self):
        config = super().openid_config
        expected = self.get_provider().app.settings["server_url"].rstrip("/")
        if str(config.get("issuer", "")).rstrip("/") != expected:
            raise OAuth2Error("The provider's discovery document names another issuer.")
        return config

    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class WorkspaceOidcProvider(OpenIDConnectProvider):
    oauth2_adapter_class = WorkspaceOidcAdapter
    # allauth's URLs (and templates) for OpenID Connect serve this provider too.
    package = "allauth.socialaccount.providers.openid_connect"

    def extract_email_addresses(self, data):
        """The provider's word on an address counts at its workspace's verified
        domains only (and then whatever its `email_verified` says: the workspace
        vouches for its own provider)."""
        connection = connection_for_provider(self.app.provider_id)
        addresses = super().extract_email_addresses(data)
        for address in addresses:
            address.verified = connection is not None and is_verified_domain_of(
                connection, address.email
            )
        return addresses


def callback(request, provider_id):
    """allauth's OpenID Connect callback, through the strict adapter."""
    return OAuth2CallbackView.adapter_view(WorkspaceOidcAdapter(request, provider_id))(request)
