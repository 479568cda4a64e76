"""The contributor section of the stakeholder page.

A template tag rather than data from the landscape's view: the portal sits
above the landscape (it imports it), so the landscape's page asks the portal
for its section instead of importing it.
"""

from django import template

from changeready.portal.models import Contributor

register = template.Library()

MESSAGES_SHOWN = 10


@register.inclusion_tag("portal/_contributor_panel.html", takes_context=True)
def contributor_panel(context, stakeholder):
    """`stakeholder` comes from the page's workspace-scoped lookup."""
    contributor = (
        Contributor.objects.filter(stakeholder=stakeholder).select_related("invited_by").first()
    )
    messages = (
        list(contributor.messages.select_related("plan_item")[:MESSAGES_SHOWN])
        if contributor
        else []
    )
    return {
        "stakeholder": stakeholder,
        "engagement": context["engagement"],
        "membership": context["membership"],
        "contributor": contributor,
        "contributor_messages": messages,
        "csrf_token": context.get("csrf_token"),
    }
