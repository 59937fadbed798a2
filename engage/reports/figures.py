"""Working out a report's figures from the apps below, as published figures only.

Every count here comes from a selector that has already put it through disclosure
control (reach, the shared picture, the board's page, an activity's public page,
participants' answers), and is kept as the text those pages show, so a report never
holds a figure finer than the page it comes from, and says the same number (a test
compares them). Quotes are kept as the conversations they come from, never their
words: document.py reads the words when the report is shown, while consent stands.

`report_figures` returns {"period", "sections": {key: {"title", "blocks", "draft"}},
"overall"}: each section's blocks (sections.py) and a first draft of its narrative in
plain words, which its writers then edit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.utils import timezone

from engage.activities.models import Activity
from engage.conversations.models import Quote
from engage.core.disclosure import DisclosureRule
from engage.decisions.models import Decision, DecisionStatus
from engage.decisions.public import public_page
from engage.evaluation.board import assurance
from engage.evaluation.board.selectors import board_figures
from engage.evaluation.models import Evaluation
from engage.evaluation.selectors import participant_results
from engage.evaluation.self_assessment.selectors import objective_list
from engage.partnership.filters import PictureFilters, months_back
from engage.partnership.models import SharingLevel
from engage.partnership.selectors import picture_summary
from engage.partnership.sharing.selectors import sharing_levels
from engage.reports.models import Report, ReportKind
from engage.reports.sections import chosen_sections

NONE_YET = "\N{EN DASH}"
THEMES_CHARTED = 8
QUOTES_KEPT = 6
DECISIONS_LISTED = 12
Block = dict[str, Any]


def period_label(month_from: dt.date, month_to: dt.date) -> str:
    return f"{month_from:%B %Y} to {month_to:%B %Y}"


def _last_day(month_to: dt.date) -> dt.date:
    return months_back(month_to, -1) - dt.timedelta(days=1)


def _figures(*items: tuple[str, str]) -> Block:
    return {"type": "figures", "items": [{"label": label, "value": value} for label, value in items]}


def _chart(title: str, unit: str, points: list[tuple[str, float | int | None]], *, hidden: str = "") -> Block:
    return {
        "type": "chart",
        "title": title,
        "unit": unit,
        "hidden": hidden,  # what a missing bar means, said under the chart
        "points": [{"label": label, "value": value} for label, value in points],
    }


def _trend_chart(trend: dict[str, Any]) -> Block:
    return _chart(
        trend["caption"],
        trend["unit"],
        [(p["label"], p["value"]) for p in trend["points"]],
        hidden="No bar: too few to show, or none yet.",
    )


def _table(table: dict[str, Any] | None) -> list[Block]:
    if not table or not table["rows"]:
        return []
    return [{"type": "table", "caption": table["caption"], "head": table["head"], "rows": table["rows"]}]


def _board_section(section: dict[str, Any]) -> list[Block]:
    """One of the board page's questions as blocks: its level, headline, figures, trend
    and table."""
    return [
        {"type": "subheading", "text": section["question"]},
        {
            "type": "assurance",
            "level": section["level"],
            "words": assurance.LEVEL_WORDS[section["level"]],
            "reason": section["reason"],
        },
        {"type": "paragraph", "text": section["headline"]},
        _figures(*((f["label"], f["value"]) for f in section["figures"])),
        _trend_chart(section["trend"]),
        *_table(section["table"]),
        {"type": "paragraph", "text": f"Source: {section['source']}", "small": True},
    ]


def _decisions(report: Report, date_from: dt.date, date_to: dt.date) -> Any:
    decisions = Decision.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to)
    if report.kind != ReportKind.BOARD_PAPER:
        decisions = decisions.filter(published_at__isnull=False)  # what the public may read
    priority_ids = list(report.priorities.values_list("pk", flat=True))
    if priority_ids:
        decisions = decisions.filter(priorities__in=priority_ids).distinct()
    return decisions


def _did(report: Report, date_from: dt.date, date_to: dt.date) -> tuple[list[Block], str]:
    decisions = _decisions(report, date_from, date_to)
    statuses = Counter(decisions.values_list("status", flat=True))
    total = sum(statuses.values())
    labels = dict(DecisionStatus.choices)
    listed = [
        f"{title}: {labels.get(status, status).lower()}"
        for title, status in decisions.order_by("-decided_on", "-pk").values_list("title", "status")[
            :DECISIONS_LISTED
        ]
    ]
    done = statuses.get(DecisionStatus.DONE, 0) + statuses.get(DecisionStatus.IN_PROGRESS, 0)
    blocks: list[Block] = [
        _figures(
            ("Decisions made with what people told us", str(total)),
            ("Done or under way", str(done)),
            ("Not taken, with the reason", str(statuses.get(DecisionStatus.NOT_TAKEN, 0))),
        ),
        _chart(
            "Decisions by what has happened to them",
            "decisions",
            [(label, statuses.get(value, 0)) for value, label in DecisionStatus.choices],
        ),
    ]
    if listed:
        blocks.append({"type": "subheading", "text": "Some of the decisions"})
        blocks.append({"type": "bullets", "items": listed})
    draft = (
        f"We made {_many(total, 'decision', 'decisions')} using what people told us. "
        f"{done} of them {'is' if done == 1 else 'are'} done or under way."
        if total
        else "We have not yet recorded a decision made with what people told us in this period."
    )
    return blocks, draft


def quotes_for(date_from: dt.date, date_to: dt.date, *, limit: int = QUOTES_KEPT) -> list[int]:
    """The conversations of up to `limit` approved quotes from the period, whose
    organisation shares quotes with the partnership, the shortest readable first: only
    their ids are kept (the notes say why)."""
    levels = sharing_levels()
    found = []
    for pk, text, organisation_id, activity_id, import_job_id in (
        Quote.objects.published()
        .filter(conversation__occurred_on__gte=date_from, conversation__occurred_on__lte=date_to)
        .order_by("-conversation_id")
        .values_list(
            "conversation_id",
            "text",
            "conversation__organisation_id",
            "conversation__activity_id",
            "conversation__import_job_id",
        )[: limit * 50]
    ):
        if (
            30 <= len(text) <= 300
            and levels.of(organisation_id, activity_id, import_job_id) == SharingLevel.QUOTES
        ):
            found.append((len(text), pk))
    return [pk for _, pk in sorted(found)[:limit]]


def _themes(date_from: dt.date, month_to: dt.date, rule: DisclosureRule) -> tuple[list[Block], str]:
    summary = picture_summary(PictureFilters(month_from=date_from, month_to=month_to), rule=rule)
    themes = summary.themes[:THEMES_CHARTED]
    blocks: list[Block] = [
        _figures(
            ("Conversations partners share with the partnership", summary.conversations.text),
            ("Organisations sharing them", str(summary.organisations)),
        )
    ]
    if themes:
        blocks.append(
            _chart(
                "The most talked about themes",
                "conversations",
                [(t.category.name, t.conversations.value) for t in themes],
                hidden="No bar: too few conversations to show.",
            )
        )
        blocks.append(
            {
                "type": "table",
                "caption": "The most talked about themes",
                "head": ["Theme", "Conversations", "Share of all", "Positive"],
                "rows": [
                    [t.category.name, t.conversations.text, t.share, t.sentiment.share(t.sentiment.positive)]
                    for t in themes
                ],
            }
        )
    blocks.append(
        _chart(
            "Conversations month by month",
            "conversations",
            [(label, shown.value) for label, shown, _ in summary.months],
            hidden="No bar: too few conversations that month to show.",
        )
    )
    draft = (
        f"The things people talked about most were {_listed([t.category.name.lower() for t in themes[:3]])}."
        if themes
        else "Partners did not share enough conversations in this period to show their themes."
    )
    return blocks, draft


def _many(count: int | str, one: str, more: str) -> str:
    """ "1 decision", "85 decisions"."""
    return f"{count} {one if str(count) == '1' else more}"


def _listed(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _quote_block(ids: list[int]) -> list[Block]:
    return [{"type": "quotes", "conversations": ids}] if ids else []


def _local_account(report: Report, rule: DisclosureRule, today: dt.date) -> dict[str, Any]:
    date_from, date_to = report.month_from, _last_day(report.month_to)
    board = board_figures(today=today, rule=rule, months=(report.month_from, report.month_to))
    by_key = {s["key"]: s for s in board["sections"]}
    hearing = by_key["hearing"]
    priority_titles = set(report.priorities.values_list("title", flat=True))
    hearing_table = dict(hearing["table"])
    if priority_titles:
        hearing_table["rows"] = [row for row in hearing_table["rows"] if row[0] in priority_titles]
    did, did_draft = _did(report, date_from, date_to)
    heard, heard_draft = _themes(report.month_from, report.month_to, rule)
    ended = Activity.objects.filter(ends_on__gte=date_from, ends_on__lte=date_to).count()
    heard_figure = hearing["figures"][0]["value"]
    decisions_total = did[0]["items"][0]["value"]
    telling = by_key["telling"]
    objectives = [f"{o.objective.title} (by {o.objective.due_on:%B %Y})" for o in objective_list()][:8]
    sections: dict[str, dict[str, Any]] = {
        "summary": {
            "blocks": [
                _figures(
                    ("Conversations across the partnership", heard_figure),
                    ("Activities that ended", str(ended)),
                    ("Decisions made with what people told us", decisions_total),
                    ("Feedback given, of that due", telling["figures"][0]["value"]),
                )
            ],
            "draft": f"This report tells you what we heard from people between {period_label(report.month_from, report.month_to)}, "
            f"and what we did about it. We held {_many(ended, 'activity', 'activities')} to ask people what "
            f"they think. We made {_many(decisions_total, 'decision', 'decisions')} using what people told us.",
        },
        "asked": {
            "blocks": [
                {"type": "paragraph", "text": hearing["headline"]},
                _figures(*((f["label"], f["value"]) for f in hearing["figures"])),
                _trend_chart(hearing["trend"]),
                *_table(hearing_table),
            ],
            "draft": "We want to hear from everyone who lives here. "
            + (
                "Some groups spoke to us less than we hoped. Next year we will go to where they are."
                if "less than their share:" in hearing["headline"]
                else "We heard from each group in proportion to how many people live here."
            ),
        },
        "heard": {"blocks": [*heard, *_quote_block(quotes_for(date_from, date_to))], "draft": heard_draft},
        "did": {"blocks": did, "draft": did_draft},
        "how_well": {
            "blocks": [
                *_board_section(telling),
                *_board_section(by_key["participants"]),
                *_board_section(by_key["partners"]),
            ],
            "draft": "We check that we tell people what happened after they spoke to us. "
            "We also ask people what it was like to take part.",
        },
        "next": {
            "blocks": [{"type": "subheading", "text": "Our goals"}, {"type": "bullets", "items": objectives}]
            if objectives
            else [],
            "draft": "We will keep listening. You can give us your views at any time on our website.",
        },
    }
    return {"sections": sections, "overall": board["overall"]}


def _board_paper(report: Report, rule: DisclosureRule, today: dt.date) -> dict[str, Any]:
    date_from, date_to = report.month_from, _last_day(report.month_to)
    board = board_figures(today=today, rule=rule, months=(report.month_from, report.month_to))
    overall = board["overall"]
    level = assurance.LEVEL_WORDS[overall]
    weak = [s for s in board["sections"] if s["level"] in (assurance.LIMITED, assurance.NOT_JUDGED)]
    sections: dict[str, dict[str, Any]] = {
        "purpose": {
            "blocks": [],
            "draft": "This paper tells the board how well the partnership listened to people, and acted on "
            f"what they said, from {period_label(report.month_from, report.month_to)}.",
        },
        "recommendation": {
            "blocks": [],
            "draft": f"The board is asked to note the report and to take {level.lower()} assurance "
            "on the partnership's engagement.",
        },
        "assurance": {
            "blocks": [
                {
                    "type": "assurance",
                    "level": overall,
                    "words": level,
                    "reason": "The lowest level of the six questions below: assurance is as strong as its "
                    "weakest part.",
                },
                {
                    "type": "table",
                    "caption": "Each question's assurance level and its reason",
                    "head": ["Question", "Level", "Reason"],
                    "rows": [
                        [s["question"], assurance.LEVEL_WORDS[s["level"]], s["reason"]]
                        for s in board["sections"]
                    ],
                },
            ],
            "draft": f"Overall assurance is {level.lower()}.",
        },
        "evidence": {
            "blocks": [block for section in board["sections"] for block in _board_section(section)],
            "draft": "",
        },
        "risks": {
            "blocks": [
                {
                    "type": "bullets",
                    "items": [
                        f"{s['question']} {assurance.LEVEL_WORDS[s['level']]}: {s['reason']}" for s in weak
                    ],
                }
            ]
            if weak
            else [],
            "draft": "The questions with limited assurance, or too little to judge, are the risks to the "
            "partnership's duty to involve people."
            if weak
            else "No question has limited assurance in this period.",
        },
        "story": {"blocks": _quote_block(quotes_for(date_from, date_to, limit=3)), "draft": ""},
    }
    return {"sections": sections, "overall": overall}


def _activity_report(report: Report, rule: DisclosureRule) -> dict[str, Any]:
    activity = report.activity
    if activity is None:  # a database constraint forbids it
        raise ValueError("An activity report without its activity.")
    page = public_page(activity_id=activity.pk, rule=rule)
    about = [
        _figures(
            ("When", f"{activity.starts_on:%-d %B %Y} to {activity.ends_on:%-d %B %Y}"),
            ("Led by", activity.lead_organisation.name),
            ("People who took part", page.took_part.text if page else NONE_YET),
        )
    ]
    heard: list[Block] = []
    did: list[Block] = []
    if page is not None:
        if page.themes:
            heard = [
                _chart(
                    "What people talked about",
                    "people",
                    [(t.name, t.people.value) for t in page.themes],
                    hidden="No bar: too few people to show.",
                ),
                {
                    "type": "table",
                    "caption": "What people talked about",
                    "head": ["Theme", "People"],
                    "rows": [[t.name, t.people.text] for t in page.themes],
                },
                {"type": "activity_quotes"},
            ]
        did = (
            [
                {
                    "type": "bullets",
                    "items": [f"{d.title}: {d.status.lower()}. {d.summary}".strip() for d in page.decisions],
                }
            ]
            if page.decisions
            else []
        )
    evaluation = Evaluation.objects.filter(activity=activity, participants_closed_at__isnull=False).first()
    thought: list[Block] = []
    if evaluation is not None:
        results = participant_results(evaluation.answers.all(), rule)
        thought = [_figures(*((r.question, f"{r.agree_share} agree, of {r.answered.text}") for r in results))]
    themes = [t.name.lower() for t in page.themes[:3]] if page else []
    return {
        "sections": {
            "about": {
                "blocks": about,
                "draft": activity.purpose or f"We asked people about {activity.title.lower()}.",
            },
            "heard": {
                "blocks": heard,
                "draft": f"You told us most about {_listed(themes)}."
                if themes
                else "Thank you for taking part.",
            },
            "did": {
                "blocks": did,
                "draft": "Here is what we did with what you told us."
                if did
                else "We have not made a decision yet. We will tell you when we do.",
            },
            "evaluation": {
                "blocks": thought,
                "draft": "Thank you for telling us what it was like to take part.",
            },
            "next": {"blocks": [], "draft": "We will tell you what happens next."},
        },
        "overall": None,
    }


def report_figures(
    report: Report, *, rule: DisclosureRule | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """The report's figures, worked out now (see the notes)."""
    rule = rule or DisclosureRule.from_settings()
    today = today or timezone.localdate()
    if report.kind == ReportKind.LOCAL_ACCOUNT:
        worked = _local_account(report, rule, today)
    elif report.kind == ReportKind.BOARD_PAPER:
        worked = _board_paper(report, rule, today)
    else:
        worked = _activity_report(report, rule)
    titles = {spec.key: spec.title for spec in chosen_sections(report.kind, list(worked["sections"]))}
    for key, section in worked["sections"].items():
        section["title"] = titles[key]
    return {
        "period": {
            "from": report.month_from.isoformat(),
            "to": _last_day(report.month_to).isoformat(),
            "label": period_label(report.month_from, report.month_to),
        },
        "sections": worked["sections"],
        "overall": worked["overall"],
    }
