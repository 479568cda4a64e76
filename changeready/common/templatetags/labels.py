"""Template filters available in every template (registered as a builtin)."""

from django import template

register = template.Library()


@register.filter
def label(code) -> str:
    """A contract code as people read it: `not_ready` → "Not ready"."""
    text = str(code or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]
