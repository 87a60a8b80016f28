"""Checks on the real data in ../shared/data (skipped, with a reason, where it is absent)."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import datetime
from pathlib import Path

from conftest import skip_or_fail
from masthead.related.engine import Document, RelatedIndex, evaluate_jsonl

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
BBC = DATA / "bbc-news" / "bbc_news.csv"
WIKINEWS = DATA / "wikinews" / "wikinews_2004_2005_articles.jsonl"


def need(path: Path) -> None:
    if not path.exists():
        skip_or_fail(f"shared data not found at {path.resolve()} (needs ../shared/data)")


def test_bbc_dev_part_beats_the_baseline(tmp_path):
    """The 40% dev part of BBC News (duplicate bodies dropped), as in the benchmark."""
    need(BBC)
    with BBC.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen, path = set(), tmp_path / "dev.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            digest = hashlib.sha1(row["doc_id"].encode(), usedforsecurity=False).hexdigest()
            if row["body"] in seen or int(digest[:8], 16) % 100 >= 40:
                seen.add(row["body"])
                continue
            seen.add(row["body"])
            record = {"title": row["title"], "body": row["body"], "label": row["category"]}
            out.write(json.dumps(record) + "\n")
    result = evaluate_jsonl(path, k=5)
    assert result["n"] == 858
    assert result["precision_at_k"] >= 0.955
    assert result["precision_at_k"] > result["baseline_precision_at_k"] + 0.05


def test_wikinews_neighbours_share_categories_more_than_chance():
    need(WIKINEWS)
    rows = [json.loads(line) for line in WIKINEWS.read_text(encoding="utf-8").splitlines()]
    docs = [
        Document(
            id=r["id"],
            title=r["title"],
            body=r["body"],
            published_at=datetime.fromisoformat(r["date"]),
        )
        for r in rows
    ]
    categories = {r["id"]: {c.strip() for c in r["categories"].split(";")} for r in rows}
    index = RelatedIndex().build(docs)
    shared = [
        bool(categories[d.id] & categories[m.doc_id]) for d in docs for m in index.related(d.id, 1)
    ]
    assert len(shared) == len(docs)
    assert sum(shared) / len(shared) >= 0.5  # a random other article: about 0.37
