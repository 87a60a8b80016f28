"""Shared set-up for benchmarks: a throwaway project directory and Django configured for it."""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django(*, database_url: str | None = None, workdir: Path | None = None) -> Path:
    """Point Masthead at a fresh directory (SQLite file, media) and set Django up."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    os.environ["MASTHEAD_VAR_DIR"] = str(workdir)
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ["DEBUG"] = "false"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    from django.core.management import call_command

    (workdir / "static").mkdir(exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    return workdir


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    return {
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
        "mean": statistics.fmean(ordered),
        "n": len(ordered),
    }


def time_calls(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def reference_ms() -> float:
    """A fixed pure-Python workload's time (best of three), to compare runs across days.

    The machine is a shared virtual one: on 2026-11-29 a similar loop took from 0.9 to 1.6 s
    within two hours, and every CPU-bound figure moved with it.
    """
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(3_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return best * 1000


def machine() -> str:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return (
        f"{python}, {os.cpu_count()} CPUs, {platform.machine()}; "
        f"reference loop {reference_ms():.0f} ms"
    )


def write_result(name: str, markdown: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    path.write_text(markdown.rstrip() + "\n")
    print(markdown)
    return path
