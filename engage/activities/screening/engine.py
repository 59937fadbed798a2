"""Applying the screening rules to the answers: the recommendation and its reasons.

Pure Python, no database, so every path through the questionnaire can be tested
quickly. How the rules combine is set out in `rules/default.toml`:

- the level is the highest of the rules that apply (inform < consult < involve <
  collaborate < empower), and the type of involvement the strongest (individual <
  collective < co-production);
- the methods are those of the rules that apply, then those that suit each group
  affected, in the order first given, each once; the duties likewise;
- whatever no rule decides comes from the file's [default], so there is always a
  recommendation, and the reasons say so.

Each reason records exactly which answers triggered it, in the words the questionnaire
used at the time, so a stored result can be explained after the rules have changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from engage.activities.models import InvolvementType, Level
from engage.activities.screening.rules import MANY, Question, Rules
from engage.core.errors import InvalidInput

LEVEL_ORDER: tuple[str, ...] = tuple(Level.values)
TYPE_ORDER: tuple[str, ...] = (
    InvolvementType.INDIVIDUAL.value,
    InvolvementType.COLLECTIVE.value,
    InvolvementType.CO_PRODUCTION.value,
)

RULE = "rule"
GROUP = "group"
DEFAULT = "default"

AnswerValue = str | Sequence[str]
T = TypeVar("T")


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _texts(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _records(data: Mapping[str, Any], key: str, read: Callable[[Mapping[str, Any]], T]) -> tuple[T, ...]:
    value = data.get(key)
    return tuple(read(v) for v in value if isinstance(v, Mapping)) if isinstance(value, list) else ()


@dataclass(frozen=True)
class Answer:
    """An answer to one question, with the question and answers as worded at the time."""

    question: str
    text: str
    values: tuple[str, ...]
    labels: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "values": list(self.values),
            "labels": list(self.labels),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answer:
        return cls(
            question=_text(data, "question"),
            text=_text(data, "text"),
            values=_texts(data, "values"),
            labels=_texts(data, "labels"),
        )


@dataclass(frozen=True)
class Reason:
    """One line of "which answer led to which recommendation".

    `source` is "rule" (a rule applied; `key` is its id), "group" (methods that suit a
    group affected; `key` is the group) or "default" (no rule decided the parts given).
    """

    source: str
    key: str
    reason: str
    because: str
    triggers: tuple[Answer, ...] = ()
    involvement_type: str | None = None
    level: str | None = None
    methods: tuple[str, ...] = ()
    duties: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "key": self.key,
            "reason": self.reason,
            "because": self.because,
            "triggers": [t.to_dict() for t in self.triggers],
            "involvement_type": self.involvement_type,
            "level": self.level,
            "methods": list(self.methods),
            "duties": list(self.duties),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(
            source=_text(data, "source"),
            key=_text(data, "key"),
            reason=_text(data, "reason"),
            because=_text(data, "because"),
            triggers=_records(data, "triggers", Answer.from_dict),
            involvement_type=_text(data, "involvement_type") or None,
            level=_text(data, "level") or None,
            methods=_texts(data, "methods"),
            duties=_texts(data, "duties"),
        )


@dataclass(frozen=True)
class Recommendation:
    involvement_type: str
    level: str
    methods: tuple[str, ...]
    duties: tuple[str, ...]
    reasons: tuple[Reason, ...]
    answers: tuple[Answer, ...]
    rules_version: str
    target_groups: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """For JSON storage with the screening."""
        return {
            "rules_version": self.rules_version,
            "involvement_type": self.involvement_type,
            "level": self.level,
            "methods": list(self.methods),
            "duties": list(self.duties),
            "target_groups": list(self.target_groups),
            "answers": [a.to_dict() for a in self.answers],
            "reasons": [r.to_dict() for r in self.reasons],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Recommendation:
        """Read a stored recommendation back. Tolerant: a record written by an older
        version, or by hand, shows what it has rather than failing."""
        data = data if isinstance(data, Mapping) else {}
        return cls(
            involvement_type=_text(data, "involvement_type"),
            level=_text(data, "level"),
            methods=_texts(data, "methods"),
            duties=_texts(data, "duties"),
            reasons=_records(data, "reasons", Reason.from_dict),
            answers=_records(data, "answers", Answer.from_dict),
            rules_version=_text(data, "rules_version"),
            target_groups=_texts(data, "target_groups"),
        )

    def methods_for_groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """(group, its suitable methods) for each group affected that has any."""
        return [(r.key, r.methods) for r in self.reasons if r.source == GROUP]


# Answers ------------------------------------------------------------------------------


def _in_option_order(question: Question, values: Iterable[str]) -> tuple[str, ...]:
    chosen = set(values)
    return tuple(v for v in question.values if v in chosen)


def normalise_answers(rules: Rules, answers: Mapping[str, AnswerValue]) -> dict[str, str | list[str]]:
    """The answers as stored: one value per "one" question, a list in the questionnaire's
    order per "many" question. Raises InvalidInput naming each question not answered
    properly, so nothing is evaluated half-answered."""
    errors: dict[str, str] = {}
    clean: dict[str, str | list[str]] = {}
    known = {q.id for q in rules.questions}
    for key in answers:
        if key not in known:
            errors[key] = (
                f"'{key}' is not a question in the screening rules in use (version {rules.version})."
            )
    for question in rules.questions:
        given = answers.get(question.id)
        if question.kind == MANY:
            values = [given] if isinstance(given, str) else list(given or [])
            if not values:
                errors[question.id] = question.required_message
            elif any(v not in question.values for v in values):
                errors[question.id] = f"Select only the answers given to '{question.text}'."
            else:
                clean[question.id] = list(_in_option_order(question, values))
        elif not isinstance(given, str) or not given:
            errors[question.id] = question.required_message
        elif given not in question.values:
            errors[question.id] = f"Select one of the answers given to '{question.text}'."
        else:
            clean[question.id] = given
    if errors:
        raise InvalidInput(errors)
    return clean


def _chosen(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _answer(question: Question, values: Iterable[str]) -> Answer:
    ordered = _in_option_order(question, values)
    return Answer(
        question=question.id,
        text=question.text,
        values=ordered,
        labels=tuple(question.label(v) for v in ordered),
    )


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def because(triggers: Sequence[Answer]) -> str:
    """The answers that triggered a reason, such as: Because you answered 'Major' to
    'How big is the change?', and 'A lot' to 'How much is still open to influence?'"""
    parts = [_and([f"'{label}'" for label in t.labels]) + f" to '{t.text}'" for t in triggers]
    if len(parts) > 1:  # a comma between answers to different questions keeps them apart
        return f"Because you answered {', '.join(parts[:-1])}, and {parts[-1]}"
    return f"Because you answered {''.join(parts)}"


# Evaluating ---------------------------------------------------------------------------


def _strongest(values: Iterable[str], order: Sequence[str]) -> str | None:
    present = [v for v in values if v in order]
    return max(present, key=order.index) if present else None


def _unique(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


def _rule_reasons(rules: Rules, given: Mapping[str, str | list[str]]) -> list[Reason]:
    reasons: list[Reason] = []
    for rule in rules.rules:
        triggers: list[Answer] = []
        for question_id, wanted in rule.when:
            hit = [v for v in _chosen(given[question_id]) if v in wanted]
            if not hit:
                break
            triggers.append(_answer(rules.question(question_id), hit))
        else:
            reasons.append(
                Reason(
                    source=RULE,
                    key=rule.id,
                    reason=rule.reason,
                    because=because(triggers),
                    triggers=tuple(triggers),
                    involvement_type=rule.involvement_type,
                    level=rule.level,
                    methods=rule.methods,
                    duties=rule.duties,
                )
            )
    return reasons


def _group_reasons(rules: Rules, given: Mapping[str, str | list[str]]) -> list[Reason]:
    question = rules.groups_question
    if question is None:
        return []
    reasons: list[Reason] = []
    for group in _chosen(given[question.id]):
        methods = rules.methods_for(group)
        if methods:
            trigger = _answer(question, [group])
            reasons.append(
                Reason(
                    source=GROUP,
                    key=group,
                    reason=f"Methods that suit the group '{question.label(group)}'.",
                    because=because([trigger]),
                    triggers=(trigger,),
                    methods=methods,
                )
            )
    return reasons


def evaluate(rules: Rules, answers: Mapping[str, AnswerValue]) -> Recommendation:
    """The recommendation for these answers under these rules. Raises InvalidInput when
    a question is not answered, or answered with something the rules do not offer."""
    given = normalise_answers(rules, answers)
    reasons = _rule_reasons(rules, given) + _group_reasons(rules, given)
    level = _strongest((r.level for r in reasons if r.level), LEVEL_ORDER)
    kind = _strongest((r.involvement_type for r in reasons if r.involvement_type), TYPE_ORDER)
    methods = _unique(r.methods for r in reasons)
    default = rules.default
    groups = rules.groups_question
    if level is None or kind is None or not methods:
        reasons.append(
            Reason(
                source=DEFAULT,
                key=DEFAULT,
                reason=default.reason,
                because="No rule decided this for your answers",
                level=default.level if level is None else None,
                involvement_type=default.involvement_type if kind is None else None,
                methods=default.methods if not methods else (),
            )
        )
    return Recommendation(
        involvement_type=kind or default.involvement_type,
        level=level or default.level,
        methods=methods or default.methods,
        duties=_unique(r.duties for r in reasons),
        reasons=tuple(reasons),
        answers=tuple(_answer(q, _chosen(given[q.id])) for q in rules.questions),
        rules_version=rules.version,
        target_groups=_chosen(given[groups.id]) if groups else (),
    )
