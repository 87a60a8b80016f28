"""Side-by-side HTTP figures on this machine, with wrk as the load generator on loopback.

1. The article page, cached and uncached, in requests per second, against nginx serving the
   same HTML as a static file.
2. Posting a comment (every check included) against Isso 0.14 posting to ``/new`` (its
   rate-limit guard off, SQLite), at the same concurrency and with the same gunicorn workers.

Run: python -m bench.http_compare [--seconds 10] [--articles 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from bench.common import machine, setup_django, write_result
from bench.http import (
    ensure_tools,
    free_port,
    masthead_serving,
    nginx_fronting,
    nginx_serving,
    wait_until_up,
    wrk,
)

HERE = Path(__file__).resolve().parent
ISSO_VENV = HERE / ".venv-isso"
WORKERS = 5  # gunicorn's 2 × CPUs + 1 on this 2-core machine, for both servers

# wrk runs each thread's script in its own Lua state: setup() numbers the threads so that
# every request is a new reader with an address, email and comment of its own.
THREADS_SETUP = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
"""

MASTHEAD_POST = (
    THREADS_SETUP
    + """
local counter = 0
request = function()
  counter = counter + 1
  local id = run .. "r" .. tid .. "x" .. counter
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["X-Forwarded-For"] = string.format("2001:db8:%x:%x:%x::1", run, tid, counter)
  local body = "body=Reader+comment+" .. id .. "+about+the+new+harbour+wall+and+the+levy."
    .. "&author_name=Reader+" .. id .. "&author_email=reader" .. id .. "%40example.net"
    .. "&issued=" .. issued
  return wrk.format("POST", nil, nil, body)
end
"""
)

ISSO_POST = (
    THREADS_SETUP
    + """
local counter = 0
request = function()
  counter = counter + 1
  local id = run .. "r" .. tid .. "x" .. counter
  wrk.headers["Content-Type"] = "application/json"
  local body = '{"text": "Reader comment ' .. id .. ' about the new harbour wall and the levy.",'
    .. ' "author": "Reader ' .. id .. '", "email": "reader' .. id .. '@example.net",'
    .. ' "title": "Harbour wall"}'
  return wrk.format("POST", nil, nil, body)
end
"""
)


def median_wrk(url: str, *, runs: int, script: str | None = None, **options):
    """The run with the median rate of ``runs`` wrk runs: one run on a shared machine can
    land on a bad second. A script sees its run's number as ``run``, so that the readers
    of one run are not the readers of the one before (their posts would be duplicates)."""
    results = []
    for number in range(1, max(runs, 1) + 1):
        numbered = f"local run = {number}\n{script}" if script else None
        results.append(wrk(url, script=numbered, **options))
    results.sort(key=lambda result: result.requests_per_second)
    return results[len(results) // 2]


def ensure_isso() -> Path:
    python = ISSO_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ISSO_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "isso==0.14.0", "gunicorn"],
            check=True,
        )
    return ISSO_VENV / "bin" / "gunicorn"


@contextmanager
def isso_serving(workdir: Path):
    gunicorn = ensure_isso()
    port = free_port()
    config = workdir / "isso.cfg"
    config.write_text(
        textwrap.dedent(
            f"""
            [general]
            dbpath = {workdir / "isso.db"}
            host = http://127.0.0.1:{port}/
            [moderation]
            enabled = false
            [guard]
            enabled = false
            [server]
            listen = http://127.0.0.1:{port}/
            """
        )
    )
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    process = subprocess.Popen(
        [str(gunicorn), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "isso.run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/info", seconds=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def site(workdir: Path, articles: int) -> tuple[dict, str, int]:
    setup_django(workdir=workdir)
    from bench.article_page import populate
    from masthead.newsroom.models import Article

    populate(articles)
    article = Article.objects.order_by("-published_at").first()
    env = dict(os.environ)
    env.update(TRUSTED_PROXIES="127.0.0.1", WEB_CONCURRENCY=str(WORKERS))
    return env, article.get_absolute_url(), article.pk


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="wrk runs per figure (median)")
    args = parser.parse_args(argv)
    ensure_tools("wrk", "nginx")
    workdir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    workdir.chmod(0o755)  # nginx's workers run as an unprivileged user and read files below
    env, path, article_id = site(workdir, args.articles)
    load = {"seconds": args.seconds, "connections": args.connections, "runs": args.runs}

    with masthead_serving({**env, "PAGE_CACHE_SECONDS": "0"}, workers=WORKERS) as base:
        html = urllib.request.urlopen(base + path).read()
        uncached = median_wrk(base + path, **load)
    with masthead_serving({**env, "PAGE_CACHE_SECONDS": "600"}, workers=WORKERS) as base:
        cached = median_wrk(base + path, **load)
    mirror = workdir / "pagecache"
    mirrored_env = {**env, "PAGE_CACHE_SECONDS": "600", "PAGE_CACHE_DIR": str(mirror)}
    with (
        masthead_serving(mirrored_env, workers=WORKERS) as upstream,
        nginx_fronting(upstream.removeprefix("http://"), mirror) as base,
    ):
        urllib.request.urlopen(base + path).read()  # the first reader's request fills it
        fronted = median_wrk(base + path, **load)
    static_root = workdir / "static-copy"
    (static_root / path.strip("/")).mkdir(parents=True)
    (static_root / path.strip("/") / "index.html").write_bytes(html)
    for directory in static_root.rglob("*"):
        directory.chmod(0o755)
    with nginx_serving(static_root) as base:
        nginx = median_wrk(base + path, **load)

    posting = {"seconds": args.seconds, "connections": 16, "runs": args.runs}
    from masthead.discussion.tokens import form_token

    # The form's signed timestamp, as a reader who read the story for a minute sends it.
    issued = quote(form_token(article_id, issued_at=time.time() - 60), safe="")
    script = f'local issued = "{issued}"\n' + MASTHEAD_POST
    with masthead_serving(env, workers=WORKERS) as base:
        ours = median_wrk(f"{base}/comments/post/{article_id}/", script=script, **posting)
    from masthead.discussion.models import Comment

    stored = Comment.objects.count()
    statuses = Counter(Comment.objects.values_list("status", flat=True))
    outcome = ", ".join(f"{n:,} {status}" for status, n in sorted(statuses.items()))
    with isso_serving(workdir) as base:
        isso = median_wrk(f"{base}/new?uri=%2Fharbour-wall%2F", script=ISSO_POST, **posting)
        counted = urllib.request.urlopen(f"{base}/count", data=b'["/harbour-wall/"]').read()
        count = json.loads(counted)

    cached_ratio = cached.requests_per_second / nginx.requests_per_second
    fronted_ratio = fronted.requests_per_second / nginx.requests_per_second
    post_ratio = ours.requests_per_second / isso.requests_per_second
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    write_result(
        "http_compare",
        f"""## Pages and comment posting over HTTP, side by side

wrk on loopback (each figure the median of {args.runs} runs of {args.seconds} s), on the
same 2-core machine as the servers ({machine()}). Masthead: `masthead serve` (gunicorn,
{WORKERS} workers, whitenoise), SQLite in WAL mode, {args.articles:,} stories. Errors are
non-2xx/3xx answers plus socket errors.

### Article page ({args.connections} connections)

| server | requests/s | p50 | p99 | errors |
|---|---:|---:|---:|---:|
| nginx, the same HTML as a static file | {nginx.row()} | {nginx.errors} |
| Masthead behind nginx, pages on disk (`PAGE_CACHE_DIR`) | {fronted.row()} | {fronted.errors} |
| Masthead alone (gunicorn), page cache on | {cached.row()} | {cached.errors} |
| Masthead, page cache off (uncached) | {uncached.row()} | {uncached.errors} |

Cached page: behind nginx with the disk mirror (the deployment docs/deployment.md
describes) at {fronted_ratio:.0%} of nginx's static rate, and from gunicorn alone at
{cached_ratio:.0%} (target ≥ 25%: **{verdict(fronted_ratio >= 0.25)}** with the mirror,
**{verdict(cached_ratio >= 0.25)}** without); uncached {uncached.requests_per_second:,.0f}
requests/s (target ≥ 300: **{verdict(uncached.requests_per_second >= 300)}**).

### Posting a comment (16 connections, {WORKERS} gunicorn workers each)

| server | comments/s | p50 | p99 | errors |
|---|---:|---:|---:|---:|
| Masthead (guards, spam filter, moderation rules, one transaction) | {ours.row()} | {ours.errors} |
| Isso 0.14 (`/new`, guard off, SQLite) | {isso.row()} | {isso.errors} |

Masthead posts {post_ratio:.1f}× Isso's rate (target ≥ 3×: **{verdict(post_ratio >= 3)}**). Each
request is a new reader (own address and email), so flood control and duplicate detection
pass; over {args.runs} runs Masthead stored {stored:,} comments ({outcome}) and Isso
{count[0]:,}.
""",
    )


if __name__ == "__main__":
    main()
