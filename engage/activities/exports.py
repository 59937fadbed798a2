"""The register as a spreadsheet (CSV, formula-safe) and as a calendar (iCalendar), so
partners can put everyone's engagement into the tools they already use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar, Event

from engage.activities.models import Activity, Method, TargetGroup
from engage.core.exports import csv_text

CSV_HEADER = (
    "ID",
    "Title",
    "Purpose",
    "Topic",
    "Priorities",
    "Stage",
    "Type",
    "Level",
    "Methods",
    "Who it is for",
    "Areas",
    "Starts",
    "Ends",
    "Lead organisation",
    "Partner organisations",
    "Status",
    "Feedback promised by",
    "Feedback given on",
    "Series",
)


def activities_csv(activities: Iterable[Activity]) -> str:
    methods, groups = dict(Method.choices), dict(TargetGroup.choices)
    rows = (
        (
            a.pk,
            a.title,
            a.purpose,
            a.topic,
            "; ".join(p.title for p in a.priorities.all()),
            a.get_stage_display(),
            a.get_involvement_type_display(),
            a.get_level_display(),
            "; ".join(methods.get(m, m) for m in a.methods),
            "; ".join(groups.get(g, g) for g in a.target_groups),
            "; ".join(area.name for area in a.areas.all()),
            a.starts_on.isoformat(),
            a.ends_on.isoformat(),
            a.lead_organisation.name,
            "; ".join(o.name for o in a.partner_organisations.all()),
            a.get_status_display(),
            a.feedback_promised_on.isoformat() if a.feedback_promised_on else "",
            a.feedback_given_on.isoformat() if a.feedback_given_on else "",
            a.series.title if a.series else "",
        )
        for a in activities
    )
    return csv_text(CSV_HEADER, rows)


def activities_ical(activities: Iterable[Activity], *, host: str) -> bytes:
    """All-day events: iCalendar's end date is exclusive, hence the day added."""
    calendar = Calendar()
    calendar.add("prodid", "-//Engaging Together//Engagement register//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Engagement register")
    for activity in activities:
        event = Event()
        event.add("uid", f"activity-{activity.pk}@{host}")
        event.add("summary", activity.title)
        event.add("description", f"{activity.purpose}\n\nLed by {activity.lead_organisation.name}.")
        event.add("dtstart", activity.starts_on)
        event.add("dtend", activity.ends_on + timedelta(days=1))
        event.add("dtstamp", activity.updated_at)
        event.add("location", ", ".join(area.name for area in activity.areas.all()))
        event.add("categories", [activity.get_level_display(), activity.get_stage_display()])
        calendar.add_component(event)
    return bytes(calendar.to_ical())
