from django.utils.functional import SimpleLazyObject

from changeready.workspaces.tenancy import user_memberships


def workspaces(request):
    """The workspace switcher: every workspace of the user, and the current one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = getattr(request, "membership", None)
    return {
        "current_membership": current,
        # Read when the layout lists them (not for a partial), once a request.
        "my_memberships": SimpleLazyObject(lambda: user_memberships(request)),
    }
