"""How allauth's social sign-in finds and checks per-workspace connections."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.shortcuts import render

from changeready.sso.models import SsoConnection
from changeready.sso.services import connection_for_provider


def social_app(connection: SsoConnection) -> SocialApp:
    """The connection as allauth's SocialApp (built, never stored)."""
    return SocialApp(
        provider="openid_connect",
        provider_id=connection.provider_id,
        name=f"{connection.workspace.name} single sign-on",
        client_id=connection.client_id,
        secret=connection.client_secret,
        settings={"server_url": connection.issuer},
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        """Sign-in apps come from the workspaces' connections, not from settings."""
        connections = SsoConnection.objects.select_related("workspace")
        if provider and provider != "openid_connect":
            connection = connection_for_provider(provider)
            connections = connections.filter(id=connection.id) if connection else []
        if client_id:
            connections = [c for c in connections if c.client_id == client_id]
        return [social_app(connection) for connection in connections]

    def pre_social_login(self, request, sociallogin) -> None:
        """A workspace's provider speaks only for the workspace's verified domains:
        anything else would let one workspace's owner sign in as anybody."""
        connection = connection_for_provider(sociallogin.account.provider)
        email = sociallogin.user.email or ""
        vouched = [address for address in sociallogin.email_addresses if address.verified]
        if connection is None or not vouched:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "sso/refused.html",
                    {"email": email, "connection": connection},
                    status=403,
                )
            )

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.name = (
            data.get("name")
            or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        )[:200]
        return user
