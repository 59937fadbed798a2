"""The assurance level of each of the board page's questions, worked out from stated
rules, and the rules in words to show beside it. Plain functions of published figures,
so a board member can check a level by hand from the page.

Levels follow the usual scale of NHS internal audit: substantial, reasonable, limited.
Where the figures are too few to judge (hidden by disclosure control, or none yet) no
level is given, and the page says so rather than guess. The page's overall level is the
lowest of its questions' levels: assurance is as strong as its weakest part.
"""

from __future__ import annotations

from dataclasses import dataclass

SUBSTANTIAL = "substantial"
REASONABLE = "reasonable"
LIMITED = "limited"
NOT_JUDGED = "not_judged"

# In order, as the API documents them (one enum, AssuranceLevelEnum, in config/settings.py).
LEVELS = (SUBSTANTIAL, REASONABLE, LIMITED, NOT_JUDGED)
LEVEL_WORDS = {
    SUBSTANTIAL: "Substantial",
    REASONABLE: "Reasonable",
    LIMITED: "Limited",
    NOT_JUDGED: "Not enough to judge",
}
LEVEL_COLOURS = {SUBSTANTIAL: "green", REASONABLE: "yellow", LIMITED: "red", NOT_JUDGED: "grey"}
_ORDER = [LIMITED, REASONABLE, SUBSTANTIAL]


@dataclass(frozen=True)
class Judgement:
    level: str
    reason: str


# The rules, as the page shows them, one list per question.
RULES: dict[str, list[str]] = {
    "hearing": [
        "Substantial: no group heard less than its share of the population, across the partnership.",
        "Reasonable: one or two groups heard less than their share.",
        "Limited: three or more groups heard less than their share.",
    ],
    "changing": [
        "Substantial: 60% or more of the activities that ended informed a decision.",
        "Reasonable: 30% to 59%.",
        "Limited: under 30%.",
    ],
    "telling": [
        (
            "Substantial: 80% or more of the activities that ended told people what was done, and none is "
            "more than 90 days overdue."
        ),
        "Reasonable: 60% or more told people.",
        "Limited: under 60%.",
    ],
    "relational": [
        (
            "Substantial: in the last six months no month fell below the lower control limit and no run of "
            "months sat below the centre line."
        ),
        (
            "Reasonable: one month in the last six fell below the limit, or a run below ended before the "
            "latest month."
        ),
        "Limited: the latest month is below the lower limit, or in a run below the centre line.",
    ],
    "participants": [
        (
            "Substantial: 80% or more of participants agreed they felt listened to, and 80% or more of "
            "ended activities have a complete evaluation or one not yet due."
        ),
        "Reasonable: 60% or more on both.",
        "Limited: under 60% on either.",
    ],
    "partners": [
        (
            "Substantial: the latest round's average score is 7 out of 10 or more, and not lower than the "
            "round before."
        ),
        "Reasonable: 5 or more.",
        "Limited: under 5.",
    ],
}


def _percent(share: float) -> str:
    return f"{round(100 * share)}%"


def hearing(under_represented: int | None) -> Judgement:
    if under_represented is None:
        return Judgement(NOT_JUDGED, "Too few conversations to compare with the population.")
    groups = f"{under_represented} group{'' if under_represented == 1 else 's'}"
    if under_represented == 0:
        return Judgement(SUBSTANTIAL, "No group was heard less than its share of the population.")
    level = REASONABLE if under_represented <= 2 else LIMITED
    return Judgement(level, f"{groups} heard less than their share of the population.")


def changing(share_with_decision: float | None) -> Judgement:
    if share_with_decision is None:
        return Judgement(NOT_JUDGED, "No activity ended in the period.")
    level = (
        SUBSTANTIAL if share_with_decision >= 0.6 else REASONABLE if share_with_decision >= 0.3 else LIMITED
    )
    return Judgement(
        level, f"{_percent(share_with_decision)} of the activities that ended informed a decision."
    )


def telling(share_given: float | None, long_overdue: int) -> Judgement:
    if share_given is None:
        return Judgement(NOT_JUDGED, "No activity's feedback was due in the period.")
    told = f"{_percent(share_given)} of the activities whose feedback was due told people what was done"
    if share_given >= 0.8 and long_overdue == 0:
        return Judgement(SUBSTANTIAL, f"{told}, and none is more than 90 days overdue.")
    if share_given >= 0.6:
        more = f"; {long_overdue} more than 90 days overdue" if long_overdue else ""
        return Judgement(REASONABLE, f"{told}{more}.")
    return Judgement(LIMITED, f"{told}.")


def relational(signals_recent: list[str], latest_signal: str | None) -> Judgement:
    """`signals_recent`: the signals of the last six months shown ("below", "run
    below" ...); `latest_signal`: the latest month's, "" for none, None where the chart
    has no latest month to judge."""
    if latest_signal is None:
        return Judgement(NOT_JUDGED, "Too few shared conversations about relational care to chart.")
    if latest_signal in ("below", "run below"):
        return Judgement(LIMITED, "The latest month is below what the past predicts.")
    below = [s for s in signals_recent if s in ("below", "run below")]
    if not below:
        return Judgement(SUBSTANTIAL, "No month of the last six was below what the past predicts.")
    if signals_recent.count("below") <= 1:
        return Judgement(REASONABLE, "A month of the last six was below what the past predicts.")
    return Judgement(LIMITED, "Several months of the last six were below what the past predicts.")


def participants(share_listened: float | None, share_evaluated: float | None) -> Judgement:
    if share_listened is None or share_evaluated is None:
        return Judgement(NOT_JUDGED, "Too few participants answered to judge.")
    why = (
        f"{_percent(share_listened)} of participants felt listened to; {_percent(share_evaluated)} of ended "
        "activities are evaluated or not yet due."
    )
    lowest = min(share_listened, share_evaluated)
    return Judgement(SUBSTANTIAL if lowest >= 0.8 else REASONABLE if lowest >= 0.6 else LIMITED, why)


def partners(latest: float | None, previous: float | None) -> Judgement:
    if latest is None:
        return Judgement(NOT_JUDGED, "No closed round of the self-assessment with enough scores yet.")
    why = f"The latest round's average is {latest:.1f} out of 10"
    if previous is not None:
        why += f", against {previous:.1f} in the round before"
    if latest >= 7 and (previous is None or latest >= previous):
        return Judgement(SUBSTANTIAL, f"{why}.")
    return Judgement(REASONABLE if latest >= 5 else LIMITED, f"{why}.")


def overall(levels: list[str]) -> str:
    """The lowest level judged; NOT_JUDGED where none was."""
    judged = [level for level in levels if level in _ORDER]
    return min(judged, key=_ORDER.index) if judged else NOT_JUDGED
