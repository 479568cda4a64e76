from django import forms

from changeready.portal.services import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    """A comment on a step, or a request for help (its text is optional)."""

    text = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = required
        if required:
            self.fields["text"].error_messages["required"] = "Write your comment first."
