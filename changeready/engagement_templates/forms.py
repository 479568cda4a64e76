from django import forms

from changeready.engagements.forms import DateInput
from changeready.landscape.suggestions import INDUSTRY_LABELS


class FromTemplateForm(forms.Form):
    """What the user brings to a template: the customer, the dates, the people."""

    customer = forms.CharField(max_length=200)
    go_live_date = forms.DateField(label="Go-live date", widget=DateInput())
    kickoff_date = forms.DateField(label="Kickoff date", required=False, widget=DateInput())
    name = forms.CharField(
        label="Engagement name",
        max_length=200,
        required=False,
        help_text="Leave it empty to use the template's name.",
    )
    sponsor_name = forms.CharField(
        label="Executive sponsor",
        max_length=200,
        required=False,
        help_text="The customer's sponsor takes the template's sponsor role; "
        "their role there becomes their title.",
    )
    sponsor_email = forms.EmailField(label="Sponsor email", required=False)
    delivery_lead_name = forms.CharField(label="Delivery lead", max_length=200, required=False)
    delivery_lead_email = forms.EmailField(label="Delivery lead email", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sponsor_email") and not cleaned.get("sponsor_name"):
            self.add_error("sponsor_name", "Name the sponsor whose email this is.")
        return cleaned


class SaveAsTemplateForm(forms.Form):
    name = forms.CharField(label="Template name", max_length=200)
    description = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When to use it: the kind of customer and change.",
    )
    industry = forms.ChoiceField(
        choices=list(INDUSTRY_LABELS.items()),
        required=False,
    )
