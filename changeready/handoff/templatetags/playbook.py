from django import template

from changeready.handoff.playbook import label as code_label

register = template.Library()


@register.filter
def label(value):
    """`not_ready` → `Not ready`: domain codes as words."""
    return code_label(value)
