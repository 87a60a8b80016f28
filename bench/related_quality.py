"""Related-stories quality on BBC News: precision@5, ours vs YARPP-style vs plain TF-IDF.

    .venv/bin/python bench/related_quality.py [--k 5] [--tune]

The BBC News set (../shared/data/bbc-news/bbc_news.csv, five sections) with exact duplicate
bodies dropped (the first copy kept) is split once and for all by a hash of ``doc_id``:
40% "dev" (where every parameter was chosen) and 60% "held-out" (reported, never tuned
on). Two protocols, with the same parameters:

A. "Each part on its own": each part is written to a temporary JSON-lines file (label =
   section) and measured with ``evaluate_jsonl``, the code behind ``masthead related
   eval``, so a held-out story's related stories come from the held-out part only.
B. "One index of all stories" (as the site works, and as the issue's reference figure
   was measured): all stories are indexed together (labels hidden), every story's k
   related stories may come from either part, and precision@k is averaged over the
   held-out stories' queries, over the dev stories' queries, and over all.

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

from masthead.related.engine import (  # noqa: E402
    Document,
    RelatedIndex,
    YarppIndex,
    evaluate_jsonl,
)
from masthead.related.engine.evaluation import load_jsonl  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "bbc-news" / "bbc_news.csv"
RESULTS = ROOT / "bench" / "results" / "related_quality.md"
DEV_PERCENT = 40

NOTES = """\
## Notes

* Which figure the issue's target is about: the issue quotes plain TF-IDF at 0.934 "there",
  which is plain TF-IDF with every de-duplicated story in one index (protocol B, all
  queries: see its table), and asks to choose parameters on part of the data and report
  the rest. So the target (>= 0.96, above the baseline) is protocol B's held-out column.
  Protocol A, where each part is indexed on its own, is harder: every story has 40% or
  60% of the neighbours it has in one index. (Our plain TF-IDF over all queries reads
  0.932, not 0.934: tokenisation and stop-words differ a little from the issue's.)
* History, for honesty about the split: held-out was first measured once the engine's
  parameters were settled on dev (0.9549 under protocol A). After that, only the diffusion
  map's solver changed, for speed at 100,000 stories (block power iteration, 20 steps,
  checked on dev: 0.9629 -> 0.9627); held-out then read 0.9553. Protocol B was added later
  with the same parameters, untouched: no choice was made by looking at held-out, under
  either protocol. Wiring the engine into the site changed only the one-story path (which
  kept lists a new story enters) and the order of tied shared terms; builds, and so every
  figure here, are unchanged (re-measured after those changes).
* What moved dev most (see the sweep): the diffusion-map "beat" blend (0.925 without it),
  word-pair features (0.957 without), the graph's neighbour count and diffusion time.
* Later change: the diffusion map's density normalisation (Coifman & Lafon's alpha,
  `diffusion_alpha`), 0 -> 0.25. Decided on dev only with `bench/related_dev.py`, which
  prints protocol A dev and protocol B dev-query precision, each over two halves of dev,
  with paired bootstrap intervals. Against alpha = 0: A dev 0.9627 -> 0.9641 (+0.0014,
  halves +0.0022 / +0.0005), B dev queries 0.9643 -> 0.9660 (+0.0016, halves +0.0018 /
  +0.0015); positive in both protocols and both halves for three seeds of the eigensolver
  (seed-to-seed noise about 0.0007). Larger alpha traded protocol A for B (alpha 0.5: A
  -0.0012, B +0.0035; alpha 1: A -0.004, B +0.008), so 0.25, the largest value that helped
  both, was taken. Tried on dev and not kept (noise or worse in one protocol): shared-
  nearest-neighbour and second-order graph similarity, Rocchio expansion from the top
  neighbours, an LSA (truncated SVD) cosine blended in, hubness correction (CSLS), a graph
  from the blended scores, a mutual-neighbour graph, dropping the trivial eigenvector,
  amount/percentage features, extra weight on the first paragraph, 100 candidates.
  Held-out was measured once, with this report, after that decision: protocol B
  held-out 0.9579 -> 0.9583, protocol A held-out 0.9553 -> 0.9551. The dev gain did not
  carry over beyond noise, and the target is still not met; nothing was changed after
  that measurement.
* Later research, on dev only with `bench/related_dev.py` (held-out not measured; nothing
  changed): of the 858 dev queries (protocol B), 60 have a wrong-section story in their
  top 5. They are mostly cross-section stories (business stories about tech firms,
  economy stories politics and business share, the Glazer / Man Utd takeover) and stories
  between beats: over the fifth of dev queries least inside a beat (coherence, below),
  precision is 0.87 (A) / 0.89 (B), against 0.956-1.000 for the other fifths; story length
  makes no such difference. Tried and not kept: z-scored fusion of cosine and beat (A
  -0.009), reciprocal-rank fusion with the beat or the cosine ranking, map dimension 16,
  24, 48 or 64 (24: B +0.0012 to +0.0035, A -0.0002 to +0.0009 over three seeds), several
  diffusion times at once, smoothing the query's place on the map towards its top
  stories, a common-word cosine, locally scaled or reshaped graph weights (they trade A
  for B, like a larger alpha), a blend weight set by the query's coherence, an exact
  eigensolver (within 0.001), and keeping re-posts of one another out of one list (B
  -0.0002). That last one is now done by the site (not the engine these figures measure):
  62 such pairs shared dev lists, so a reader would have seen one text twice. A coherence
  bonus (0.05 times each candidate's mean map cosine with its 10 nearest graph neighbours;
  tried on a branch, not merged) was positive in both protocols and both halves for four
  solver seeds (A +0.0005 to +0.0016, B +0.0016 to +0.0023; the interval excludes zero
  only for seed 2's A and seed 0's B), but it was the best of 12 settings, is gone at
  P@10 (B +0.0000, A +0.0009 with one half negative), and read list by list it swaps
  closer stories for more typical ones of the beat; left off.
* Sentence embeddings (the route the issue allows as an optional extra), on dev only
  (held-out not measured; nothing changed): all-MiniLM-L6-v2, from a PyPI package that
  carries its weights (sentence-transformers and PyTorch on the CPU), over the headline and
  the body's first 256 word pieces, or averaged over 150-word pieces of the whole body.
  On their own as a cosine over all stories they read 0.933 / 0.938 (protocol B, dev
  queries), no better than plain TF-IDF. Added as a third term of the score (weight 0.05
  to 0.4 beside the cosine and the beat) they trade protocol A for B like a larger alpha
  (weight 0.1: A -0.0030, B +0.0026; 0.05: A -0.0005 to -0.0012, B +0.0019 to +0.0021),
  and mixed into the beat's graph they lose up to 0.009 in A. Encoding ran at 21 stories
  a second on this machine (100,000 stories: over an hour, against the 5-minute rebuild
  target), for at most a share of a point in one protocol; not added.
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
    {"diffusion_alpha": 0.0},
    {"diffusion_alpha": 0.5},
    {"graph_k": 10},
    {"graph_k": 30},
    {"idf_power": 1.0},
    {"title_weight": 1.0},
    {"entity_weight": 0.0},
]


METHODS_A = (
    ("Masthead engine (ours)", "precision_at_k"),
    ("YARPP-style baseline (default weights, threshold 4)", "baseline_precision_at_k"),
    ("plain TF-IDF cosine (scikit-learn, sublinear tf)", "plain"),
)
METHODS_B = (
    ("Masthead engine (ours)", "ours"),
    ("YARPP-style baseline (default weights, threshold 4)", "baseline"),
    ("plain TF-IDF cosine (scikit-learn, sublinear tf)", "plain"),
)


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
    return float(plain_tfidf_hits(rows, k).mean())


def plain_tfidf_hits(rows: list[dict[str, str]], k: int) -> np.ndarray:
    """Per story: the share of its k nearest (plain TF-IDF cosine) with its label."""
    texts = [row["title"] + "\n" + row["body"] for row in rows]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    sims = (x @ x.T).toarray()
    np.fill_diagonal(sims, -np.inf)
    top = np.argsort(-sims, axis=1)[:, :k]
    labels = np.array([row["category"] for row in rows])
    return (labels[top] == labels[:, None]).mean(axis=1)


def hits(lists, labels: list[str], k: int) -> np.ndarray:
    """Per story: the share of its k slots holding a story with its label (empty = miss)."""
    return np.array(
        [
            sum(labels[m.doc_id] == labels[i] for m in matches[:k]) / k
            for i, matches in enumerate(lists)
        ]
    )


def bootstrap(per_story: np.ndarray, rounds: int = 2000) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    n = len(per_story)
    means = [per_story[rng.integers(0, n, n)].mean() for _ in range(rounds)]
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def whole_collection(rows: list[dict[str, str]], k: int) -> dict[str, dict]:
    """Protocol B: one index of every story; precision averaged over each part's queries."""
    docs = [Document(id=i, title=row["title"], body=row["body"]) for i, row in enumerate(rows)]
    labels = [row["category"] for row in rows]
    started = time.perf_counter()
    index = RelatedIndex().build(docs)
    ours = hits([index.related(d.id, k) for d in docs], labels, k)
    seconds = time.perf_counter() - started
    yarpp = hits(YarppIndex().build(docs).related_rows(np.arange(len(docs)), k), labels, k)
    plain = plain_tfidf_hits(rows, k)
    dev = np.array([is_dev(row["doc_id"]) for row in rows])
    masks = {"held-out": ~dev, "dev": dev, "all": np.ones(len(rows), dtype=bool)}
    out: dict[str, dict] = {}
    for name, mask in masks.items():
        out[name] = {
            "n": int(mask.sum()),
            "ours": float(ours[mask].mean()),
            "baseline": float(yarpp[mask].mean()),
            "plain": float(plain[mask].mean()),
            "interval": bootstrap(ours[mask]),
        }
    out["seconds"] = {"engine": seconds}
    return out


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
    whole = whole_collection(rows, args.k)
    k = args.k
    table_a = [
        f"| method | dev P@{k} (n={results['dev']['n']}) "
        f"| held-out P@{k} (n={results['held-out']['n']}) |",
        "|---|---|---|",
    ]
    for label, key in METHODS_A:
        table_a.append(f"| {label} | {results['dev'][key]:.4f} | {results['held-out'][key]:.4f} |")
    parts = ("held-out", "dev", "all")
    table_b = [
        "| method | " + " | ".join(f"{p} queries P@{k} (n={whole[p]['n']})" for p in parts) + " |",
        "|---|---|---|---|",
    ]
    for label, key in METHODS_B:
        table_b.append(f"| {label} | " + " | ".join(f"{whole[p][key]:.4f}" for p in parts) + " |")
    print("\n".join([*table_a, "", *table_b]))
    held_b = whole["held-out"]
    verdict = "met" if held_b["ours"] >= 0.96 else "not met"
    report = [
        "# Related stories: quality on BBC News",
        "",
        "Produced by `bench/related_quality.py`. Data: BBC News (Greene & Cunningham 2006),",
        f"{len(rows)} articles after dropping exact duplicate bodies (first copy kept);",
        "label = section (business, entertainment, politics, sport, tech).",
        "",
        f"Split: a fixed {DEV_PERCENT}% dev part (`sha1(doc_id)` mod 100 < {DEV_PERCENT}) and",
        "the remaining held-out part. Every engine parameter was chosen by looking at dev",
        "only; held-out numbers were not used for any choice. The same parameters serve both",
        "protocols below; labels are always hidden from the engine.",
        "",
        f"precision@{k}: the share of each story's {k} related stories carrying its label,",
        "averaged over stories; an empty slot counts as a miss.",
        "",
        "**Target** (issue 5: >= 0.96 on the stories not used for tuning, above the baseline;",
        f"protocol B, held-out queries): {held_b['ours']:.4f}, 95% interval "
        f"{held_b['interval'][0]:.4f}-{held_b['interval'][1]:.4f} — {verdict}; above the "
        f"baseline ({held_b['baseline']:.4f}) and plain TF-IDF ({held_b['plain']:.4f}): yes.",
        "",
        "## Protocol A: each part indexed on its own",
        "",
        "Each part is written to a JSON-lines file and measured with `evaluate_jsonl`, the",
        "code behind `masthead related eval` (the same indexing code the site uses), so the",
        "related stories of a held-out story come from the held-out part only.",
        "",
        *table_a,
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
        "",
        "## Protocol B: one index of all stories",
        "",
        f"All {len(rows)} stories are indexed together (as on the site, and as the issue's",
        "plain TF-IDF figure of 0.934 was measured); each story's related stories may come",
        "from either part. Precision is averaged over the held-out stories' queries (the",
        "figure to judge), over the dev stories' queries, and over all; the YARPP-style",
        "baseline and plain TF-IDF are measured the same way.",
        "",
        *table_b,
        "",
        "95% bootstrap intervals of our precision: "
        + ", ".join(
            f"{p} {whole[p]['interval'][0]:.4f}-{whole[p]['interval'][1]:.4f}" for p in parts
        )
        + f". Engine time (index + every story's list): {whole['seconds']['engine']:.1f} s.",
    ]
    report += ["", NOTES]
    if sweep:
        report += ["", "## Dev-only sweep (one change from the defaults at a time)", ""]
        report += ["Protocol A, dev part.", ""]
        report += ["| change | dev P@5 |", "|---|---|"]
        report += [f"| {opts or 'defaults'} | {p:.4f} |" for opts, p in sweep]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(report) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
