from django import forms

from changeready.common.models import choices
from changeready.core.model import (
    ADKAR_ELEMENTS,
    ADOPTION_MODES,
    FORMATS,
    KINDS,
    OWNER_ROLES,
    PLAN_ITEM_KINDS,
    PLAN_ITEM_STATUSES,
    QUADRANTS,
    RESISTANCE_SOURCES,
    ROLES,
    WORKSTREAMS,
)
from changeready.core.rules import ANCHORS, AUDIENCE_MODES, FAMILIES, MAX_WEEK, MIN_WEEK
from changeready.core.themes import THEME_CODES
from changeready.planning.models import PlanItem

WEEK_FIELD = {"min_value": MIN_WEEK, "max_value": MAX_WEEK}


class VersionedForm(forms.Form):
    # The version the user's edit is based on, so a concurrent save is caught.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanItem
        fields = [
            "week",
            "title",
            "kind",
            "owner_role",
            "owner",
            "audience",
            "description",
            "adkar_target",
            "resistance_point",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {
            "week": "Relative to go-live: 0 is go-live week, −1 the week before.",
            "owner": "A person, so someone is accountable; the role alone holds nobody.",
            "audience": "Who the item is for (Ctrl/⌘-click to pick several).",
        }

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = engagement.stakeholders.order_by("name")
        self.fields["resistance_point"].queryset = engagement.resistance_points.select_related(
            "stakeholder"
        )
        self.fields["title"].widget.attrs["autofocus"] = True
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class MoveItemForm(VersionedForm):
    week = forms.IntegerField(**WEEK_FIELD)


class ItemStatusForm(VersionedForm):
    status = forms.ChoiceField(choices=choices(PLAN_ITEM_STATUSES))


class PlanFilterForm(forms.Form):
    """GET filters of the plan page; an invalid value is ignored, not an error."""

    audience = forms.ModelChoiceField(queryset=None, required=False, empty_label="Everyone")
    owner = forms.ChoiceField(required=False)
    owner_role = forms.ChoiceField(
        required=False, choices=[("", "Any role"), *choices(OWNER_ROLES)], label="Owner role"
    )
    workstream = forms.ChoiceField(
        required=False, choices=[("", "Every workstream"), *choices(WORKSTREAMS)]
    )
    view = forms.ChoiceField(
        required=False,
        label="Show",
        choices=[
            ("timeline", "By phase and week"),
            ("now", "This week and next"),
            ("workstream", "By workstream"),
            ("owner", "By owner"),
        ],
    )

    NO_OWNER = "-"

    def __init__(self, *args, engagement, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = engagement.stakeholders.order_by("name")
        self.fields["owner"].choices = [
            ("", "Anyone"),
            (self.NO_OWNER, "No named owner"),
            *((owner, owner) for owner in owners),
        ]


class PlanSettingsForm(VersionedForm):
    adoption_target_pct = forms.FloatField(
        label="Adoption target %",
        min_value=1,
        max_value=100,
        help_text="Weekly-active share each daily-user group should reach.",
    )
    adoption_target_week = forms.IntegerField(
        label="Reached by week",
        min_value=1,
        max_value=MAX_WEEK,
        help_text="The ramp rises from half the target in week 1 to the target in this week.",
    )


class AdoptionTargetForm(VersionedForm):
    target_pct = forms.FloatField(label="Target %", min_value=0, max_value=100)
    actual_pct = forms.FloatField(label="Actual %", min_value=0, max_value=100, required=False)


class ActualsImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns week, stakeholder (the group's name) and percent; one row per group "
            "and week. UTF-8, comma or semicolon separated. All rows are imported or none."
        ),
    )


def _multiple(values, label):
    return forms.MultipleChoiceField(
        choices=choices(values),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text="None ticked means any.",
    )


class RuleForm(VersionedForm):
    """A plan rule in form shape; `Rule.from_dict` does the real validation."""

    key = forms.CharField(
        max_length=80,
        help_text="A dotted name such as team.weekly_standup; it identifies the rule's items.",
    )
    family = forms.ChoiceField(choices=choices(FAMILIES))
    title = forms.CharField(
        max_length=300, help_text="{name} is replaced by the stakeholder's name (per-stakeholder)."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(choices=choices(PLAN_ITEM_KINDS))
    workstream = forms.ChoiceField(
        choices=[("", "The kind's usual workstream"), *choices(WORKSTREAMS)], required=False
    )
    format = forms.ChoiceField(
        choices=[("", "The kind's usual format"), *choices(FORMATS)],
        required=False,
        help_text="A one-to-one with a group becomes a group session.",
    )
    owner_role = forms.ChoiceField(choices=choices(OWNER_ROLES), label="Owner role")
    anchor = forms.ChoiceField(
        choices=list(
            zip(
                ANCHORS,
                (
                    "Go-live (week 0 is go-live week)",
                    "Kickoff (week 0 is the kickoff week)",
                    "Value review (week 0 is ten weeks before the renewal)",
                ),
                strict=True,
            )
        ),
        initial="go_live",
        required=False,
        label="Weeks count from",
    )
    weeks = forms.CharField(
        help_text="Weeks counted from the anchor, separated by commas: -3, 1, 4.",
    )
    repeat_every = forms.IntegerField(
        min_value=1,
        max_value=MAX_WEEK,
        required=False,
        label="Repeat every (weeks)",
        help_text="Repeats the last week until the value review or the end of the plan.",
    )
    adkar_target = forms.ChoiceField(
        choices=[("", "—"), *choices(ADKAR_ELEMENTS)], required=False, label="ADKAR target"
    )
    audience = forms.ChoiceField(
        choices=[
            (mode, label)
            for mode, label in zip(
                AUDIENCE_MODES,
                (
                    "One item for everyone it applies to",
                    "One item per stakeholder it applies to",
                    "One item for the team, addressed to no stakeholder",
                ),
                strict=True,
            )
        ],
        widget=forms.RadioSelect,
    )
    roles = _multiple(ROLES, "Roles")
    quadrants = _multiple(QUADRANTS, "Quadrants")
    kinds = _multiple(KINDS, "Kinds")
    barriers = _multiple(ADKAR_ELEMENTS, "ADKAR barriers")
    resistance_sources = _multiple(
        RESISTANCE_SOURCES, "Resistance sources (resistance and concern rules)"
    )
    themes = _multiple(THEME_CODES, "Themes in what they said")
    adoption_modes = _multiple(ADOPTION_MODES, "Adoption modes")
    min_headcount = forms.IntegerField(
        min_value=1, required=False, label="Groups of at least (people)"
    )
    resistors_only = forms.BooleanField(required=False, label="Resistors only")
    enabled = forms.BooleanField(required=False, initial=True, label="Switched on")

    def __init__(self, *args, key_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        if key_locked:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = "The key of a built-in rule stays as it is."

    def clean_weeks(self):
        raw = self.cleaned_data["weeks"].replace("−", "-")
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                "Write whole week numbers separated by commas, such as -3, 1, 4."
            ) from None

    def rule_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["adkar_target"] = data["adkar_target"] or None
        data["anchor"] = data["anchor"] or "go_live"
        return data

    @classmethod
    def initial_from_rule(cls, rule, version=None) -> dict:
        initial = rule.to_dict()
        initial["weeks"] = ", ".join(str(week) for week in rule.weeks)
        initial["adkar_target"] = rule.adkar_target or ""
        initial["version"] = version
        return initial
