"""Reads for the API's usage endpoints, the admin dashboard and ``masthead check``."""

from __future__ import annotations

import csv
import io
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from masthead.antispam import conf
from masthead.antispam.keys import KeyInfo
from masthead.antispam.models import ApiKey, ApiUsage, DailyCount, SpamDecision, SpamModelVersion
from masthead.antispam.stats import buffer

USAGE_SECONDS = 10.0
_usage_cache: dict[tuple[int, date], tuple[float, int, int]] = {}
_usage_lock = threading.Lock()


def month_usage(key_id: int) -> int:
    """Checks made with a key this month: what the database held when this process last
    looked (at most ``USAGE_SECONDS`` ago), plus what this process has counted since."""
    month = timezone.localdate().replace(day=1)
    now = time.monotonic()
    hit = _usage_cache.get((key_id, month))
    if hit is None or now - hit[0] >= USAGE_SECONDS:
        buffer.flush()
        counted = buffer.checks_counted(key_id, month)
        stored = ApiUsage.objects.filter(key_id=key_id, month=month).aggregate(n=Sum("checks"))
        hit = (now, int(stored["n"] or 0), counted)
        with _usage_lock:
            _usage_cache[(key_id, month)] = hit
    return hit[1] + buffer.checks_counted(key_id, month) - hit[2]


def usage_limit(key: KeyInfo) -> dict[str, object]:
    """Akismet's usage-limit answer: ``limit`` ("none" or a number), ``usage``,
    ``percentage`` (a string with two decimals) and ``throttled``."""
    used = month_usage(key.id)
    if key.monthly_limit is None:
        return {"limit": "none", "usage": used, "percentage": "0.00", "throttled": False}
    share = 100.0 * used / key.monthly_limit if key.monthly_limit else 100.0
    return {
        "limit": key.monthly_limit,
        "usage": used,
        "percentage": f"{share:.2f}",
        "throttled": used >= key.monthly_limit,
    }


ORDERS = {
    "total": "api_calls",
    "spam": "spam",
    "ham": "ham",
    "missed_spam": "missed_spam",
    "false_positives": "false_positives",
}


@dataclass
class KeySitesReport:
    month: date
    rows: list[dict[str, object]] = field(default_factory=list)
    limit: int = 500
    offset: int = 0
    total: int = 0

    def as_json(self) -> dict[str, object]:
        """Akismet's shape: counts as strings, ``is_revoked`` as a boolean."""
        rows = [
            {k: (v if isinstance(v, bool) or k == "site" else str(v)) for k, v in row.items()}
            for row in self.rows
        ]
        return {
            f"{self.month:%Y-%m}": rows,
            "limit": self.limit,
            "offset": self.offset,
            "total": self.total,
        }


def key_sites(
    key: KeyInfo, *, month: date, url_filter: str = "", order: str = "total", limit=500, offset=0
) -> KeySitesReport:
    buffer.flush()
    usage = ApiUsage.objects.filter(key_id=key.id, month=month)
    if url_filter:
        usage = usage.filter(site__icontains=url_filter)
    revoked = not key.is_active
    rows = [
        {
            "site": u.site,
            "api_calls": u.checks,
            "spam": u.spam,
            "ham": u.ham,
            "missed_spam": u.missed_spam,
            "false_positives": u.false_positives,
            "is_revoked": revoked,
        }
        for u in usage
    ]
    column = ORDERS.get(order, "api_calls")
    rows.sort(key=lambda row: (-int(row[column]), str(row["site"])))
    return KeySitesReport(month, rows[offset : offset + limit], limit, offset, len(rows))


def key_sites_csv(report: KeySitesReport, *, key_label: str) -> str:
    out = io.StringIO()
    out.write(
        f"Active sites for {key_label} during {report.month:%Y-%m} "
        f"(limit:{report.limit}, offset: {report.offset}, total: {report.total})\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["Site", "Total API Calls", "Spam", "Ham", "Missed Spam", "False Positives", "Is Revoked"]
    )
    for row in report.rows:
        writer.writerow(
            [row["site"], row["api_calls"], row["spam"], row["ham"], row["missed_spam"],
             row["false_positives"], "true" if row["is_revoked"] else "false"]
        )  # fmt: skip
    return out.getvalue()


@dataclass
class ModelStatus:
    """What the admin and ``masthead check`` say about the model in use."""

    ok: bool
    error: str
    version: str
    source: str  # "the base model file …" or "version stored …"
    trained_at: str
    n_train: int
    n_updates: int
    threshold: float | None
    discard_threshold: float | None
    evaluation: dict
    base_evaluation: dict
    waiting: int
    current: SpamModelVersion | None


def model_status() -> ModelStatus:
    from masthead.antispam import registry  # loads the model's libraries only when asked

    loaded = registry.current()
    model = loaded.model
    current = SpamModelVersion.objects.filter(is_current=True).defer("data").first()
    waiting = SpamDecision.objects.filter(learned_in=None, superseded=False).count()
    source = (
        f"version {current.version} learnt on {current.created_at:%Y-%m-%d %H:%M}"
        if current
        else f"the base model file {conf.base_model_path()}"
    )
    return ModelStatus(
        ok=model is not None,
        error=loaded.error,
        version=model.version if model else (current.version if current else ""),
        source=source,
        trained_at=model.trained_at if model else "",
        n_train=model.n_train if model else 0,
        n_updates=model.n_updates if model else 0,
        threshold=conf.threshold(model.threshold) if model else None,
        discard_threshold=conf.discard_threshold(),
        evaluation=dict(current.evaluation) if current else {},
        base_evaluation=dict(model.evaluation) if model else {},
        waiting=waiting,
        current=current,
    )


SERIES = ("caught", "held", "passed", "false_positives")


def daily_series(*, days: int = 30, today: date | None = None) -> list[dict[str, object]]:
    """One row per day (oldest first) with the dashboard's counts, both sources added."""
    buffer.flush()
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    totals = {
        row["day"]: row
        for row in DailyCount.objects.filter(day__gte=first, day__lte=today)
        .values("day")
        .annotate(
            **{name: Sum(name) for name in ("checked", *SERIES, "approved", "missed", "discarded")}
        )
    }
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        found = totals.get(day, {})
        rows.append(
            {"day": day}
            | {
                name: int(found.get(name) or 0)
                for name in ("checked", *SERIES, "approved", "missed", "discarded")
            }
        )
    return rows


def api_keys() -> list[ApiKey]:
    return list(ApiKey.objects.order_by("-is_active", "-created_at"))
