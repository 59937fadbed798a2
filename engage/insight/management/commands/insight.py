"""`engage insight`: evaluate the models and the redaction on labelled files, train, and
analyse the bank."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from engage.core.errors import DomainError
from engage.core.progress import ProgressBar
from engage.insight import runner, selectors, services
from engage.insight.framework import services as framework_services
from textkit.evaluate import (
    RESAMPLES,
    LabelledComment,
    LabelledFileError,
    cross_validate,
    evaluate,
    our_fold,
    read_labelled,
)
from textkit.redaction_evaluate import (
    DIRECT_KINDS,
    SHIPPED_SET,
    RedactionSetError,
    evaluate_redaction,
    read_redaction_set,
)
from textkit.text import normalise_for_grouping

# How the table names each kind of detail.
_KIND_NAMES = {
    "name": "names",
    "phone": "phone numbers",
    "email": "email addresses",
    "social_handle": "social media handles",
    "nhs_number": "NHS numbers",
    "hospital_number": "hospital numbers",
    "ni_number": "NI numbers",
    "address": "addresses",
    "postcode": "postcodes",
    "date_of_birth": "dates of birth",
    "web_address": "web addresses",
}


class Command(BaseCommand):
    help = "Themes and sentiment: evaluate the models on labelled files, train them, analyse conversations."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        evaluate = actions.add_parser(
            "evaluate",
            help="Train on one labelled file (pxtextmining format) and score another, or "
            "cross-validate one file: F1 for the categories, accuracy for sentiment, training "
            "time and speed.",
        )
        evaluate.add_argument("--train", type=Path, required=True, help="The labelled file to learn from.")
        evaluate.add_argument("--test", type=Path, help="The labelled file to score.")
        evaluate.add_argument(
            "--folds",
            type=int,
            help="Instead of --test: cross-validate the --train file in this many folds, identical "
            "comments always in one fold, every comment scored by a model that did not see it.",
        )
        evaluate.add_argument(
            "--without-examples",
            action="store_true",
            help="Train on the labelled comments alone, without the built-in framework's own examples "
            "of each theme, which training adds to them.",
        )
        evaluate.add_argument("--json", action="store_true", help="Print the figures as one line of JSON.")
        redaction = actions.add_parser(
            "redaction-evaluate",
            help="Score the redaction of personal details on a labelled set: recall and precision "
            "per kind of detail, and for direct identifiers together.",
        )
        redaction.add_argument(
            "--file",
            type=Path,
            default=SHIPPED_SET,
            help="The labelled set, JSON Lines in the shape of textkit/data/README.md "
            "(default: the set that ships with Engaging Together).",
        )
        redaction.add_argument("--json", action="store_true", help="Print the figures as one line of JSON.")
        redaction.add_argument(
            "--misses", action="store_true", help="Also list each detail missed and each false alarm."
        )
        run = actions.add_parser(
            "run", help="Analyse the conversations that are new or changed since the last analysis."
        )
        run.add_argument("--all", action="store_true", help="Analyse every conversation again.")
        train = actions.add_parser("train", help="Train a new model from the labels people have given.")
        train.add_argument("--quiet", action="store_true")
        train.add_argument(
            "--force",
            action="store_true",
            help="Keep the new model even if it learns fewer themes, or scores clearly lower on held-back "
            "labels, than the one in use.",
        )
        framework = actions.add_parser(
            "framework", help="The frameworks of themes: list, add one from a file, choose."
        )
        steps = framework.add_subparsers(dest="step", required=True, metavar="STEP")
        steps.add_parser("list", help="Every framework, and which is in use.")
        load = steps.add_parser("load", help="Add the partnership's own framework from a TOML file.")
        load.add_argument(
            "file", type=Path, help="The framework file, in the shape of insight/framework/files/README.md."
        )
        load.add_argument("--use", action="store_true", help="Use it from now on.")
        use = steps.add_parser(
            "use", help="Sort conversations into the themes of this framework from now on."
        )
        use.add_argument("name", help="The framework's name, as `engage insight framework list` shows it.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "evaluate":
            self._evaluate(options)
        elif action == "redaction-evaluate":
            self._redaction_evaluate(options)
        elif action == "run":
            self._run(options)
        elif action == "train":
            self._train(options)
        elif action == "framework":
            self._framework(options)

    def _evaluate(self, options: dict[str, Any]) -> None:
        folds = options["folds"]
        if (options["test"] is None) == (folds is None):
            raise CommandError(
                "Give --test FILE to score another file, or --folds N to cross-validate the --train file."
            )
        paths = [options["train"]] if folds is not None else [options["train"], options["test"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"There is no file at {path}.")
        try:
            files = [read_labelled(path) for path in paths]
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        if not all(files):
            raise CommandError("Each file needs at least one labelled comment.")
        # Trained as the product trains: with the framework's own examples of each theme.
        examples = None if options["without_examples"] else services.built_in_examples()
        figures = (
            self._cross_validated(files[0], folds, examples)
            if folds is not None
            else evaluate(*files, examples=examples)
        )
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        if folds is not None:
            self.stdout.write(
                f"Cross-validated {figures['comments']:,} comments in {folds} folds: trained in "
                f"{figures['train_seconds']} s a fold; scored {figures['comments_per_second']:,} a second."
            )
        else:
            self.stdout.write(
                f"Trained on {figures['train_comments']:,} comments in {figures['train_seconds']} s; "
                f"scored {figures['test_comments']:,} ({figures['comments_per_second']:,} a second)."
            )
        self.stdout.write(
            f"Categories: micro-F1 {figures['micro_f1']}, macro-F1 {figures['macro_f1']} "
            f"(with 'Labelling not possible': {figures['micro_f1_all']}, {figures['macro_f1_all']})."
        )
        low, high = figures["macro_f1_interval"]
        self.stdout.write(
            f"On other comments like these, macro-F1 would lie between {low} and {high} (95% of "
            f"{RESAMPLES:,} resamples): models closer than that cannot be told apart on this file."
        )
        if figures.get("sentiment_accuracy") is None:
            self.stdout.write("Sentiment: not scored, as no comment scored has a sentiment label.")
        else:
            # Cross-validation trains a model a fold, so it names no one source.
            source = f" ({figures['sentiment_source']})" if "sentiment_source" in figures else ""
            self.stdout.write(
                f"Sentiment{source}: accuracy {figures['sentiment_accuracy']}, "
                f"macro-F1 {figures['sentiment_macro_f1']}."
            )
        for label, f1 in sorted(figures["per_label_f1"].items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {f1:.2f}  {label}")

    @staticmethod
    def _cross_validated(
        comments: list[LabelledComment], folds: int, examples: dict[str, list[str]] | None
    ) -> dict[str, Any]:
        distinct = len({normalise_for_grouping(c.text) for c in comments})
        if not 2 <= folds <= distinct:
            raise CommandError(
                f"--folds must be from 2 to the number of different comments in the file ({distinct:,}); "
                f"it was {folds}."
            )
        fold = functools.partial(our_fold, examples=examples)
        return {"comments": len(comments), "folds": folds, **cross_validate(comments, folds=folds, fold=fold)}

    def _redaction_evaluate(self, options: dict[str, Any]) -> None:

        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            texts = read_redaction_set(path)
        except RedactionSetError as error:
            raise CommandError(str(error)) from error
        figures = evaluate_redaction(texts)
        if not options["misses"]:
            for part in [*figures["parts"].values(), figures["all"]]:
                del part["missed"], part["false_alarms"]
        if options["json"]:
            self.stdout.write(json.dumps({"file": path.name, **figures}))
            return
        parts = figures["parts"]
        columns = {**parts, "all": figures["all"]} if len(parts) > 1 else parts
        everything = figures["all"]
        self.stdout.write(
            f"{path.name}: {everything['texts']:,} texts, {everything['texts_without_details']:,} of them "
            "with nothing personal; "
            + ", ".join(f"{name} {part['texts']:,}" for name, part in parts.items())
            + (
                " (test was held out at first; its misses have since been read and some fixed,"
                " so it is no longer unseen: ADR 0034)."
                if "test" in parts
                else "."
            )
        )
        self.stdout.write(
            "A detail is found when every character of it was removed; a marker is correct when "
            "what it removed overlaps a detail."
        )
        self.stdout.write("")
        heading = f"{'':22}{'details':>8}" + "".join(
            f"  {name + ' recall':>12}  {'precision':>9}" for name in columns
        )
        self.stdout.write(heading)
        rows = [(_KIND_NAMES.get(kind, kind), kind) for kind in everything["per_kind"]]
        rows.insert(sum(kind in DIRECT_KINDS for _, kind in rows), ("direct identifiers", ""))
        for label, kind in rows:
            scores = [part["per_kind"].get(kind) if kind else part["direct"] for part in columns.values()]
            count = (everything["per_kind"][kind] if kind else everything["direct"])["labelled"]
            cells = "".join(f"  {_share(s, 'recall'):>12}  {_share(s, 'precision'):>9}" for s in scores)
            self.stdout.write(f"{label:22}{count:>8}{cells}")
        if options["misses"]:
            for name, part in parts.items():
                for heading_, lines in (("Missed", part["missed"]), ("False alarms", part["false_alarms"])):
                    self.stdout.write(f"\n{heading_} ({name}):")
                    for line in lines:
                        self.stdout.write(f"  {line}")

    def _run(self, options: dict[str, Any]) -> None:

        bar = ProgressBar(self, noun="conversations")
        run = services.analysis_run_create(actor=None, start=False, everything=options["all"])
        run = runner.analysis_run_execute(run_id=run.pk, on_progress=bar.update)
        bar.finish()
        if run.error:
            raise CommandError(run.error)
        number = run.model_version.number if run.model_version else None
        self.stdout.write(
            f"Analysed {run.rows_done:,} conversations with model {number or 'none (a word list only)'}."
        )

    def _train(self, options: dict[str, Any]) -> None:

        try:
            version = services.model_train(actor=None, force=options["force"])
        except DomainError as error:
            raise CommandError(error.message) from error
        if not options["quiet"]:
            self.stdout.write(
                f"Trained model {version.number} on {version.labelled_conversations:,} labelled conversations "
                f"({version.categories_learnt} categories, sentiment from {version.sentiment_source}) "
                f"in {version.train_seconds:.1f} s."
            )

    def _framework(self, options: dict[str, Any]) -> None:

        step = options["step"]
        try:
            if step == "load":
                path: Path = options["file"]
                if not path.is_file():
                    raise CommandError(f"There is no file at {path}.")
                try:
                    text = path.read_text(encoding="utf-8-sig")
                except UnicodeDecodeError:
                    raise CommandError(f"{path.name} is not a text file in UTF-8.") from None
                loaded = framework_services.framework_load(
                    actor=None, text=text, file_name=path.name, use=options["use"]
                )
                self.stdout.write(
                    f"Added the framework {loaded.name!r}" + (", now in use." if loaded.in_use else ".")
                )
            elif step == "use":
                found = [
                    f for f in selectors.framework_list() if f.name.casefold() == options["name"].casefold()
                ]
                if not found:
                    raise CommandError(
                        f"There is no framework called {options['name']!r}. `engage insight framework list` lists them."
                    )
                chosen = framework_services.framework_choose(actor=None, framework_id=found[0].pk)
                self.stdout.write(f"Conversations are now sorted into the themes of {chosen.name!r}.")
        except DomainError as error:
            raise CommandError(error.message) from error
        in_use = framework_services.framework_in_use()
        if step == "list":
            for framework in selectors.framework_list():
                mark = "*" if framework.pk == in_use.pk else " "
                kind = "built in" if framework.built_in else "own"
                self.stdout.write(
                    f"{mark} {framework.name} ({kind}, {getattr(framework, 'subcategory_count', 0)} sub-categories)"
                )


def _share(scores: dict[str, Any] | None, key: str) -> str:
    """A share to three places, or a dash where there was nothing to count."""
    value = None if scores is None else scores[key]
    return "-" if value is None else f"{value:.3f}"
