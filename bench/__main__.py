"""Run every benchmark (each in its own process) and collect bench/REPORT.md."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from bench.common import RESULTS, machine

HERE = Path(__file__).resolve().parent

# In report order. Each module writes bench/results/<name>.md.
BENCHMARKS = [
    "article_page",
    "comments",
    "spam_quality",
    "spam_latency",
    "spam_adaptation",
    "spam_site",
    "related_quality",
    "related_scale",
    "related_site",
    "http_compare",
    "scale_pg",
    "import_memory",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument(
        "--report-only", action="store_true", help="only collect bench/results/ into the report"
    )
    args = parser.parse_args(argv)
    chosen = args.only or [name for name in BENCHMARKS if (HERE / f"{name}.py").exists()]
    if args.report_only:
        chosen = []
    failed = []
    for name in chosen:
        print(f"--- {name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False)
        print(f"--- {name}: {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    # import_memory_postgres comes from `python -m bench.import_memory --database-url …`.
    sections = [
        (RESULTS / f"{name}.md").read_text()
        for name in [*BENCHMARKS, "import_memory_postgres"]
        if (RESULTS / f"{name}.md").exists()
    ]
    report = "\n".join(
        [
            "# Masthead benchmark report",
            "",
            f"Written by `make bench` on {time.strftime('%Y-%m-%d')}; {machine()}.",
            "Each section comes from `bench/<name>.py`; rerun one with `python -m bench <name>`.",
            "",
            *sections,
        ]
    )
    (HERE / "REPORT.md").write_text(report)
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
