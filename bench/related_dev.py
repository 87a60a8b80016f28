"""Related-stories quality on the dev part of BBC News only: the figures to decide by.

    .venv/bin/python bench/related_dev.py [--k 5] [--options JSON ...] [--against JSON]

Never reads a held-out story's precision. For each engine configuration (``--options``,
a JSON object of ``RelatedIndex`` keyword arguments; ``{}`` is the defaults) it prints:

* protocol A: dev stories indexed on their own, precision@k over dev queries;
* protocol B: every story indexed together (labels hidden), precision@k over dev queries
  only (a dev story's list may hold held-out stories, whose label decides the hit: the
  only way held-out labels enter, as in the main bench's dev column);
* each figure also over the two halves of the dev queries (a second hash of ``doc_id``),
  so a change that helps one half and hurts the other shows as noise;
* with ``--against``, the paired difference from that configuration, with a 95%
  bootstrap interval over dev queries.

The eigensolver's noise: repeat a comparison with another ``embedding_seed`` on both sides,
e.g. ``--options '{"diffusion_alpha": 0.5, "embedding_seed": 1}' --against
'{"embedding_seed": 1}'``.

Prints only; writes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.related_quality import hits, is_dev, load_bbc  # noqa: E402
from masthead.related.engine import Document, RelatedIndex  # noqa: E402


def dev_half(doc_id: str) -> int:
    """0 or 1: which half of dev a story falls in (independent of the dev split)."""
    digest = hashlib.sha1(doc_id.encode(), usedforsecurity=False).hexdigest()
    return int(digest[8:16], 16) % 2


def per_query(rows: list[dict[str, str]], options: dict, k: int) -> np.ndarray:
    docs = [Document(id=i, title=r["title"], body=r["body"]) for i, r in enumerate(rows)]
    labels = [r["category"] for r in rows]
    index = RelatedIndex(**options).build(docs)
    return hits([index.related(d.id, k) for d in docs], labels, k)


def paired_interval(diff: np.ndarray, rounds: int = 2000) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    means = [diff[rng.integers(0, len(diff), len(diff))].mean() for _ in range(rounds)]
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def measure(rows, dev_rows, dev_mask, options: dict, k: int) -> dict[str, np.ndarray]:
    return {
        "A": per_query(dev_rows, options, k),
        "B": per_query(rows, options, k)[dev_mask],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--options", action="append", default=None, type=json.loads)
    parser.add_argument("--against", type=json.loads, default=None)
    args = parser.parse_args()
    rows = load_bbc()
    dev_mask = np.array([is_dev(r["doc_id"]) for r in rows])
    dev_rows = [r for r, d in zip(rows, dev_mask, strict=True) if d]
    half = np.array([dev_half(r["doc_id"]) for r in dev_rows])
    reference = (
        measure(rows, dev_rows, dev_mask, args.against, args.k)
        if args.against is not None
        else None
    )
    for options in args.options or [{}]:
        started = time.perf_counter()
        got = measure(rows, dev_rows, dev_mask, options, args.k)
        line = [f"{json.dumps(options)}:"]
        for name, values in got.items():
            parts = [values.mean(), values[half == 0].mean(), values[half == 1].mean()]
            line.append(f"{name} {parts[0]:.4f} (halves {parts[1]:.4f} {parts[2]:.4f})")
            if reference is not None:
                diff = values - reference[name]
                low, high = paired_interval(diff)
                line.append(
                    f"d{name} {diff.mean():+.4f} [{low:+.4f},{high:+.4f}] "
                    f"halves {diff[half == 0].mean():+.4f} {diff[half == 1].mean():+.4f}"
                )
        line.append(f"({time.perf_counter() - started:.0f} s)")
        print("  ".join(line), flush=True)


if __name__ == "__main__":
    main()
