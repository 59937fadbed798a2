""" "Before you ask": do the activities and themes it finds agree with a person's judgement?

On the demo partnership (its register, and the themes its analysis found in what people
said), each of the 21 activities of
`engage/partnership/tests/data/before_you_ask_pairs.toml`, written afresh, is looked up
as an officer registering it would: the past activities (one of each series) and the
themes shown. The register's generated titles are matched to the file's titles.

- **activities, judged**: of the top five activities among those a person judged for the
  probe (the 200 labelled pairs), the share judged related (of as many as are related,
  where fewer than five). Unjudged activities are passed over, the condensed-list
  measure for incomplete judgements;
- **activities, strict**: the same over every activity shown, an unjudged one counting
  as not related: a floor;
- **themes**: of the top five themes shown, the share the person named for the probe.

Baseline, in the same run: the activities ranked by the overlap warning's keyword
similarity before step 12 (Jaccard of `textkit.keywords`), and the themes the
framework's own words match best. The threshold table says, for the labelled pairs,
what share of those at or above each topic similarity a person judged related, and
what share of the related ones reach it (the overlap warning's `vector_threshold`).

    .venv/bin/python bench/before_you_ask_quality.py [--conversations 52000]
    ENGAGE_VAR_DIR=<a folder with the demo loaded and analysed> .venv/bin/python bench/before_you_ask_quality.py

Without ENGAGE_VAR_DIR (or where its database has no demo), the demo is loaded with
`--conversations` conversations, its model trained, its analysis run and its picture
built, here and now (a few minutes at the demo's own size). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAIRS = ROOT / "engage" / "partnership" / "tests" / "data" / "before_you_ask_pairs.toml"
SPECS = ROOT / "engage" / "demo" / "data" / "activities.toml"


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    titles = re.findall(r'^title = "(.*)"', SPECS.read_text(), re.MULTILINE)
    return [(t, re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+", re.escape(t)) + "$")) for t in titles]


def _spec_of(title: str, patterns: list[tuple[str, re.Pattern[str]]]) -> str:
    """The file's title a generated title comes from: a fixed one before a template."""
    found = sorted((t for t, p in patterns if p.match(title)), key=lambda t: ("{" in t, -len(t)))
    return found[0] if found else title


def _precision(shown: list[str], related: set[str], judged: set[str] | None) -> float:
    if judged is not None:
        shown = [s for s in shown if s in judged]
    k = min(5, len(related))
    return sum(s in related for s in shown[:k]) / k


def _demo_loaded(conversations: int) -> None:
    """The demo in this database, analysed and in the picture (once)."""
    from django.core.management import call_command  # noqa: PLC0415 - after setup

    from engage.demo.services import demo_insight_start, demo_partnership_is_loaded, demo_partnership_load  # noqa: PLC0415
    from engage.insight.runner import analysis_run_execute  # noqa: PLC0415 - after setup
    from engage.partnership.services import picture_refresh_all  # noqa: PLC0415 - after setup

    call_command("migrate", verbosity=0)
    if demo_partnership_is_loaded():
        return
    demo_partnership_load(conversations=conversations)
    started = demo_insight_start()
    if started.analysis_run_id is not None:
        analysis_run_execute(run_id=started.analysis_run_id)
    picture_refresh_all()


def main() -> None:  # noqa: PLR0915 - one measured run, read top to bottom
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--conversations", type=int, default=52_000, help="the demo's size, where one is loaded here"
    )
    options = parser.parse_args()
    own_database = "ENGAGE_VAR_DIR" not in os.environ
    if own_database:
        os.environ["ENGAGE_VAR_DIR"] = tempfile.mkdtemp(prefix="engage-bench-bya-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 - the bench sets Django up itself

    django.setup()
    _demo_loaded(options.conversations)  # nothing to do where the demo is there already
    from django.utils import timezone  # noqa: PLC0415 - after setup

    from engage.activities.models import Activity  # noqa: PLC0415 - after setup
    from engage.activities.topics import activity_text, register_topics, topic_similarities  # noqa: PLC0415
    from engage.insight.framework.services import framework_in_use  # noqa: PLC0415
    from engage.insight.models import Category  # noqa: PLC0415
    from engage.partnership.before_you_ask import selectors  # noqa: PLC0415
    from textkit.keywords import keywords  # noqa: PLC0415

    probes = tomllib.loads(PAIRS.read_text())["probes"]
    patterns = _patterns()
    register = list(Activity.objects.values_list("pk", "title", "topic", "purpose", "series_id"))
    spec = {pk: _spec_of(title, patterns) for pk, title, *_ in register}
    terms = {pk: keywords(f"{t} {tp} {pu}") for pk, t, tp, pu, _ in register}
    subthemes = list(Category.objects.filter(framework=framework_in_use(), parent__isnull=False))
    started = time.perf_counter()
    register_topics()
    fit_seconds = time.perf_counter() - started
    today = timezone.localdate()
    figures: dict[str, list[float]] = {
        k: []
        for k in ("judged", "strict", "panel_judged", "themes", "base_judged", "base_strict", "base_themes")
    }
    pairs: list[tuple[float, bool]] = []
    seconds: list[float] = []
    for probe in probes:
        related, unrelated = set(probe["related"]), set(probe["unrelated"])
        judged = related | unrelated
        started = time.perf_counter()
        found = selectors.before_you_ask(
            title=probe["title"], topic=probe["topic"], purpose=probe["purpose"], today=today
        )
        seconds.append(time.perf_counter() - started)
        # Every activity in relevance order (not only the five shown), for the judged measure.
        ranked = selectors._past_activities(
            activity_text(probe["title"], probe["topic"], probe["purpose"]),
            area_ids=(), groups=(), today=today, exclude=None,
        )  # fmt: skip
        shown = []
        for past in ranked:
            name = spec[past.activity.pk]
            if name not in shown:
                shown.append(name)
        # The panel shows only activities of the last two years: of the related ones,
        # those it could show.
        pool = {spec[pk] for pk in selectors.activities_in_reach(today=today)}
        figures["panel_judged"].append(_precision(shown, related & pool, judged) if related & pool else 1.0)
        similarity = topic_similarities(activity_text(probe["title"], probe["topic"], probe["purpose"]))
        by_similarity = []
        for pk, _value in sorted(similarity.items(), key=lambda item: -item[1]):
            if spec[pk] not in by_similarity:
                by_similarity.append(spec[pk])
        figures["judged"].append(_precision(by_similarity, related, judged))
        figures["strict"].append(_precision(by_similarity, related, None))
        themes = [t.category.name for t in found.themes]
        figures["themes"].append(_precision(themes, set(probe["themes"]), None))
        # The baseline: keyword Jaccard over the same register, and the framework's words.
        mine = keywords(f"{probe['title']} {probe['topic']} {probe['purpose']}")
        by_terms = sorted(
            register, key=lambda row: -len(mine & terms[row[0]]) / (len(mine | terms[row[0]]) or 1)
        )
        base = []
        for row in by_terms:
            if spec[row[0]] not in base:
                base.append(spec[row[0]])
        figures["base_judged"].append(_precision(base, related, judged))
        figures["base_strict"].append(_precision(base, related, None))
        words_of = {
            c.name: keywords(f"{c.name} {c.description} {' '.join(c.examples or [])}") for c in subthemes
        }
        base_themes = sorted(words_of, key=lambda name: -len(mine & words_of[name]))
        figures["base_themes"].append(_precision(base_themes, set(probe["themes"]), None))
        best: dict[str, float] = {}
        for pk, value in similarity.items():
            best[spec[pk]] = max(best.get(spec[pk], 0.0), value)
        pairs += [(best.get(name, 0.0), name in related) for name in judged]
    thresholds = []
    for cut in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        above = [is_related for value, is_related in pairs if value >= cut]
        thresholds.append(
            {
                "threshold": cut,
                "precision": round(sum(above) / len(above), 3) if above else None,
                "recall": round(sum(above) / sum(r for _, r in pairs), 3),
            }
        )
    result: dict[str, Any] = {key: round(statistics.fmean(values), 3) for key, values in figures.items()}
    result |= {
        "probes": len(probes),
        "labelled_pairs": len(pairs),
        "register": len(register),
        "register_fit_seconds": round(fit_seconds, 2),
        "lookup_seconds_median": round(statistics.median(seconds), 3),
        "thresholds": thresholds,
    }
    print(f"activities (judged):  {result['judged']:.3f}  against keywords {result['base_judged']:.3f}")
    print(f"panel (judged, last two years): {result['panel_judged']:.3f}")
    print(f"activities (strict):  {result['strict']:.3f}  against keywords {result['base_strict']:.3f}")
    print(
        f"themes:               {result['themes']:.3f}  against the framework's words {result['base_themes']:.3f}"
    )
    for row in thresholds:
        print(f"  similarity >= {row['threshold']}: precision {row['precision']}, recall {row['recall']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
