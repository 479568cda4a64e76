"""Whether someone uses two-factor authentication (allauth.mfa).

Recovery codes alone do not count: they back up a second factor, they are not one.
"""

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factors():
    return Authenticator.objects.filter(type__in=SECOND_FACTORS)


def uses_mfa(user) -> bool:
    return second_factors().filter(user=user).exists()


def uses_mfa_of(user_field: str = "user") -> Exists:
    """For `.annotate(uses_mfa=uses_mfa_of("user"))` on rows that point at a user."""
    return Exists(second_factors().filter(user=OuterRef(user_field)))
