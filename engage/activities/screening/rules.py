"""The screening rules file: loading it, checking it, and finding the file in use.

The rules live in a TOML file a partnership can adapt without changing code
(`rules/default.toml` is the one that ships, and documents the format). It has:

- `version`: recorded with every screening, so an old result can be explained later;
- `[questions.<id>]`: the questionnaire, in order, each with `text`, `hint`, `kind`
  ("one" answer or "many") and `[questions.<id>.options]` (value = label); the
  question marked `target_groups = true` asks who is affected, and its answers must be
  groups the engagement register knows;
- `[default]`: what to recommend when no rule says otherwise, so every path through
  the questionnaire ends in a recommendation;
- `[[rules]]`: each with an `id`, a `when` table (question = the answers that trigger
  it; every question listed must be answered with one of its answers), a plain-English
  `reason`, and any of `involvement_type`, `level`, `methods` and `duties`;
- `[methods_for_groups]`: group = the methods that reach it well.

A file with mistakes is rejected whole, with every problem described in a full sentence
that names the file and the line, so the person editing it can put it right.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings

from engage.activities.models import InvolvementType, Level, Method, TargetGroup
from engage.core.errors import DomainError
from engage.core.tomlfile import TomlLocator, toml_mistake

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "rules" / "default.toml"

ONE = "one"
MANY = "many"
VERSION_MAX_LENGTH = 40  # Screening.rules_version
QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED_QUESTION_IDS = {"title", "csrfmiddlewaretoken"}  # names the form itself uses

TOP_LEVEL_KEYS = ("version", "description", "questions", "default", "rules", "methods_for_groups")
QUESTION_KEYS = ("text", "hint", "kind", "error", "target_groups", "options")
RULE_KEYS = ("id", "when", "reason", "involvement_type", "level", "methods", "duties")
DEFAULT_KEYS = ("reason", "involvement_type", "level", "methods")


# The rules, once checked ------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    options: tuple[tuple[str, str], ...]
    hint: str = ""
    error: str = ""
    target_groups: bool = False

    @cached_property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.options)

    @cached_property
    def _labels(self) -> dict[str, str]:
        return dict(self.options)

    def label(self, value: str) -> str:
        return self._labels.get(value, value)

    @property
    def required_message(self) -> str:
        if self.error:
            return self.error
        if self.kind == MANY:
            return f"Select at least one answer to '{self.text}'."
        return f"Select an answer to '{self.text}'."


@dataclass(frozen=True)
class Rule:
    """When every question in `when` has one of the answers listed, the rule applies."""

    id: str
    when: tuple[tuple[str, frozenset[str]], ...]
    reason: str
    involvement_type: str | None = None
    level: str | None = None
    methods: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Default:
    """What is recommended for each part no matched rule decides."""

    reason: str
    involvement_type: str
    level: str
    methods: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    version: str
    source: str
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    default: Default
    methods_for_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    description: str = ""

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _methods_by_group(self) -> dict[str, tuple[str, ...]]:
        return dict(self.methods_for_groups)

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    @cached_property
    def groups_question(self) -> Question | None:
        return next((q for q in self.questions if q.target_groups), None)

    def methods_for(self, group: str) -> tuple[str, ...]:
        return self._methods_by_group.get(group, ())


# Problems -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One mistake in the file; `message` is a full sentence naming the file and line."""

    line: int | None
    message: str


class RulesError(DomainError):
    """The rules file cannot be used. `problems` lists every mistake found, by line."""

    status = 503

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(sorted(problems, key=lambda p: p.line or 0))
        count = len(self.problems)
        heading = (
            f"The screening rules file {source} has {count} problem{'' if count == 1 else 's'}, "
            "so screening cannot be used until it is put right."
        )
        super().__init__(" ".join([heading, *(p.message for p in self.problems)]))


# Checking -----------------------------------------------------------------------------


def _listed(values: Iterable[str], conjunction: str) -> str:
    items = [f"'{v}'" for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _one_of(values: Iterable[str]) -> str:
    return _listed(values, "or")


def _all_of(values: Iterable[str]) -> str:
    return _listed(values, "and")


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


class _Checker:
    """Reads the parsed file into `Rules`, collecting every problem on the way."""

    def __init__(self, source: str, text: str, data: dict[str, Any]) -> None:
        self.source = source
        self.data = data
        self.where = TomlLocator(text)
        self.problems: list[Problem] = []

    def add(self, line: int | None, sentence: str) -> None:
        prefix = f"{self.source}, line {line}: " if line else f"{self.source}: "
        self.problems.append(Problem(line, prefix + sentence))

    def check(self) -> Rules | None:
        root = self.where.root()
        for key in self.data:
            if key not in TOP_LEVEL_KEYS:
                self.add(
                    self.where.anywhere(key),
                    f"'{key}' is not part of a screening rules file. "
                    f"The file can have {_one_of(TOP_LEVEL_KEYS)}.",
                )
        version = self._version()
        description = self.data.get("description", "")
        if not isinstance(description, str):
            self.add(self.where.key(root, "description"), "The description must be text in quotation marks.")
            description = ""
        questions = self._questions()
        default = self._default()
        rules = self._rules(questions)
        methods_for_groups = self._methods_for_groups()
        if self.problems or version is None or default is None:
            return None
        return Rules(
            version=version,
            source=self.source,
            questions=tuple(questions.values()),
            rules=tuple(rules),
            default=default,
            methods_for_groups=methods_for_groups,
            description=description,
        )

    # version ------------------------------------------------------------------------

    def _version(self) -> str | None:
        version = self.data.get("version")
        line = self.where.key(self.where.root(), "version")
        if version is None:
            self.add(
                1,
                'The file has no version. Add a line such as version = "2025.1" at the top, '
                "so that every screening records which rules produced it.",
            )
            return None
        if not _is_text(version):
            self.add(line, 'The version must be text in quotation marks, such as version = "2025.1".')
            return None
        if len(version) > VERSION_MAX_LENGTH:
            self.add(line, f"The version is too long: use {VERSION_MAX_LENGTH} characters or fewer.")
            return None
        return str(version).strip()

    # questions ----------------------------------------------------------------------

    def _questions(self) -> dict[str, Question]:
        raw = self.data.get("questions")
        if not isinstance(raw, dict) or not raw:
            self.add(
                self.where.key(self.where.root(), "questions"),
                "The file has no questions. Add at least one [questions.<id>] table.",
            )
            return {}
        questions: dict[str, Question] = {}
        for question_id, body in raw.items():
            question = self._question(question_id, body)
            if question is not None:
                questions[question_id] = question
        group_questions = [q for q in questions.values() if q.target_groups]
        for extra in group_questions[1:]:
            self.add(
                self._question_line(extra.id, "target_groups"),
                f"Only one question can ask who is affected (target_groups = true), "
                f"but '{group_questions[0].id}' and '{extra.id}' both do.",
            )
        return questions

    def _question_line(self, question_id: str, key: str | None = None) -> int | None:
        span = self.where.table(f"questions.{question_id}")
        if key is not None:
            found = self.where.key(span, key)
            if found:
                return found
        if span:
            return span[0]
        return self.where.key((1, len(self.where.lines)), question_id)

    def _question(self, question_id: str, body: object) -> Question | None:
        line = self._question_line(question_id)
        name = f"The question '{question_id}'"
        if not isinstance(body, dict):
            self.add(line, f"{name} must be a table, written as [questions.{question_id}].")
            return None
        ok = True
        if not QUESTION_ID.match(question_id) or question_id in RESERVED_QUESTION_IDS:
            self.add(
                line,
                f"'{question_id}' cannot be the id of a question: use lower-case letters, digits and "
                "underscores, starting with a letter, and not 'title'.",
            )
            ok = False
        for key in body:
            if key not in QUESTION_KEYS:
                self.add(
                    self._question_line(question_id, key),
                    f"{name} has the setting '{key}', which a question does not use. "
                    f"A question can have {_one_of(QUESTION_KEYS)}.",
                )
                ok = False
        if not _is_text(body.get("text")):
            self.add(line, f'{name} has no text: add text = "..." with the question as people will read it.')
            ok = False
        for key in ("hint", "error"):
            if key in body and not isinstance(body[key], str):
                self.add(
                    self._question_line(question_id, key),
                    f"The {key} of the question '{question_id}' must be text in quotation marks.",
                )
                ok = False
        kind = body.get("kind")
        if kind not in (ONE, MANY):
            self.add(
                self._question_line(question_id, "kind"),
                f'{name} must say kind = "one" (one answer) or kind = "many" (any number of answers).',
            )
            ok = False
        target_groups = body.get("target_groups", False)
        if not isinstance(target_groups, bool):
            self.add(
                self._question_line(question_id, "target_groups"), "target_groups must be true or false."
            )
            ok = False
        options = self._options(question_id, body.get("options"), target_groups=target_groups is True)
        if not ok or options is None:
            return None
        return Question(
            id=question_id,
            text=str(body["text"]).strip(),
            kind=str(kind),
            options=options,
            hint=str(body.get("hint", "")).strip(),
            error=str(body.get("error", "")).strip(),
            target_groups=target_groups is True,
        )

    def _options(
        self, question_id: str, raw: object, *, target_groups: bool
    ) -> tuple[tuple[str, str], ...] | None:
        span = self.where.table(f"questions.{question_id}.options")
        if not isinstance(raw, dict) or not raw:
            self.add(
                (span[0] if span else None) or self._question_line(question_id),
                f"The question '{question_id}' has no answers: add a [questions.{question_id}.options] "
                'table with a line such as yes = "Yes" for each answer.',
            )
            return None
        ok = True
        for value, label in raw.items():
            line = self.where.key(span, value) or self._question_line(question_id)
            if not _is_text(label):
                self.add(line, f"The answer '{value}' to '{question_id}' needs a label in quotation marks.")
                ok = False
            if target_groups and value not in TargetGroup.values:
                self.add(
                    line,
                    f"The question '{question_id}' asks who is affected, but '{value}' is not a group "
                    f"the engagement register knows. Use {_one_of(TargetGroup.values)}.",
                )
                ok = False
        if not ok:
            return None
        return tuple((str(value), str(label).strip()) for value, label in raw.items())

    # default ------------------------------------------------------------------------

    def _default(self) -> Default | None:
        raw = self.data.get("default")
        span = self.where.table("default")
        if not isinstance(raw, dict):
            self.add(
                span[0] if span else None,
                "The file has no [default] table. Add one with the reason, involvement_type, level "
                "and methods to recommend when no rule applies, so that every screening ends in a "
                "recommendation.",
            )
            return None
        ok = True
        for key in raw:
            if key not in DEFAULT_KEYS:
                self.add(
                    self.where.key(span, key),
                    f"The [default] table has the setting '{key}', which it does not use. "
                    f"It can have {_one_of(DEFAULT_KEYS)}.",
                )
                ok = False
        for key in DEFAULT_KEYS:
            if key not in raw:
                self.add(span[0] if span else None, f"The [default] table must set {key}.")
                ok = False
        if "reason" in raw and not _is_text(raw["reason"]):
            self.add(self.where.key(span, "reason"), "The reason in [default] must be text.")
            ok = False
        describe = "the [default] table"
        level, kind = self._level_and_kind(span, describe, raw)
        methods = self._methods(span, describe, raw.get("methods", []))
        if "methods" in raw and not methods:
            self.add(self.where.key(span, "methods"), "The [default] table must name at least one method.")
            ok = False
        if not ok or level is None or kind is None or methods is None:
            return None
        return Default(reason=str(raw["reason"]).strip(), involvement_type=kind, level=level, methods=methods)

    # shared -------------------------------------------------------------------------

    def _level_and_kind(
        self, span: tuple[int, int] | None, describe: str, body: dict[str, Any]
    ) -> tuple[str | None, str | None]:
        level = self._choice(
            span, describe, "level", body.get("level"), allowed=Level.values, what="a level of engagement"
        )
        kind = self._choice(
            span,
            describe,
            "involvement_type",
            body.get("involvement_type"),
            allowed=InvolvementType.values,
            what="a type of involvement",
        )
        return level, kind

    def _choice(
        self,
        span: tuple[int, int] | None,
        describe: str,
        key: str,
        value: object,
        *,
        allowed: list[str],
        what: str,
    ) -> str | None:
        if value is None:
            return None
        if value not in allowed:
            line = self.where.key(span, key) or (span[0] if span else None)
            self.add(
                line,
                f"The {key.replace('_', ' ')} '{value}' in {describe} is not {what}. Use {_one_of(allowed)}.",
            )
            return None
        return str(value)

    def _list_of_text(
        self, span: tuple[int, int] | None, describe: str, key: str, value: object
    ) -> list[str] | None:
        if not isinstance(value, list) or not all(_is_text(v) for v in value):
            self.add(
                self.where.key(span, key) or (span[0] if span else None),
                f"In {describe}, {key} must be a list of text in square brackets, such as "
                f'{key} = ["first", "second"].',
            )
            return None
        return [str(v).strip() for v in value]

    def _methods(self, span: tuple[int, int] | None, describe: str, value: object) -> tuple[str, ...] | None:
        methods = self._list_of_text(span, describe, "methods", value)
        if methods is None:
            return None
        ok = True
        key_line = self.where.key(span, "methods")
        for method in methods:
            if method not in Method.values:
                self.add(
                    self.where.value(span, method, start=key_line) or key_line,
                    f"The method '{method}' in {describe} is not a method the engagement register "
                    f"knows. Use {_one_of(Method.values)}.",
                )
                ok = False
        return tuple(dict.fromkeys(methods)) if ok else None

    # rules --------------------------------------------------------------------------

    def _rules(self, questions: dict[str, Question]) -> list[Rule]:
        raw = self.data.get("rules", [])
        if not isinstance(raw, list):
            self.add(
                self.where.key(self.where.root(), "rules"),
                "The rules must each be written as a [[rules]] table.",
            )
            return []
        raw_questions = self.data.get("questions")
        declared: dict[str, Any] = raw_questions if isinstance(raw_questions, dict) else {}
        rules: list[Rule] = []
        seen: dict[str, int | None] = {}
        inline = self.where.key(self.where.root(), "rules")  # rules = [{...}] rather than [[rules]]
        for position, body in enumerate(raw):
            span = self.where.array_item("rules", position) or (
                (inline, len(self.where.lines)) if inline else None
            )
            rule = self._rule(position, body, span=span, questions=questions, declared=declared, seen=seen)
            if rule is not None:
                rules.append(rule)
        return rules

    def _rule(
        self,
        position: int,
        body: object,
        *,
        span: tuple[int, int] | None,
        questions: dict[str, Question],
        declared: dict[str, Any],
        seen: dict[str, int | None],
    ) -> Rule | None:
        header = span[0] if span else None
        if not isinstance(body, dict):
            self.add(header, f"Rule number {position + 1} must be a [[rules]] table.")
            return None
        rule_id = body.get("id")
        if not _is_text(rule_id):
            self.add(
                self.where.key(span, "id") or header,
                f"Rule number {position + 1} has no id. Give it one in quotation marks, "
                'such as id = "major-change", so that results can say which rule applied.',
            )
            return None
        rule_id = str(rule_id).strip()
        describe = f"rule '{rule_id}'"
        ok = True
        if rule_id in seen:
            first = seen[rule_id]
            self.add(
                self.where.key(span, "id") or header,
                f"Rule '{rule_id}' has the same id as the rule"
                + (f" on line {first}" if first else " before it")
                + ". Give each rule its own id.",
            )
            ok = False
        else:
            seen[rule_id] = self.where.key(span, "id") or header
        for key in body:
            if key not in RULE_KEYS:
                self.add(
                    self.where.key(span, key) or header,
                    f"Rule '{rule_id}' has the setting '{key}', which a rule does not use. "
                    f"A rule can have {_one_of(RULE_KEYS)}.",
                )
                ok = False
        if not _is_text(body.get("reason")):
            self.add(
                self.where.key(span, "reason") or header,
                f"Rule '{rule_id}' has no reason. Say in plain English why it recommends what it does: "
                "staff see the reason with the result.",
            )
            ok = False
        when = self._when(rule_id, body.get("when"), span, questions, declared)
        level, kind = self._level_and_kind(span, describe, body)
        methods = self._methods(span, describe, body["methods"]) if "methods" in body else ()
        duties = self._list_of_text(span, describe, "duties", body["duties"]) if "duties" in body else []
        if not any(key in body for key in ("level", "involvement_type", "methods", "duties")):
            self.add(
                header,
                f"Rule '{rule_id}' recommends nothing: give it a level, an involvement_type, "
                "methods or duties.",
            )
            ok = False
        invalid = (
            (body.get("level") is not None and level is None)
            or (body.get("involvement_type") is not None and kind is None)
            or methods is None
            or duties is None
        )
        if not ok or invalid or when is None or methods is None or duties is None:
            return None
        return Rule(
            id=rule_id,
            when=when,
            reason=str(body["reason"]).strip(),
            involvement_type=kind,
            level=level,
            methods=methods,
            duties=tuple(dict.fromkeys(duties)),
            line=header,
        )

    def _when(
        self,
        rule_id: str,
        raw: object,
        span: tuple[int, int] | None,
        questions: dict[str, Question],
        declared: dict[str, Any],
    ) -> tuple[tuple[str, frozenset[str]], ...] | None:
        header = span[0] if span else None
        when_line = self.where.key(span, "when") or self.where.subtable(span, "rules.when") or header
        if not isinstance(raw, dict) or not raw:
            self.add(
                when_line,
                f"Rule '{rule_id}' has no 'when': say which answers trigger it, such as "
                'when = { scale = ["major"] }. Put what always applies in the [default] table.',
            )
            return None
        ok = True
        conditions: list[tuple[str, frozenset[str]]] = []
        for question_id, answers in raw.items():
            line = self.where.key(span, question_id, start=when_line) or when_line
            if question_id not in declared:
                self.add(
                    line,
                    f"Rule '{rule_id}' asks about '{question_id}', which is not a question in this file. "
                    f"The questions are {_all_of(declared)}.",
                )
                ok = False
                continue
            values = self._list_of_text(span, f"rule '{rule_id}'", question_id, answers)
            question = questions.get(question_id)
            if values is None or question is None:  # the question's own problem is reported already
                ok = False
                continue
            if not values:
                self.add(line, f"Rule '{rule_id}' lists no answers to '{question_id}'.")
                ok = False
            for value in values:
                if value not in question.values:
                    self.add(
                        self.where.value(span, value, start=line) or line,
                        f"Rule '{rule_id}' expects the answer '{value}' to '{question_id}', but that "
                        f"question's answers are {_all_of(question.values)}.",
                    )
                    ok = False
            conditions.append((question_id, frozenset(values)))
        return tuple(conditions) if ok else None

    # methods for groups -------------------------------------------------------------

    def _methods_for_groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        raw = self.data.get("methods_for_groups")
        if raw is None:
            return ()
        span = self.where.table("methods_for_groups")
        header = span[0] if span else self.where.key(self.where.root(), "methods_for_groups")
        if not isinstance(raw, dict):
            self.add(header, "methods_for_groups must be a table, written as [methods_for_groups].")
            return ()
        declared = self.data.get("questions")
        asks_who = isinstance(declared, dict) and any(
            isinstance(q, dict) and q.get("target_groups") is True for q in declared.values()
        )
        if raw and isinstance(declared, dict) and not asks_who:
            self.add(
                header,
                "The file gives methods for groups, but no question asks who is affected. "
                "Mark that question with target_groups = true.",
            )
        result: list[tuple[str, tuple[str, ...]]] = []
        for group, methods in raw.items():
            line = self.where.key(span, group) or header
            if group not in TargetGroup.values:
                self.add(
                    line,
                    f"[methods_for_groups] names the group '{group}', which is not a group the "
                    f"engagement register knows. Use {_one_of(TargetGroup.values)}.",
                )
                continue
            checked = self._methods((line, line) if line else span, f"the methods for '{group}'", methods)
            if checked is not None:
                result.append((group, checked))
        return tuple(result)


# Loading ------------------------------------------------------------------------------


def _syntax_problem(source: str, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    mistake = toml_mistake(text, error)
    at = f" at column {mistake.column}" if mistake.column is not None else " at the end of the file"
    return Problem(
        mistake.line,
        f"{source}, line {mistake.line}: this is not valid TOML ({mistake.detail}{at}). Check the quotation "
        "marks, brackets and equals signs on this line and the lines just before it.",
    )


def parse_rules(text: str, *, source: str = "rules.toml") -> Rules:
    """Check the text of a rules file and return the rules, or raise RulesError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(source, [_syntax_problem(source, text, error)]) from None
    checker = _Checker(source, text, data)
    rules = checker.check()
    if rules is None:
        raise RulesError(source, checker.problems or [Problem(None, f"{source}: the file cannot be used.")])
    return rules


def read_rules(path: Path | str) -> Rules:
    """Read and check a rules file from disk, uncached (the `screening check` command)."""
    path = Path(path)
    source = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RulesError(source, [Problem(None, f"{source}: there is no file at {path}.")]) from None
    except OSError as error:
        raise RulesError(
            source, [Problem(None, f"{source}: the file at {path} cannot be read ({error.strerror}).")]
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RulesError(
            source,
            [Problem(line, f"{source}, line {line}: the file is not UTF-8 text. Save it as UTF-8.")],
        ) from None
    return parse_rules(text, source=source)


_cache: dict[str, tuple[tuple[int, int], Rules | RulesError]] = {}
_cache_lock = threading.Lock()


def load_rules(path: Path | str) -> Rules:
    """The checked rules in a file, cached until the file changes (by time and size)."""
    path = Path(path)
    key = str(path.resolve())
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        return read_rules(path)  # raises RulesError with a plain message
    with _cache_lock:
        cached = _cache.get(key)
    if cached is None or cached[0] != stamp:
        result: Rules | RulesError
        try:
            result = read_rules(path)
        except RulesError as error:
            result = error
        cached = (stamp, result)
        with _cache_lock:
            _cache[key] = cached
    if isinstance(cached[1], RulesError):
        raise cached[1]
    return cached[1]


def rules_path() -> Path:
    """The rules file in use: the ENGAGE_SCREENING_RULES setting, or the packaged default."""
    configured = settings.ENGAGE_SCREENING_RULES
    return Path(configured) if configured else DEFAULT_RULES_PATH


def current_rules() -> Rules:
    return load_rules(rules_path())
