"""Typical values for a stakeholder, by their relation to the change.

Choosing a relation fills role, influence, interest, impact and desired
engagement with what is usually true of such a stakeholder (Mendelow's axes,
docs/domain.md section 3); every value stays visible and changeable. Pure data,
so the form, the grid and their script read the same table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RelationPreset:
    slug: str
    label: str
    role: str
    influence: int
    interest: int
    impact: int
    desired_engagement: str
    opposed_purchase: bool = False

    def values(self) -> dict:
        """The stakeholder fields this preset fills, by field name."""
        values = asdict(self)
        del values["slug"], values["label"]
        return values


RELATION_PRESETS = (
    RelationPreset("daily_user", "Uses it daily", "daily_user", 2, 4, 5, "supportive"),
    RelationPreset(
        "people_manager", "Manages the people who use it", "people_manager", 3, 4, 4, "leading"
    ),
    RelationPreset("product_admin", "Administers the product", "product_admin", 3, 5, 4, "leading"),
    RelationPreset(
        "economic_buyer", "Approved the purchase", "economic_buyer", 5, 3, 1, "supportive"
    ),
    RelationPreset(
        "executive_sponsor", "Sponsors the change", "executive_sponsor", 5, 4, 2, "leading"
    ),
    # An executive or clinical leader who argued against the purchase leads the
    # people who use it; filing them as a buyer or sponsor would put them under
    # "who approved it" (docs/domain.md section 3).
    RelationPreset(
        "opposed_leader",
        "Did not want it: an executive or clinical leader, not the sponsor",
        "people_manager",
        5,
        4,
        3,
        "supportive",
        opposed_purchase=True,
    ),
    RelationPreset("it_security", "IT or security", "it_security", 4, 3, 2, "supportive"),
    RelationPreset(
        "downstream", "Affected by its output (downstream)", "downstream", 2, 3, 3, "supportive"
    ),
)
RELATION_PRESETS_BY_SLUG = {preset.slug: preset for preset in RELATION_PRESETS}


def relation_of(role: str, opposed_purchase: bool) -> str:
    """The preset a stored stakeholder reads as (the grid's relation column).

    Every role has its own preset; a people manager who did not want the
    purchase is the opposed leader.
    """
    if opposed_purchase and role == "people_manager":
        return "opposed_leader"
    return role if role in RELATION_PRESETS_BY_SLUG else ""
