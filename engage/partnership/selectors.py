"""Reading the partnership's picture: themes, sentiment and trends over everything the
partners share, a theme's share in one group against everyone else, and the measure of
relational care over time. Every figure goes through disclosure control with the
partnership's rule (engage/core/disclosure.py: small counts hidden, the rest perturbed
by the cell key method and rounded), whoever is looking: the figures are about other
organisations' data, over whole months. Read from the summary table (models.py), so a
page costs a few small queries over a million conversations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, QuerySet, Sum

from engage.activities.models import Area, PartnershipPriority
from engage.conversations.models import Conversation, Quote
from engage.core.disclosure import DisclosureRule, Published, publish_breakdown, publish_count, publish_share
from engage.core.errors import UnknownId
from engage.insight.framework.services import framework_in_use
from engage.insight.models import Category
from engage.partners.models import Organisation, OrganisationKind
from engage.partnership.cells import conversation_cells
from engage.partnership.filters import PictureFilters
from engage.partnership.models import Facet, PictureCount, PictureState, SharingLevel, Topic
from engage.partnership.sharing.selectors import sharing_levels
from engage.partnership.statistics import Difference, ProcessChart, p_chart, share_difference
from engage.reach.groups import DIMENSION_BY_KEY, UNKNOWN

QUOTES_PER_THEME = 3
_SUMS = (
    "conversations", "weighted", "positive", "positive_weighted", "neutral", "neutral_weighted",
    "negative", "negative_weighted",
)  # fmt: skip
_NOT_KNOWN = "Not known"


# --- The groups a picture can be narrowed to ------------------------------------------


@dataclass(frozen=True)
class GroupChoice:
    key: str  # "facet:value", as the query string carries it
    label: str


def group_choices() -> list[tuple[str, list[GroupChoice]]]:
    """Every group the picture can be narrowed to, under the name of its kind."""
    found: list[tuple[str, list[GroupChoice]]] = [
        (
            str(Facet.PRIORITY.label),
            [
                GroupChoice(f"{Facet.PRIORITY}:{p.pk}", f"Priority: {p.title}")
                for p in PartnershipPriority.objects.filter(is_active=True)
            ],
        ),
        (
            str(Facet.AREA.label),
            [
                GroupChoice(f"{Facet.AREA}:{a.pk}", f"{a.get_kind_display()}: {a.name}")
                for a in Area.objects.filter(retired_on__isnull=True)
                .exclude(code="")
                .order_by("kind", "name")
            ],
        ),
    ]
    for facet in Facet:
        dimension = DIMENSION_BY_KEY.get(facet.value)
        if dimension is None:
            continue
        choices = [
            GroupChoice(f"{facet.value}:{g.name}", f"{dimension.title}: {g.name}") for g in dimension.groups
        ]
        not_known = GroupChoice(f"{facet.value}:{UNKNOWN}", f"{dimension.title}: {_NOT_KNOWN.lower()}")
        found.append((dimension.title, [*choices, not_known]))
    return found


def facet_values(facet: str) -> list[tuple[str, str]]:
    """The groups of one facet as (value, label), in their order."""
    for _, choices in group_choices():
        here = [
            (c.key.partition(":")[2], c.label.partition(": ")[2] or c.label)
            for c in choices
            if c.key.partition(":")[0] == facet
        ]
        if here:
            return here
    return []


def group_checked(filters: PictureFilters) -> str:
    """The group's name, in words; UnknownId naming `group` where no page offers it."""
    if filters.facet == Facet.ALL:
        return "Everyone"
    for value, label in facet_values(filters.facet):
        if value == filters.value:
            return label
    raise UnknownId({"group": "Choose a group from the list."})


# --- Reading the summary table ------------------------------------------------------


def _cells(filters: PictureFilters, *, facet: str | None = None) -> QuerySet[PictureCount]:
    """The summary table's rows for the filters; `facet` to read every group of one facet
    in place of the filters' own group."""
    rows = PictureCount.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if facet is None:
        rows = rows.filter(facet=filters.facet, value=filters.value)
    else:
        rows = rows.filter(facet=facet)
    if filters.kinds:
        rows = rows.filter(organisation_kind__in=filters.kinds)
    return rows


def _summed(rows: QuerySet[PictureCount], *by: str) -> list[dict[str, Any]]:
    return list(rows.order_by().values(*by).annotate(**{f"s_{name}": Sum(name) for name in _SUMS}))


@dataclass(frozen=True)
class Sentiment:
    """Positive, neutral or mixed, negative: as published, and their shares."""

    positive: Published
    neutral: Published
    negative: Published
    analysed: Published

    def share(self, part: Published) -> str:
        return publish_share(part, self.analysed)


def _sentiment(row: dict[str, Any], rule: DisclosureRule) -> Sentiment:
    parts, analysed = publish_breakdown(
        [row["s_positive"], row["s_neutral"], row["s_negative"]],
        rule,
        weighted=[row["s_positive_weighted"], row["s_neutral_weighted"], row["s_negative_weighted"]],
    )
    return Sentiment(positive=parts[0], neutral=parts[1], negative=parts[2], analysed=analysed)


def _published(row: dict[str, Any] | None, rule: DisclosureRule) -> Published:
    if row is None:
        return publish_count(0, rule, weighted=0)
    return publish_count(row["s_conversations"], rule, weighted=row["s_weighted"])


_EMPTY = dict.fromkeys((f"s_{name}" for name in _SUMS), 0)


@dataclass
class ThemeFigure:
    category: Category
    conversations: Published
    share: str  # of every conversation in the picture, from the published figures
    sentiment: Sentiment
    trend: list[tuple[str, Published]]
    subthemes: list[ThemeFigure] = field(default_factory=list)
    quotes: list[SharedQuote] = field(default_factory=list)

    @property
    def trend_points(self) -> list[tuple[str, int]]:
        """The trend for a small chart: a hidden month drawn as none."""
        return [(month, shown.value or 0) for month, shown in self.trend]


@dataclass(frozen=True)
class SharedQuote:
    text: str
    organisation: str


@dataclass
class PictureSummary:
    filters: PictureFilters
    group: str
    conversations: Published
    sentiment: Sentiment
    organisations: int  # how many organisations' shared conversations are counted
    months: list[tuple[str, Published, Sentiment]]
    themes: list[ThemeFigure]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_label(month: dt.date) -> str:
    return f"{_MONTHS[month.month - 1]} {month.year}"


def picture_summary(filters: PictureFilters, *, rule: DisclosureRule | None = None) -> PictureSummary:
    """The themes, sentiment and monthly trend of the shared conversations the filters
    choose, with up to three approved quotes per theme from organisations that share
    them."""
    rule = rule or DisclosureRule.from_settings()
    group = group_checked(filters)
    rows = _cells(filters)
    by_month = _summed(rows, "month", "topic", "category_id")
    totals: dict[tuple[str, int | None], dict[str, Any]] = {}
    trends: dict[tuple[str, int | None], dict[dt.date, dict[str, Any]]] = defaultdict(dict)
    for row in by_month:
        key = (row["topic"], row["category_id"])
        trends[key][row["month"]] = row
        total = totals.setdefault(key, dict(_EMPTY))
        for name in _SUMS:
            total[f"s_{name}"] += row[f"s_{name}"]
    everyone = totals.get((Topic.ALL, None), dict(_EMPTY))
    published_total = _published(everyone, rule)
    months = [
        (
            _month_label(month),
            _published(trends[(Topic.ALL, None)].get(month), rule),
            _sentiment(trends[(Topic.ALL, None)].get(month, _EMPTY), rule),
        )
        for month in filters.months
    ]
    categories = {
        c.pk: c for c in Category.objects.filter(framework=framework_in_use()).select_related("parent")
    }

    def figure(category: Category) -> ThemeFigure:
        key = (Topic.THEME, category.pk)
        shown = _published(totals.get(key), rule)
        return ThemeFigure(
            category=category,
            conversations=shown,
            share=publish_share(shown, published_total),
            sentiment=_sentiment(totals.get(key, _EMPTY), rule),
            trend=[(_month_label(m), _published(trends[key].get(m), rule)) for m in filters.months],
        )

    themes = []
    for parent in (c for c in categories.values() if c.parent_id is None):
        if (Topic.THEME, parent.pk) not in totals:
            continue
        theme = figure(parent)
        theme.subthemes = sorted(
            (
                figure(c)
                for c in categories.values()
                if c.parent_id == parent.pk and (Topic.THEME, c.pk) in totals
            ),
            key=_order,
        )
        themes.append(theme)
    themes.sort(key=_order)
    quotes = shared_quotes(filters, category_ids=[s.category.pk for t in themes for s in t.subthemes])
    for theme in themes:
        for sub in theme.subthemes:
            sub.quotes = quotes.get(sub.category.pk, [])
    return PictureSummary(
        filters=filters,
        group=group,
        conversations=published_total,
        sentiment=_sentiment(everyone, rule),
        organisations=rows.filter(topic=Topic.ALL).values("organisation_id").distinct().count(),
        months=months,
        themes=themes,
    )


def _order(figure: ThemeFigure) -> tuple[int, str]:
    """The most talked about first (by the figure shown), then by name."""
    return -(figure.conversations.value or 0), figure.category.name


# --- Quotes shared with the partnership ------------------------------------------------


def _after(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def shared_quotes(
    filters: PictureFilters, *, category_ids: Iterable[int], words: str = "", limit: int = 400
) -> dict[int, list[SharedQuote]]:
    """Sub-theme id -> up to three quotes approved by the organisation that heard them,
    while consent stands, from organisations that share quotes for those conversations,
    in the filters' period, kinds and group; the shortest readable first. `words`: only
    quotes whose approved text holds every one of them."""
    wanted = set(category_ids)
    # Driven from the approved quotes (few), the newest first, each kept only where its
    # organisation shares quotes for it (the rule of `conversations_shared`, in Python):
    # asking the database to narrow the whole bank first cost most of a second.
    quotes = Quote.objects.published().filter(
        conversation__occurred_on__gte=filters.month_from,
        conversation__occurred_on__lt=_after(filters.month_to),
    )
    if filters.kinds:
        quotes = quotes.filter(conversation__organisation__kind__in=filters.kinds)
    for word in words.split()[:10]:
        quotes = quotes.filter(text__icontains=word)
    levels = sharing_levels()
    found = []
    # Newest conversations first, by the quote's own key: ordering by a column of the
    # conversation made PostgreSQL walk the whole bank (1.9 s at a million).
    for pk, text, organisation, organisation_id, activity_id, import_job_id in quotes.order_by(
        "-conversation_id"
    ).values_list(
        "conversation_id", "text", "conversation__organisation__name", "conversation__organisation_id",
        "conversation__activity_id", "conversation__import_job_id",
    )[: limit * 5]:  # fmt: skip
        if levels.of(organisation_id, activity_id, import_job_id) == SharingLevel.QUOTES:
            found.append((pk, text, organisation))
            if len(found) == limit:
                break
    if not found:
        return {}
    ids = [pk for pk, _, _ in found]
    cells = conversation_cells(Conversation.objects.filter(pk__in=ids), framework=framework_in_use())
    about: dict[int, set[int]] = {}
    for cell in cells:
        if filters.facet == Facet.ALL or (filters.facet, filters.value) in cell.groups:
            about[cell.pk] = {c for t, c in cell.topics if t == Topic.THEME and c is not None}
    result: dict[int, list[SharedQuote]] = defaultdict(list)
    for pk, text, organisation in sorted(found, key=lambda f: (len(f[1]), f[0])):
        if not 20 <= len(text) <= 400:
            continue
        for category_id in about.get(pk, set()) & wanted:
            if len(result[category_id]) < QUOTES_PER_THEME:
                result[category_id].append(SharedQuote(text=text, organisation=organisation))
    return dict(result)


# --- A theme in one group against everyone else ---------------------------------------


@dataclass(frozen=True)
class CrossRow:
    category: Category
    in_group: Published
    group_share: str
    everyone: Published
    everyone_share: str
    rest_share: str  # of everyone not in the group
    difference: Difference | None  # the group's share less the rest's, from published figures


@dataclass
class CrossTab:
    filters: PictureFilters
    facet_label: str
    group: str
    group_total: Published
    everyone_total: Published
    rows: list[CrossRow]
    # Every group of the facet: its total and each theme's share in it (themes only).
    columns: list[tuple[str, Published]]
    shares: list[tuple[Category, list[str]]]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "\N{EN DASH}"


def picture_crosstab(filters: PictureFilters, *, rule: DisclosureRule | None = None) -> CrossTab:
    """Each theme's share in the filters' group against everyone else in the picture
    ("what did carers say about discharge, against everyone?"), with the difference and
    its 95% interval; and each theme's share in every group of that facet. The group
    must be chosen (not everyone)."""
    rule = rule or DisclosureRule.from_settings()
    group = group_checked(filters)
    if filters.facet == Facet.ALL:
        raise UnknownId({"group": "Choose a group to compare with everyone else."})
    everyone_rows = {
        (row["topic"], row["category_id"]): row
        for row in _summed(_cells(filters, facet=Facet.ALL), "topic", "category_id")
    }
    by_group: dict[str, dict[tuple[str, int | None], dict[str, Any]]] = defaultdict(dict)
    for row in _summed(_cells(filters, facet=filters.facet), "value", "topic", "category_id"):
        by_group[row["value"]][(row["topic"], row["category_id"])] = row
    categories = list(Category.objects.filter(framework=framework_in_use()).select_related("parent"))
    in_group = by_group.get(filters.value, {})
    group_total = _published(in_group.get((Topic.ALL, None)), rule)
    everyone_total = _published(everyone_rows.get((Topic.ALL, None)), rule)
    rows = []
    for category in categories:
        key = (Topic.THEME, category.pk)
        if key not in everyone_rows:
            continue
        x_group = _published(in_group.get(key), rule)
        x_all = _published(everyone_rows.get(key), rule)
        difference = None
        rest_share = "*"
        if None not in (x_group.value, x_all.value, group_total.value, everyone_total.value):
            n_rest = everyone_total.value - group_total.value  # type: ignore[operator]
            x_rest = max(0, x_all.value - x_group.value)  # type: ignore[operator]
            rest_share = _percent(x_rest, n_rest)
            if group_total.value and n_rest > 0 and x_rest <= n_rest and x_group.value <= group_total.value:  # type: ignore[operator]
                difference = share_difference(x_group.value, group_total.value, x_rest, n_rest)  # type: ignore[arg-type]
        rows.append(
            CrossRow(
                category=category,
                in_group=x_group,
                group_share=publish_share(x_group, group_total),
                everyone=x_all,
                everyone_share=publish_share(x_all, everyone_total),
                rest_share=rest_share,
                difference=difference,
            )
        )
    rows = _grouped(rows)
    values = facet_values(filters.facet)
    columns = [
        (label, _published(by_group.get(value, {}).get((Topic.ALL, None)), rule)) for value, label in values
    ]
    shares = []
    for category in (c for c in categories if c.parent_id is None and (Topic.THEME, c.pk) in everyone_rows):
        line = []
        for (value, _), (_, total) in zip(values, columns, strict=True):
            line.append(
                publish_share(
                    _published(by_group.get(value, {}).get((Topic.THEME, category.pk)), rule), total
                )
            )
        shares.append((category, line))
    return CrossTab(
        filters=filters,
        facet_label=str(Facet(filters.facet).label),
        group=group,
        group_total=group_total,
        everyone_total=everyone_total,
        rows=rows,
        columns=columns,
        shares=shares,
    )


def _grouped(rows: list[CrossRow]) -> list[CrossRow]:
    """Each theme followed by its sub-themes, the most talked about in the group first."""

    def most(row: CrossRow) -> tuple[int, str]:
        return -(row.in_group.value or 0), row.category.name

    subs: dict[int, list[CrossRow]] = defaultdict(list)
    for row in rows:
        if row.category.parent_id is not None:
            subs[row.category.parent_id].append(row)
    ordered = []
    for theme in sorted((r for r in rows if r.category.parent_id is None), key=most):
        ordered += [theme, *sorted(subs.get(theme.category.pk, []), key=most)]
    return ordered


# --- Relational care ----------------------------------------------------------------------


@dataclass(frozen=True)
class KindFigure:
    kind: str
    conversations: Published
    positive: Published
    share: str
    low: float | None
    high: float | None


@dataclass
class RelationalCare:
    filters: PictureFilters
    group: str
    conversations: Published
    positive: Published
    share: str
    chart: ProcessChart
    kinds: list[KindFigure]


def relational_care(filters: PictureFilters, *, rule: DisclosureRule | None = None) -> RelationalCare:
    """How care felt as a relationship (compassion, empathy, respect, dignity, being
    listened to): the share of such conversations that were positive, by month on a
    p-chart, and by kind of organisation with its 95% interval."""
    from engage.reach.representation import wilson_interval  # noqa: PLC0415 - one use

    rule = rule or DisclosureRule.from_settings()
    group = group_checked(filters)
    rows = _cells(filters).filter(topic=Topic.RELATIONAL)
    by_month = {row["month"]: row for row in _summed(rows, "month")}
    points = []
    for month in filters.months:
        row = by_month.get(month, _EMPTY)
        n = _published(row if row is not _EMPTY else None, rule)
        x = publish_count(row["s_positive"], rule, weighted=row["s_positive_weighted"])
        points.append((_month_label(month), x.value if n.value is not None else None, n.value))
    summed = rows.aggregate(**{f"s_{name}": Sum(name) for name in _SUMS})
    whole = {key: value or 0 for key, value in summed.items()}
    total = _published(whole, rule)
    positive = publish_count(whole["s_positive"], rule, weighted=whole["s_positive_weighted"])
    kinds = []
    labels = dict(OrganisationKind.choices)
    for row in _summed(rows, "organisation_kind"):
        n = _published(row, rule)
        x = publish_count(row["s_positive"], rule, weighted=row["s_positive_weighted"])
        low = high = None
        if n.value and x.value is not None and x.value <= n.value:
            low, high = wilson_interval(x.value, n.value)
        kinds.append(
            KindFigure(
                str(labels.get(row["organisation_kind"], row["organisation_kind"])),
                n,
                x,
                publish_share(x, n),
                low,
                high,
            )
        )
    kinds.sort(key=lambda k: k.kind)
    return RelationalCare(
        filters=filters,
        group=group,
        conversations=total,
        positive=positive,
        share=publish_share(positive, total),
        chart=p_chart(points),
        kinds=kinds,
    )


# --- Search across the partnership ----------------------------------------------------------


@dataclass(frozen=True)
class HeardBy:
    organisation: Organisation
    themes: list[tuple[Category, Published]]


@dataclass
class PartnershipSearch:
    words: str
    themes: list[Category]
    heard_by: list[HeardBy]
    quotes: list[SharedQuote]


def partnership_search(
    filters: PictureFilters, *, words: str, rule: DisclosureRule | None = None
) -> PartnershipSearch:
    """What the partnership heard on a topic: the themes whose name, description or
    examples hold the words; how many shared conversations each organisation heard
    about them (with a way to ask it for more); and approved quotes, shared by their
    organisations, that hold the words or are about those themes."""
    rule = rule or DisclosureRule.from_settings()
    group_checked(filters)
    words = " ".join(words.split())[:200]
    if not words:
        return PartnershipSearch(words="", themes=[], heard_by=[], quotes=[])
    categories = list(Category.objects.filter(framework=framework_in_use()).select_related("parent"))
    terms = [w.casefold() for w in words.split()[:10]]

    def matches(category: Category) -> bool:
        text = " ".join([category.name, category.description, *map(str, category.examples or [])]).casefold()
        return all(term in text for term in terms)

    themes = [c for c in categories if matches(c)]
    ids = {c.pk for c in themes}
    rows = _summed(
        _cells(filters).filter(topic=Topic.THEME, category_id__in=ids), "organisation_id", "category_id"
    )
    by_org: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        by_org[row["organisation_id"]][row["category_id"]] = row
    by_id = {c.pk: c for c in themes}
    heard_by = []
    for organisation in Organisation.objects.filter(pk__in=by_org).order_by("name"):
        found = by_org[organisation.pk]
        heard_by.append(
            HeardBy(
                organisation=organisation,
                themes=sorted(
                    ((by_id[c], _published(r, rule)) for c, r in found.items()),
                    key=lambda t: -(t[1].value or 0),
                ),
            )
        )
    sub_ids = [c.pk for c in categories if c.parent_id is not None and (c.pk in ids or c.parent_id in ids)]
    quotes: list[SharedQuote] = []
    seen: set[str] = set()
    for group in (
        shared_quotes(filters, category_ids=sub_ids),
        shared_quotes(filters, category_ids=[c.pk for c in categories], words=words),
    ):
        for found_quotes in group.values():
            for quote in found_quotes:
                if quote.text not in seen:
                    seen.add(quote.text)
                    quotes.append(quote)
    return PartnershipSearch(words=words, themes=themes, heard_by=heard_by, quotes=quotes[:20])


def picture_state() -> dict[str, Any]:
    """When the picture's oldest part was rebuilt: how fresh its figures are at worst."""
    return PictureState.objects.aggregate(oldest=Min("refreshed_at"))
