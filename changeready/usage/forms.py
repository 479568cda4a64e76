from django import forms

from changeready.common.models import choices
from changeready.core.kpis import DIRECTIONS, implied_direction
from changeready.core.rules import MAX_WEEK, MIN_WEEK
from changeready.usage.mapping import mappable_groups
from changeready.usage.models import Kpi, MappingRule

WEEK_FIELD = {"min_value": MIN_WEEK, "max_value": MAX_WEEK}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Events file",
        help_text=(
            "CSV with the columns id, user, event and timestamp (ISO 8601 with its zone), "
            "optionally email; any other column becomes a property. Or JSON lines: one event "
            "object per line, as the API takes them. Events sent before are counted once."
        ),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What sends the events, e.g. “WMS production”.",
    )


class MappingRuleForm(forms.Form):
    stakeholder = forms.ModelChoiceField(label="Group", queryset=None)
    kind = forms.ChoiceField(label="Match users by", choices=list(MappingRule.KIND_LABELS.items()))
    property_name = forms.CharField(
        label="Property",
        max_length=100,
        required=False,
        help_text="For a property rule: the property's name, e.g. department.",
    )
    values = forms.CharField(
        label="Values",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "One a line (or comma separated): email domains (northwind.example), property "
            "values (Nursing), or user ids and emails. Case does not matter."
        ),
    )

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = mappable_groups(engagement).order_by("name")


class CountsAsUseForm(forms.Form):
    counts_as_use = forms.CharField(
        label="Events that count as use",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One event name a line; leave empty to count every event.",
    )


class KpiForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    direction = forms.ChoiceField(
        choices=[("", "From baseline and target"), *choices(DIRECTIONS)],
        required=False,
        help_text="Whether better means higher or lower; by default the sign of target − baseline.",
    )

    class Meta:
        model = Kpi
        fields = [
            "name",
            "stakeholder",
            "unit",
            "baseline",
            "target",
            "due_week",
            "direction",
            "measure",
            "event",
            "property_name",
        ]
        help_texts = {
            "name": "From a success definition, e.g. “Pick accuracy”.",
            "stakeholder": "Whose success definition it measures.",
            "unit": "e.g. %, days, orders.",
            "baseline": "Where it stands before go-live (week 0).",
            "due_week": "The plan week by which the target should be reached.",
            "measure": "Typed weekly by hand, or computed each week from the usage events.",
            "event": "For a computed KPI: the event name counted or summed over.",
            "property_name": "For a sum: the numeric property to add up, e.g. lines.",
        }

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = engagement.stakeholders.order_by("name")
        self.fields["due_week"].min_value = MIN_WEEK
        self.fields["due_week"].max_value = MAX_WEEK
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            # Shown as "from baseline and target" while it follows them.
            implied = implied_direction(self.instance.baseline, self.instance.target)
            self.initial["direction"] = "" if implied else self.instance.direction


class KpiValueForm(forms.Form):
    week = forms.IntegerField(label="Week", **WEEK_FIELD)
    value = forms.FloatField(
        label="Value", required=False, help_text="Empty removes the week’s value."
    )
