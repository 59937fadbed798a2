"""The public feedback form, and the checks that keep it from being flooded by bots
without tracking the people who use it.

- A honeypot: a box people never see (hidden on screen and from screen readers, and
  skipped by the keyboard) that bots fill in. A form with it filled in is treated as
  sent, so a bot learns nothing, but nothing is saved.
- A signed time stamp: the form carries the time it was served, signed with the site's
  secret key. A form sent back sooner than ENGAGE_FEEDBACK_MIN_SECONDS (people take
  longer than that to write anything), later than ENGAGE_FEEDBACK_MAX_AGE_SECONDS, or
  with a stamp that was altered, is refused with a plain message and saved nowhere.
- A rate limit: at most ENGAGE_FEEDBACK_RATE_LIMIT forms an hour from one network
  address, which is known only by a daily-changing keyed hash (see
  `engage.core.ratelimit`). Every form that is sent counts, except one sent back to
  put a mistake right, so a person is never locked out for fixing their answers.

None of this needs a cookie beyond Django's CSRF cookie, a CAPTCHA or a third-party script.
"""

from __future__ import annotations

import datetime as dt
import time
from enum import Enum
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from engage.core.errors import InvalidInput
from engage.core.forms import RecordChoiceField
from engage.core.ratelimit import RateLimit, client_key, rate_limit_check, rate_limit_hit
from engage.partners.models import Organisation
from engage.partners.selectors import organisation_list

QUESTION = "What would you like to tell us?"
RATE_LIMIT_SCOPE = "site.feedback"
RATE_LIMIT_WINDOW = dt.timedelta(hours=1)
_STAMP_PURPOSE = "engage.site.feedback.served"

TOO_FAST = (
    "The form was sent too quickly after the page opened, so we could not be sure a person sent it. "
    "Check your answers and send the form again."
)
TOO_OLD = (
    "The page was open for too long, so the form was not sent. "
    "Your answers are still here: check them and send the form again."
)
NOT_CHECKED = "We could not check the form, so it was not sent. Check your answers and send the form again."


def min_seconds() -> float:
    return float(settings.ENGAGE_FEEDBACK_MIN_SECONDS)


def max_age_seconds() -> float:
    return float(settings.ENGAGE_FEEDBACK_MAX_AGE_SECONDS)


def rate_limit() -> int:
    return int(settings.ENGAGE_FEEDBACK_RATE_LIMIT)


def issue_token(*, now: float | None = None) -> str:
    """A signed record of when the form was served."""
    served = time.time() if now is None else now
    return signing.dumps({"served": round(served, 3)}, salt=_STAMP_PURPOSE, compress=False)


class TokenProblem(Enum):
    TOO_FAST = TOO_FAST
    TOO_OLD = TOO_OLD
    NOT_CHECKED = NOT_CHECKED


def check_token(token: str, *, now: float | None = None) -> TokenProblem | None:
    """What is wrong with the form's time stamp, or None when it is fine."""
    try:
        payload = signing.loads(token, salt=_STAMP_PURPOSE)
        served = float(payload["served"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenProblem.NOT_CHECKED
    age = (time.time() if now is None else now) - served
    if age < min_seconds():
        return TokenProblem.TOO_FAST
    if age > max_age_seconds():
        return TokenProblem.TOO_OLD
    return None


class OrganisationChoiceField(RecordChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class FeedbackForm(forms.Form):
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label="Which service or organisation is it about?",
        help_text="Choose the organisation that runs the service. It will read what you write.",
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation your feedback is about.",
            "invalid_choice": "Choose an organisation from the list.",
        },
    )
    text = forms.CharField(
        label=QUESTION,
        widget=forms.Textarea,
        help_text=(
            "Tell us what went well, what could be better, or anything else. "
            "Do not include your name, anyone else's name, or details that could identify you."
        ),
        error_messages={"required": "Enter what you would like to tell us."},
    )
    postcode = forms.CharField(
        label="Your postcode (optional)",
        required=False,
        max_length=10,
        help_text=(
            "We keep only the first part, such as DY1, to see which areas we are hearing from. "
            "We never keep your full postcode."
        ),
        error_messages={"max_length": "Enter a UK postcode, such as DY1 1HF, or leave it empty."},
    )
    consent_to_quote = forms.BooleanField(
        label="You may quote what I said (without my name)",
        required=False,
        help_text="For example, in reports about what people told us. If you leave this box empty, we will not quote you.",
    )
    # The honeypot, named as bots like to fill it: see the module's docstring.
    website = forms.CharField(label="Leave this empty", required=False)
    served = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.token_problem: TokenProblem | None = None
        field = cast(OrganisationChoiceField, self.fields["organisation"])
        field.queryset = organisation_list(active_only=True).order_by("name")
        if not self.is_bound:
            self.initial["served"] = issue_token()

    def is_from_a_bot(self) -> bool:
        """The honeypot was filled in. Call only on a bound form."""
        return bool(str(self.data.get("website", "")).strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.token_problem = check_token(str(self.data.get("served", "")))
        if self.token_problem is not None:
            raise forms.ValidationError(self.token_problem.value, code=self.token_problem.name.lower())
        return cleaned

    def refresh_token(self) -> None:
        """Give a form that is shown again a new time stamp, so it can be sent again."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        if not isinstance(self.data, QueryDict):
            data.update(self.data)
        data["served"] = issue_token()
        self.data = data

    def add_service_errors(self, error: InvalidInput) -> None:
        """Show the service's messages beside the fields they are about."""
        for name, message in error.errors.items():
            self.add_error(name if name in ("text", "postcode") else None, message)


def feedback_rate_limit(request: HttpRequest) -> tuple[str, RateLimit]:
    """The client's rate-limit key, and whether it may send another form now."""
    key = client_key(request, scope=RATE_LIMIT_SCOPE)
    return key, rate_limit_check(
        scope=RATE_LIMIT_SCOPE, key=key, limit=rate_limit(), window=RATE_LIMIT_WINDOW
    )


def retry_time_text(limit: RateLimit) -> str:
    """When the client may send a form again, as people say it: "3:45pm"."""
    when = timezone.localtime(limit.retry_at or timezone.now())
    if when.second or when.microsecond:
        when = when.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    text = f"{when.hour % 12 or 12}:{when:%M}{'am' if when.hour < 12 else 'pm'}"
    if when.date() != timezone.localdate():
        text += " tomorrow"
    return text


def feedback_count(key: str) -> None:
    """Count one form sent by this client."""
    rate_limit_hit(scope=RATE_LIMIT_SCOPE, key=key, window=RATE_LIMIT_WINDOW)
