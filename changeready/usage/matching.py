"""Which daily-user group a user belongs to, by the engagement's mapping rules.

Rules are tried in order and the first that matches wins; a user no rule
matches stays unmapped (docs/domain.md: listed, never guessed). Matching
ignores case and surrounding spaces: `Nursing` and `nursing ` are one value.
"""

from __future__ import annotations

from dataclasses import dataclass

from changeready.usage.models import MappingRule

# Properties kept per user for mapping: text values only (a department, a
# site), so numbers that change with every event do not rewrite the user.
MAX_USER_PROPERTIES = 20
MAX_USER_PROPERTY_CHARS = 200


def normalised(value: object) -> str:
    return str(value).strip().casefold()


@dataclass(frozen=True)
class CompiledRule:
    stakeholder_id: object
    kind: str
    property_name: str
    values: frozenset[str]

    def matches(self, external_id: str, email: str, properties: dict) -> bool:
        if self.kind == "email_domain":
            return bool(email) and normalised(email.rpartition("@")[2]) in self.values
        if self.kind == "property":
            value = properties.get(self.property_name)
            return value is not None and normalised(value) in self.values
        return normalised(external_id) in self.values or (
            bool(email) and normalised(email) in self.values
        )


def compile_rules(rules) -> tuple[CompiledRule, ...]:
    return tuple(
        CompiledRule(
            stakeholder_id=rule.stakeholder_id,
            kind=rule.kind,
            property_name=rule.property_name.strip(),
            values=frozenset(
                normalised(value).removeprefix("@")
                if rule.kind == "email_domain"
                else normalised(value)
                for value in rule.values
            ),
        )
        for rule in rules
    )


def engagement_rules(engagement) -> tuple[CompiledRule, ...]:
    return compile_rules(
        MappingRule.objects.filter(engagement=engagement).order_by("position", "id")
    )


def group_of(rules: tuple[CompiledRule, ...], external_id: str, email: str, properties: dict):
    """The stakeholder id of the first rule that matches, or None."""
    for rule in rules:
        if rule.matches(external_id, email, properties):
            return rule.stakeholder_id
    return None


def mapping_properties(properties: dict) -> dict:
    """The part of an event's properties a user is remembered by."""
    kept = {}
    for name, value in properties.items():
        if isinstance(value, str) and name != "channel" and len(value) <= MAX_USER_PROPERTY_CHARS:
            kept[name] = value
            if len(kept) >= MAX_USER_PROPERTIES:
                break
    return kept
