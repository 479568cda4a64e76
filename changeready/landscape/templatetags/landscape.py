from django import template

from changeready.core.model import ANONYMITY_THRESHOLD
from changeready.landscape import importing, labels
from changeready.landscape.overview import landscape_summary as summarise
from changeready.landscape.presets import RELATION_PRESETS_BY_SLUG, relation_of

register = template.Library()


def _labeller(mapping):
    return lambda code: mapping.get(code, code or "—")


register.filter("role_label", _labeller(labels.ROLE_LABELS))
register.filter("engagement_label", _labeller(labels.ENGAGEMENT_LABELS))
register.filter("risk_label", _labeller(labels.RISK_BAND_LABELS))
register.filter("quadrant_label", _labeller(labels.QUADRANT_LABELS))
register.filter("source_label", _labeller(labels.SOURCE_LABELS))
register.filter("strategy_label", _labeller(labels.STRATEGY_LABELS))
register.filter("status_label", _labeller(labels.STATUS_LABELS))
register.filter("involvement_label", _labeller(labels.INVOLVEMENT_LABELS))


@register.filter
def adkar_withheld_note(stakeholder) -> str:
    """What a page shows instead of ADKAR scores measured from too few responses."""
    if not stakeholder.adkar_withheld:
        return ""
    count = stakeholder.adkar_responses or 0
    return f"measured from {count} response{'s' * (count != 1)} — shown at {ANONYMITY_THRESHOLD}"


@register.inclusion_tag("landscape/_summary.html")
def landscape_summary(engagement, assessment):
    """Counts per landscape question and resistors, for the engagement's overview."""
    summary = summarise(engagement, assessment)
    return {"engagement": engagement, "landscape": summary, "sections": summary.sections}


@register.simple_tag
def column_values(column):
    return importing.column_values(column)


@register.filter
def relation_label(stakeholder) -> str:
    """The stakeholder's relation as the grid's presets name it."""
    preset = RELATION_PRESETS_BY_SLUG.get(
        relation_of(stakeholder.role, stakeholder.opposed_purchase)
    )
    return preset.label if preset else labels.ROLE_LABELS.get(stakeholder.role, stakeholder.role)
