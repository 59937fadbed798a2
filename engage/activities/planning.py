"""Read models of the register for planning: a month calendar, a timeline, and the
priority coverage matrix ("engage against all of them, and not just with the usual
suspects"). Pure reads, like selectors, shaped for the pages that draw them."""

from __future__ import annotations

import calendar as cal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from engage.activities.models import Activity, AreaKind, Status, TargetGroup
from engage.activities.selectors import activity_list, area_list, priority_list

# The timeline is drawn in SVG user units: labels on the left, the months on the right.
TIMELINE_LABEL_WIDTH = 320
TIMELINE_WIDTH = 1000
TIMELINE_ROW = 24
BAR_CLASSES: dict[str, str] = {Status.CLOSED: "engage-bar--closed", Status.PLANNED: "engage-bar--planned"}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


@dataclass
class MonthCalendar:
    month: date
    weeks: list[list[CalendarDay]]
    previous: str
    next: str
    count: int


def month_calendar(*, month: date, filters: dict[str, Any], today: date) -> MonthCalendar:
    """The weeks of `month` (Monday first), each day with the activities running then."""
    weeks_dates = cal.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks_dates[0][0], weeks_dates[-1][-1]
    activities = list(activity_list(**filters, starts_after=first, ends_before=last))
    weeks: list[list[CalendarDay]] = []
    for week in weeks_dates:
        days = []
        for day in week:
            running = [a for a in activities if a.starts_on <= day <= a.ends_on]
            days.append(CalendarDay(day, day.month == month.month, day == today, running))
        weeks.append(days)
    in_month = {
        a.pk
        for a in activities
        if a.starts_on <= _add_months(month, 1) - timedelta(days=1) and a.ends_on >= month
    }
    return MonthCalendar(
        month=month,
        weeks=weeks,
        count=len(in_month),
        previous=_add_months(month, -1).strftime("%Y-%m"),
        next=_add_months(month, 1).strftime("%Y-%m"),
    )


@dataclass
class TimelineRow:
    activity: Activity
    x: float
    width: float
    y: float
    css: str


@dataclass
class Timeline:
    start: date
    end: date
    rows: list[TimelineRow]
    months: list[tuple[float, str]]
    today_x: float | None
    height: float
    previous: str
    next: str
    label_width: int = TIMELINE_LABEL_WIDTH
    width: int = TIMELINE_WIDTH


def timeline(*, filters: dict[str, Any], today: date, start: date | None = None) -> Timeline:
    """Twelve months of activities as bars, from five months ago unless `start` is given:
    every activity in those months, one row each, so the last months are never left
    empty for want of room (the chart grows taller instead)."""
    start = start or _add_months(today.replace(day=1), -5)
    end = _add_months(start, 12) - timedelta(days=1)
    span = (end - start).days + 1
    chart = TIMELINE_WIDTH - TIMELINE_LABEL_WIDTH

    def x_of(day: date) -> float:
        return TIMELINE_LABEL_WIDTH + chart * max(0, min(span, (day - start).days)) / span

    found = activity_list(**filters, starts_after=start, ends_before=end).order_by("starts_on", "title", "id")
    rows = []
    for index, activity in enumerate(found):
        x = x_of(activity.starts_on)
        width = max(3.0, x_of(activity.ends_on + timedelta(days=1)) - x)
        css = BAR_CLASSES.get(activity.status, "")
        rows.append(TimelineRow(activity, round(x, 1), round(width, 1), 30 + index * TIMELINE_ROW, css))
    months = [
        (round(x_of(_add_months(start, i)), 1), _add_months(start, i).strftime("%b %Y")) for i in range(12)
    ]
    today_x = round(x_of(today), 1) if start <= today <= end else None
    return Timeline(
        start=start,
        end=end,
        rows=rows,
        months=months,
        today_x=today_x,
        height=40 + max(1, len(rows)) * TIMELINE_ROW,
        previous=_add_months(start, -3).strftime("%Y-%m"),
        next=_add_months(start, 3).strftime("%Y-%m"),
    )


@dataclass
class CoverageMatrix:
    columns: list[tuple[str, str]]
    rows: list[tuple[Any, list[int], int]]
    uncovered: list[Any]
    since: date
    until: date


def coverage_matrix(*, today: date, months: int, by: str) -> CoverageMatrix:
    """Activities per priority and target group (or locality) over the last `months`
    months and the next three. A zero is a gap; the priorities with none at all are
    listed apart. An activity across the whole place counts for every locality."""
    since, until = _add_months(today.replace(day=1), -months), today + timedelta(days=92)
    priorities = list(priority_list())
    activities = list(activity_list(starts_after=since, ends_before=until))
    if by == "area":
        localities = [a for a in area_list() if a.kind == AreaKind.LOCALITY]
        columns = [(str(a.pk), a.name) for a in localities]
        all_localities = {str(a.pk) for a in localities}
    else:
        columns = [(value, label) for value, label in TargetGroup.choices]

    def keys_of(activity: Activity) -> set[str]:
        if by != "area":
            # The general public is a column of its own: it includes every group, but an
            # activity for everyone does not set out to reach the seldom heard.
            return set(activity.target_groups)
        keys: set[str] = set()
        for area in activity.areas.all():
            if area.kind == AreaKind.PLACE:
                keys |= all_localities
            elif area.kind == AreaKind.LOCALITY:
                keys.add(str(area.pk))
            elif area.parent_id:
                keys.add(str(area.parent_id))
        return keys

    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[int, int] = defaultdict(int)
    for activity in activities:
        keys = keys_of(activity)
        for priority in activity.priorities.all():
            totals[priority.pk] += 1
            for key in keys:
                counts[priority.pk][key] += 1
    rows = [(p, [counts[p.pk][key] for key, _ in columns], totals[p.pk]) for p in priorities]
    return CoverageMatrix(
        columns=columns,
        rows=rows,
        uncovered=[p for p in priorities if totals[p.pk] == 0],
        since=since,
        until=until,
    )
