"""The emails "You said, we did" sends, composed: the message telling a participant what
was done, with a one-click way to stop such messages, and the weekly list of overdue
feedback for a member of staff.

Composing only: sending, retrying and the record of what went to whom are in
`feedback_services`. Links are absolute, from ENGAGE_PUBLIC_URL, because an email has
no request to build them from.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from engage.activities.models import Activity
from engage.core.selectors import partnership_name
from engage.decisions.models import Decision
from engage.partners.models import Person

# Signed, not stored: the link works for as long as the secret key stays the same, and
# tells nobody else's address. The salt keeps these tokens from meaning anything elsewhere.
_STOP_SALT = "engage.decisions.feedback-stop"


def stop_token(person_id: int) -> str:
    return signing.Signer(salt=_STOP_SALT).sign(str(person_id))


def stop_token_person_id(token: str) -> int | None:
    """The person a stop link was made for; None for a link that was altered or made up."""
    try:
        return int(signing.Signer(salt=_STOP_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def public_url(path: str) -> str:
    return f"{settings.ENGAGE_PUBLIC_URL}{path}"


def stop_url(person_id: int) -> str:
    return public_url(reverse("site:emails-stop", kwargs={"token": stop_token(person_id)}))


def feedback_email(*, decision: Decision, person: Person, to: str) -> EmailMultiAlternatives:
    """The email telling one person what was done after an activity they took part in."""
    activity = decision.activity
    if activity is None:
        raise ValueError("Only a decision about an activity is sent to its participants.")
    page = public_url(reverse("site:you-said-we-did-activity", kwargs={"activity_id": activity.pk}))
    stop = stop_url(person.pk)
    context = {
        "decision": decision,
        "activity": activity,
        "person": person,
        "page": page,
        "stop": stop,
        "partnership": partnership_name(),
    }
    message = EmailMultiAlternatives(
        subject=f"What happened after you told us: {activity.title}",
        body=render_to_string("decisions/email/feedback.txt", context),
        to=[to],
        headers={
            # RFC 8058: mail programs show an "Unsubscribe" button that posts here at once.
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("decisions/email/feedback.html", context), "text/html")
    return message


def overdue_email(*, to: str, activities: Sequence[Activity]) -> EmailMultiAlternatives:
    """The weekly list, for one member of staff, of the activities whose promised
    feedback date has passed."""
    context = {
        "activities": activities,
        "loop": public_url(reverse("decisions:loop")),
        "activity_url": lambda activity: public_url(
            reverse("activities:activity-detail", kwargs={"activity_id": activity.pk})
        ),
        "partnership": partnership_name(),
    }
    count = len(activities)
    message = EmailMultiAlternatives(
        subject=f"Feedback overdue for {count} activit{'y' if count == 1 else 'ies'}",
        body=render_to_string("decisions/email/overdue.txt", context),
        to=[to],
    )
    message.attach_alternative(render_to_string("decisions/email/overdue.html", context), "text/html")
    return message
