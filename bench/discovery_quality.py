"""How well theme discovery finds the themes people name, before and after step 10.

On `../shared/data/fft-labelled/fft_v6_dev.csv` (labelled Friends and Family Test
comments; benchmarks only), each comment's first category is its human theme
("Labelling not possible" and unlabelled comments left out). Discovery groups the
comments, with no labels, and is scored by the adjusted mutual information between its
groups and the human themes (0: no better than chance, 1: the same grouping), the
largest group's share of the comments, and the seconds it takes.

In the same run, on the same comments, the discovery before step 10 (k-means on the
TF-IDF vectors themselves, contractions and shared text left in) as the baseline.

    .venv/bin/python bench/discovery_quality.py [--labelled N] [--seeds 3]

The last line is JSON: each method's mean figures over the seeds.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LABELLED = ROOT.parent / "shared" / "data" / "fft-labelled" / "fft_v6_dev.csv"


def before(texts: Sequence[str], seed: int) -> list[int]:
    """Discovery as it was before step 10: MiniBatchKMeans on the TF-IDF vectors."""
    from sklearn.cluster import MiniBatchKMeans  # noqa: PLC0415 - loaded for the run, not the import
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - as above

    from textkit.text import normalise_for_model  # noqa: PLC0415 - as above

    matrix = TfidfVectorizer(
        stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True, ngram_range=(1, 2)
    ).fit_transform([normalise_for_model(text) for text in texts])
    count = min(20, max(3, round(math.sqrt(len(texts) / 2))))
    model = MiniBatchKMeans(n_clusters=count, random_state=seed, n_init=3, batch_size=2048)
    return [int(label) for label in model.fit_predict(matrix)]


def now(texts: Sequence[str], seed: int) -> list[int]:
    """Discovery as it is (textkit.discover)."""
    from textkit.discover import discover  # noqa: PLC0415 - loaded for the run, not the import

    assigned = [-1] * len(texts)
    for label, group in enumerate(discover(texts, seed=seed)):
        for member in group.members:
            assigned[member] = label
    return assigned


def measure(
    method: Callable[[Sequence[str], int], list[int]], texts: list[str], themes: list[str], seed: int
) -> dict[str, float]:
    from sklearn.metrics import adjusted_mutual_info_score  # noqa: PLC0415 - loaded for the run, not the import

    began = time.perf_counter()
    assigned = method(texts, seed)
    seconds = time.perf_counter() - began
    return {
        "ami": adjusted_mutual_info_score(themes, assigned),
        "largest_share": max(Counter(assigned).values()) / len(assigned),
        "groups": len(set(assigned)),
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--labelled", type=int, help="use only the first N labelled comments (the smoke test's)"
    )
    parser.add_argument("--seeds", type=int, default=3)
    options = parser.parse_args()
    from textkit.evaluate import read_labelled  # noqa: PLC0415 - after the path is set

    comments = [
        comment
        for comment in read_labelled(LABELLED)[: options.labelled]
        if comment.text and comment.labels and comment.labels[0] != "Labelling not possible"
    ]
    texts = [comment.text for comment in comments]
    themes = [comment.labels[0] for comment in comments]
    summary: dict[str, Any] = {"comments": len(texts), "themes": len(set(themes)), "seeds": options.seeds}
    for name, method in (("before", before), ("now", now)):
        runs = [measure(method, texts, themes, seed) for seed in range(options.seeds)]
        figures = {key: round(statistics.mean(run[key] for run in runs), 3) for key in runs[0]}
        figures["ami_min"] = round(min(run["ami"] for run in runs), 3)
        summary[name] = figures
        print(f"{name}: {figures}", flush=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
