"""Related stories through the site, at scale (SQLite): full rebuild, one-story update,
page view. Targets on the 2-core machine: rebuild < 5 min, update < 200 ms, memory < 2 GB.

    .venv/bin/python -m bench.related_site [--n 100000] [--updates 30] [--requests 300]

1. ``n`` published articles are created (bulk, through the ORM) from the BBC News bodies
   the way ``bench/related_scale.py`` makes its stories (varied headlines, 2% re-posts),
   a third of them with a featured image;
2. ``masthead related rebuild`` runs in its own process, as an operator would run it:
   reading the stories from the database, indexing them, storing every list, saving the
   snapshot; its wall time and peak memory (and its forked workers') are reported;
3. this process then acts as the worker: its first task loads the snapshot ("restart"),
   then stories are published, edited and unpublished through the newsroom services,
   and the task each enqueues (``update_related``) is timed as the worker runs it;
4. article pages (with the inline links and the block) are requested through the whole
   Django stack, without the page cache.

Writes bench/results/related_site.md.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

from bench.common import machine, percentiles, setup_django, time_calls, write_result


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def populate(n: int) -> list[tuple[str, str, str]]:
    """``n`` live articles; returns (headline, body, section) of 3 * updates spare stories."""
    from django.db import transaction
    from django.utils import timezone

    from bench.related_scale import Generator
    from masthead.newsroom.models import Article, Image, Section

    gen = Generator()
    now = timezone.now()
    # The generator dates its stories over two years; end those two years now, so that a
    # new story competes with recent ones, as on a live site.
    shift = now - (gen.start + timedelta(days=2 * 365))
    with transaction.atomic():
        sections = {
            name: Section.objects.create(name=name.title(), slug=name) for name in gen.sections
        }
        images = [
            Image.objects.create(
                file=f"bench/picture-{i}.jpg",
                width=1600,
                height=900,
                alt_text=f"Picture {i}",
                renditions=[
                    {"width": w, "path": f"renditions/picture-{i}-{w}.jpg"} for w in (480, 800)
                ],
            )
            for i in range(30)
        ]
        batch = []
        for i in range(n):
            doc = gen.story(i)
            paragraphs = doc.body.split("\n\n")
            words = len(doc.body.split())
            batch.append(
                Article(
                    headline=doc.title[:250],
                    slug=f"story-{i}",
                    body="".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs),
                    body_text=doc.body,
                    word_count=words,
                    reading_minutes=max(1, round(words / 238)),
                    section=sections[doc.section],
                    featured_image=images[i % 30] if i % 3 == 0 else None,
                    status=Article.Status.PUBLISHED,
                    published_at=min(doc.published_at + shift, now),
                )
            )
            if len(batch) == 2000:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)
    spare = [gen.story(n + i) for i in range(300)]
    return [(d.title, d.body, d.section) for d in spare]


def rebuild_in_process() -> None:
    """``--phase rebuild``: what ``masthead related rebuild`` does, with its costs."""
    setup_django(workdir=Path(os.environ["MASTHEAD_VAR_DIR"]))
    from django.core.management import call_command

    from masthead.related import keeper

    started = time.perf_counter()
    call_command("related", "rebuild", "--no-progress")
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = keeper.snapshot_path().stat().st_size / 2**20
    print(json.dumps({"seconds": seconds, "peak_mib": own, "worker_peak_mib": kids, "snap": size}))


def one_story_updates(spare: list[tuple[str, str, str]], count: int) -> dict[str, list]:
    """Publish new stories, edit and unpublish existing ones; time each related task."""
    from masthead.newsroom import services
    from masthead.newsroom.models import Article, Section
    from masthead.related.tasks import update_related

    rng = random.Random(5)
    out: dict[str, list] = {"publish": [], "save": [], "edit": [], "unpublish": [], "sizes": []}

    def task(article_id: int, kind: str) -> None:
        started = time.perf_counter()
        report = update_related.call(article_id=article_id)
        out[kind].append((time.perf_counter() - started) * 1000)
        out["sizes"].append((report["recomputed"], report["written"]))

    sections = {s.slug: s for s in Section.objects.all()}
    for title, body, section in spare[:count]:
        article = Article(
            headline=title[:250],
            slug=f"new-{rng.getrandbits(48):x}",
            body="".join(f"<p>{html.escape(p, quote=False)}</p>" for p in body.split("\n\n")),
            section=sections[section],
        )
        services.article_save(article=article)
        started = time.perf_counter()
        services.article_publish(article=article)
        out["save"].append((time.perf_counter() - started) * 1000)
        task(article.pk, "publish")
    live = list(Article.objects.live().values_list("pk", flat=True)[:50_000])
    for pk in rng.sample(live, count):
        article = Article.objects.get(pk=pk)
        article.headline += " (updated)"
        article.body += "<p>This story has been updated with new information.</p>"
        services.article_save(article=article)
        task(pk, "edit")
    for pk in rng.sample(live, count):
        article = Article.objects.get(pk=pk)
        if article.status == Article.Status.PUBLISHED:
            services.article_unpublish(article=article)
            task(pk, "unpublish")
    return out


def describe(ms: list[float]) -> str:
    a = np.array(ms)
    return f"median {np.median(a):.0f} ms, p95 {np.percentile(a, 95):.0f} ms, max {a.max():.0f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=30)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--phase", choices=["all", "rebuild"], default="all")
    args = parser.parse_args(argv)
    if args.phase == "rebuild":
        return rebuild_in_process()

    workdir = setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from masthead.newsroom.models import Article
    from masthead.related.models import RelatedLink

    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    started = time.perf_counter()
    spare = populate(args.n)
    populated = time.perf_counter() - started
    print(f"created {args.n:,} articles in {populated:.0f} s", flush=True)

    connection.close()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.related_site", "--phase", "rebuild"],
        env={**os.environ, "MASTHEAD_VAR_DIR": str(workdir)},
        capture_output=True,
        text=True,
        check=True,
    )
    rebuild_wall = time.perf_counter() - started
    rebuild = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"rebuild: {rebuild}", flush=True)
    stored = RelatedLink.objects.count()

    # This process is now the worker: its first task loads the snapshot.
    rss_before = rss_mib()
    first = Article.objects.live().values_list("pk", flat=True).first()
    from masthead.related.tasks import update_related

    started = time.perf_counter()
    update_related.call(article_id=first, reindex=False)
    restart = time.perf_counter() - started
    worker_rss = rss_mib()
    updates = one_story_updates(spare, args.updates)
    print({k: describe(v) for k, v in updates.items() if k != "sizes"}, flush=True)
    worker_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    client = Client()
    rng = random.Random(11)
    urls = [
        a.get_absolute_url()
        for a in Article.objects.live().only("slug", "published_at", "created_at")[:20_000]
    ]
    for url in rng.sample(urls, 30):
        assert client.get(url).status_code == 200

    def one():
        assert client.get(rng.choice(urls)).status_code == 200

    pages = percentiles(time_calls(one, args.requests))
    with CaptureQueriesContext(connection) as queries:
        one()
    n_queries = len(queries)  # now: the next request empties the log it reads
    sample = [client.get(url).content.decode() for url in rng.sample(urls, 100)]
    inline = np.mean([page.count("inline-related__label") for page in sample])
    block = np.mean([page.count("related__item") for page in sample])
    load_after = os.getloadavg()[0]

    sizes = np.array(updates["sizes"])
    ok = {
        "rebuild": rebuild_wall < 300,
        "update": max(np.median(updates[k]) for k in ("publish", "edit", "unpublish")) < 200,
        "memory": max(rebuild["peak_mib"], rebuild["worker_peak_mib"], worker_peak) < 2048,
    }
    verdict = {k: "met" if v else "NOT met" for k, v in ok.items()}
    rows = [
        (
            f"`masthead related rebuild` (own process: read the stories, index them, store "
            f"{stored:,} links, save a {rebuild['snap']:.0f} MiB snapshot)",
            f"{rebuild_wall:.0f} s",
            f"< 300 s: **{verdict['rebuild']}**",
        ),
        (
            "peak memory of that rebuild: main process / largest forked worker",
            f"{rebuild['peak_mib']:.0f} MiB / {rebuild['worker_peak_mib']:.0f} MiB",
            f"< 2048 MiB: **{verdict['memory']}**",
        ),
        (
            'worker "restart": its first task loads the snapshot (and replays the journal)',
            f"{restart:.1f} s; worker RSS {rss_before:.0f} → {worker_rss:.0f} MiB, "
            f"peak {worker_peak:.0f} MiB over all the tasks below",
            "",
        ),
        (
            "publish a story (`article_publish`: save, enqueue the task)",
            describe(updates["save"]),
            "",
        ),
        (
            "task after a publish: index the story, recompute its list and the lists it "
            "enters, store what changed",
            describe(updates["publish"]),
            f"< 200 ms: **{verdict['update']}**",
        ),
        ("task after an edit (headline and body)", describe(updates["edit"]), "< 200 ms"),
        (
            "task after an unpublish (out of every list that showed it)",
            describe(updates["unpublish"]),
            "< 200 ms",
        ),
        (
            "lists recomputed / rewritten per task",
            f"median {np.median(sizes[:, 0]):.0f} / {np.median(sizes[:, 1]):.0f}, "
            f"max {sizes[:, 0].max()} / {sizes[:, 1].max()}",
            "",
        ),
        (
            f"article page with related stories, uncached, full Django stack "
            f"({args.requests} random stories)",
            f"p50 {pages['p50']:.1f} ms, p99 {pages['p99']:.1f} ms; {n_queries} queries",
            "",
        ),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    write_result(
        "related_site",
        f"""## Related stories through the site (SQLite, {args.n:,} stories)

Produced by `bench/related_site.py`. {args.n:,} published articles made from BBC News
bodies as in `bench/related_scale.py` (varied headlines, 2% verbatim re-posts; a third
with a featured image), created in {populated:.0f} s (not counted). Machine: {machine()};
1-minute load average {load_before:.1f} before the rebuild, {load_after:.1f} at the end
(the machine is shared with other sessions).

| measure | result | target |
|---|---|---|
{table}

100 random pages carried {inline:.1f} inline links and {block:.1f} stories in the block on
average (stories shorter than six paragraphs get no inline links). Tasks are timed as
the worker runs them (`update_related.call`), {args.updates} of each kind.
""",
    )
    connection.close()
    shutil.rmtree(workdir, ignore_errors=True)  # the database alone is most of a gigabyte
    return None


if __name__ == "__main__":
    main()
