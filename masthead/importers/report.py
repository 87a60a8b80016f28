"""What an import did: counts per kind and action, and warnings naming the item concerned."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

MAX_KEPT_WARNINGS = 500


@dataclass
class Report:
    title: str = "Import"
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    # Named lists shown after the counts, e.g. "Not downloaded": one line per item.
    listings: dict[str, list[str]] = field(default_factory=dict)
    listing_counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, action: str = "created", n: int = 1) -> None:
        if n:
            self.counts[(kind, action)] += n

    def count(self, kind: str, action: str | None = None) -> int:
        return sum(n for (k, a), n in self.counts.items() if k == kind and action in (None, a))

    def warn(self, concerning: str, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_KEPT_WARNINGS:
            self.warnings.append(f"{concerning}: {message}" if concerning else message)

    def itemise(self, heading: str, concerning: str, message: str) -> None:
        self.listing_counts[heading] += 1
        kept = self.listings.setdefault(heading, [])
        if len(kept) < MAX_KEPT_WARNINGS:
            kept.append(f"{concerning}: {message}" if concerning else message)

    def render(self, *, max_warnings: int = 50, max_listed: int = 200) -> str:
        verb = "would be" if self.dry_run else "were"
        heading = f"{self.title} — dry run, nothing was written" if self.dry_run else self.title
        lines = [heading, "=" * len(heading)]
        kinds: dict[str, list[str]] = {}
        for (kind, action), n in sorted(self.counts.items()):
            kinds.setdefault(kind, []).append(f"{n} {action}")
        if kinds:
            width = max(len(kind) for kind in kinds)
            lines += [f"  {kind:<{width}}  {', '.join(parts)}" for kind, parts in kinds.items()]
        else:
            lines.append(f"  Nothing {verb} imported.")
        for heading, listed in self.listings.items():
            total = self.listing_counts[heading]
            lines += ["", f"{heading} ({total}):"]
            lines += [f"  - {line}" for line in listed[:max_listed]]
            if total > min(len(listed), max_listed):
                lines.append(f"  … and {total - min(len(listed), max_listed)} more.")
        if self.warning_count:
            lines += ["", f"Warnings ({self.warning_count}):"]
            lines += [f"  - {warning}" for warning in self.warnings[:max_warnings]]
            hidden = self.warning_count - min(len(self.warnings), max_warnings)
            if hidden:
                lines.append(f"  … and {hidden} more.")
        return "\n".join(lines) + "\n"
