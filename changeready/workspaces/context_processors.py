from changeready.workspaces.models import Membership


def workspaces(request):
    """The workspace switcher: every workspace of the user, and the current one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    current = getattr(request, "membership", None)
    return {
        "current_membership": current,
        "my_memberships": Membership.objects.filter(user=request.user)
        .select_related("workspace")
        .order_by("workspace__name"),
    }
