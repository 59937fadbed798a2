"""Which of reach's groups each of the register's target groups is, so an evaluation can
say, by name, whether the activity heard the people it set out to hear.

Some target groups are not counted by reach (LGBTQ+ people, patients of a service,
staff, the general public): the census holds nothing to set them against, so the
evaluation says so rather than guess. Plain data, read and tested on its own."""

from __future__ import annotations

from engage.activities.models import TargetGroup

# (reach dimension's key, group name) for each target group reach can count.
REACH_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    TargetGroup.CHILDREN_YOUNG_PEOPLE: (("age", "16 to 24"),),
    TargetGroup.OLDER_PEOPLE: (("age", "65 to 74"), ("age", "75 to 84"), ("age", "85 and over")),
    TargetGroup.CARERS: (("carer", "Carers"),),
    TargetGroup.DISABLED_PEOPLE: (("disability", "Disabled"),),
    TargetGroup.PEOPLE_WITH_LEARNING_DISABILITIES: (("disability", "Disabled"),),
    TargetGroup.ETHNIC_MINORITIES: (
        ("ethnic_group", "Asian"),
        ("ethnic_group", "Black"),
        ("ethnic_group", "Mixed"),
        ("ethnic_group", "Other"),
    ),
    TargetGroup.MOST_DEPRIVED: (("core20", "Core20"),),
    TargetGroup.SELDOM_HEARD: (("core20", "Core20"),),
}

NOT_COUNTED = (
    "Reach does not count this group: the census holds nothing to set it against. "
    "Say in the team's account how far you heard them."
)
