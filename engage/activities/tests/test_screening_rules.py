"""The screening rules file: the default one is sound, and a file with mistakes is
rejected with every problem named by its line, in a full sentence."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engage.activities.models import InvolvementType, Level, Method, TargetGroup
from engage.activities.screening.rules import (
    DEFAULT_RULES_PATH,
    MANY,
    RulesError,
    current_rules,
    load_rules,
    parse_rules,
    read_rules,
)

# A small, valid rules file. Each case below changes one snippet of it.
BASE = """\
version = "test-1"
description = "A small rules file for tests."

[questions.scale]
text = "How big is the change?"
hint = "Minor or major."
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
reason = "A major change needs people involved."
involvement_type = "collective"
level = "involve"
methods = ["workshop"]

[[rules]]
id = "carers"
reason = "Carers need support to take part."
duties = [
  "A duty that applies to carers",
]

[rules.when]
affected = ["carers"]

[methods_for_groups]
carers = ["interviews"]
"""

SOURCE = "screening_rules.toml"


def _line_of(text: str, snippet: str) -> int:
    """The line where the last copy of the snippet starts."""
    return text[: text.rindex(snippet)].count("\n") + 1


def _problems(text: str) -> tuple[str, ...]:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, source=SOURCE)
    return tuple(p.message for p in caught.value.problems)


def test_the_small_rules_file_for_these_tests_is_itself_valid() -> None:
    rules = parse_rules(BASE, source=SOURCE)
    assert rules.version == "test-1"
    assert [q.id for q in rules.questions] == ["scale", "affected"]
    assert rules.groups_question is not None
    assert rules.groups_question.id == "affected"
    assert [r.id for r in rules.rules] == ["major-change", "carers"]
    assert rules.rules[1].when == (("affected", frozenset({"carers"})),)
    assert rules.methods_for("carers") == ("interviews",)


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str  # the snippet of BASE to change
    new: str  # what it becomes; the problem is expected on the line where it lands
    expected: str  # part of the message
    line: int | None = None  # when the line is not where `new` lands (something removed)


MISTAKES = [
    Mistake(
        "syntax error",
        'hint = "Minor or major."',
        'hint = "Minor or major.',
        "this is not valid TOML",
    ),
    Mistake(
        "syntax error: a missing equals sign",
        'kind = "one"',
        'kind "one"',
        "Check the quotation marks, brackets and equals signs on this line",
    ),
    Mistake(
        "unknown question in when",
        'when = { scale = ["major"] }',
        'when = { scal = ["major"] }',
        "Rule 'major-change' asks about 'scal', which is not a question in this file.",
    ),
    Mistake(
        "unknown question in a [rules.when] table",
        'affected = ["carers"]',
        'afected = ["carers"]',
        "Rule 'carers' asks about 'afected', which is not a question in this file.",
    ),
    Mistake(
        "unknown answer",
        'when = { scale = ["major"] }',
        'when = { scale = ["huge"] }',
        "Rule 'major-change' expects the answer 'huge' to 'scale', but that question's answers are "
        "'minor' and 'major'.",
    ),
    Mistake(
        "unknown answer in a [rules.when] table",
        'affected = ["carers"]',
        'affected = ["carrers"]',
        "Rule 'carers' expects the answer 'carrers' to 'affected'",
    ),
    Mistake(
        "unknown level",
        'level = "involve"',
        'level = "high"',
        "The level 'high' in rule 'major-change' is not a level of engagement. Use 'inform', 'consult', "
        "'involve', 'collaborate' or 'empower'.",
    ),
    Mistake(
        "unknown type of involvement",
        'involvement_type = "collective"',
        'involvement_type = "together"',
        "The involvement type 'together' in rule 'major-change' is not a type of involvement.",
    ),
    Mistake(
        "unknown method",
        'methods = ["workshop"]',
        'methods = ["workshop", "zoom"]',
        "The method 'zoom' in rule 'major-change' is not a method the engagement register knows.",
    ),
    Mistake(
        "duplicate rule id",
        'id = "carers"',
        'id = "major-change"',
        "Rule 'major-change' has the same id as the rule on line 29. Give each rule its own id.",
    ),
    Mistake(
        "missing version",
        'version = "test-1"\n',
        "",
        'The file has no version. Add a line such as version = "2025.1" at the top',
        line=1,
    ),
    Mistake(
        "a version too long to record",
        'version = "test-1"',
        f'version = "{"9" * 41}"',
        "The version is too long: use 40 characters or fewer.",
    ),
    Mistake(
        "rule without an id",
        'id = "carers"\n',
        "",
        "Rule number 2 has no id.",
        line=36,
    ),
    Mistake(
        "rule without a reason",
        'reason = "A major change needs people involved."\n',
        "",
        "Rule 'major-change' has no reason.",
        line=28,
    ),
    Mistake(
        "a setting a rule does not have",
        'level = "involve"',
        'levle = "involve"',
        "Rule 'major-change' has the setting 'levle', which a rule does not use.",
    ),
    Mistake(
        "answers not written as a list",
        'when = { scale = ["major"] }',
        'when = { scale = "major" }',
        "In rule 'major-change', scale must be a list of text in square brackets",
    ),
    Mistake(
        "unknown group in methods_for_groups",
        'carers = ["interviews"]',
        'grandparents = ["interviews"]',
        "[methods_for_groups] names the group 'grandparents', which is not a group the engagement "
        "register knows.",
    ),
    Mistake(
        "unknown method for a group",
        'carers = ["interviews"]',
        'carers = ["carrier_pigeon"]',
        "The method 'carrier_pigeon' in the methods for 'carers' is not a method",
    ),
    Mistake(
        "a group question offering a group the register does not know",
        'older_people = "Older people"',
        'pensioners = "Pensioners"',
        "The question 'affected' asks who is affected, but 'pensioners' is not a group",
    ),
    Mistake(
        "a question of an unknown kind",
        'kind = "many"',
        'kind = "several"',
        'The question \'affected\' must say kind = "one" (one answer) or kind = "many"',
    ),
    Mistake(
        "an unknown level in [default]",
        'level = "inform"',
        'level = "tell"',
        "The level 'tell' in the [default] table is not a level of engagement.",
    ),
    Mistake(
        "a section the file does not use",
        "[methods_for_groups]",
        "[methods_for_group]",
        "'methods_for_group' is not part of a screening rules file.",
    ),
]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_a_rules_file_with_a_mistake_is_rejected_naming_the_line(mistake: Mistake) -> None:
    assert BASE.count(mistake.old) >= 1
    text = BASE.replace(mistake.old, mistake.new, 1)
    line = mistake.line or _line_of(text, mistake.new)
    problems = _problems(text)
    matching = [p for p in problems if mistake.expected in p]
    assert matching, f"no problem says {mistake.expected!r}: {problems}"
    assert matching[0].startswith(f"{SOURCE}, line {line}: "), matching[0]
    assert matching[0].endswith("."), "every problem is a full sentence"


def test_every_mistake_in_a_file_is_reported_at_once() -> None:
    text = BASE.replace('level = "involve"', 'level = "high"').replace(
        'methods = ["workshop"]', 'methods = ["zoom"]'
    )
    problems = _problems(text)
    assert len(problems) == 2
    lines = [_line_of(text, 'level = "high"'), _line_of(text, 'methods = ["zoom"]')]
    assert [p.split(":")[0] for p in problems] == [f"{SOURCE}, line {n}" for n in lines]


def test_the_error_message_summarises_the_problems_for_the_page() -> None:
    text = BASE.replace('level = "involve"', 'level = "high"')
    with pytest.raises(RulesError) as caught:
        parse_rules(text, source=SOURCE)
    assert caught.value.message.startswith(
        "The screening rules file screening_rules.toml has 1 problem, so screening cannot be used "
        "until it is put right."
    )
    line = _line_of(text, 'level = "high"')
    assert f"line {line}:" in caught.value.message


def test_a_syntax_error_at_the_end_of_the_file_names_the_last_line() -> None:
    text = BASE + 'extra = ["unfinished"\n'
    (problem,) = _problems(text)
    last = len(text.splitlines())
    assert problem.startswith(f"{SOURCE}, line {last}: this is not valid TOML")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(BASE.encode() + b'note = "caf\xe9"\n')
    with pytest.raises(RulesError) as caught:
        read_rules(path)
    (problem,) = caught.value.problems
    assert (
        problem.message
        == f"rules.toml, line {len(BASE.splitlines()) + 1}: the file is not UTF-8 text. Save it as UTF-8."
    )


def test_a_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as caught:
        load_rules(tmp_path / "nowhere.toml")
    assert (
        caught.value.problems[0].message == f"nowhere.toml: there is no file at {tmp_path / 'nowhere.toml'}."
    )


# The default rules ---------------------------------------------------------------------


def test_the_default_rules_file_is_valid_and_asks_the_screening_questions() -> None:
    rules = read_rules(DEFAULT_RULES_PATH)
    assert rules.version
    assert [q.id for q in rules.questions] == [
        "scale",
        "affected",
        "how_many",
        "influence",
        "substantial_variation",
        "duty_to_involve",
        "equality_impact",
        "timescale",
        "budget",
    ]
    assert all(q.text.endswith("?") and q.error.endswith(".") for q in rules.questions)
    affected = rules.question("affected")
    assert affected.kind == MANY
    assert affected.target_groups
    assert set(affected.values) == set(TargetGroup.values)


def test_every_group_in_the_default_rules_has_suitable_methods() -> None:
    rules = read_rules(DEFAULT_RULES_PATH)
    assert {group for group, _ in rules.methods_for_groups} == set(TargetGroup.values)
    assert all(methods and set(methods) <= set(Method.values) for _, methods in rules.methods_for_groups)


def test_the_default_rules_use_only_values_the_register_knows() -> None:
    rules = read_rules(DEFAULT_RULES_PATH)
    assert rules.default.level == Level.INFORM
    assert rules.default.involvement_type == InvolvementType.INDIVIDUAL
    for rule in rules.rules:
        assert rule.level is None or rule.level in Level.values
        assert rule.involvement_type is None or rule.involvement_type in InvolvementType.values
        assert set(rule.methods) <= set(Method.values)
        assert rule.reason.endswith("."), f"{rule.id}: reasons are full sentences"


# Which file is used ----------------------------------------------------------------------


def test_the_rules_in_use_are_the_default_unless_a_setting_names_a_file(settings, tmp_path: Path) -> None:
    settings.ENGAGE_SCREENING_RULES = None
    assert current_rules().version == read_rules(DEFAULT_RULES_PATH).version
    path = tmp_path / "ours.toml"
    path.write_text(BASE, encoding="utf-8")
    settings.ENGAGE_SCREENING_RULES = str(path)
    assert current_rules().version == "test-1"
    assert current_rules().source == "ours.toml"


def test_the_rules_are_read_again_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(BASE, encoding="utf-8")
    first = load_rules(path)
    assert load_rules(path) is first, "unchanged: served from the cache"
    path.write_text(BASE.replace('"test-1"', '"test-2 changed"'), encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert load_rules(path).version == "test-2 changed"
    path.write_text(BASE.replace('level = "involve"', 'level = "high"'), encoding="utf-8")
    with pytest.raises(RulesError):
        load_rules(path)


# The command -------------------------------------------------------------------------------


def test_the_check_command_says_a_good_file_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(BASE, encoding="utf-8")
    out = io.StringIO()
    call_command("screening", "check", str(path), stdout=out)
    assert out.getvalue().strip() == "The rules file is valid (version test-1, 2 rules)."


def test_the_check_command_checks_the_rules_in_use_by_default() -> None:
    out = io.StringIO()
    call_command("screening", "check", stdout=out)
    assert out.getvalue().startswith("The rules file is valid (version ")


def test_the_check_command_lists_each_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(
        BASE.replace('when = { scale = ["major"] }', 'when = { scal = ["major"] }'), encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="has 1 problem"):
        call_command("screening", "check", str(path), stderr=err)
    assert err.getvalue().strip() == (
        "ours.toml, line 30: Rule 'major-change' asks about 'scal', which is not a question in this file. "
        "The questions are 'scale' and 'affected'."
    )
