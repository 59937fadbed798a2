"""The pages' way of showing a service's InvalidInput: beside the field it names, or
above the form when it names no field the form shows."""

from __future__ import annotations

from django import forms

from engage.core.errors import InvalidInput
from engage.core.forms import show_on_form


class TitleForm(forms.Form):
    title = forms.CharField()


def test_a_message_goes_beside_its_field_or_above_the_form() -> None:
    form = TitleForm({"title": "Carers' voices"})
    assert form.is_valid()
    show_on_form(
        form, InvalidInput({"title": "There is already one called that.", "contact_id": "Not yours."})
    )
    assert form.errors["title"] == ["There is already one called that."]
    assert form.non_field_errors() == ["Not yours."]
    assert not form.is_valid()
