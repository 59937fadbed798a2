"""The screening engine, table-driven: every path through the questionnaire has an
expected recommendation.

1. Every combination of the single-choice answers, with representative sets of groups
   affected, keeps the rules' promises (the invariants below).
2. Named paths, one a row, each with its expected type, level, duties and key methods.
3. How rules combine, on a small rules file: highest level, strongest type, the default.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from engage.activities.models import InvolvementType, Level, Method
from engage.activities.screening.engine import (
    DEFAULT,
    GROUP,
    LEVEL_ORDER,
    RULE,
    TYPE_ORDER,
    Recommendation,
    evaluate,
    normalise_answers,
)
from engage.activities.screening.rules import DEFAULT_RULES_PATH, Rules, parse_rules, read_rules
from engage.core.errors import InvalidInput

RULES = read_rules(DEFAULT_RULES_PATH)

# Each legal duty by a phrase only it contains.
DUTIES = {
    "involve": "NHS duty to involve the public",
    "scrutiny": "Consult the council's health overview and scrutiny committee on a substantial variation",
    "scrutiny_check": "Ask the council's health overview and scrutiny committee early",
    "eqia": "carry out an equality impact assessment",
    "eqia_record": "record why no equality impact assessment is needed",
    "adjustments": "Make reasonable adjustments",
    "gunning": "the Gunning principles",
}

AFFECTED_SETS = [
    ["general_public"],
    ["children_young_people", "carers"],
    ["older_people", "disabled_people", "learning_disabilities"],
    ["seldom_heard", "ethnic_minorities", "most_deprived", "lgbtq"],
    ["patients", "staff"],
]
PROTECTED = {
    "children_young_people",
    "older_people",
    "disabled_people",
    "learning_disabilities",
    "ethnic_minorities",
    "lgbtq",
}


def duty_keys(recommendation: Recommendation) -> set[str]:
    found = {key for key, phrase in DUTIES.items() if any(phrase in d for d in recommendation.duties)}
    assert len(found) == len(recommendation.duties), f"a duty without a key: {recommendation.duties}"
    return found


def rank(level: str) -> int:
    return LEVEL_ORDER.index(level)


def type_rank(kind: str) -> int:
    return TYPE_ORDER.index(kind)


def every_path() -> Iterator[dict[str, Any]]:
    single = [q for q in RULES.questions if q.kind == "one"]
    for values in itertools.product(*(q.values for q in single)):
        for affected in AFFECTED_SETS:
            yield {q.id: v for q, v in zip(single, values, strict=True)} | {"affected": affected}


@dataclass(frozen=True)
class Path:
    answers: dict[str, Any]
    recommendation: Recommendation
    duties: set[str] = field(hash=False)


@pytest.fixture(scope="module")
def paths() -> list[Path]:
    found = []
    for answers in every_path():
        recommendation = evaluate(RULES, answers)
        found.append(Path(answers, recommendation, duty_keys(recommendation)))
    return found


def failures(paths: list[Path], broken: Any) -> list[dict[str, Any]]:
    """The answers of the paths where `broken(path)` is true (the first few)."""
    return [p.answers for p in paths if broken(p)][:3]


# 1. Every path ----------------------------------------------------------------------------


def test_the_enumeration_covers_every_combination_of_answers(paths: list[Path]) -> None:
    # 3 scales x 3 numbers x 3 influences x 3 x 3 x 2 x 3 timescales x 3 budgets, x 5 sets of groups
    assert len(paths) == 3 * 3 * 3 * 3 * 3 * 2 * 3 * 3 * len(AFFECTED_SETS)


def test_every_path_ends_in_a_recommendation_with_a_level_a_type_methods_and_reasons(
    paths: list[Path],
) -> None:
    def incomplete(p: Path) -> bool:
        r = p.recommendation
        return not (
            r.level in Level.values
            and r.involvement_type in InvolvementType.values
            and r.methods
            and set(r.methods) <= set(Method.values)
            and len(set(r.methods)) == len(r.methods)
            and r.reasons
            and r.rules_version == RULES.version
        )

    assert not failures(paths, incomplete)


def test_a_substantial_variation_always_brings_the_scrutiny_duty(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        answer = p.answers["substantial_variation"]
        return (
            ("scrutiny" in p.duties) != (answer == "yes")
            or ("scrutiny_check" in p.duties) != (answer == "not_sure")
            or (answer == "yes" and rank(p.recommendation.level) < rank(Level.CONSULT))
        )

    assert not failures(paths, broken)


def test_the_duty_to_involve_applies_when_it_does_or_may_and_means_at_least_involve(
    paths: list[Path],
) -> None:
    def broken(p: Path) -> bool:
        applies = p.answers["duty_to_involve"] in ("yes", "not_sure")
        r = p.recommendation
        return ("involve" in p.duties) != applies or (
            applies
            and (
                rank(r.level) < rank(Level.INVOLVE) or type_rank(r.involvement_type) < type_rank("collective")
            )
        )

    assert not failures(paths, broken)


def test_a_different_effect_on_protected_groups_brings_an_equality_impact_assessment(
    paths: list[Path],
) -> None:
    def broken(p: Path) -> bool:
        differs = p.answers["equality_impact"] == "yes"
        names_protected = bool(PROTECTED & set(p.answers["affected"]))
        return (
            ("eqia" in p.duties) != differs
            or (differs and "outreach" not in p.recommendation.methods)
            or ("eqia_record" in p.duties) != (not differs and names_protected)
        )

    assert not failures(paths, broken)


def test_disabled_people_affected_always_brings_reasonable_adjustments(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        disabled = bool({"disabled_people", "learning_disabilities"} & set(p.answers["affected"]))
        return ("adjustments" in p.duties) != disabled

    assert not failures(paths, broken)


def test_a_major_change_is_never_less_than_collective_involvement(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        r = p.recommendation
        if p.answers["scale"] == "major":
            return rank(r.level) < rank(Level.INVOLVE) or type_rank(r.involvement_type) < type_rank(
                "collective"
            )
        if p.answers["scale"] == "moderate":
            return rank(r.level) < rank(Level.CONSULT)
        return False

    assert not failures(paths, broken)


def test_a_significant_change_still_open_to_influence_is_co_produced(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        r = p.recommendation
        open_change = p.answers["influence"] == "a_lot" and p.answers["scale"] != "minor"
        return open_change and (
            r.involvement_type != InvolvementType.CO_PRODUCTION or rank(r.level) < rank(Level.COLLABORATE)
        )

    assert not failures(paths, broken)


def test_decisions_are_handed_over_only_when_a_lot_is_open_to_influence(paths: list[Path]) -> None:
    assert not failures(
        paths, lambda p: p.recommendation.level == Level.EMPOWER and p.answers["influence"] != "a_lot"
    )
    assert any(p.recommendation.level == Level.EMPOWER for p in paths), "some path reaches empower"


def test_informing_alone_is_recommended_only_for_a_quiet_minor_change(paths: list[Path]) -> None:
    def quiet(answers: dict[str, Any]) -> bool:
        return (
            answers["scale"] == "minor"
            and answers["how_many"] != "many"
            and answers["influence"] == "little"
            and answers["substantial_variation"] == "no"
            and answers["duty_to_involve"] == "no"
            and answers["equality_impact"] == "no"
        )

    assert not failures(paths, lambda p: (p.recommendation.level == Level.INFORM) != quiet(p.answers))


@pytest.mark.parametrize(
    ("question", "rising"),
    [
        ("scale", ["minor", "moderate", "major"]),
        ("how_many", ["few", "some", "many"]),
        ("influence", ["little", "some", "a_lot"]),
        ("substantial_variation", ["no", "not_sure", "yes"]),
        ("duty_to_involve", ["no", "not_sure", "yes"]),
        ("equality_impact", ["no", "yes"]),
    ],
)
def test_a_bigger_answer_never_lowers_the_level(paths: list[Path], question: str, rising: list[str]) -> None:
    by_answers = {json.dumps(p.answers, sort_keys=True): p.recommendation for p in paths}
    broken = []
    for p in paths:
        position = rising.index(p.answers[question])
        if position + 1 < len(rising):
            bigger = by_answers[json.dumps(p.answers | {question: rising[position + 1]}, sort_keys=True)]
            if rank(bigger.level) < rank(p.recommendation.level):
                broken.append(p.answers)
    assert not broken[:3]


def test_the_methods_always_include_those_that_suit_each_group_affected(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        wanted = {m for group in p.answers["affected"] for m in RULES.methods_for(group)}
        return not wanted <= set(p.recommendation.methods)

    assert not failures(paths, broken)


def test_every_reason_names_answers_that_were_given_and_every_duty_has_a_reason(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        for reason in p.recommendation.reasons:
            for trigger in reason.triggers:
                given = p.answers[trigger.question]
                given = given if isinstance(given, list) else [given]
                if not trigger.values or not set(trigger.values) <= set(given):
                    return True
            if reason.source != DEFAULT and not reason.because.startswith("Because you answered '"):
                return True
        traced = {d for r in p.recommendation.reasons for d in r.duties}
        return traced != set(p.recommendation.duties)

    assert not failures(paths, broken)


def test_recommendations_survive_storage_as_json(paths: list[Path]) -> None:
    def broken(p: Path) -> bool:
        stored = json.loads(json.dumps(p.recommendation.to_dict()))
        return Recommendation.from_dict(stored) != p.recommendation

    assert not failures(paths[::7], broken)  # a spread of paths: every one takes seconds


def test_every_rule_in_the_default_file_applies_on_some_path(paths: list[Path]) -> None:
    fired = {r.key for p in paths for r in p.recommendation.reasons if r.source == RULE}
    assert fired == {rule.id for rule in RULES.rules}


# 2. Named paths --------------------------------------------------------------------------

QUIET = {
    "scale": "minor",
    "affected": ["general_public"],
    "how_many": "few",
    "influence": "little",
    "substantial_variation": "no",
    "duty_to_involve": "no",
    "equality_impact": "no",
    "timescale": "months",
    "budget": "small",
}


@dataclass(frozen=True)
class Row:
    name: str
    answers: dict[str, Any]  # changes to QUIET
    involvement_type: str
    level: str
    duties: frozenset[str]
    methods: tuple[str, ...] = ()  # must be among the methods
    rules: tuple[str, ...] = ()  # must be among the rules that applied


TABLE = [
    Row("a quiet minor change", {}, "individual", "inform", frozenset(), ("online", "public_meeting"), ("minor-change",)),
    Row(
        "a moderate change with options still open",
        {"scale": "moderate", "influence": "some"},
        "collective", "consult", frozenset(), ("survey", "focus_group"), ("moderate-change", "some-influence"),
    ),
    Row(
        "a major change already decided",
        {"scale": "major"},
        "collective", "involve", frozenset(), ("workshop", "public_meeting"), ("major-change", "little-influence"),
    ),
    Row(
        "a major change still open to influence",
        {"scale": "major", "influence": "a_lot"},
        "co_production", "collaborate", frozenset(), ("workshop", "citizens_panel"), ("design-together",),
    ),
    Row(
        "a moderate change still open to influence",
        {"scale": "moderate", "influence": "a_lot"},
        "co_production", "collaborate", frozenset(), ("workshop",), ("design-together",),
    ),
    Row(
        "a minor change still open to influence",
        {"influence": "a_lot"},
        "individual", "consult", frozenset(), ("focus_group",), ("open-to-influence",),
    ),
    Row(
        "a minor change affecting many people",
        {"how_many": "many"},
        "collective", "consult", frozenset(), ("survey", "citizens_panel"), ("many-people",),
    ),
    Row(
        "a substantial variation of a service many use",
        {"scale": "major", "how_many": "many", "substantial_variation": "yes"},
        "collective", "involve", frozenset({"scrutiny"}), ("public_meeting", "survey"), ("substantial-variation",),
    ),
    Row(
        "not sure whether it is a substantial variation",
        {"substantial_variation": "not_sure"},
        "individual", "consult", frozenset({"scrutiny_check"}), (), ("substantial-variation-unsure",),
    ),
    Row(
        "the duty to involve applies",
        {"duty_to_involve": "yes"},
        "collective", "involve", frozenset({"involve"}), ("focus_group", "workshop"), ("duty-to-involve",),
    ),
    Row(
        "not sure whether the duty to involve applies",
        {"duty_to_involve": "not_sure"},
        "collective", "involve", frozenset({"involve"}), ("focus_group",), ("duty-to-involve",),
    ),
    Row(
        "ethnic minority communities affected differently",
        {"affected": ["ethnic_minorities"], "equality_impact": "yes"},
        "individual", "consult", frozenset({"eqia"}), ("outreach", "interviews", "focus_group"), ("equality-impact",),
    ),
    Row(
        "older people affected, but not differently",
        {"affected": ["older_people"]},
        "individual", "inform", frozenset({"eqia_record"}), ("outreach", "interviews"), ("protected-groups-check",),
    ),
    Row(
        "disabled people and people with learning disabilities affected differently",
        {"affected": ["disabled_people", "learning_disabilities"], "equality_impact": "yes"},
        "individual", "consult", frozenset({"eqia", "adjustments"}), ("interviews", "workshop"),
        ("reasonable-adjustments",),
    ),
    Row(
        "a major change with only weeks to decide",
        {"scale": "major", "timescale": "weeks"},
        "collective", "involve", frozenset({"gunning"}), ("online", "survey"), ("fair-consultation", "short-timescale"),
    ),
    Row(
        "a long, well-funded change people can lead",
        {"scale": "major", "influence": "a_lot", "timescale": "over_a_year", "budget": "large"},
        "co_production", "empower", frozenset(), ("citizens_panel", "event", "outreach"), ("community-led",),
    ),
    Row(
        "no budget for engagement",
        {"budget": "none"},
        "individual", "inform", frozenset(), ("online", "social_media"), ("no-budget",),
    ),
    Row(
        "children and young people affected by a major, contested change",
        {
            "scale": "major", "affected": ["children_young_people", "disabled_people"], "how_many": "many",
            "influence": "a_lot", "substantial_variation": "yes", "duty_to_involve": "yes",
            "equality_impact": "yes", "timescale": "weeks", "budget": "large",
        },
        "co_production", "collaborate", frozenset({"scrutiny", "involve", "eqia", "adjustments", "gunning"}),
        ("outreach", "social_media", "workshop", "event"),
    ),
]  # fmt: skip


@pytest.mark.parametrize("row", TABLE, ids=[row.name for row in TABLE])
def test_named_paths_through_the_questionnaire(row: Row) -> None:
    recommendation = evaluate(RULES, QUIET | row.answers)
    applied = {r.key for r in recommendation.reasons if r.source == RULE}
    assert (recommendation.involvement_type, recommendation.level) == (row.involvement_type, row.level)
    assert duty_keys(recommendation) == row.duties
    assert set(row.methods) <= set(recommendation.methods), recommendation.methods
    assert set(row.rules) <= applied, applied


def test_each_reason_says_exactly_which_answer_led_to_it() -> None:
    recommendation = evaluate(
        RULES, QUIET | {"scale": "moderate", "influence": "a_lot", "affected": ["carers"]}
    )
    by_rule = {r.key: r for r in recommendation.reasons}
    assert by_rule["moderate-change"].because == "Because you answered 'Moderate' to 'How big is the change?'"
    assert by_rule["design-together"].because == (
        "Because you answered 'Moderate' to 'How big is the change?', and 'A lot' to "
        "'How much is still open to influence?'"
    )
    (carers,) = [r for r in recommendation.reasons if r.source == GROUP]
    assert (carers.key, carers.because) == ("carers", "Because you answered 'Carers' to 'Who is affected?'")
    assert carers.methods == RULES.methods_for("carers")


def test_several_groups_that_trigger_one_rule_are_all_named() -> None:
    recommendation = evaluate(RULES, QUIET | {"affected": ["older_people", "disabled_people", "carers"]})
    (check,) = [r for r in recommendation.reasons if r.key == "protected-groups-check"]
    assert check.because == (
        "Because you answered 'No' to 'Could it affect people with protected characteristics differently?', "
        "and 'Older people' and 'Disabled people' to 'Who is affected?'"
    )


# 3. How rules combine ----------------------------------------------------------------------

SMALL = """\
version = "small-1"

[questions.scale]
text = "How big is the change?"
kind = "one"
[questions.scale.options]
minor = "Minor"
major = "Major"

[questions.affected]
text = "Who is affected?"
kind = "many"
target_groups = true
[questions.affected.options]
carers = "Carers"
older_people = "Older people"

[default]
reason = "Nothing asked for more."
involvement_type = "individual"
level = "inform"
methods = ["online"]

[[rules]]
id = "major-change"
when = { scale = ["major"] }
reason = "Involve people in a major change."
level = "involve"
methods = ["workshop", "survey"]

[[rules]]
id = "major-for-carers"
when = { scale = ["major"], affected = ["carers"] }
reason = "Design it with carers."
involvement_type = "co_production"
level = "collaborate"
methods = ["survey", "interviews"]
duties = ["A duty for carers"]

[[rules]]
id = "carers-duty"
when = { affected = ["carers"] }
reason = "A duty applies."
duties = ["A duty for carers"]

[methods_for_groups]
carers = ["interviews", "outreach"]
"""


@pytest.fixture(scope="module")
def small() -> Rules:
    return parse_rules(SMALL, source="small.toml")


def test_no_matching_rule_gives_the_default_with_its_reason(small: Rules) -> None:
    recommendation = evaluate(small, {"scale": "minor", "affected": ["older_people"]})
    assert (recommendation.level, recommendation.involvement_type, recommendation.methods) == (
        "inform",
        "individual",
        ("online",),
    )
    (reason,) = recommendation.reasons
    assert (reason.source, reason.reason) == (DEFAULT, "Nothing asked for more.")
    assert recommendation.duties == ()


def test_the_default_fills_only_what_no_rule_decided(small: Rules) -> None:
    recommendation = evaluate(small, {"scale": "major", "affected": ["older_people"]})
    assert (recommendation.level, recommendation.involvement_type) == ("involve", "individual")
    default = recommendation.reasons[-1]
    assert (default.source, default.level, default.involvement_type, default.methods) == (
        DEFAULT,
        None,
        "individual",
        (),
    )


def test_the_highest_level_and_strongest_type_win_and_methods_and_duties_are_listed_once(
    small: Rules,
) -> None:
    recommendation = evaluate(small, {"scale": "major", "affected": ["carers", "older_people"]})
    assert (recommendation.level, recommendation.involvement_type) == ("collaborate", "co_production")
    assert recommendation.methods == ("workshop", "survey", "interviews", "outreach")
    assert recommendation.duties == ("A duty for carers",)
    assert [r.key for r in recommendation.reasons] == [
        "major-change",
        "major-for-carers",
        "carers-duty",
        "carers",
    ]
    assert not any(r.source == DEFAULT for r in recommendation.reasons)
    assert recommendation.target_groups == ("carers", "older_people")


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({}, {"scale": "Select an answer to 'How big is the change?'.", "affected": "Select at least one answer to 'Who is affected?'."}),
        ({"scale": "huge", "affected": ["carers"]}, {"scale": "Select one of the answers given to 'How big is the change?'."}),
        ({"scale": "minor", "affected": []}, {"affected": "Select at least one answer to 'Who is affected?'."}),
        ({"scale": "minor", "affected": ["aliens"]}, {"affected": "Select only the answers given to 'Who is affected?'."}),
        (
            {"scale": "minor", "affected": ["carers"], "colour": "blue"},
            {"colour": "'colour' is not a question in the screening rules in use (version small-1)."},
        ),
    ],
)  # fmt: skip
def test_answers_that_do_not_fit_the_questions_are_refused(
    small: Rules, answers: dict[str, Any], errors: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate(small, answers)
    assert caught.value.errors == errors


def test_answers_are_stored_in_the_questionnaires_order(small: Rules) -> None:
    clean = normalise_answers(small, {"affected": ["older_people", "carers", "carers"], "scale": "minor"})
    assert clean == {"scale": "minor", "affected": ["carers", "older_people"]}


def test_a_stored_recommendation_that_is_damaged_still_reads() -> None:
    recommendation = Recommendation.from_dict(
        {"level": "involve", "methods": ["survey", 3], "reasons": [{"because": 1}, "x"]}
    )
    assert recommendation.level == "involve"
    assert recommendation.methods == ("survey",)
    assert len(recommendation.reasons) == 1
    assert Recommendation.from_dict({}).level == ""
