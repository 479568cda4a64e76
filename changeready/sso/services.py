"""Writes and look-ups for single sign-on (see changeready.sso.models)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from changeready.common.mail import send_email_after_commit
from changeready.sso.models import SsoConnection, SsoDomain
from changeready.workspaces.models import Membership, Workspace

CODE_LIFETIME = timedelta(hours=1)
MAX_CODE_ATTEMPTS = 5
DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def connection_for_provider(provider_id: str) -> SsoConnection | None:
    if not provider_id.startswith("sso-"):
        return None
    try:
        return SsoConnection.objects.select_related("workspace").get(
            id=provider_id.removeprefix("sso-")
        )
    except (SsoConnection.DoesNotExist, ValidationError):
        return None


def connection_for_email(email: str) -> SsoConnection | None:
    """The connection of the workspace that verified this email's domain, if any."""
    domain = SsoDomain.objects.verified().filter(domain=email_domain(email)).first()
    if domain is None:
        return None
    return (
        SsoConnection.objects.select_related("workspace")
        .filter(workspace_id=domain.workspace_id)
        .first()
    )


def sso_required_for(email: str) -> bool:
    connection = connection_for_email(email)
    return connection is not None and connection.required


def is_verified_domain_of(connection: SsoConnection, email: str) -> bool:
    return (
        SsoDomain.objects.verified()
        .filter(workspace_id=connection.workspace_id, domain=email_domain(email))
        .exists()
    )


@transaction.atomic
def save_connection(
    workspace: Workspace,
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    default_role: str,
    required: bool,
) -> SsoConnection:
    """Create or change the workspace's connection; a blank secret keeps the saved one."""
    connection = SsoConnection.objects.select_for_update().filter(workspace=workspace).first()
    if connection is None:
        if not client_secret:
            raise ValidationError({"client_secret": "Enter the client secret."})
        connection = SsoConnection(workspace=workspace)
    connection.issuer = issuer.rstrip("/")
    connection.client_id = client_id
    if client_secret:
        connection.client_secret = client_secret
    connection.default_role = default_role
    connection.required = required
    connection.full_clean()
    connection.save()
    return connection


def _code_hash(domain: SsoDomain, code: str) -> str:
    return salted_hmac("changeready.sso.domain", f"{domain.id}:{code}").hexdigest()


@transaction.atomic
def start_domain_verification(workspace: Workspace, *, domain: str, address: str) -> SsoDomain:
    """Claim `domain` for the workspace and mail a code to `address`, which must be at it."""
    domain = domain.strip().lower().removeprefix("@")
    address = address.strip().lower()
    if not DOMAIN_PATTERN.match(domain):
        raise ValidationError({"domain": "Enter a domain such as acme.example."})
    if email_domain(address) != domain:
        raise ValidationError({"address": f"Enter an address at {domain}."})
    if SsoDomain.objects.verified().filter(domain=domain).exclude(workspace=workspace).exists():
        raise ValidationError({"domain": f"{domain} belongs to another workspace."})
    sso_domain, _ = SsoDomain.objects.get_or_create(
        workspace=workspace, domain=domain, defaults={"proof_address": address}
    )
    if sso_domain.is_verified:
        raise ValidationError({"domain": f"{domain} is verified already."})
    code = f"{secrets.randbelow(10**8):08d}"
    sso_domain.proof_address = address
    sso_domain.code_hash = _code_hash(sso_domain, code)
    sso_domain.code_expires_at = timezone.now() + CODE_LIFETIME
    sso_domain.failed_attempts = 0
    sso_domain.save()
    body = render_to_string(
        "sso/email/domain_code.txt",
        {"workspace": workspace, "domain": domain, "code": code, "site_url": settings.SITE_URL},
    )
    send_email_after_commit(
        subject="Your changeready domain verification code", message=body, to=address
    )
    return sso_domain


def verify_domain(sso_domain: SsoDomain, code: str) -> None:
    """Check the mailed code; a wrong one counts (and stays counted: the refusal
    is raised after the count is committed)."""
    refusal = _check_domain_code(sso_domain, code.strip())
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def _check_domain_code(sso_domain: SsoDomain, code: str) -> str | None:
    locked = SsoDomain.objects.select_for_update().get(id=sso_domain.id)
    if locked.is_verified:
        return None
    if not locked.code_hash or locked.code_expires_at < timezone.now():
        return "This code has expired. Send a new one."
    if locked.failed_attempts >= MAX_CODE_ATTEMPTS:
        return "Too many wrong codes. Send a new one."
    if not constant_time_compare(locked.code_hash, _code_hash(locked, code)):
        locked.failed_attempts += 1
        locked.save(update_fields=["failed_attempts"])
        return "That code is not right. Check the email and try again."
    locked.verified_at = timezone.now()
    locked.code_hash = ""
    try:
        with transaction.atomic():
            locked.save(update_fields=["verified_at", "code_hash"])
    except IntegrityError:
        return f"{locked.domain} belongs to another workspace."
    return None


@transaction.atomic
def remove_domain(sso_domain: SsoDomain) -> None:
    """People at the domain can no longer sign in through the workspace's provider
    (nor are they held to it); their accounts and memberships stay."""
    sso_domain.delete()


@transaction.atomic
def remove_connection(connection: SsoConnection) -> None:
    """Single sign-on off: members sign in with passwords, codes or passkeys again
    (people who only ever used single sign-on reset a password first). The
    verified domains stay, ready for another provider."""
    SocialAccount.objects.filter(provider=connection.provider_id).delete()
    connection.delete()


def join_by_sso(connection: SsoConnection, user) -> Membership:
    """Just-in-time membership: someone the provider vouches for joins with the default role."""
    membership, _ = Membership.objects.get_or_create(
        workspace=connection.workspace, user=user, defaults={"role": connection.default_role}
    )
    return membership


def join_on_sso_login(sender, request, user, sociallogin=None, **kwargs) -> None:
    """allauth's `user_logged_in` receiver: after a sign-in through a workspace's
    provider, the person is a member of that workspace."""
    if sociallogin is None:
        return
    connection = connection_for_provider(sociallogin.account.provider)
    if connection is not None:
        join_by_sso(connection, user)
