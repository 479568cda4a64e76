"""Every versioned form shows a refused write on the form and keeps the input."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from changeready.common.concurrency import EditConflict
from changeready.common.forms import CONFLICT_HINT, save_through


class NameForm(forms.Form):
    name = forms.CharField()


def bound_form():
    form = NameForm({"name": "Typed by me"})
    assert form.is_valid()
    return form


def test_a_saved_write_leaves_the_form_clean():
    form = bound_form()
    assert save_through(form, lambda: None) is True
    assert not form.errors


def test_a_concurrent_edit_is_shown_with_the_hint(engagement):
    form = bound_form()

    def write():
        raise EditConflict(engagement)

    assert save_through(form, write) is False
    (message,) = form.non_field_errors()
    assert "changed by someone else" in message
    assert CONFLICT_HINT in message
    assert form.data["name"] == "Typed by me"


def test_model_validation_lands_next_to_its_field():
    form = bound_form()

    def write():
        raise ValidationError({"name": "Already taken.", "elsewhere": "Not a form field."})

    assert save_through(form, write) is False
    assert form.errors["name"] == ["Already taken."]
    assert form.non_field_errors() == ["Not a form field."]


def test_a_stale_cs_owner_save_is_refused_through_the_view(client_as, engagement):
    stale = engagement.version
    client = client_as("member")
    url = reverse("handoff_cs_owner", args=[engagement.id])
    first = {"name": "Kim First", "email": "kim@vendor.example", "version": stale}
    second = {"name": "Lee Second", "email": "lee@vendor.example", "version": stale}
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert CONFLICT_HINT in response.content.decode()
    assert 'value="Lee Second"' in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.cs_owner_name == "Kim First"
