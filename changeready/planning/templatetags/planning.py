from django import template

register = template.Library()


@register.filter
def words(value) -> str:
    """A choice value as words: `customer_success` → `customer success`."""
    return str(value).replace("_", " ")
