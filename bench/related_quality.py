"""Related-stories quality on BBC News: precision@5, ours vs YARPP-style vs plain TF-IDF.

    .venv/bin/python bench/related_quality.py [--k 5] [--tune]

The BBC News set (../shared/data/bbc-news/bbc_news.csv, five sections) with exact duplicate
bodies dropped (the first copy kept) is split once and for all by a hash of ``doc_id``:
40% "dev" (where every parameter was chosen) and 60% "held-out" (reported, never tuned
on). Each part is written to a temporary JSON-lines file (label = section) and measured
with ``evaluate_jsonl``, the code behind ``masthead related eval``: each part is indexed
on its own, so a held-out story's related stories come from the held-out part only.

``--tune`` re-runs, on dev only, the small parameter sweep the defaults were picked from.
Writes bench/results/related_quality.md.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from masthead.related.engine import RelatedIndex, evaluate_jsonl  # noqa: E402
from masthead.related.engine.evaluation import load_jsonl  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "bbc-news" / "bbc_news.csv"
RESULTS = ROOT / "bench" / "results" / "related_quality.md"
DEV_PERCENT = 40

NOTES = """\
## Notes

* Target: precision@5 >= 0.96 on held-out, above the baseline. Above the baseline (+0.10)
  and plain TF-IDF (+0.036): yes. 0.96: not reached on held-out (the dev part, where the
  parameters were chosen, is at 0.963; the held-out bootstrap interval includes 0.96).
* History, for honesty about the split: held-out was first measured once the engine's
  parameters were settled on dev (0.9549). After that, only the diffusion map's solver
  changed, for speed at 100,000 stories (block power iteration, 20 steps, checked on dev:
  0.9629 -> 0.9627); held-out then read 0.9553. No choice was made by looking at held-out.
* What moved dev most (see the sweep): the diffusion-map "beat" blend (0.925 without it),
  word-pair features (0.957 without), the graph's neighbour count and diffusion time.
"""

SWEEP = [
    {},
    {"query_terms": 40},
    {"query_terms": 1000},
    {"phrase_weight": 0.0},
    {"phrase_weight": 1.0},
    {"phrase_weight": 2.0},
    {"embedding_blend": 0.0},
    {"embedding_blend": 0.5},
    {"embedding_blend": 0.7},
    {"diffusion_time": 2.0},
    {"diffusion_time": 8.0},
    {"graph_k": 10},
    {"graph_k": 30},
    {"idf_power": 1.0},
    {"title_weight": 1.0},
    {"entity_weight": 0.0},
]


def is_dev(doc_id: str) -> bool:
    digest = hashlib.sha1(doc_id.encode(), usedforsecurity=False).hexdigest()
    return int(digest[:8], 16) % 100 < DEV_PERCENT


def load_bbc() -> list[dict[str, str]]:
    if not DATA.exists():
        sys.exit(f"BBC News data not found at {DATA}; this benchmark needs ../shared/data.")
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    unique = []
    for row in rows:
        if row["body"] not in seen:
            seen.add(row["body"])
            unique.append(row)
    return unique


def write_jsonl(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            record = {"title": row["title"], "body": row["body"], "label": row["category"]}
            fh.write(json.dumps(record) + "\n")
    return path


def plain_tfidf(rows: list[dict[str, str]], k: int) -> float:
    """Cosine of scikit-learn TF-IDF vectors (sublinear tf, English stop-words)."""
    texts = [row["title"] + "\n" + row["body"] for row in rows]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    sims = (x @ x.T).toarray()
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1)[:, :k]
    labels = np.array([row["category"] for row in rows])
    return float((labels[top] == labels[:, None]).mean())


def interval(path: Path, k: int, rounds: int = 2000) -> tuple[float, float]:
    """95% bootstrap interval (over stories) of the engine's precision@k on ``path``."""
    docs, labels = load_jsonl(path)
    index = RelatedIndex().build(docs)
    per_story = np.array(
        [sum(labels[m.doc_id] == labels[d.id] for m in index.related(d.id, k)) / k for d in docs]
    )
    rng = np.random.default_rng(0)
    means = [per_story[rng.integers(0, len(docs), len(docs))].mean() for _ in range(rounds)]
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--tune", action="store_true", help="re-run the dev-only sweep")
    args = parser.parse_args()
    rows = load_bbc()
    parts = {
        "dev": [r for r in rows if is_dev(r["doc_id"])],
        "held-out": [r for r in rows if not is_dev(r["doc_id"])],
    }
    results: dict[str, dict[str, float]] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            name: write_jsonl(part, Path(tmp) / f"{name}.jsonl") for name, part in parts.items()
        }
        for name, path in files.items():
            started = time.perf_counter()
            results[name] = evaluate_jsonl(path, k=args.k)
            seconds[name] = time.perf_counter() - started
            results[name]["plain"] = plain_tfidf(parts[name], args.k)
            results[name]["interval"] = interval(path, args.k)
        sweep = []
        if args.tune:
            for options in SWEEP:
                got = evaluate_jsonl(files["dev"], k=args.k, engine_options=options)
                sweep.append((options, got["precision_at_k"]))
                print(f"dev {options or 'defaults'}: {got['precision_at_k']:.4f}", flush=True)
    k = args.k
    table = [
        f"| method | dev P@{k} (n={results['dev']['n']}) "
        f"| held-out P@{k} (n={results['held-out']['n']}) |",
        "|---|---|---|",
    ]
    for label, key in (
        ("Masthead engine (ours)", "precision_at_k"),
        ("YARPP-style baseline (default weights, threshold 4)", "baseline_precision_at_k"),
        ("plain TF-IDF cosine (scikit-learn, sublinear tf)", "plain"),
    ):
        table.append(f"| {label} | {results['dev'][key]:.4f} | {results['held-out'][key]:.4f} |")
    print("\n".join(table))
    report = [
        "# Related stories: quality on BBC News",
        "",
        "Produced by `bench/related_quality.py`. Data: BBC News (Greene & Cunningham 2006),",
        f"{len(rows)} articles after dropping exact duplicate bodies (first copy kept);",
        "label = section (business, entertainment, politics, sport, tech).",
        "",
        f"Split: a fixed {DEV_PERCENT}% dev part (`sha1(doc_id)` mod 100 < {DEV_PERCENT}) and",
        "the remaining held-out part. Every engine parameter was chosen by looking at dev",
        "only; held-out numbers were not used for any choice. Each part is indexed on its own",
        "with the same code the site uses (`evaluate_jsonl`, labels hidden from the engine),",
        "so the related stories of a held-out story come from the held-out part only.",
        "",
        f"precision@{k}: the share of each story's {k} related stories carrying its label,",
        "averaged over stories; an empty slot counts as a miss.",
        "",
        *table,
        "",
        "95% bootstrap intervals (resampling stories) of our precision: "
        + ", ".join(
            f"{name} {results[name]['interval'][0]:.4f}-{results[name]['interval'][1]:.4f}"
            for name in ("dev", "held-out")
        )
        + ".",
        "",
        f"Time for `evaluate_jsonl` (engine + baseline): dev {seconds['dev']:.1f} s, "
        f"held-out {seconds['held-out']:.1f} s.",
    ]
    report += ["", NOTES]
    if sweep:
        report += ["", "## Dev-only sweep (one change from the defaults at a time)", ""]
        report += ["| change | dev P@5 |", "|---|---|"]
        report += [f"| {opts or 'defaults'} | {p:.4f} |" for opts, p in sweep]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
