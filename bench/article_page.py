"""Uncached article-page render time with 10,000 stories on SQLite (target: p50 < 20 ms).

Run: python -m bench.article_page [--articles 10000] [--requests 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import time

from bench.common import machine, percentiles, setup_django, time_calls, write_result

WORDS = [
    "harbour",
    "council",
    "flood",
    "barrier",
    "budget",
    "levy",
    "port",
    "ferry",
    "terminal",
    "festival",
    "season",
    "club",
    "minister",
    "talks",
    "trade",
    "fishing",
    "quota",
    "weather",
    "heat",
    "storm",
    "school",
    "hospital",
    "housing",
    "road",
    "rail",
    "station",
    "market",
    "auction",
    "start-up",
    "sensor",
    "river",
    "tide",
    "wall",
    "museum",
    "library",
    "mayor",
]


def paragraph(rng: random.Random, words: int = 70) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"<p>{text.capitalize()}.</p>"


def populate(n: int, *, seed: int = 7) -> list[str]:
    from django.db import transaction
    from django.utils import timezone

    from masthead.core.html import html_to_text
    from masthead.newsroom.models import Article, Author, Byline, Section, Tag
    from masthead.newsroom.reading_time import measure_text, reading_minutes

    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        sections = [
            Section.objects.create(name=f"Section {i}", slug=f"section-{i}") for i in range(8)
        ]
        authors = [Author.objects.create(name=f"Writer {i}", slug=f"writer-{i}") for i in range(50)]
        tags = [Tag.objects.create(name=f"Topic {i}", slug=f"topic-{i}") for i in range(200)]
        batch = []
        for i in range(n):
            body = "".join(paragraph(rng) for _ in range(rng.randint(4, 12)))
            text = html_to_text(body)
            batch.append(
                Article(
                    headline=f"Story {i}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
                    slug=f"story-{i}",
                    standfirst=" ".join(rng.choice(WORDS) for _ in range(25)),
                    body=body,
                    body_text=text,
                    word_count=measure_text(text).word_equivalents,
                    reading_minutes=reading_minutes(text),
                    section=sections[i % len(sections)],
                    status=Article.Status.PUBLISHED,
                    published_at=now - timezone.timedelta(minutes=17 * i + 1),
                )
            )
        Article.objects.bulk_create(batch, batch_size=500)
        articles = list(Article.objects.only("id"))
        Byline.objects.bulk_create(
            [Byline(article=a, author=rng.choice(authors), position=0) for a in articles],
            batch_size=1000,
        )
        through = Article.tags.through
        through.objects.bulk_create(
            [through(article_id=a.id, tag_id=t.id) for a in articles for t in rng.sample(tags, 3)],
            batch_size=2000,
        )
    return [
        a.get_absolute_url() for a in Article.objects.only("slug", "published_at", "created_at")
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    args = parser.parse_args(argv)

    os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every request renders the page
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    urls = populate(args.articles)
    populated = time.perf_counter() - started
    client = Client()
    rng = random.Random(11)
    for url in rng.sample(urls, 50):  # warm up: imports, template loading, navigation cache
        assert client.get(url).status_code == 200

    def one():
        response = client.get(rng.choice(urls))
        assert response.status_code == 200

    samples = time_calls(one, args.requests)
    with CaptureQueriesContext(connection) as queries:
        one()
    stats = percentiles(samples)
    target = "met" if stats["p50"] < 20 else "NOT met"
    write_result(
        "article_page",
        f"""## Article page, uncached, SQLite

{args.articles:,} published stories ({populated:.0f} s to create); {args.requests:,} requests
for random stories through the full Django stack (middleware, templates), no page cache.
Machine: {machine()}.

| p50 | p99 | mean | queries per page |
|---:|---:|---:|---:|
| {stats["p50"]:.2f} ms | {stats["p99"]:.2f} ms | {stats["mean"]:.2f} ms | {len(queries)} |

Target p50 < 20 ms: **{target}**.
""",
    )


if __name__ == "__main__":
    main()
