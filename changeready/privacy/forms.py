from django import forms


class EraseForm(forms.Form):
    typed_name = forms.CharField(
        label="Type the person's name to confirm",
        max_length=200,
        help_text="Exactly as shown above; capitals do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
