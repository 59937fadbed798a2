"""Who we heard against who lives here: the arithmetic of representation, with no Django.

For each group of one dimension (age bands, say), the share of participants in it is
compared with the population's share: the **representation ratio** is the first over the
second (1 is "as many as the population would suggest", 0.25 "a quarter as likely to
take part"). Shares are of the participants who answered the question: those whose
answer is unknown or who preferred not to say are counted and shown beside, never spread
over the groups.

The census counts whole populations, so the population's share is taken as known; the
uncertainty is in the participants' share, a proportion of a sample, for which the
Wilson score interval is used (it behaves at 0 and at small samples, where the normal
approximation gives nonsense). A group is **under-represented** when the whole interval
of its ratio lies below 1 (the gap is unlikely to be chance) and the ratio is below four
fifths (the gap matters); over-represented when the interval lies above 1 and the ratio
above five quarters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile: a 95% interval
# With thousands of participants a ratio of 0.97 can be "significant" and mean nothing;
# a group is named only when the gap is also material: below four fifths of its share
# (the four-fifths rule of thumb for adverse impact), or above five quarters.
MATERIAL_LOW = 0.8
MATERIAL_HIGH = 1.25


def wilson_interval(successes: int, trials: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion; (0, 1) when there are no trials."""
    if trials <= 0:
        return 0.0, 1.0
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes cannot come from {trials} trials.")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class GroupReach:
    group: str
    participants: int
    participant_share: float | None  # of those who answered; None if no one did
    population: int
    population_share: float | None  # None where the population is not known
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None

    @property
    def under_represented(self) -> bool:
        """Significantly (the whole interval below 1) and materially (a ratio below
        four fifths) fewer than the population would suggest."""
        return (
            self.ratio is not None
            and self.ratio < MATERIAL_LOW
            and self.ratio_high is not None
            and self.ratio_high < 1
        )

    @property
    def over_represented(self) -> bool:
        return (
            self.ratio is not None
            and self.ratio > MATERIAL_HIGH
            and self.ratio_low is not None
            and self.ratio_low > 1
        )


@dataclass(frozen=True)
class DimensionReach:
    groups: list[GroupReach]
    answered: int  # participants whose group is known
    unknown: int  # not known, or preferred not to say: shown, never spread over the groups
    population: int


def representation(
    participants: Mapping[str, int],
    population: Mapping[str, int],
    *,
    unknown: int = 0,
    answered: int | None = None,
    z: float = Z_95,
) -> DimensionReach:
    """Each group's shares, ratio and its interval, in the population's order of groups
    (then any group only the participants have). `answered` is the participants' sum
    unless given: a published table may leave out a group whose count is hidden."""
    answered = sum(participants.values()) if answered is None else answered
    if answered < sum(participants.values()):
        raise ValueError(f"{answered} answered cannot hold the groups' {sum(participants.values())}.")
    people = sum(population.values())
    order = list(population) + [group for group in participants if group not in population]
    groups = []
    for group in order:
        taking_part = participants.get(group, 0)
        living = population.get(group, 0)
        share = taking_part / answered if answered else None
        population_share = living / people if people and living else None
        ratio = low = high = None
        if share is not None and population_share is not None:
            ratio = share / population_share
            lower, upper = wilson_interval(taking_part, answered, z=z)
            low, high = lower / population_share, upper / population_share
        groups.append(GroupReach(group, taking_part, share, living, population_share, ratio, low, high))
    return DimensionReach(groups=groups, answered=answered, unknown=unknown, population=people)


_FRACTIONS = [
    (0.1, "a tenth"),
    (0.2, "a fifth"),
    (0.25, "a quarter"),
    (1 / 3, "a third"),
    (0.4, "two fifths"),
    (0.5, "half"),
    (0.6, "three fifths"),
    (2 / 3, "two thirds"),
    (0.75, "three quarters"),
    (0.8, "four fifths"),
]


def likelihood_words(ratio: float) -> str:
    """A ratio in plain words: "a quarter as likely", "twice as likely", "about as likely"."""
    if ratio <= 0:
        return "not at all likely"
    if 0.9 <= ratio <= 1.1:
        return "about as likely"
    if ratio < 0.9:
        if ratio < 0.075:
            return f"less than a tenth as likely ({ratio:.0%})"
        nearest = min(_FRACTIONS, key=lambda fraction: abs(fraction[0] - ratio))
        return f"{nearest[1]} as likely"
    if ratio < 1.75:
        return f"{round((ratio - 1) * 100)}% more likely"
    if ratio < 2.5:
        return "twice as likely"
    if ratio < 3.5:
        return "three times as likely"
    return f"{round(ratio)} times as likely"


def under_represented_sentence(label: str, group: GroupReach) -> str:
    """ "People aged 16 to 24 were a quarter as likely to take part as the population
    would suggest." `label` names the people ("People aged 16 to 24", "Carers")."""
    if group.ratio is None:
        return f"{label}: how many live here is not known, so their reach cannot be judged."
    return f"{label} were {likelihood_words(group.ratio)} to take part as the population would suggest."


def at_most_words(ratio: float) -> str:
    """A ratio's upper bound in plain words, never less than the ratio: "at most a
    quarter as likely" for anything up to a quarter."""
    for fraction, words in _FRACTIONS:
        if ratio <= fraction + 1e-9:
            return f"at most {words} as likely"
    return "at most about as likely"


def at_most_sentence(label: str, ratio: float) -> str:
    """Said of a group whose count is hidden to protect a smaller one, where even the
    most it could be is under-represented."""
    return (
        f"{label} were {at_most_words(ratio)} to take part as the population would suggest "
        "(their number is hidden so that a smaller figure cannot be worked out)."
    )
