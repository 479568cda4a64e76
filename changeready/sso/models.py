"""Single sign-on per workspace through OpenID Connect.

A workspace's owner connects its identity provider (issuer, client id and
secret) and claims email domains, each proven by a code mailed to an address at
that domain. People at a verified domain may sign in through the provider and
become members with the connection's default role; with `required`, they may
sign in no other way.
"""

import uuid

from django.db import models
from django.db.models import Q

from changeready.workspaces.models import Role, Workspace

JOINING_ROLES = [(role.value, role.label) for role in Role if role != Role.OWNER]


class SsoConnection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="sso")
    issuer = models.URLField("issuer URL", max_length=500)
    client_id = models.CharField("client ID", max_length=255)
    # Needed in clear to call the provider's token endpoint; never shown again.
    client_secret = models.CharField("client secret", max_length=500)
    default_role = models.CharField(max_length=10, choices=JOINING_ROLES, default=Role.MEMBER)
    required = models.BooleanField(
        "single sign-on required",
        default=False,
        help_text="People at the verified domains cannot sign in with a password, a code"
        " by email or a passkey; their API tokens keep working until revoked.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.workspace} single sign-on"

    @property
    def provider_id(self) -> str:
        """allauth's name for this connection, in its sign-in and callback URLs."""
        return f"sso-{self.id.hex}"


class SsoDomainQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)


class SsoDomain(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sso_domains")
    domain = models.CharField(max_length=253)
    # The proof: a code mailed to an address at the domain, entered here.
    proof_address = models.EmailField(max_length=320)
    code_hash = models.CharField(max_length=128, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SsoDomainQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "domain"], name="sso_domain_once"),
            # A domain belongs to one workspace at most.
            models.UniqueConstraint(
                fields=["domain"],
                condition=Q(verified_at__isnull=False),
                name="sso_domain_verified_once",
            ),
        ]

    def __str__(self):
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None
