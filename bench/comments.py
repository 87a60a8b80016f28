"""Comments: posting (every check included) and an article page with 500 comments, on SQLite.

Targets: posting p50 < 15 ms; the 500-comment page p50 < 50 ms, uncached, with the same
number of queries as a page with 5 comments.

Run: python -m bench.comments [--posts 500] [--requests 300]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter

from bench.common import machine, percentiles, setup_django, time_calls, write_result

WARM_UP = 30

WORDS = ["harbour", "ferry", "council", "tide", "wall", "budget", "storm", "market", "river"]

# What readers write under a story about the new harbour wall: each posted comment is one
# opening, one point and one closing line, so that no two of the first 640 are the same
# text and the spam filter sees ordinary comments (posts it discards skip the write).
OPENINGS = [
    "I was at the council meeting on Tuesday and",
    "Living on the harbour road, I can tell you",
    "My grandfather helped build the old wall, and",
    "As someone who takes the ferry every morning,",
    "I read the planning papers last week and",
    "Speaking as a trader on the market side,",
    "We moved here after the 2019 floods, so",
    "Having sat on the harbour committee for years,",
]
POINTS = [
    "the levy seems fair if the money stays in the town",
    "nobody has said who pays for the upkeep once it is built",
    "the work should have started before last winter's storms",
    "the traders on the quay deserve a say in the timetable",
    "the tide gates matter more than the height of the wall",
    "the footpath along the top would be a real gain for walkers",
    "the cost has doubled since the first estimate",
    "the fishing boats need access during the works",
    "the river end floods first and should be built first",
    "the old stones should be reused where they can be",
]
CLOSINGS = [
    "Will there be another public meeting?",
    "Thanks for covering it properly.",
    "Let's hope the new gates work better than the last ones.",
    "I would like to see the full budget published.",
    "Good to finally see some progress.",
    "Could you follow up on the timetable?",
    "The council should answer these questions.",
    "Looking forward to walking along it.",
]


# The story they comment on (the spam filter weighs how related a comment is to it).
STORY = (
    "<p>Work on the new harbour wall will start in spring, the town council said on Tuesday, "
    "after councillors approved a levy on harbour-front businesses to pay for it.</p>"
    "<p>The wall, with new tide gates at the river end, is meant to protect the quay and the "
    "market from winter storms like those that flooded both in 2019. The budget has risen "
    "since the first estimate; the levy will raise a fifth of the money, the county the "
    "rest.</p><p>Traders and the fishing fleet asked for access to be kept open during the "
    "works. A public meeting on the timetable will be held next month.</p>"
)


def reader_comment(i: int) -> str:
    opening = OPENINGS[i % len(OPENINGS)]
    point = POINTS[(i // len(OPENINGS)) % len(POINTS)]
    closing = CLOSINGS[(i // (len(OPENINGS) * len(POINTS))) % len(CLOSINGS)]
    return f"{opening} {point}.\n\n{closing}"


def sentence(rng: random.Random, words: int = 30) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def bench_posting(client, article, n: int) -> dict[str, float]:
    url = f"/comments/post/{article.pk}/"
    counter = iter(range(10**9))
    from masthead.discussion.tokens import form_token

    # The form's signed timestamp, as a reader who read the story for a minute sends it.
    issued = form_token(article.pk, issued_at=time.time() - 60)

    def one():
        i = next(counter)
        client.cookies.clear()  # a new reader each time: no cookies from the posts before
        response = client.post(
            url,
            {
                "body": reader_comment(i),
                "author_name": f"Reader {i}",
                "author_email": f"reader{i}@example.net",
                "author_url": "https://example.org/me" if i % 4 == 0 else "",
                "issued": issued,
            },
            REMOTE_ADDR=f"2001:db8::{i:x}",  # a reader each: flood control is on, as live
            HTTP_USER_AGENT="Mozilla/5.0 (bench)",
        )
        assert response.status_code == 302, response.content[:300]

    for _ in range(WARM_UP):
        one()
    return percentiles(time_calls(one, n))


def populate_thread(article, total: int, *, seed: int = 5) -> None:
    from django.utils import timezone

    from masthead.discussion.models import Comment
    from masthead.discussion.text import render_body

    rng = random.Random(seed)
    start = timezone.now() - timezone.timedelta(days=1)
    made: list[Comment] = []
    for i in range(total):
        parent = rng.choice(made) if made and rng.random() < 0.6 else None
        if parent is not None and parent.depth >= 5:
            parent = None
        body = "\n\n".join(sentence(rng, rng.randint(10, 60)) for _ in range(rng.randint(1, 3)))
        comment = Comment(
            article=article,
            parent=parent,
            depth=parent.depth + 1 if parent else 1,
            author_name=f"Commenter {i}",
            author_email=f"c{i}@example.net",
            author_url="https://example.org/c" if i % 3 == 0 else "",
            body=body,
            body_html=render_body(body),
            status=Comment.Status.APPROVED,
            created_at=start + timezone.timedelta(seconds=60 * i),
        )
        Comment.objects.bulk_create([comment])
        made.append(comment)


def bench_page(client, url: str, n: int) -> tuple[dict[str, float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one():
        response = client.get(url)
        assert response.status_code == 200

    for _ in range(20):
        one()
    samples = time_calls(one, n)
    with CaptureQueriesContext(connection) as queries:
        one()
    return percentiles(samples), len(queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)

    os.environ["PAGE_CACHE_SECONDS"] = "0"  # uncached: every page is rendered
    setup_django()
    from django.test import Client

    from masthead.discussion.models import Comment, DiscussionSettings
    from masthead.newsroom.tests.factories import make_article

    client = Client()
    posted_to = make_article(headline="Harbour wall: work to start in spring", body=STORY)
    posting = bench_posting(client, posted_to, args.posts)
    # What became of the posts (warm-up included): a post the spam filter discards or a
    # guard refuses skips the write, so the figure is only about stored comments if all are.
    outcome = Counter(Comment.objects.filter(article=posted_to).values_list("status", flat=True))
    stored = sum(outcome.values())
    outcome_text = ", ".join(f"{n:,} {status}" for status, n in sorted(outcome.items()))
    if stored != args.posts + WARM_UP:
        raise SystemExit(f"Only {stored} of {args.posts + WARM_UP} posts were stored.")

    config = DiscussionSettings.load()
    small, big = make_article(headline="Five comments"), make_article(headline="500 comments")
    populate_thread(small, 5)
    populate_thread(big, 500)
    rows = []
    for per_page, label in [(0, "all 500 on one page"), (50, "50 threads a page (default)")]:
        config.per_page = per_page
        config.save()
        stats, queries = bench_page(client, big.get_absolute_url(), args.requests)
        _, small_queries = bench_page(client, small.get_absolute_url(), 5)
        rows.append((label, stats, queries, small_queries))

    post_target = "met" if posting["p50"] < 15 else "NOT met"
    page_target = "met" if all(r[1]["p50"] < 50 and r[2] == r[3] for r in rows) else "NOT met"
    table = "\n".join(
        f"| article page, 500 comments, {label} | {s['p50']:.2f} ms | {s['p99']:.2f} ms "
        f"| {s['mean']:.2f} ms | {q} (5 comments: {sq}) |"
        for label, s, q, sq in rows
    )
    post_row = (
        f"| post a comment | {posting['p50']:.2f} ms | {posting['p99']:.2f} ms "
        f"| {posting['mean']:.2f} ms | — |"
    )
    write_result(
        "comments",
        f"""## Comments, SQLite

Posting: {args.posts:,} comments through the full Django stack (Django's test client, a
file SQLite database in WAL mode): form validation and its signed timestamp, every guard
(honeypot, parent and depth, words, links; then, in the short write transaction, duplicates
and flood control per IP and per email), the spam filter, the insert, the look-up of
subscribers to notify and the page-cache purge. Each post comes from its own IP and email,
and is an ordinary reader's comment (no two alike); every one was stored ({outcome_text}).
Pages: {args.requests:,} uncached requests for a story with 500 approved comments (threads
up to 5 deep), page cache off. Machine: {machine()}.

| measurement | p50 | p99 | mean | queries |
|---|---:|---:|---:|---:|
{post_row}
{table}

Targets: posting p50 < 15 ms: **{post_target}**; 500-comment page p50 < 50 ms with the
same number of queries as a 5-comment page: **{page_target}**.
""",
    )


if __name__ == "__main__":
    main()
