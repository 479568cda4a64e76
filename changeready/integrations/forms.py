from django import forms

from changeready.integrations.models import EndpointKind, EventType


class EndpointForm(forms.Form):
    kind = forms.ChoiceField(
        label="Sends to",
        choices=EndpointKind.choices,
        initial=EndpointKind.WEBHOOK,
        help_text="Slack and Teams get readable messages; a webhook gets signed JSON.",
    )
    url = forms.CharField(
        label="URL",
        max_length=2000,
        help_text="The https:// address that receives the events, e.g. a Slack or Teams "
        "incoming-webhook URL.",
    )
    description = forms.CharField(
        max_length=200,
        required=False,
        help_text="What receives it, e.g. “#delivery-alerts” or “Gainsight”.",
    )
    events = forms.MultipleChoiceField(
        label="Events to send",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event to send."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CalendarFeedForm(forms.Form):
    engagement = forms.ChoiceField(
        label="Calendar of",
        help_text="Your own plan items across every engagement, or one engagement's whole plan.",
    )

    def __init__(self, *args, engagements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagement"].choices = [("", "My plan items")] + [
            (str(e.id), f"{e.customer} · {e.name}") for e in engagements
        ]
        self.fields["engagement"].required = False
