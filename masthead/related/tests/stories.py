"""The engine's hand-written beats as live articles: one section per beat."""

from __future__ import annotations

from datetime import timedelta

from masthead.newsroom.models import Article, Section
from masthead.newsroom.tests.factories import make_article
from masthead.related.models import RelatedLink

from .fixtures import BEATS


def body_of(text: str) -> str:
    """One paragraph per sentence."""
    return "".join(f"<p>{s.strip()}.</p>" for s in text.rstrip(".").split(". "))


def section_for(beat: str) -> Section:
    return Section.objects.get_or_create(slug=beat, defaults={"name": beat.title()})[0]


def newsroom(beats=tuple(BEATS)) -> dict[str, Article]:
    """Live stories ``<beat>-<n>``, the n-th one n+1 days old."""
    made = {}
    for beat in beats:
        for n, (title, text) in enumerate(BEATS[beat]):
            made[f"{beat}-{n}"] = make_article(
                headline=title,
                slug=f"{beat}-{n}",
                body=body_of(text),
                section=section_for(beat),
                age=timedelta(days=n + 1),
            )
    return made


def stored(article: Article) -> list[int]:
    """Target ids of the story's stored list, in order."""
    links = RelatedLink.objects.filter(article=article).order_by("rank")
    return list(links.values_list("target_id", flat=True))


def sources(article: Article) -> list[str]:
    links = RelatedLink.objects.filter(article=article).order_by("rank")
    return list(links.values_list("source", flat=True))
