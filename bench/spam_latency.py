"""Single-comment scoring latency and memory footprint of the shipped spam model.

Loads ``masthead/antispam/data/default.mhspam``, then times ``SpamModel.score()`` in-process
on every comment of the YouTube Spam Collection (plus long synthetic comments, the worst
case), several rounds after a warm-up. Prints p50/p90/p99/max, and the model's memory.

Run: ``.venv/bin/python bench/spam_latency.py``. Writes bench/results/spam_latency.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from masthead.antispam.model import SpamModel  # noqa: E402
from masthead.antispam.samples import CommentSample, read_csv  # noqa: E402

MODEL = ROOT / "masthead" / "antispam" / "data" / "default.mhspam"
YOUTUBE = ROOT.parent / "shared" / "data" / "youtube-spam"
OUT = ROOT / "bench" / "results" / "spam_latency.md"
ARTICLE = "City council approves new cycle lanes on the high street. " * 40


def comments() -> tuple[list[CommentSample], list[CommentSample]]:
    """Real comments (the YouTube collection, if present) and long synthetic ones."""
    samples: list[CommentSample] = []
    if YOUTUBE.is_dir():
        samples, _ = read_csv(sorted(YOUTUBE.glob("*.csv")))
    else:
        samples = [CommentSample(f"comment number {i}, nice article!") for i in range(500)]
    filler = "Check out my channel http://promo.example.biz and subscribe please!! " * 30
    long = [
        CommentSample(comment_content=filler[:2000], comment_author="Promo Music TV",
                      comment_author_url="http://bit.ly/x", user_agent="curl/8.0",
                      article_text=ARTICLE, permalink="https://news.example/a/1"),
        CommentSample(comment_content=("A long, thoughtful reply about the lanes. " * 100)[:4000],
                      article_text=ARTICLE),
    ] * 50  # fmt: skip
    return samples, long


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    gc.collect()
    load_average = os.getloadavg()[0]
    tracemalloc.start()
    started = time.perf_counter()
    model = SpamModel.load(args.model)
    load_ms = (time.perf_counter() - started) * 1000
    _, peak = tracemalloc.get_traced_memory()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    real, long = comments()
    for sample in real[:200] + long:  # warm-up: imports, regex compilation, caches
        model.score(sample)
    rows = []
    for name, samples in (("YouTube comments", real), ("long comments (2-4k chars)", long)):
        timings = np.zeros((args.rounds, len(samples)))
        cpu = np.zeros((args.rounds, len(samples)))
        for round_ in range(args.rounds):
            for i, sample in enumerate(samples):
                c0 = time.thread_time_ns()
                t0 = time.perf_counter_ns()
                model.score(sample)
                timings[round_, i] = time.perf_counter_ns() - t0
                cpu[round_, i] = time.thread_time_ns() - c0
        ms = timings.ravel() / 1e6
        best = timings.min(axis=0) / 1e6  # per comment: the run least disturbed by others
        p50, p90, p99 = np.percentile(ms, [50, 90, 99])
        rows.append(
            f"| {name} | {len(ms)} | {p50:.3f} ms | {p90:.3f} ms | **{p99:.3f} ms** "
            f"| {ms.max():.2f} ms | {np.percentile(best, 99):.3f} ms "
            f"| {np.percentile(cpu, 99) / 1e6:.3f} ms |"
        )
    # Control: a fixed pure-Python loop of about the same median cost, timed the same way.
    # Its tail is the machine's (other processes, scheduler), not the model's.
    control = np.zeros((args.rounds, len(real)))
    control_cpu = np.zeros((args.rounds, len(real)))
    for round_ in range(args.rounds):
        for i in range(len(real)):
            c0 = time.thread_time_ns()
            t0 = time.perf_counter_ns()
            sum(range(8000))
            control[round_, i] = time.perf_counter_ns() - t0
            control_cpu[round_, i] = time.thread_time_ns() - c0
    c_ms = control.ravel() / 1e6
    c50, c90, c99 = np.percentile(c_ms, [50, 90, 99])
    rows.append(
        f"| control: `sum(range(8000))` | {len(c_ms)} | {c50:.3f} ms | {c90:.3f} ms "
        f"| **{c99:.3f} ms** | {c_ms.max():.2f} ms "
        f"| {np.percentile(control.min(axis=0) / 1e6, 99):.3f} ms "
        f"| {np.percentile(control_cpu, 99) / 1e6:.3f} ms |"
    )
    # Kept decisions: float32 values and int32 columns per non-zero, int32 row pointers,
    # an int8 label and two float64 margins per row.
    full_bytes = (
        model.memory_bytes()
        + model.max_feedback_nnz * 8
        + (model.max_feedback + 1) * 4
        + model.max_feedback * 17
    )
    lines = [
        "# Spam model: single-comment latency and memory",
        "",
        f"Model `{args.model.name}` version {model.version}, "
        f"{2**model.config.n_bits:,} hashed features; "
        f"file {os.path.getsize(args.model) / 1024:.0f} KiB.",
        f"`score()` in-process, each comment {args.rounds} times after a warm-up. "
        "Machine: 2 cores shared with other work (load average "
        f"{load_average:.1f} at the start), so the tail includes other processes' noise; the "
        "last column takes each comment's fastest run, which filters most of it out. The "
        "control row times a fixed loop the same way: a tail it shares is the machine's. "
        "The last column is the calling thread's CPU time (time spent descheduled excluded).",
        "",
        "| comments | calls | p50 | p90 | p99 | max | p99 of each comment's best run "
        "| p99 of CPU time per call |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Memory: model arrays {model.memory_bytes() / 2**20:.1f} MiB "
        f"(`SpamModel.memory_bytes()`); allocated while loading: {held / 2**20:.1f} MiB held, "
        f"{peak / 2**20:.1f} MiB peak; load time {load_ms:.0f} ms.",
        f"With the most decisions `update()` keeps ({model.max_feedback:,} rows, at most "
        f"{model.max_feedback_nnz:,} non-zero features), the arrays stay under "
        f"{full_bytes / 2**20:.1f} MiB.",
        "Targets: p99 under 2 ms, model in memory under 50 MB.",
        "",
    ]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
