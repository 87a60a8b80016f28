"""Scale on PostgreSQL: the article page and the home page with 1,000 stories (10,000
comments) versus 100,000 stories and 1,000,000 comments. Target: within 1.3× of the small
case (indexes, no N+1, nothing that grows with the archive on these pages).

Run: python -m bench.scale_pg [--small 1000] [--large 100000] [--comments-per-story 10]
Needs a PostgreSQL server: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
the benchmark creates and drops a database of its own there.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

from bench.article_page import WORDS, paragraph
from bench.common import machine, percentiles, setup_django, time_calls, write_result

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def scratch_database(server_url: str) -> tuple[str, callable]:
    import psycopg

    name = f"masthead_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}")), drop


def add_stories(start: int, count: int, *, comments_each: int, rng: random.Random) -> None:
    """Insert stories ``start`` … ``start + count`` with bylines, tags and comments, in batches."""
    from django.db import connection, transaction
    from django.utils import timezone

    from masthead.core.html import html_to_text
    from masthead.discussion.models import Comment
    from masthead.newsroom.models import Article, Author, Byline, Section, Tag
    from masthead.newsroom.reading_time import reading_minutes

    sections = list(Section.objects.all()) or [
        Section.objects.create(name=f"Section {i}", slug=f"section-{i}") for i in range(8)
    ]
    authors = list(Author.objects.all()) or [
        Author.objects.create(name=f"Writer {i}", slug=f"writer-{i}") for i in range(60)
    ]
    tags = list(Tag.objects.all()) or [
        Tag.objects.create(name=f"Topic {i}", slug=f"topic-{i}") for i in range(300)
    ]
    now = timezone.now()
    batch = 2000
    for first in range(start, start + count, batch):
        numbers = range(first, min(first + batch, start + count))
        with transaction.atomic():
            articles = []
            for i in numbers:
                body = "".join(paragraph(rng) for _ in range(rng.randint(4, 10)))
                text = html_to_text(body)
                articles.append(
                    Article(
                        headline=f"Story {i}: " + " ".join(rng.choice(WORDS) for _ in range(8)),
                        slug=f"story-{i}",
                        standfirst=" ".join(rng.choice(WORDS) for _ in range(20)),
                        body=body,
                        body_text=text,
                        word_count=len(text.split()),
                        reading_minutes=reading_minutes(text),
                        section=sections[i % len(sections)],
                        status=Article.Status.PUBLISHED,
                        # The archive grows backwards: the newest stories are the same in
                        # both cases, so the pages compared show the same stories.
                        published_at=now - timezone.timedelta(minutes=7 * i + 1),
                    )
                )
            Article.objects.bulk_create(articles)
            Byline.objects.bulk_create(
                [Byline(article=a, author=rng.choice(authors), position=0) for a in articles]
            )
            through = Article.tags.through
            through.objects.bulk_create(
                [
                    through(article_id=a.id, tag_id=t.id)
                    for a in articles
                    for t in rng.sample(tags, 3)
                ]
            )
            comments = []
            for article in articles:
                for n in range(comments_each):
                    text = f"Reader comment {n} on story {article.slug}: " + " ".join(
                        rng.choice(WORDS) for _ in range(25)
                    )
                    comments.append(
                        Comment(
                            article=article,
                            author_name=f"Reader {n}",
                            author_email=f"reader{n}@example.net",
                            body=text,
                            body_html=f"<p>{text}</p>",
                            status=Comment.Status.APPROVED,
                            created_at=article.published_at + timezone.timedelta(minutes=n + 1),
                        )
                    )
            Comment.objects.bulk_create(comments, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(requests: int, rng: random.Random) -> dict[str, dict]:
    from django.test import Client

    from masthead.newsroom.models import Article

    client = Client()
    # The stories readers open: among the 1,000 newest, which exist in both cases.
    urls = [
        a.get_absolute_url()
        for a in Article.objects.order_by("-published_at").only("slug", "published_at")[:1000]
    ]
    for url in rng.sample(urls, 30):
        client.get(url)
    client.get("/")

    def article():
        assert client.get(rng.choice(urls)).status_code == 200

    def home():
        assert client.get("/").status_code == 200

    return {
        "article": percentiles(time_calls(article, requests)),
        "home": percentiles(time_calls(home, requests)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--comments-per-story", type=int, default=10)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args(argv)
    server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER)
    database_url, drop = scratch_database(server)
    try:
        os.environ["PAGE_CACHE_SECONDS"] = "0"
        setup_django(database_url=database_url)
        rng = random.Random(3)
        started = time.perf_counter()
        add_stories(0, args.small, comments_each=args.comments_per_story, rng=rng)
        small = measure(args.requests, random.Random(5))
        add_stories(
            args.small,
            args.large - args.small,
            comments_each=args.comments_per_story,
            rng=rng,
        )
        filled = time.perf_counter() - started
        large = measure(args.requests, random.Random(5))
    finally:
        drop()
    rows = []
    for page in ("article", "home"):
        ratio = large[page]["p50"] / small[page]["p50"]
        rows.append(
            f"| {page} | {small[page]['p50']:.2f} ms | {large[page]['p50']:.2f} ms | "
            f"{large[page]['p99']:.2f} ms | {ratio:.2f}× | {'met' if ratio <= 1.3 else 'NOT met'} |"
        )
    comments_small = args.small * args.comments_per_story
    comments_large = args.large * args.comments_per_story
    write_result(
        "scale_pg",
        f"""## Scale on PostgreSQL

Uncached pages through the whole Django stack (page cache off), {args.requests} requests each,
p50 compared. Small: {args.small:,} stories and {comments_small:,} comments; large:
{args.large:,} stories and {comments_large:,} comments ({filled:.0f} s to create both).
Machine: {machine()}.

| page | small p50 | large p50 | large p99 | large / small | target ≤ 1.3× |
|---|---:|---:|---:|---:|---|
{chr(10).join(rows)}
""",
    )


if __name__ == "__main__":
    main()
