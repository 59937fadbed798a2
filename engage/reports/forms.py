"""The forms of reports. They parse what a person typed; the rules (a whole month that
has ended, at most two years, a section the kind has) are the services'."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from engage.activities.models import Activity, PartnershipPriority
from engage.reports.models import ReportKind
from engage.reports.pictograms import PICTOGRAMS
from engage.reports.sections import section_specs

MONTH_HINT = "As a year and month, like 2025-04."


class ReportForm(forms.Form):
    # Not required here: the service names each missing or wrong one in plain words.
    title = forms.CharField(label="Title", max_length=200, required=False)
    month_from = forms.CharField(label="First month", max_length=7, help_text=MONTH_HINT, required=False)
    month_to = forms.CharField(label="Last month", max_length=7, help_text=MONTH_HINT, required=False)
    priorities = forms.MultipleChoiceField(
        label="Priorities",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked for every priority. Decisions and reach are then shown for the ones "
        "you tick.",
    )
    sections = forms.MultipleChoiceField(
        label="Sections", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="The first and last sections are always in the report.",
    )  # fmt: skip

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_fields = cast(dict[str, forms.ChoiceField], self.fields)
        choice_fields["priorities"].choices = [
            (str(p.pk), p.title)
            for p in PartnershipPriority.objects.filter(is_active=True).order_by("position", "title")
        ]
        choice_fields["sections"].choices = [
            (spec.key, spec.title + (" (always included)" if spec.required else ""))
            for spec in section_specs(kind)
        ]


class ActivityReportForm(forms.Form):
    activity = forms.ChoiceField(
        label="Activity", help_text="Your organisation's activities that have ended."
    )
    title = forms.CharField(label="Title", max_length=200, required=False,
                            help_text="Leave it empty to use the activity's title.")  # fmt: skip

    def __init__(self, *args: Any, activities: list[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_fields = cast(dict[str, forms.ChoiceField], self.fields)
        choice_fields["activity"].choices = [("", "Choose an activity")] + [
            (str(a.pk), f"{a.title} (ended {a.ends_on:%-d %B %Y})") for a in activities
        ]


class NarrativeForm(forms.Form):
    text = forms.CharField(label="What this section says", required=False, widget=forms.Textarea)


def picture_choices() -> list[tuple[str, str]]:
    return [("", "No picture")] + [(p.name, f"{p.shows} ({p.name})") for p in PICTOGRAMS]


class EasyReadPointForm(forms.Form):
    section_key = forms.ChoiceField(label="Section")
    text = forms.CharField(
        label="Words", max_length=400, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One idea, in a short sentence. Put **two stars** around key words to make them bold.",
    )  # fmt: skip
    picture = forms.ChoiceField(label="Picture", required=False)
    uploaded_picture = forms.ChoiceField(label="Or one of your partnership's pictures", required=False)

    def __init__(self, *args: Any, kind: str, uploaded: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_fields = cast(dict[str, forms.ChoiceField], self.fields)
        choice_fields["section_key"].choices = [(s.key, s.title) for s in section_specs(kind)]
        choice_fields["picture"].choices = picture_choices()
        choice_fields["uploaded_picture"].choices = [("", "None")] + [
            (str(pk), name) for pk, name in uploaded
        ]


class JargonForm(forms.Form):
    term = forms.CharField(label="Word or phrase to avoid", max_length=80)
    plain = forms.CharField(label="Plainer words to use instead", max_length=200)


class PictogramForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=80, help_text="A short name to find it by, like “our hub”."
    )
    description = forms.CharField(
        label="What the picture shows", max_length=200,
        help_text="Read out to people who cannot see it, like “The front of the Castlebridge community hub”.",
    )  # fmt: skip
    licence = forms.CharField(
        label="Licence or permission", max_length=200, required=False,
        help_text="Say who owns it and that you may use it, like “Our own photograph”.",
    )  # fmt: skip
    file = forms.FileField(label="Picture (PNG or JPEG, up to 512 KB)")


KIND_CHOICES = ReportKind.choices
